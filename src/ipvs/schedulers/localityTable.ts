import { SECOND, type SimTime } from '../../sim/Time.ts';
import type { Ipv4Address } from '../../wire/Ipv4Address.ts';
import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import { addrFold, hash32 } from './hash.ts';

/**
 * The destination-address cache that lblc and lblcr keep per service, and their shared overload test
 * (struct ip_vs_lblc_table / ip_vs_lblcr_table and is_overloaded in net/netfilter/ipvs/ip_vs_lblc.c and
 * ip_vs_lblcr.c — the two files repeat the same code): 1024 hash buckets keyed by `hash_32(daddr, 10)`, an
 * entry count, and the periodic garbage collection.
 *
 * The kernel's collector is a timer firing every 60 s from the moment the scheduler was bound. On each tick:
 * - when `counter % 30 == 0`: a full sweep drops every entry with `now >= lastuse + <sched>_expiration`, and the
 *   counter goes back to 1;
 * - else when the table holds at most 16384 entries: the counter goes up by one (nothing else);
 * - else a partial sweep drops entries unused for 6 minutes, bucket by bucket from the one after `rover`, until
 *   at least `goal = min((entries - 16384) * 4 / 3, 8192)` went (checked after each whole bucket); `rover` is
 *   left at the last bucket visited. The counter does not move.
 *
 * Here the timer is lazy: `catchUp(now)` replays, in order, every tick due at or before `now` with the tick's own
 * time as "now". The scheduler calls it before each lookup (and before answering `holdsDest`), and nothing else
 * reads or writes the table in between, so each sweep removes exactly what the timer would have removed by then
 * (a tick falling at the same instant as a packet runs first). Idle stretches are skipped in blocks: with the
 * table small, only every 30th tick does anything. Simplifications: ticks fall exactly 60 s apart and times are
 * exact nanoseconds (the kernel re-arms the timer when the handler has run and compares jiffies, 4 ms at HZ=250);
 * and the expiration sysctl is read when a tick is replayed, so a change of `<sched>_expiration` made between
 * a tick and the next lookup already applies to that tick.
 */

export const LOCALITY_TAB_BITS = 10;
const TAB_SIZE = 1 << LOCALITY_TAB_BITS;
const TAB_MASK = TAB_SIZE - 1;
/** tbl->max_size. */
const MAX_SIZE = TAB_SIZE * 16;
/** CHECK_EXPIRE_INTERVAL. */
const CHECK_EXPIRE_INTERVAL = 60 * SECOND;
/** ENTRY_TIMEOUT: the partial sweep's idle limit. */
const ENTRY_TIMEOUT = 6 * 60 * SECOND;
/** COUNT_FOR_FULL_EXPIRATION. */
const COUNT_FOR_FULL_EXPIRATION = 30;

export interface LocalityEntry {
  /** The packet destination address this entry caches a choice for. */
  readonly addr: Ipv4Address;
  /** Last lookup that found it (jiffies in the kernel, ns here). */
  lastuse: SimTime;
}

export class LocalityTable<E extends LocalityEntry> {
  /** Buckets, created on first use. Order inside a bucket never matters: lookups match unique addresses and
   *  the sweeps treat a bucket as a whole. */
  private readonly buckets: Array<E[] | undefined> = new Array<E[] | undefined>(TAB_SIZE).fill(undefined);
  private count = 0;
  private rover = 0;
  private counter = 1;
  private nextTick: SimTime;
  /** Set by done_service: no entry is created any more. */
  dead = false;

  /** @param expirationSeconds reads `<sched>_expiration` (seconds) when a full sweep runs. */
  constructor(
    boundAt: SimTime,
    private readonly expirationSeconds: () => number,
  ) {
    this.nextTick = boundAt + CHECK_EXPIRE_INTERVAL;
  }

  get entries(): number {
    return this.count;
  }

  /** Whether a new entry may be made: the kernel refuses once the table holds 1.5 × max_size. */
  hasRoom(): boolean {
    return this.count < (MAX_SIZE * 3) / 2;
  }

