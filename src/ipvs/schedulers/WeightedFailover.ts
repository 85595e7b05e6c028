import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * fo — weighted fail over (net/netfilter/ipvs/ip_vs_fo.c). The non-OVERLOADed destination with the highest
 * weight, which must be above 0; a later one replaces the candidate only with a strictly higher weight, so ties
 * go to the first in list order. Connection counts play no part. Stateless.
 */
export const weightedFailover: SchedulerFactory = (_svc, ctx) => new WeightedFailover(ctx);

class WeightedFailover implements Scheduler {
  readonly name = 'fo';
  private readonly ctx: SchedulerContext;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const list = svc.destinations;
    const n = list.length;
    let best: Destination | null = null;
    let hw = 0;
    for (let i = 0; i < n; i++) {
      const d = list[i];
      if (!d.overloaded && d.weight > hw) {
        best = d;
        hw = d.weight;
      }
    }
    if (best === null) this.ctx.schedulerError(svc, 'no destination available');
    return best;
  }
}
