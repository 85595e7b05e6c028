import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { productGreater } from './overhead.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * sed — shortest expected delay (net/netfilter/ipvs/ip_vs_sed.c). wlc's walk with the expected delay
 * `activeConns + 1` in place of the connection overhead: inactive connections do not count. The first
 * destination that is not OVERLOADed and has a positive weight is the candidate; a later non-OVERLOADed one
 * replaces it only when `(a(best)+1) * w(d) > (a(d)+1) * w(best)` (64-bit). Ties keep the earlier. Stateless.
 */
export const shortestExpectedDelay: SchedulerFactory = (_svc, ctx) => new ShortestExpectedDelay(ctx);

class ShortestExpectedDelay implements Scheduler {
  readonly name = 'sed';
  private readonly ctx: SchedulerContext;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const list = svc.destinations;
    const n = list.length;
    let i = 0;
    let least: Destination | null = null;
    for (; i < n; i++) {
      const d = list[i];
      if (!d.overloaded && d.weight > 0) {
        least = d;
        break;
      }
    }
    if (least === null) {
      this.ctx.schedulerError(svc, 'no destination available');
      return null;
    }
    let loh = least.activeConns + 1;
    let lw = least.weight;
    for (i++; i < n; i++) {
      const d = list[i];
      if (d.overloaded) continue;
      const doh = d.activeConns + 1;
      if (productGreater(loh, d.weight, doh, lw)) {
        least = d;
        loh = doh;
        lw = d.weight;
      }
    }
    return least;
  }
}
