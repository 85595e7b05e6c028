import { MS, SECOND, Timer, type Simulator, type SimTime } from '../../sim/index.ts';
import { inTimer } from './NeighState.ts';
import type { Neighbour } from './NeighbourTable.ts';

/** Why the collector removed an entry: at allocation (neigh_forced_gc) or by the periodic work. */
export type GcRemoval = 'forced-gc' | 'periodic-gc';

export interface NeighbourGcEnv {
  sim: Simulator;
  /** A per-device neighbour parameter (gc_stale_time) of `dev`'s parameter set. */
  param(dev: string, name: string): number;
  /** A table-wide parameter: gc_thresh1..3 and the default set's base_reachable_time_ms. */
  tableParam(name: string): number;
  /** Takes an entry out of the table (and tells the trace why); the collector has already forgotten it. */
  remove(n: Neighbour, why: GcRemoval): void;
}

/**
 * Counters after /proc/net/stat/arp_cache. periodicGcRuns counts only the runs at or above gc_thresh1 (the
 * kernel's also counts the idle ones this model does not schedule).
 */
export interface NeighbourGcStats {
  forcedGcRuns: number;
  periodicGcRuns: number;
  tableFulls: number;
}

/** neigh_forced_gc spares entries updated in the last 5 s; neigh_alloc runs it at gc_thresh2 at most every 5 s. */
const FORCED_GC_RECENT = 5 * SECOND;

/**
 * Garbage collection of the ARP table (net/core/neighbour.c, kernel 6.1: neigh_alloc, neigh_forced_gc,
 * neigh_periodic_work, neigh_update_gc_list). Reference: shared/reference/linux-arp-routing.md §3.6.
 *
 * Two counts: every entry (tbl->entries, which gc_thresh1 is compared with) and the entries on the gc list
 * (tbl->gc_entries, compared with gc_thresh2/3): all but the exempt ones, PERMANENT entries and entries of a
 * loopback device, in creation order (an entry that stops being PERMANENT goes to the tail). An entry being
 * allocated counts from the start: at gc_thresh3, or at gc_thresh2 once 5 s have passed since the last forced
 * collection, the forced collection walks the gc list oldest first and removes FAILED and NOARP entries and
 * those not updated in the last 5 s, at most as many as the list holds above gc_thresh2; if it removed none
 * and the table was at gc_thresh3, the allocation fails ("neighbor table overflow!").
 *
 * The periodic work runs every base_reachable_time/2 (the `default` set's) in the kernel, from boot, and does
 * nothing while the table holds fewer than gc_thresh1 entries. Here it is armed only while the table is at or
 * above gc_thresh1, on the same time grid (multiples of the period since time 0), and stops when a run finds the
 * table below: a small table's run has no event that the kernel's would not also spend doing nothing. A run
 * removes every entry that is neither PERMANENT nor in a timer state (INCOMPLETE, REACHABLE, DELAY, PROBE) and
 * is FAILED or was not used for gc_stale_time (its own device's; `used` catches up with `confirmed` first).
 *
 * Simplification: the kernel removes only entries nobody holds a reference to (refcnt 1); here an entry with
 * packets waiting on it counts as referenced, and nothing else holds one (routes take no neighbour references
 * in 6.1). The periodic redraw of reachable_time lives in NeighbourTable.reachableTime.
 */
export class NeighbourGc {
  /** Every entry, oldest first (the periodic work's walk: the kernel walks hash buckets). */
  private readonly live = new Set<Neighbour>();
  /** tbl->gc_list: the entries that count in gc_entries, oldest first. */
  private readonly gcList = new Set<Neighbour>();
  /** tbl->last_flush: set at table creation (boot, time 0) and by each forced collection. */
  private lastFlush: SimTime = 0;
  private readonly work: Timer;
  readonly stats: NeighbourGcStats = { forcedGcRuns: 0, periodicGcRuns: 0, tableFulls: 0 };

