import type { DropReason } from '../../trace/index.ts';
import { inSubnet, type Ipv4Address } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Interface } from '../Interface.ts';

export type SourceCheck = { readonly ok: true; readonly onLink: boolean } | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

// The accepting answers, shared: every forwarded or delivered packet gets one.
const OK_ON_LINK: SourceCheck = { ok: true, onLink: true };
const OK_NOT_ON_LINK: SourceCheck = { ok: true, onLink: false };

function ok(onLink: boolean): SourceCheck {
  return onLink ? OK_ON_LINK : OK_NOT_ON_LINK;
}

/**
 * fib_validate_source (net/ipv4/fib_frontend.c): is `src` an acceptable source for a packet from `dev`?
 * Implements rp_filter (RFC 3704 strict = 1, loose = 2), accept_local and the local-source martian rule.
 * `oif` is the device the packet will leave by when forwarded (undefined for local delivery).
 * Reference: shared/reference/linux-arp-routing.md §6.4.
 */
export function validateSource(host: Host, src: Ipv4Address, dst: Ipv4Address, oif: Interface | undefined, dev: Interface, mark: number): SourceCheck {
  const conf = host.sysctls.confOf(dev.name);
  const rpf = conf.rp_filter;
  const acceptLocal = conf.accept_local === 1;
  const fib = host.fib;
  const customRules = fib.rules.length !== 3;
  if (rpf === 0 && (oif !== dev || conf.send_redirects === 0)) {
    if (acceptLocal) return OK_NOT_ON_LINK;
    if (!fib.customLocalRoutes && !customRules) {
      // inet_lookup_ifaddr_rcu: only an address configured on an interface counts here, not a local route.
      if (host.ownsAddress(src)) return { ok: false, reason: 'martian', detail: 'martian source: one of our own addresses' };
      return OK_NOT_ON_LINK;
    }
  }
  const useMark = conf.src_valid_mark === 1 ? mark : 0;
  const res = fib.lookupFlow(src, dst, oif ? oif.name : 'lo', undefined, useMark, 0);
  if (res.kind !== 'route') {
    return rpf ? { ok: false, reason: 'rp-filter', detail: 'no route back to the source' } : OK_NOT_ON_LINK;
  }
  const r = res.route;
  if (r.type !== 'unicast' && !(r.type === 'local' && acceptLocal)) {
    return { ok: false, reason: 'martian', detail: `martian source: route to it is ${r.type}` };
  }
  if (r.dev === dev.name || (r.type === 'local' && dev.kind === 'loopback')) {
    return ok(r.gateway === undefined);
  }
  if (dev.addresses.length === 0) {
    return rpf ? { ok: false, reason: 'rp-filter', detail: 'receiving device has no address' } : OK_NOT_ON_LINK;
  }
  if (rpf === 1) return { ok: false, reason: 'rp-filter', detail: `strict rp_filter: the route back leaves by ${r.dev ?? '?'}, not ${dev.name}` };
  // Loose (or off with the full check forced): any route back is enough; on-link only through this device.
  const r2 = fib.lookup({ dst: src, src: dst, iif: oif ? oif.name : 'lo', oif: dev.name, mark: useMark, tos: 0 });
  const onLink = r2.kind === 'route' && r2.route.type === 'unicast' && r2.route.dev === dev.name && r2.route.gateway === undefined;
  return ok(onLink);
}

/** inet_addr_onlink: a subnet configured on dev contains both addresses. */
export function addrOnLink(dev: Interface, a: Ipv4Address, b: Ipv4Address): boolean {
  for (const x of dev.addresses) if (inSubnet(a, x.address, x.prefixLen) && inSubnet(b, x.address, x.prefixLen)) return true;
  return false;
}
