import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { connOverhead } from './overhead.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * twos — weighted random two choices (net/netfilter/ipvs/ip_vs_twos.c; present in the 6.1 source the oracle
 * ran). Over the destinations that are not OVERLOADed and have a positive weight, T = the sum of their weights;
 * two random numbers r1, r2 are drawn uniformly from 0..T (T + 1 values: `randomBelow(T + 1)`, r1 first). Walking
 * the list and subtracting each weight from both, the first destination where r1 reaches ≤ 0 is choice 1 and
 * likewise for r2 (so the first destination in list order has weight + 1 chances in T + 1). Choice 2 wins only
 * when `w2 * overhead1 > w1 * overhead2`, computed as the kernel does in 32-bit `int` arithmetic (wrapping).
 */
export const powerOfTwoChoices: SchedulerFactory = (_svc, ctx) => new PowerOfTwoChoices(ctx);

class PowerOfTwoChoices implements Scheduler {
  readonly name = 'twos';
  private readonly ctx: SchedulerContext;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const list = svc.destinations;
    const n = list.length;
    let total = 0;
    // As in the kernel, choice 1 starts as the last eligible destination (it is always replaced below).
    let choice1: Destination | null = null;
    for (let i = 0; i < n; i++) {
      const d = list[i];
      if (!d.overloaded && d.weight > 0) {
        total = (total + d.weight) | 0;
        choice1 = d;
      }
    }
    if (choice1 === null) {
      this.ctx.schedulerError(svc, 'no destination available');
      return null;
    }
    // The kernel's `total_weight + 1` is an int; prandom_u32_max takes it as a u32 bound.
    const bound = (total + 1) >>> 0;
    let r1 = this.ctx.randomBelow(bound) | 0;
    let r2 = this.ctx.randomBelow(bound) | 0;
    let choice2: Destination | null = null;
    let w1 = -1;
    let w2 = -1;
    let oh1 = 0;
    let oh2 = 0;
    for (let i = 0; i < n; i++) {
      const d = list[i];
      if (d.overloaded) continue;
      const w = d.weight;
      if (w <= 0) continue;
      r1 = (r1 - w) | 0;
      r2 = (r2 - w) | 0;
      if (r1 <= 0 && w1 === -1) {
        choice1 = d;
        w1 = w;
        oh1 = connOverhead(d) | 0;
      }
      if (r2 <= 0 && w2 === -1) {
        choice2 = d;
        w2 = w;
        oh2 = connOverhead(d) | 0;
      }
      if (w1 !== -1 && w2 !== -1) break;
    }
    if (choice2 !== null && Math.imul(w2, oh1) > Math.imul(w1, oh2)) return choice2;
    return choice1;
  }
}
