import type { Destination } from '../Destination.ts';
import { SchedFlag, type VirtualService } from '../VirtualService.ts';
import { addrFold, hash32, sourcePortOf } from './hash.ts';
import type { ScheduleRequest, Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * sh — source hashing (net/netfilter/ipvs/ip_vs_sh.c).
 *
 * 256 buckets (CONFIG_IP_VS_SH_TAB_BITS = 8) filled in list order, each server taking `weight` consecutive
 * buckets (at least one: a weight-0 server keeps one bucket), cycling through the list until all 256 are
 * filled; refilled on init, add, delete and edit with the weights of that moment.
 * Key: `hash_32(sport + saddr, 8)` (unsigned 32-bit sum; sport only with `-b sh-port`, for TCP/UDP/SCTP).
 * A server with weight ≤ 0 or OVERLOADed is unavailable. Without `-b sh-fallback` the packet is then refused.
 * With it, the buckets are probed for k = 0..255 at `(k + h + h) mod 256` — the kernel adds the first hash h
 * twice (once as the probe offset, once inside the hash), so probing starts at 2h, not h + 1 — until an
 * available server (taken) or an empty bucket (refused).
 */
export const sourceHashing: SchedulerFactory = (svc, ctx) => new SourceHashing(svc, ctx);

export const SH_TAB_BITS = 8;
const TAB_SIZE = 1 << SH_TAB_BITS;
const TAB_MASK = TAB_SIZE - 1;

class SourceHashing implements Scheduler {
  readonly name = 'sh';
  private readonly ctx: SchedulerContext;
  private readonly buckets: Array<Destination | null> = new Array<Destination | null>(TAB_SIZE).fill(null);

  constructor(svc: VirtualService, ctx: SchedulerContext) {
    this.ctx = ctx;
    this.reassign(svc);
  }

  addDest(svc: VirtualService): void {
    this.reassign(svc);
  }

  delDest(svc: VirtualService): void {
    this.reassign(svc);
  }

  updDest(svc: VirtualService): void {
    this.reassign(svc);
  }

  doneService(): void {
    this.buckets.fill(null);
  }

  schedule(svc: VirtualService, req: ScheduleRequest): Destination | null {
    const port = (svc.schedFlags & SchedFlag.flag2) !== 0 ? sourcePortOf(req.protocol, req.sport) : 0;
    const h = hash32((port + addrFold(req.saddr)) >>> 0, SH_TAB_BITS);
    const d = (svc.schedFlags & SchedFlag.flag1) !== 0 ? this.withFallback(h) : this.direct(h);
    if (d === null) this.ctx.schedulerError(svc, 'no destination available');
    return d;
  }

  /** ip_vs_sh_get. */
  private direct(h: number): Destination | null {
    const d = this.buckets[h];
    return d === null || unavailable(d) ? null : d;
  }

  /** ip_vs_sh_get_fallback. */
  private withFallback(h: number): Destination | null {
    let d = this.buckets[h];
    if (d === null) return null;
    if (!unavailable(d)) return d;
    for (let k = 0; k < TAB_SIZE; k++) {
      const roffset = (k + h) & TAB_MASK;
      d = this.buckets[(roffset + h) & TAB_MASK];
      if (d === null) break;
      if (!unavailable(d)) return d;
    }
    return null;
  }

  /** ip_vs_sh_reassign. */
  private reassign(svc: VirtualService): void {
    const list = svc.destinations;
    const n = list.length;
    if (n === 0) {
      this.buckets.fill(null);
      return;
    }
    let j = 0;
    let count = 0;
    for (let i = 0; i < TAB_SIZE; i++) {
      const d = list[j];
      this.buckets[i] = d;
      if (++count >= d.weight) {
        j = (j + 1) % n;
        count = 0;
      }
    }
  }
}

function unavailable(d: Destination): boolean {
  return d.weight <= 0 || d.overloaded;
}
