import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * wrr — weighted round robin (net/netfilter/ipvs/ip_vs_wrr.c).
 *
 * State (struct ip_vs_wrr_mark): `cl`, the list position of the last pick (null = the head); `cw`, the current
 * weight; `mw`, the maximum weight less (gcd - 1); `di`, the gcd of the positive weights (1 if none). A pick
 * walks on from `cl` and takes the first destination, not OVERLOADed, whose weight is at least `cw`; each time
 * the walk falls off the end, `cw` drops by `di` (back to `mw` below 1) and the walk restarts at the front.
 *
 * Every add, edit and delete runs dest_changed: `cl` back to the head, `di` and `mw` recomputed, and `cw` kept
 * unless it is now above `mw` or 0 (then `mw`) or the gcd is above 1 (then rounded down to the gcd grid, +1).
 * Hence the oracle's `rs3 rs2 rs1 | rs1 | rs2 rs1 | ...` for weights 4, 3, 2 added in that order: the first add
 * leaves `cw` = 1 and the later adds keep it.
 */
export const weightedRoundRobin: SchedulerFactory = (svc, ctx) => new WeightedRoundRobin(svc, ctx);

const NO_DESTINATION = 'no destination available';
const ALL_OVERLOADED = 'no destination available: all destinations are overloaded';

class WeightedRoundRobin implements Scheduler {
  readonly name = 'wrr';
  private readonly ctx: SchedulerContext;
  /** Last pick; null = the list head. */
  private cl: Destination | null = null;
  /** Index hint for `cl` (the list can shift under it; checked before use). */
  private clIndex = -1;
  private cw: number;
  private mw: number;
  private di: number;

  constructor(svc: VirtualService, ctx: SchedulerContext) {
    this.ctx = ctx;
    this.di = gcdWeight(svc.destinations);
    this.mw = maxWeight(svc.destinations) - (this.di - 1);
    this.cw = this.mw;
  }

  addDest(svc: VirtualService): void {
    this.destChanged(svc);
  }

  delDest(svc: VirtualService): void {
    this.destChanged(svc);
  }

  updDest(svc: VirtualService): void {
    this.destChanged(svc);
  }

  private destChanged(svc: VirtualService): void {
    this.cl = null;
    this.clIndex = -1;
    this.di = gcdWeight(svc.destinations);
    this.mw = maxWeight(svc.destinations) - (this.di - 1);
    if (this.cw > this.mw || this.cw === 0) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.trunc(this.cw / this.di) * this.di + 1;
  }

  schedule(svc: VirtualService): Destination | null {
    if (this.mw === 0) {
      this.ctx.schedulerError(svc, NO_DESTINATION);
      return null;
    }
    const list = svc.destinations;
    const n = list.length;
    const last = this.positionOfCl(list);
    const di = this.di;
    let cw = this.cw;
    let pos = last;
    // `stop` is where the final weight-1 pass ends when the search started mid-list; -2 = not set.
    let stop = -2;
    let lastPass = false;
    let restarted = false;
    for (;;) {
      for (let i = pos + 1; i < n; i++) {
        const d = list[i];
        if (!d.overloaded && d.weight >= cw) {
          this.cw = cw;
          this.cl = d;
          this.clIndex = i;
          return d;
        }
        if (i === stop) {
          this.cw = cw;
          this.cl = d;
          this.clIndex = i;
          this.ctx.schedulerError(svc, ALL_OVERLOADED);
          return null;
        }
      }
      cw -= di;
      if (cw <= 0) {
        cw = this.mw;
        // A full pass for weight >= 1 already covered every destination.
        if (lastPass || last === -1) {
          this.cw = cw;
          this.cl = null;
          this.clIndex = -1;
          this.ctx.schedulerError(svc, ALL_OVERLOADED);
          return null;
        }
        restarted = true;
      }
      lastPass = cw <= di;
      if (lastPass && restarted && last !== -1) stop = last;
      pos = -1;
    }
  }

  /** Index of `cl` in the list, -1 for the head. */
  private positionOfCl(list: readonly Destination[]): number {
    const cl = this.cl;
    if (cl === null) return -1;
    const hint = this.clIndex;
    if (hint >= 0 && hint < list.length && list[hint] === cl) return hint;
    const i = list.indexOf(cl);
    this.clIndex = i;
    return i;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/** ip_vs_wrr_gcd_weight: gcd of the positive weights, 1 when there is none. */
function gcdWeight(list: readonly Destination[]): number {
  let g = 0;
  for (const d of list) {
    const w = d.weight;
    if (w > 0) g = g > 0 ? gcd(w, g) : w;
  }
  return g > 0 ? g : 1;
}

/** ip_vs_wrr_max_weight: the largest weight, 0 for an empty list. */
function maxWeight(list: readonly Destination[]): number {
  let m = 0;
  for (const d of list) if (d.weight > m) m = d.weight;
  return m;
}
