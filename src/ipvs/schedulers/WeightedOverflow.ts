import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * ovf — weighted overflow (net/netfilter/ipvs/ip_vs_ovf.c). Skips destinations that are OVERLOADed, have weight
 * 0, or have more active connections than their weight (`activeConns > weight`: a destination still takes a
 * new connection at `activeConns == weight`, so it ends up holding weight + 1). Among the rest the highest
 * weight wins, ties to the first in list order. Stateless.
 */
export const weightedOverflow: SchedulerFactory = (_svc, ctx) => new WeightedOverflow(ctx);

class WeightedOverflow implements Scheduler {
  readonly name = 'ovf';
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
      const w = d.weight;
      if (d.overloaded || d.activeConns > w || w === 0) continue;
      if (best === null || w > hw) {
        best = d;
        hw = w;
      }
    }
    if (best === null) this.ctx.schedulerError(svc, 'no destination available');
    return best;
  }
}
