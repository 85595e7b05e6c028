import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { leastWeightedOverhead } from './overhead.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * wlc — weighted least connection (net/netfilter/ipvs/ip_vs_wlc.c). Minimises overhead / weight without
 * division: the first destination that is not OVERLOADed and has a positive weight is the candidate, and a later
 * non-OVERLOADed one replaces it only when `overhead(best) * w(d) > overhead(d) * w(best)` in 64-bit arithmetic
 * (a weight-0 destination can never pass that test). Ties stay with the earlier one in list order. Stateless.
 */
export const weightedLeastConnection: SchedulerFactory = (_svc, ctx) => new WeightedLeastConnection(ctx);

class WeightedLeastConnection implements Scheduler {
  readonly name = 'wlc';
  private readonly ctx: SchedulerContext;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const d = leastWeightedOverhead(svc);
    if (d === null) this.ctx.schedulerError(svc, 'no destination available');
    return d;
  }
}
