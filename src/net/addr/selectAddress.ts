import { inSubnet, type Ipv4Address } from '../../wire/index.ts';
import { Scope, type Interface } from '../Interface.ts';

/*
 * Source-address selection (net/ipv4/devinet.c inet_select_addr). Routing uses it for a packet's source, ARP
 * for the sender of a request (arp_announce) and iptables MASQUERADE for the address to map to, so it lives
 * beside the interfaces rather than in any one of those folders. Reference: linux-arp-routing.md §4.
 */

/**
 * inet_select_addr(dev, dst, scope): the primary address of `dev` in `dst`'s subnet, else dev's first primary
 * within scope, else the first primary of any interface (loopback first) whose scope is not link and ≤ scope.
 * Secondary addresses are never chosen. Reference §4.
 */
export function selectAddress(dev: Interface | undefined, all: readonly Interface[], dst: Ipv4Address, scope: number): Ipv4Address {
  if (dev) {
    let first: Ipv4Address | undefined;
    for (const a of dev.addresses) {
      if (a.secondary || a.scope > scope) continue;
      if (dst !== 0 && inSubnet(dst, a.address, a.prefixLen)) return a.address;
      if (first === undefined) first = a.address;
    }
    if (first !== undefined) return first;
  }
  for (const d of all) {
    for (const a of d.addresses) {
      if (a.secondary || a.scope === Scope.link || a.scope > scope) continue;
      return a.address;
    }
  }
  return 0;
}
