import type { SimTime } from '../../sim/Time.ts';
import type { Ipv4Address } from '../../wire/Ipv4Address.ts';
import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { isOverloaded, LocalityTable } from './localityTable.ts';
import { leastWeightedOverhead } from './overhead.ts';
import type { ScheduleRequest, Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * lblc — locality-based least connection (net/netfilter/ipvs/ip_vs_lblc.c).
 *
 * Keyed by the packet's destination address (the VIP for a plain service; the original target for a fwmark
 * cache cluster). A cached server is kept while it is still in its service, has a positive weight and is not
 * "overloaded" in lblc's own sense: more active connections than its weight while some server of the service
 * (any, flags ignored) has fewer than half its weight active. Note that the OVERLOAD flag does not evict it.
 * Otherwise the server comes from the wlc walk (which does skip OVERLOADed ones); the entry is replaced when it
 * named another server, or made when there was none. Table and expiry: localityTable.ts, `lblc_expiration`.
 */
export const localityBasedLeastConnection: SchedulerFactory = (_svc, ctx) => new LocalityBasedLeastConnection(ctx);

interface LblcEntry {
  readonly addr: Ipv4Address;
  lastuse: SimTime;
  /** The cached server (holds a reference: a deleted server stays in the trash while an entry names it). */
  readonly dest: Destination;
}

class LocalityBasedLeastConnection implements Scheduler {
  readonly name = 'lblc';
  private readonly ctx: SchedulerContext;
  private readonly table: LocalityTable<LblcEntry>;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
    this.table = new LocalityTable<LblcEntry>(ctx.now(), () => ctx.sysctl('lblc_expiration'));
  }

  schedule(svc: VirtualService, req: ScheduleRequest): Destination | null {
    const now = this.ctx.now();
    const table = this.table;
    table.catchUp(now);
    const en = table.get(req.daddr);
    if (en !== undefined) {
      en.lastuse = now;
      const d = en.dest;
      if (d.available && d.weight > 0 && !isOverloaded(d, svc)) return d;
    }
    const dest = leastWeightedOverhead(svc);
    if (dest === null) {
      this.ctx.schedulerError(svc, 'no destination available');
      return null;
    }
    if (!table.dead) this.remember(req.daddr, dest, now);
    return dest;
  }

  /** ip_vs_lblc_new: keep an entry that already names `dest`, else replace it (a full table makes none). */
  private remember(addr: Ipv4Address, dest: Destination, now: SimTime): void {
    const table = this.table;
    const en = table.get(addr);
    if (en !== undefined) {
      if (en.dest === dest) return;
      table.remove(en);
    }
    if (!table.hasRoom()) return;
    table.add({ addr, lastuse: now, dest });
  }

  holdsDest(dest: Destination): boolean {
    this.table.catchUp(this.ctx.now());
    for (const e of this.table.all()) if (e.dest === dest) return true;
    return false;
  }

  doneService(): void {
    this.table.flush();
  }
}
