import { MS, SECOND, Timer, type RandomStream, type Simulator, type SimTime } from '../../sim/index.ts';
import { formatIpv4, type Ipv4Address, type Ipv4Packet, type MacAddress } from '../../wire/index.ts';
import type { Interface } from '../Interface.ts';
import { inTimer, isConnected, isValid, type NudState } from './NeighState.ts';
import { NeighbourGc, type GcRemoval, type NeighbourGcStats } from './neighbourGc.ts';

/** A packet waiting for resolution, with what to do once the MAC is known or resolution failed. */
export interface PendingPacket {
  readonly packet: Ipv4Packet;
  readonly send: (mac: MacAddress) => void;
  readonly fail: (reason: 'arp-failed' | 'arp-queue-overflow' | 'link-down') => void;
}

/** One neighbour entry (struct neighbour) on one device. */
export class Neighbour {
  state: NudState = 'NONE';
  mac: MacAddress | undefined;
  confirmed: SimTime;
  updated: SimTime;
  used: SimTime;
  probes = 0;
  readonly queue: PendingPacket[] = [];
  timer!: Timer;

  constructor(
    readonly key: Ipv4Address,
    readonly dev: Interface,
    now: SimTime,
  ) {
    this.confirmed = now;
    this.updated = now;
    this.used = now;
  }
}

/** Flags of __neigh_update that the ARP code passes. */
export interface UpdateFlags {
  override?: boolean;
  admin?: boolean;
}

export interface NeighbourEnv {
  sim: Simulator;
  param(dev: string, name: string): number;
  /** A table-wide parameter (net.ipv4.neigh.default: gc_thresh1..3, the default base_reachable_time_ms). */
  tableParam(name: string): number;
  /** Random stream for the reachable-time draw of one device's parameter set. */
  stream(dev: string): RandomStream;
  /** Sends an ARP request for `n` (unicast to `n.mac` when given); `trigger` is the newest queued packet. */
  solicit(n: Neighbour, unicastTo: MacAddress | undefined, trigger: Ipv4Packet | undefined): void;
  /** A state or lladdr change (for the trace). */
  changed(n: Neighbour): void;
  /** The garbage collector removed an entry (for the trace). */
  collected(n: Neighbour, why: GcRemoval): void;
  /** An entry for `key` on `dev` could not be created: the table is full (for the trace). */
  tableFull(key: Ipv4Address, dev: Interface): void;
}

/** How an entry is created: `permanent` by `ip neigh add ... nud permanent`, which keeps it off the gc list. */
export interface CreateOptions {
  permanent?: boolean;
}

/**
 * The ARP neighbour table of one host: NUD state machine, timers, and the per-entry queue of packets waiting for
 * resolution. Models net/core/neighbour.c (__neigh_event_send, neigh_timer_handler, __neigh_update) as described
 * in shared/reference/linux-arp-routing.md §3.3–3.5 and the observed timings in linux-arp-observed.md rule 8.
 *
 * Garbage collection and the table-full refusal are in neighbourGc.ts: `create` returns undefined when the table
 * is full (neigh_alloc failed), and the caller does what the kernel's caller does without an entry.
 *
 * Simplification: the unresolved queue is limited in packets (unres_qlen, default 101), not bytes.
 */
export class NeighbourTable {
  private readonly entries = new Map<string, Map<Ipv4Address, Neighbour>>();
  private readonly reach = new Map<string, { value: SimTime; epoch: number }>();
  private readonly gc: NeighbourGc;

  constructor(private readonly env: NeighbourEnv) {
    this.gc = new NeighbourGc({
      sim: env.sim,
      param: (dev, name) => env.param(dev, name),
      tableParam: (name) => env.tableParam(name),
      remove: (n, why) => {
        this.forget(n);
        env.collected(n, why);
      },
    });
  }

  /** The collector's counters (/proc/net/stat/arp_cache: forced_gc_runs, periodic_gc_runs, table_fulls). */
  get gcStats(): Readonly<NeighbourGcStats> {
    return this.gc.stats;
  }

