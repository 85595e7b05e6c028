import type { Simulator, SimTime } from '../../sim/index.ts';
import { IcmpType, IcmpUnreachCode, isMulticast, IPV4_BROADCAST, type IcmpError, type Ipv4Address, type Ipv4Packet } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Interface } from '../Interface.ts';
import { ipLocalOut } from './ipOutput.ts';

/**
 * Per-destination ICMP rate limit (inet_peer_xrlim_allow, XRLIM_BURST_FACTOR 6): a token bucket of 6 × the
 * interval, refilled with elapsed time, that each message drains by one interval. Echo replies, redirects and
 * fragmentation-needed are not limited (icmpv4_mask_allow, ratemask 6168).
 */
export class IcmpLimiter {
  private readonly peers = new Map<Ipv4Address, { tokens: SimTime; last: SimTime }>();

  constructor(private readonly sim: Simulator) {}

  allow(dst: Ipv4Address, intervalMs: number): boolean {
    const interval = intervalMs * 1_000_000;
    if (interval === 0) return true;
    const now = this.sim.now();
    let p = this.peers.get(dst);
    if (!p) {
      p = { tokens: 6 * interval, last: now };
      this.peers.set(dst, p);
    }
    p.tokens = Math.min(6 * interval, p.tokens + (now - p.last));
    p.last = now;
    if (p.tokens < interval) return false;
    p.tokens -= interval;
    return true;
  }
}

/** Types limited by the default icmp_ratemask (6168 = dest-unreach, source-quench, time-exceeded, param-problem). */
function rateLimited(type: number, code: number): boolean {
  if (type === IcmpType.destUnreachable && code === IcmpUnreachCode.fragNeeded) return false;
  return (6168 & (1 << type)) !== 0;
}

/**
 * icmp_send (net/ipv4/icmp.c): an error about `original` back to its source. Never about an ICMP error, a
 * broadcast/multicast, or a non-first fragment. The source is the original destination when that was ours,
 * otherwise the address routing picks toward the original sender.
 */
export function icmpSend(
  host: Host,
  original: Ipv4Packet,
  type: 3 | 5 | 11,
  code: number,
  opts: { inDev?: Interface; mtu?: number; gateway?: Ipv4Address },
): void {
  const o = original.ip;
  if (o.dst === IPV4_BROADCAST || isMulticast(o.dst) || o.src === 0 || isMulticast(o.src)) return;
  if (o.fragOffset !== 0) return;
  const l4 = original.l4;
  if (l4.proto === 'icmp' && l4.type !== 0 && l4.type !== 8 && l4.type < 19) return;
  if (rateLimited(type, code) && !host.isLocalAddress(o.src) && !host.icmpLimiter.allow(o.src, host.sysctls.global('net.ipv4.icmp_ratelimit'))) return;
  const src = host.isLocalAddress(o.dst) ? o.dst : undefined;
  const msg: IcmpError = { proto: 'icmp', type, code, mtu: opts.mtu ?? 0, gateway: opts.gateway ?? 0, original };
  const t = host.ctx.tracer;
  if (t.enabled) {
    const to = o.src;
    t.emit({ kind: 'icmp', host: host.name, iface: opts.inDev?.name, type, code, to: fmt(to), about: original.id });
  }
  ipLocalOut(host, { dst: o.src, src, protocol: 1, l4: msg, parentId: original.id, tos: 0xc0 });
}

function fmt(a: Ipv4Address): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}
