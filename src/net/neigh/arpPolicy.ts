import { inSubnet, type Ipv4Address } from '../../wire/index.ts';
import { selectAddress } from '../addr/selectAddress.ts';
import { Scope, type Interface } from '../Interface.ts';

/**
 * arp_ignore (net/ipv4/arp.c arp_ignore + devinet.c inet_confirm_addr): whether a request for local address
 * `tip` from `sip`, received on `dev`, must go unanswered. `level` is the effective max(all, dev) value.
 * Reference: linux-arp-routing.md §5.3, and linux-arp-observed.md (the observation wins: arp_ignore=2 answers
 * for a VIP on eth0 whenever the asker and the VIP share one of eth0's subnets).
 */
export function arpIgnore(level: number, dev: Interface, all: readonly Interface[], sip: Ipv4Address, tip: Ipv4Address): boolean {
  switch (level) {
    case 0:
      return false;
    case 1:
      // Reply only if tip is configured on the receiving interface (scope up to host).
      return !dev.hasAddress(tip);
    case 2: {
      // As 1, and the sender must be in a subnet of dev that also contains tip.
      if (!dev.hasAddress(tip)) return true;
      for (const a of dev.addresses) {
        if (inSubnet(sip, a.address, a.prefixLen) && inSubnet(tip, a.address, a.prefixLen)) return false;
      }
      return true;
    }
    case 3:
      // Do not reply for addresses of host scope (on any interface).
      for (const d of all) {
        const a = d.findAddress(tip);
        if (a && a.scope <= Scope.link) return false;
      }
      return true;
    case 8:
      return true;
    default:
      // 4–7 are reserved and behave as 0.
      return false;
  }
}

/**
 * arp_announce: the sender address to put in an ARP request on `dev` for `target`, given the source address of
 * the packet that caused it. Reference §4 and linux-arp-observed.md rule 4.
 */
export function announceAddress(
  level: number,
  dev: Interface,
  all: readonly Interface[],
  target: Ipv4Address,
  packetSource: Ipv4Address | undefined,
  isLocal: (a: Ipv4Address) => boolean,
): Ipv4Address {
  if (packetSource !== undefined && isLocal(packetSource)) {
    if (level === 0) return packetSource;
    if (level === 1) {
      // inet_addr_onlink: a subnet configured on dev contains both the source and the target.
      for (const a of dev.addresses) {
        if (inSubnet(packetSource, a.address, a.prefixLen) && inSubnet(target, a.address, a.prefixLen)) return packetSource;
      }
    }
  }
  return selectAddress(dev, all, target, Scope.link);
}