  /** Entries in the table, and those that count towards gc_thresh2/3 (tbl->entries, tbl->gc_entries). */
  get size(): { entries: number; gcEntries: number } {
    return { entries: this.gc.entries, gcEntries: this.gc.gcEntries };
  }

  /** A neighbour sysctl changed: the collector's thresholds may have moved. */
  paramsChanged(): void {
    this.gc.paramsChanged();
  }

  lookup(key: Ipv4Address, dev: Interface): Neighbour | undefined {
    return this.entries.get(dev.name)?.get(key);
  }

  /**
   * neigh_create / ___neigh_create: the existing entry, or a new one, or undefined when the table is full. Entries
   * of a loopback device and those created PERMANENT are exempt from the count (neigh_add, __neigh_create).
   */
  create(key: Ipv4Address, dev: Interface, opts: CreateOptions = {}): Neighbour | undefined {
    let m = this.entries.get(dev.name);
    if (!m) {
      m = new Map();
      this.entries.set(dev.name, m);
    }
    let n = m.get(key);
    if (n) return n;
    const exempt = opts.permanent === true || dev.kind === 'loopback';
    if (!exempt && !this.gc.admit()) {
      this.env.tableFull(key, dev);
      return undefined;
    }
    n = new Neighbour(key, dev, this.env.sim.now());
    const nn = n;
    n.timer = new Timer(this.env.sim, () => this.timerHandler(nn));
    // arp_constructor: NOARP devices never resolve.
    if (dev.noArp) {
      n.state = 'NOARP';
      n.mac = dev.mac;
    }
    m.set(key, n);
    this.gc.added(n, exempt);
    return n;
  }

  /** Every entry, devices in the order given, each device's entries in creation order. */
  all(devs: readonly Interface[]): Neighbour[] {
    const out: Neighbour[] = [];
    for (const d of devs) {
      const m = this.entries.get(d.name);
      if (m) for (const n of m.values()) out.push(n);
    }
    return out;
  }

  /**
   * Removes an entry (neigh_flush_dev when its device goes down, or `ip neigh del` after marking it FAILED).
   * Packets still waiting on it are purged, which the kernel does silently (__skb_queue_purge); here each is
   * dropped as `link-down`, so nothing leaves the trace unaccounted.
   */
  delete(n: Neighbour): void {
    this.forget(n);
    const q = n.queue.splice(0);
    for (const p of q) p.fail('link-down');
  }

  /** Takes `n` out of the table and the collector's lists, its timer stopped. */
  private forget(n: Neighbour): void {
    n.timer.cancel();
    this.entries.get(n.dev.name)?.delete(n.key);
    this.gc.removed(n);
  }

  /** The randomised REACHABLE time of a device's parameter set, redrawn every 300 s (neigh_rand_reach_time). */
  reachableTime(dev: string): SimTime {
    const base = this.env.param(dev, 'base_reachable_time_ms') * MS;
    const epoch = Math.floor(this.env.sim.now() / (300 * SECOND));
    let r = this.reach.get(dev);
    const stream = this.env.stream(dev);
    if (!r) r = { value: 0, epoch: -1 };
    while (r.epoch < epoch) {
      r.value = Math.floor(stream.next() * base) + Math.floor(base / 2);
      r.epoch++;
    }
    this.reach.set(dev, r);
    return r.value;
  }

  /**
   * The fast path of `output`: when `n`'s MAC can be used at once (what `output` would pass to `send`), does
   * the same bookkeeping and returns the MAC; otherwise changes nothing and returns undefined, and the caller
   * goes through `output` with a pending packet. Saves building a PendingPacket for every resolved packet.
   */
  usableMac(n: Neighbour): MacAddress | undefined {
    switch (n.state) {
      case 'REACHABLE':
      case 'PERMANENT':
      case 'NOARP':
      case 'DELAY':
      case 'PROBE':
        n.used = this.env.sim.now();
        return n.mac;
      case 'STALE':
        this.touchStale(n);
        return n.mac;
      default:
        return undefined;
    }
  }

