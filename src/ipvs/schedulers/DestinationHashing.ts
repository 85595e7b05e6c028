import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { addrFold, hash32 } from './hash.ts';
import type { ScheduleRequest, Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * dh — destination hashing (net/netfilter/ipvs/ip_vs_dh.c).
 *
 * 256 buckets (CONFIG_IP_VS_DH_TAB_BITS = 8) dealt round-robin over the list in list order, weights ignored:
 * bucket i holds list[i mod n]. Refilled on init, add and delete — *not* on edit (dh has no upd_dest), so a
 * weight change never moves buckets. A packet goes to the bucket `hash_32(daddr, 8)`; if that server is gone
 * from the service, has weight ≤ 0 or is OVERLOADed the packet is refused: there is no fallback.
 */
export const destinationHashing: SchedulerFactory = (svc, ctx) => new DestinationHashing(svc, ctx);

export const DH_TAB_BITS = 8;
const TAB_SIZE = 1 << DH_TAB_BITS;

class DestinationHashing implements Scheduler {
  readonly name = 'dh';
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

  doneService(): void {
    this.buckets.fill(null);
  }

  schedule(svc: VirtualService, req: ScheduleRequest): Destination | null {
    const d = this.buckets[hash32(addrFold(req.daddr), DH_TAB_BITS)];
    if (d === null || !d.available || d.weight <= 0 || d.overloaded) {
      this.ctx.schedulerError(svc, 'no destination available');
      return null;
    }
    return d;
  }

  /** ip_vs_dh_reassign. */
  private reassign(svc: VirtualService): void {
    const list = svc.destinations;
    const n = list.length;
    for (let i = 0; i < TAB_SIZE; i++) this.buckets[i] = n === 0 ? null : list[i % n];
  }
}
