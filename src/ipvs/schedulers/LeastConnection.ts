import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { connOverhead } from './overhead.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * lc — least connection (net/netfilter/ipvs/ip_vs_lc.c). The destination with the smallest connection overhead
 * (overhead.ts) among those not OVERLOADed and with a non-zero weight; the size of the weight plays no part.
 * A later destination replaces the candidate only when strictly smaller, so ties go to the first in list order
 * (the most recently added). Stateless.
 */
export const leastConnection: SchedulerFactory = (_svc, ctx) => new LeastConnection(ctx);

class LeastConnection implements Scheduler {
  readonly name = 'lc';
  private readonly ctx: SchedulerContext;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const list = svc.destinations;
    const n = list.length;
    let least: Destination | null = null;
    let loh = 0;
    for (let i = 0; i < n; i++) {
      const d = list[i];
      if (d.overloaded || d.weight === 0) continue;
      const doh = connOverhead(d);
      if (least === null || doh < loh) {
        least = d;
        loh = doh;
      }
    }
    if (least === null) this.ctx.schedulerError(svc, 'no destination available');
    return least;
  }
}