  /** A STALE entry is used: its MAC goes out at once and the entry waits in DELAY for a confirmation. */
  private touchStale(n: Neighbour): void {
    const now = this.env.sim.now();
    n.used = now;
    this.setState(n, 'DELAY');
    n.updated = now;
    n.timer.setAt(now + this.env.param(n.dev.name, 'delay_first_probe_time') * SECOND);
  }

  /**
   * A packet must go to neighbour `n` (neigh_event_send + neigh_resolve_output). Sends at once when the MAC is
   * usable, queues it while resolving, or fails it.
   */
  output(n: Neighbour, p: PendingPacket): void {
    const now = this.env.sim.now();
    n.used = now;
    switch (n.state) {
      case 'REACHABLE':
      case 'PERMANENT':
      case 'NOARP':
      case 'DELAY':
      case 'PROBE':
        p.send(n.mac!);
        return;
      case 'STALE':
        // A STALE MAC is used at once; the entry waits in DELAY for an upper-layer confirmation.
        this.touchStale(n);
        p.send(n.mac!);
        return;
      case 'NONE':
      case 'FAILED': {
        const dev = n.dev.name;
        if (this.env.param(dev, 'mcast_solicit') + this.env.param(dev, 'app_solicit') === 0) {
          this.setState(n, 'FAILED');
          p.fail('arp-failed');
          return;
        }
        n.probes = this.env.param(dev, 'ucast_solicit');
        this.setState(n, 'INCOMPLETE');
        n.updated = now;
        this.enqueue(n, p);
        n.timer.setAt(now + Math.max(this.env.param(dev, 'retrans_time_ms') * MS, 10 * MS));
        this.probe(n);
        return;
      }
      case 'INCOMPLETE':
        this.enqueue(n, p);
        return;
    }
  }

  private enqueue(n: Neighbour, p: PendingPacket): void {
    const limit = this.env.param(n.dev.name, 'unres_qlen');
    // The oldest packet makes room, never the new one (__neigh_event_send).
    while (n.queue.length >= limit && n.queue.length > 0) n.queue.shift()!.fail('arp-queue-overflow');
    if (limit === 0) {
      p.fail('arp-queue-overflow');
      return;
    }
    n.queue.push(p);
  }

  /** neigh_probe: one solicitation, then count it. */
  private probe(n: Neighbour): void {
    const dev = n.dev.name;
    const trigger = n.queue.length > 0 ? n.queue[n.queue.length - 1].packet : undefined;
    // arp_solicit: unicast to the cached address while probes < ucast_solicit, otherwise broadcast.
    const unicast = n.probes < this.env.param(dev, 'ucast_solicit') && n.mac !== undefined ? n.mac : undefined;
    this.env.solicit(n, unicast, trigger);
    n.probes++;
  }

  private maxProbes(n: Neighbour): number {
    const d = n.dev.name;
    const base = this.env.param(d, 'ucast_solicit') + this.env.param(d, 'app_solicit');
    return base + (n.state === 'PROBE' ? this.env.param(d, 'mcast_resolicit') : this.env.param(d, 'mcast_solicit'));
  }

