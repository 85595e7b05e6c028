import { IPV4_BROADCAST, isMulticast, type Ipv4Address } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import { Scope, type Interface } from '../Interface.ts';
import { selectAddress } from '../addr/selectAddress.ts';
import type { Route } from './Route.ts';

export type OutputRoute =
  | { kind: 'ok'; route?: Route; outDev: Interface; nexthop: Ipv4Address; src: Ipv4Address; local: boolean; broadcast: boolean }
  | { kind: 'error'; errno: 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES' | 'EINVAL' | 'ENODEV'; detail: string };

/**
 * What an output lookup is asked. `anySource`: the source need not be one of the host's addresses
 * (FLOWI_FLAG_ANYSRC, which ip_route_me_harder sets when IPVS reroutes a NAT reply whose virtual address the
 * director does not hold — a firewall-mark service for many destinations).
 */
export interface OutputFlow {
  src?: Ipv4Address;
  oif?: string;
  mark?: number;
  tos?: number;
  anySource?: boolean;
}

const SOURCE_NOT_LOCAL = 'source address is not local';

/**
 * ip_route_output_key_hash_rcu (net/ipv4/route.c): route a locally generated packet and pick its source address
 * when the caller has none (reference §6.6): the route's `src`, else inet_select_addr on the output device.
 */
export function routeOutput(host: Host, dst: Ipv4Address, opts: OutputFlow = {}): OutputRoute {
  if (opts.oif === undefined && !opts.mark && !opts.tos) {
    // Every locally sent packet (and every packet IPVS transmits) asks this: the answer is remembered.
    const cache = host.outputRoutes;
    cache.validate(host.fib.version(), host.configVersion);
    const src = opts.src ?? 0;
    let r = cache.get(dst, src);
    if (r === undefined) {
      r = resolveOutput(host, dst, src, undefined, 0, 0, false);
      cache.set(dst, src, r);
    }
    // The cache holds answers for the host's own sources; a foreign one that anySource allows is looked up
    // afresh (the common case, a local source, pays nothing for the option).
    if (opts.anySource === true && r.kind === 'error' && r.detail === SOURCE_NOT_LOCAL) return resolveOutput(host, dst, src, undefined, 0, 0, true);
    return r;
  }
  return resolveOutput(host, dst, opts.src ?? 0, opts.oif, opts.mark ?? 0, opts.tos ?? 0, opts.anySource === true);
}

/**
 * Output routes already resolved, for flows without an output device, mark or TOS, by destination and source
 * (0: none given). The answer depends on the FIB, the interfaces (up or down, their addresses) and the
 * redirect exceptions; the owner passes the FIB's version and its own configuration version with every use
 * and the cache starts over when either moved. Bounded like the FIB's caches. Answers are shared: callers
 * never modify one.
 */
export class OutputRouteCache {
  private readonly byDst = new Map<number, Map<number, OutputRoute>>();
  private size = 0;
  private fibVersion = -1;
  private configVersion = -1;

  validate(fibVersion: number, configVersion: number): void {
    if (fibVersion === this.fibVersion && configVersion === this.configVersion) return;
    this.fibVersion = fibVersion;
    this.configVersion = configVersion;
    this.clear();
  }

  get(dst: Ipv4Address, src: Ipv4Address): OutputRoute | undefined {
    return this.byDst.get(dst | 0)?.get(src | 0);
  }

  set(dst: Ipv4Address, src: Ipv4Address, r: OutputRoute): void {
    if (this.size >= OUTPUT_ROUTE_CACHE_LIMIT) this.clear();
    let bySrc = this.byDst.get(dst | 0);
    if (bySrc === undefined) {
      bySrc = new Map();
      this.byDst.set(dst | 0, bySrc);
    }
    bySrc.set(src | 0, r);
    this.size++;
  }

  private clear(): void {
    this.byDst.clear();
    this.size = 0;
  }
}

const OUTPUT_ROUTE_CACHE_LIMIT = 4096;

/** The uncached lookup, the flow given field by field (src 0: none given, so routing picks one). */
function resolveOutput(host: Host, dst: Ipv4Address, src: Ipv4Address, oif: string | undefined, mark: number, tos: number, anySource: boolean): OutputRoute {
  if (!anySource && src !== 0 && !host.isLocalAddress(src)) {
    return { kind: 'error', errno: 'EINVAL', detail: SOURCE_NOT_LOCAL };
  }
  if (dst === IPV4_BROADCAST || isMulticast(dst)) {
    const dev = oif !== undefined ? host.iface(oif) : host.interfaces.find((d) => d.kind === 'ether' && d.up);
    if (!dev) return { kind: 'error', errno: 'ENETUNREACH', detail: 'no device for broadcast' };
    return { kind: 'ok', outDev: dev, nexthop: dst, src: src || selectAddress(dev, host.interfaces, 0, Scope.link), local: false, broadcast: true };
  }
  if (oif !== undefined && !host.iface(oif)) return { kind: 'error', errno: 'ENODEV', detail: `no device ${oif}` };
  const res = host.fib.lookupFlow(dst, src, 'lo', oif, mark, tos);
  if (res.kind === 'none') return { kind: 'error', errno: 'ENETUNREACH', detail: 'Network is unreachable' };
  if (res.kind === 'error') {
    return { kind: 'error', errno: res.type === 'prohibit' ? 'EACCES' : res.type === 'blackhole' ? 'EINVAL' : 'EHOSTUNREACH', detail: `${res.type} route` };
  }
  const route = res.route;
  if (route.type === 'local') {
    return { kind: 'ok', route, outDev: host.loopback, nexthop: dst, src: src || route.prefsrc || dst, local: true, broadcast: false };
  }
  const outDev = route.dev !== undefined ? host.iface(route.dev) : undefined;
  if (!outDev) return { kind: 'error', errno: 'ENETUNREACH', detail: 'route has no device' };
  if (!outDev.up) return { kind: 'error', errno: 'ENETUNREACH', detail: `${outDev.name} is down` };
  // A redirect accepted earlier overrides the next hop for this destination (a nexthop exception).
  const nexthop = host.redirects.get(dst) ?? route.gateway ?? dst;
  const from = src || route.prefsrc || selectAddress(outDev, host.interfaces, nexthop, Scope.link);
  return { kind: 'ok', route, outDev, nexthop, src: from, local: false, broadcast: route.type === 'broadcast' };
}
