import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { productGreater } from './overhead.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * nq — never queue (net/netfilter/ipvs/ip_vs_nq.c). Walking the list (skipping OVERLOADed and weight-0
 * destinations), the first idle destination — `activeConns == 0`, whatever its weight and inactive count — is
 * taken at once; otherwise the one with the least `(activeConns + 1) / weight`, replaced only when strictly
 * better (64-bit products), so ties keep the earlier in list order. Stateless.
 */
export const neverQueue: SchedulerFactory = (_svc, ctx) => new NeverQueue(ctx);

class NeverQueue implements Scheduler {
  readonly name = 'nq';
  private readonly ctx: SchedulerContext;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const list = svc.destinations;
    const n = list.length;
    let least: Destination | null = null;
    let loh = 0;
    let lw = 0;
    for (let i = 0; i < n; i++) {
      const d = list[i];
      if (d.overloaded || d.weight === 0) continue;
      if (d.activeConns === 0) return d;
      const doh = d.activeConns + 1;
      if (least === null || productGreater(loh, d.weight, doh, lw)) {
        least = d;
        loh = doh;
        lw = d.weight;
      }
    }
    if (least === null) this.ctx.schedulerError(svc, 'no destination available');
    return least;
  }
}