  /** neigh_timer_handler. */
  private timerHandler(n: Neighbour): void {
    const now = this.env.sim.now();
    const dev = n.dev.name;
    const delayFirst = this.env.param(dev, 'delay_first_probe_time') * SECOND;
    const retrans = Math.max(this.env.param(dev, 'retrans_time_ms') * MS, 10 * MS);
    if (!inTimer(n.state)) return;
    let next = now + SECOND;
    if (n.state === 'REACHABLE') {
      const reachable = this.reachableTime(dev);
      if (now <= n.confirmed + reachable) {
        next = n.confirmed + reachable;
      } else if (now <= n.used + delayFirst) {
        this.setState(n, 'DELAY');
        n.updated = now;
        next = now + delayFirst;
      } else {
        this.setState(n, 'STALE');
        n.updated = now;
        return;
      }
    } else if (n.state === 'DELAY') {
      if (now <= n.confirmed + delayFirst) {
        this.setState(n, 'REACHABLE');
        n.updated = now;
        next = n.confirmed + this.reachableTime(dev);
      } else {
        this.setState(n, 'PROBE');
        n.updated = now;
        n.probes = 0;
        next = now + retrans;
      }
    } else {
      next = now + retrans;
    }
    if ((n.state === 'INCOMPLETE' || n.state === 'PROBE') && n.probes >= this.maxProbes(n)) {
      this.setState(n, 'FAILED');
      n.updated = now;
      this.failQueue(n);
      return;
    }
    if (inTimer(n.state)) n.timer.setAt(Math.max(next, now + 10 * MS));
    if (n.state === 'INCOMPLETE' || n.state === 'PROBE') this.probe(n);
  }

  private failQueue(n: Neighbour): void {
    const q = n.queue.splice(0);
    for (const p of q) p.fail('arp-failed');
  }

  /** Upper-layer confirmation (neigh_confirm): the peer is reachable. */
  confirm(n: Neighbour): void {
    n.confirmed = this.env.sim.now();
  }

  /**
   * __neigh_update: the ARP code (and `ip neigh`) reports a link-layer address in a state. Returns whether the
   * entry changed.
   */
  update(n: Neighbour, mac: MacAddress | undefined, newState: NudState, flags: UpdateFlags): boolean {
    const now = this.env.sim.now();
    const old = n.state;
    if ((old === 'NOARP' || old === 'PERMANENT') && !flags.admin) return false;
    if (!isValid(newState)) {
      n.timer.cancel();
      const changed = old !== newState;
      if (old === 'INCOMPLETE' || old === 'PROBE') {
        n.state = newState;
        this.failQueue(n);
      }
      n.state = newState;
      if (old === 'PERMANENT') this.gc.permanenceChanged(n);
      if (changed) this.env.changed(n);
      return changed;
    }
    let lladdr = mac;
    if (lladdr === undefined) {
      if (!isValid(old) || n.mac === undefined) return false;
      lladdr = n.mac;
    }
    if (isConnected(newState)) n.confirmed = now;
    let state = newState;
    if (isValid(old)) {
      if (lladdr !== n.mac && !flags.override) return false;
      if (lladdr === n.mac && state === 'STALE' && !flags.admin) state = old; // no downgrade
    }
    const macChanged = lladdr !== n.mac;
    if (state === old && !macChanged) return false;
    n.updated = now;
    if (state !== old) {
      n.timer.cancel();
      if (state === 'REACHABLE') n.timer.setAt(now + this.reachableTime(n.dev.name));
      n.state = state;
      // neigh_update_gc_list: becoming or ceasing to be PERMANENT moves the entry off or onto the gc list.
      if (old === 'PERMANENT' || state === 'PERMANENT') this.gc.permanenceChanged(n);
    }
    if (macChanged) {
      n.mac = lladdr;
      if (state !== 'REACHABLE') n.confirmed = now - 2 * this.env.param(n.dev.name, 'base_reachable_time_ms') * MS;
    }
    this.env.changed(n);
    if (!isValid(old) && isValid(state)) {
      // Resolution finished: every queued packet leaves in arrival order.
      const q = n.queue.splice(0);
      for (const p of q) p.send(n.mac!);
    }
    return true;
  }

  private setState(n: Neighbour, s: NudState): void {
    if (n.state === s) return;
    n.state = s;
    this.env.changed(n);
  }
}

export function describeNeighbour(n: Neighbour): string {
  return `${formatIpv4(n.key)} dev ${n.dev.name} ${n.mac ?? ''} ${n.state}`;
}
