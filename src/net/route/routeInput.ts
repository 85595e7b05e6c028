import type { DropReason } from '../../trace/index.ts';
import { IcmpType, IcmpUnreachCode, IPV4_BROADCAST, isLoopback, isMulticast, isZeroNet, type Ipv4Address } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Interface } from '../Interface.ts';
import type { Route } from './Route.ts';
import { addrOnLink, validateSource } from './validateSource.ts';

export type InputDecision =
  | { kind: 'local'; route?: Route; table?: number }
  | { kind: 'broadcast' }
  | { kind: 'forward'; route: Route; table: number; outDev: Interface; nexthop: Ipv4Address; doRedirect: boolean }
  | { kind: 'drop'; reason: DropReason; detail: string; icmp?: { type: number; code: number } };

/**
 * ip_route_input_slow (net/ipv4/route.c): where a received packet goes — delivered locally, forwarded, or
 * dropped as a martian / unroutable. The LOCAL decision comes from the local table whatever the receiving
 * interface (weak host model), so a VIP on `lo` accepts packets arriving on eth0.
 * Reference: shared/reference/linux-arp-routing.md §6.3.
 */
export function routeInput(host: Host, dst: Ipv4Address, src: Ipv4Address, dev: Interface, mark: number, tos = 0): InputDecision {
  const conf = host.sysctls.confOf(dev.name);
  const localnet = conf.route_localnet === 1;
  if (isMulticast(src) || src === IPV4_BROADCAST) return martian('martian source: multicast or broadcast');
  if (dst === IPV4_BROADCAST || (src === 0 && dst === 0)) return { kind: 'broadcast' };
  if (isZeroNet(src)) return martian('martian source: 0.0.0.0/8');
  if (isZeroNet(dst)) return martian('martian destination: 0.0.0.0/8');
  if (isLoopback(dst) && !localnet) return martian('martian destination: 127.0.0.0/8 from outside');
  if (isLoopback(src) && !localnet) return martian('martian source: 127.0.0.0/8 from outside');
  if (isMulticast(dst)) return { kind: 'broadcast' };
  const forwarding = conf.forwarding === 1;
  const res = host.fib.lookupFlow(dst, src, dev.name, undefined, mark, tos);
  if (res.kind === 'none') {
    return {
      kind: 'drop',
      reason: 'no-route',
      detail: 'no route to the destination',
      icmp: forwarding ? { type: IcmpType.destUnreachable, code: IcmpUnreachCode.net } : undefined,
    };
  }
  if (res.kind === 'error') {
    const code = res.type === 'prohibit' ? IcmpUnreachCode.adminProhibited : IcmpUnreachCode.host;
    return { kind: 'drop', reason: 'no-route', detail: `${res.type} route`, icmp: res.type === 'blackhole' ? undefined : { type: IcmpType.destUnreachable, code } };
  }
  const route = res.route;
  if (route.type === 'broadcast') {
    if (src !== 0) {
      const v = validateSource(host, src, dst, undefined, dev, mark);
      if (!v.ok) return { kind: 'drop', reason: v.reason, detail: v.detail };
    }
    return { kind: 'broadcast' };
  }
  if (route.type === 'local') {
    const v = validateSource(host, src, dst, undefined, dev, mark);
    if (!v.ok) return { kind: 'drop', reason: v.reason, detail: v.detail };
    return { kind: 'local', route, table: res.table };
  }
  if (!forwarding) return { kind: 'drop', reason: 'not-forwarding', detail: `not addressed to this host and forwarding is off on ${dev.name}` };
  if (route.type !== 'unicast') return martian(`martian destination: route type ${route.type}`);
  const outDev = route.dev !== undefined ? host.iface(route.dev) : undefined;
  if (!outDev) return { kind: 'drop', reason: 'no-route', detail: 'route has no output device' };
  const v = validateSource(host, src, dst, outDev, dev, mark);
  if (!v.ok) return { kind: 'drop', reason: v.reason, detail: v.detail };
  const nexthop = route.gateway ?? dst;
  const doRedirect =
    outDev === dev &&
    v.onLink &&
    conf.send_redirects === 1 &&
    (conf.shared_media === 1 || addrOnLink(dev, src, nexthop));
  return { kind: 'forward', route, table: res.table, outDev, nexthop, doRedirect };
}

function martian(detail: string): InputDecision {
  return { kind: 'drop', reason: 'martian', detail };
}