  get(addr: Ipv4Address): E | undefined {
    const b = this.buckets[hash32(addrFold(addr), LOCALITY_TAB_BITS)];
    if (b === undefined) return undefined;
    for (let i = 0; i < b.length; i++) if (b[i].addr === addr) return b[i];
    return undefined;
  }

  add(e: E): void {
    const h = hash32(addrFold(e.addr), LOCALITY_TAB_BITS);
    const b = this.buckets[h];
    if (b === undefined) this.buckets[h] = [e];
    else b.push(e);
    this.count++;
  }

  remove(e: E): void {
    const b = this.buckets[hash32(addrFold(e.addr), LOCALITY_TAB_BITS)];
    if (b === undefined) return;
    const i = b.indexOf(e);
    if (i < 0) return;
    b.splice(i, 1);
    this.count--;
  }

  /** Every entry, bucket by bucket (for inspection and reference checks). */
  *all(): IterableIterator<E> {
    for (const b of this.buckets) if (b !== undefined) yield* b;
  }

  /** done_service: drop everything and refuse new entries. */
  flush(): void {
    this.dead = true;
    this.buckets.fill(undefined);
    this.count = 0;
  }

  /** Runs the garbage-collection ticks due at or before `now`. */
  catchUp(now: SimTime): void {
    while (this.nextTick <= now) {
      const tick = this.nextTick;
      if (this.counter % COUNT_FOR_FULL_EXPIRATION === 0) {
        this.fullCheck(tick);
        this.counter = 1;
        this.nextTick = tick + CHECK_EXPIRE_INTERVAL;
      } else if (this.count <= MAX_SIZE) {
        // Ticks that only count: jump to the next full sweep or past `now`, whichever comes first.
        const untilFull = COUNT_FOR_FULL_EXPIRATION - (this.counter % COUNT_FOR_FULL_EXPIRATION);
        const due = Math.floor((now - tick) / CHECK_EXPIRE_INTERVAL) + 1;
        const k = Math.min(untilFull, due);
        this.counter += k;
        this.nextTick = tick + k * CHECK_EXPIRE_INTERVAL;
      } else {
        this.partialCheck(tick);
        this.nextTick = tick + CHECK_EXPIRE_INTERVAL;
      }
    }
  }

  /** ip_vs_lblc_full_check: drop entries with now >= lastuse + expiration. Leaves `rover` where it was. */
  private fullCheck(now: SimTime): void {
    const limit = this.expirationSeconds() * SECOND;
    for (let j = 0; j < TAB_SIZE; j++) this.sweepBucket(j, (e) => now >= e.lastuse + limit);
  }

  /** The over-full branch of ip_vs_lblc_check_expire. */
  private partialCheck(now: SimTime): void {
    let goal = Math.trunc(((this.count - MAX_SIZE) * 4) / 3);
    if (goal > MAX_SIZE / 2) goal = MAX_SIZE / 2;
    let j = this.rover;
    for (let i = 0; i < TAB_SIZE; i++) {
      j = (j + 1) & TAB_MASK;
      goal -= this.sweepBucket(j, (e) => now >= e.lastuse + ENTRY_TIMEOUT);
      if (goal <= 0) break;
    }
    this.rover = j;
  }

  /** Removes the entries of bucket `j` that `stale` picks; returns how many. */
  private sweepBucket(j: number, stale: (e: E) => boolean): number {
    const b = this.buckets[j];
    if (b === undefined) return 0;
    let kept = 0;
    for (let i = 0; i < b.length; i++) if (!stale(b[i])) b[kept++] = b[i];
    const removed = b.length - kept;
    b.length = kept;
    this.count -= removed;
    return removed;
  }
}

/**
 * is_overloaded of ip_vs_lblc.c and ip_vs_lblcr.c (not the OVERLOAD flag): `d` has more active connections
 * than its weight and some server of the service, whatever its flags, has fewer than half its weight active.
 */
export function isOverloaded(d: Destination, svc: VirtualService): boolean {
  if (d.activeConns > d.weight) {
    const list = svc.destinations;
    for (let i = 0; i < list.length; i++) if (list[i].activeConns * 2 < list[i].weight) return true;
  }
  return false;
}