  constructor(private readonly env: NeighbourGcEnv) {
    this.work = new Timer(env.sim, () => this.periodic());
  }

  get entries(): number {
    return this.live.size;
  }

  get gcEntries(): number {
    return this.gcList.size;
  }

  /**
   * neigh_alloc's admission of an entry that will count in gc_entries: may run the forced collection; false when
   * the table is full (the caller creates nothing).
   */
  admit(): boolean {
    const entries = this.gcList.size; // before the new one, as atomic_inc_return(...) - 1
    const now = this.env.sim.now();
    const t2 = this.env.tableParam('gc_thresh2');
    const t3 = this.env.tableParam('gc_thresh3');
    if (entries >= t3 || (entries >= t2 && now > this.lastFlush + FORCED_GC_RECENT)) {
      // max_clean is read after the new entry was counted.
      if (this.forced(entries + 1 - t2) === 0 && entries >= t3) {
        this.stats.tableFulls++;
        return false;
      }
    }
    return true;
  }

  /** A new entry is in the table; `exempt` ones (created PERMANENT, loopback) stay off the gc list. */
  added(n: Neighbour, exempt: boolean): void {
    this.live.add(n);
    if (!exempt) this.gcList.add(n);
    this.armIfDue();
  }

  /** An entry left the table, whatever removed it. */
  removed(n: Neighbour): void {
    this.live.delete(n);
    this.gcList.delete(n);
  }

  /** neigh_update_gc_list: an entry became PERMANENT (off the list) or stopped being so (to the tail). */
  permanenceChanged(n: Neighbour): void {
    if (!this.live.has(n)) return;
    if (n.state === 'PERMANENT') this.gcList.delete(n);
    else if (!this.gcList.has(n)) this.gcList.add(n);
  }

  /** A neighbour sysctl was written: a lower gc_thresh1 may make the periodic work due. */
  paramsChanged(): void {
    this.armIfDue();
  }

  private period(): SimTime {
    return Math.max(1, Math.floor((this.env.tableParam('base_reachable_time_ms') * MS) / 2));
  }

  private armIfDue(): void {
    if (this.work.pending || this.live.size < this.env.tableParam('gc_thresh1')) return;
    const period = this.period();
    this.work.setAt((Math.floor(this.env.sim.now() / period) + 1) * period);
  }

  /** neigh_forced_gc: returns how many entries it removed. */
  private forced(maxClean: number): number {
    this.stats.forcedGcRuns++;
    const now = this.env.sim.now();
    let shrunk = 0;
    for (const n of this.gcList) {
      if (n.queue.length > 0) continue; // referenced
      if (n.state === 'FAILED' || n.state === 'NOARP' || n.updated < now - FORCED_GC_RECENT) {
        this.drop(n, 'forced-gc');
        shrunk++;
      }
      if (shrunk >= maxClean) break;
    }
    this.lastFlush = now;
    return shrunk;
  }

  /** neigh_periodic_work. */
  private periodic(): void {
    if (this.live.size < this.env.tableParam('gc_thresh1')) return; // the kernel's run does nothing; ours stops
    this.stats.periodicGcRuns++;
    const now = this.env.sim.now();
    for (const n of this.live) {
      if (n.state === 'PERMANENT' || inTimer(n.state)) continue;
      if (n.used < n.confirmed && n.confirmed <= now) n.used = n.confirmed;
      if (n.queue.length > 0) continue; // referenced
      const stale = this.env.param(n.dev.name, 'gc_stale_time') * SECOND;
      // time_in_range_open(now, used, used + gc_stale_time) keeps it.
      if (n.state === 'FAILED' || !(n.used <= now && now < n.used + stale)) this.drop(n, 'periodic-gc');
    }
    this.work.setAt(now + this.period());
  }

  private drop(n: Neighbour, why: GcRemoval): void {
    this.removed(n);
    this.env.remove(n, why);
  }
}
