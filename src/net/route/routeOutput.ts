import { IPV4_BROADCAST, isMulticast, type Ipv4Address } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import { Scope, type Interface } from '../Interface.ts';
import { selectAddress } from '../addr/selectAddress.ts';
import type { Route } from './Route.ts';

export type OutputRoute =
  | { kind: 'ok'; route?: Route; outDev: Interface; nexthop: Ipv4Address; src: Ipv4Address; local: boolean; broadcast: boolean }
  | { kind: 'error'; errno: 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES' | 'EINVAL' | 'ENODEV'; detail: string };

/**
 * ip_route_output_key_hash_rcu (net/ipv4/route.c): route a locally generated packet and pick its source address
 * when the caller has none (reference §6.6): the route's `src`, else inet_select_addr on the output device.
 */
export function routeOutput(host: Host, dst: Ipv4Address, opts: { src?: Ipv4Address; oif?: string; mark?: number; tos?: number } = {}): OutputRoute {
  const mark = opts.mark ?? 0;
  if (opts.src !== undefined && opts.src !== 0 && !host.isLocalAddress(opts.src)) {
    return { kind: 'error', errno: 'EINVAL', detail: 'source address is not local' };
  }
  if (dst === IPV4_BROADCAST || isMulticast(dst)) {
    const dev = opts.oif !== undefined ? host.iface(opts.oif) : host.interfaces.find((d) => d.kind === 'ether' && d.up);
    if (!dev) return { kind: 'error', errno: 'ENETUNREACH', detail: 'no device for broadcast' };
    const src = opts.src || selectAddress(dev, host.interfaces, 0, Scope.link);
    return { kind: 'ok', outDev: dev, nexthop: dst, src, local: false, broadcast: true };
  }
  if (opts.oif !== undefined && !host.iface(opts.oif)) return { kind: 'error', errno: 'ENODEV', detail: `no device ${opts.oif}` };
  const res = host.fib.lookup({ dst, src: opts.src ?? 0, iif: 'lo', oif: opts.oif, mark, tos: opts.tos ?? 0 });
  if (res.kind === 'none') return { kind: 'error', errno: 'ENETUNREACH', detail: 'Network is unreachable' };
  if (res.kind === 'error') {
    return { kind: 'error', errno: res.type === 'prohibit' ? 'EACCES' : res.type === 'blackhole' ? 'EINVAL' : 'EHOSTUNREACH', detail: `${res.type} route` };
  }
  const route = res.route;
  if (route.type === 'local') {
    const src = opts.src || route.prefsrc || dst;
    return { kind: 'ok', route, outDev: host.loopback, nexthop: dst, src, local: true, broadcast: false };
  }
  const outDev = route.dev !== undefined ? host.iface(route.dev) : undefined;
  if (!outDev) return { kind: 'error', errno: 'ENETUNREACH', detail: 'route has no device' };
  if (!outDev.up) return { kind: 'error', errno: 'ENETUNREACH', detail: `${outDev.name} is down` };
  // A redirect accepted earlier overrides the next hop for this destination (a nexthop exception).
  const nexthop = host.redirects.get(dst) ?? route.gateway ?? dst;
  const src = opts.src || route.prefsrc || selectAddress(outDev, host.interfaces, nexthop, Scope.link);
  return { kind: 'ok', route, outDev, nexthop, src, local: false, broadcast: route.type === 'broadcast' };
}
