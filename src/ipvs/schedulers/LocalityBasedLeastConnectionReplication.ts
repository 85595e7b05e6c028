import { SECOND, type SimTime } from '../../sim/Time.ts';
import type { Ipv4Address } from '../../wire/Ipv4Address.ts';
import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { isOverloaded, LocalityTable } from './localityTable.ts';
import { connOverhead, leastWeightedOverhead, productGreater } from './overhead.ts';
import type { ScheduleRequest, Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * lblcr — locality-based least connection with replication (net/netfilter/ipvs/ip_vs_lblcr.c).
 *
 * Like lblc, keyed by the packet's destination address, but each entry holds a *set* of servers (new members go
 * to the front; `lastmod` is stamped when a member is added or removed). A lookup that finds the entry:
 * 1. takes the set's least loaded member (set_min: members not OVERLOADed, still in the service, weight > 0,
 *    replaced only when strictly less loaded by overhead / weight);
 * 2. if the set has more than one member and `now > lastmod + lblcr_expiration`, removes the set's most loaded
 *    member (set_max: members with weight > 0, flags not looked at) — after step 1 chose, so the server just
 *    chosen may be the one removed and is still returned;
 * 3. returns the step-1 server unless there was none or it is overloaded in lblc's sense (more active
 *    connections than its weight while some server has fewer than half its weight active); otherwise the wlc
 *    walk picks one (no candidate: logged, null), which joins the set.
 * Without an entry the wlc walk picks and a one-member entry is made; when nothing is eligible this path
 * returns null *without* logging, as the kernel does. Table and expiry: localityTable.ts, `lblcr_expiration`.
 */
export const localityBasedLeastConnectionReplication: SchedulerFactory = (_svc, ctx) =>
  new LocalityBasedLeastConnectionReplication(ctx);

interface LblcrEntry {
  readonly addr: Ipv4Address;
  lastuse: SimTime;
  /** The server set, front first (each member holds a reference on its server). */
  readonly set: Destination[];
  /** When the set last gained or lost a member. */
  lastmod: SimTime;
}

class LocalityBasedLeastConnectionReplication implements Scheduler {
  readonly name = 'lblcr';
  private readonly ctx: SchedulerContext;
  private readonly table: LocalityTable<LblcrEntry>;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
    this.table = new LocalityTable<LblcrEntry>(ctx.now(), () => ctx.sysctl('lblcr_expiration'));
  }

  schedule(svc: VirtualService, req: ScheduleRequest): Destination | null {
    const now = this.ctx.now();
    const table = this.table;
    table.catchUp(now);
    const en = table.get(req.daddr);
    if (en !== undefined) {
      en.lastuse = now;
      let dest = setMin(en.set);
      if (en.set.length > 1 && now > en.lastmod + this.ctx.sysctl('lblcr_expiration') * SECOND) {
        const m = setMax(en.set);
        if (m !== null) {
          en.set.splice(en.set.indexOf(m), 1);
          en.lastmod = now;
        }
      }
      if (dest !== null && !isOverloaded(dest, svc)) return dest;
      dest = leastWeightedOverhead(svc);
      if (dest === null) {
        this.ctx.schedulerError(svc, 'no destination available');
        return null;
      }
      if (!table.dead && !en.set.includes(dest)) {
        en.set.unshift(dest);
        en.lastmod = now;
      }
      return dest;
    }
    const dest = leastWeightedOverhead(svc);
    if (dest === null) return null;
    if (!table.dead && table.hasRoom()) table.add({ addr: req.daddr, lastuse: now, set: [dest], lastmod: now });
    return dest;
  }

  holdsDest(dest: Destination): boolean {
    this.table.catchUp(this.ctx.now());
    for (const e of this.table.all()) if (e.set.includes(dest)) return true;
    return false;
  }

  doneService(): void {
    this.table.flush();
  }
}

/** ip_vs_dest_set_min: the weighted least loaded usable member, first in set order on ties. */
function setMin(set: readonly Destination[]): Destination | null {
  const n = set.length;
  let i = 0;
  let least: Destination | null = null;
  for (; i < n; i++) {
    const d = set[i];
    if (d.overloaded) continue;
    if (d.weight > 0 && d.available) {
      least = d;
      break;
    }
  }
  if (least === null) return null;
  let loh = connOverhead(least);
  for (i++; i < n; i++) {
    const d = set[i];
    if (d.overloaded) continue;
    const doh = connOverhead(d);
    if (productGreater(loh, d.weight, doh, least.weight) && d.available) {
      least = d;
      loh = doh;
    }
  }
  return least;
}

/** ip_vs_dest_set_max: the weighted most loaded member with weight > 0, first in set order on ties. */
function setMax(set: readonly Destination[]): Destination | null {
  const n = set.length;
  let i = 0;
  let most: Destination | null = null;
  for (; i < n; i++) {
    if (set[i].weight > 0) {
      most = set[i];
      break;
    }
  }
  if (most === null) return null;
  let moh = connOverhead(most);
  for (i++; i < n; i++) {
    const d = set[i];
    const doh = connOverhead(d);
    // moh / w(most) < doh / w(d)
    if (productGreater(doh, most.weight, moh, d.weight) && d.weight > 0) {
      most = d;
      moh = doh;
    }
  }
  return most;
}
