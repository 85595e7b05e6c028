import { Lab, LimitError, NO_LIMITS, SECOND, natBenchScenario, type SimTime } from '../lab/index.ts';
import { fullGc } from './gc.ts';

/**
 * The soak benchmark's run: `lvs-lab bench nat`'s LVS-NAT network (src/lab/natBenchScenario.ts) with its client
 * addresses on the director's LAN, run untraced for a fixed number of simulator events and sampled along the way.
 *
 * The churn: every closed-loop client thinks (exponential), opens one short HTTP/1.0 connection through the
 * director (a 200-byte request, a 10 KiB response) and closes it, for ever. Each connection leaves an IPVS entry
 * in TIME_WAIT for 2 minutes and a TIME_WAIT socket on the client host for 60 s; each client address is a
 * neighbour entry of the director that goes STALE while its client thinks longer than the reachable time
 * (15-45 s) and is probed again (DELAY, PROBE) when it comes back. Once the first connections have expired every
 * table holds what its timers keep alive: a flat plateau, unless something is never released.
 */
export interface SoakWorkload {
  /** Closed-loop clients, each with its own address (so, one neighbour entry of the director each). */
  readonly clients: number;
  readonly servers: number;
  /** Mean think time in seconds. */
  readonly think: number;
  readonly seed: number;
}

/**
 * The default: 3,000 clients thinking 15 s on average (200 connections/s), 5 real servers. A think time of the
 * order of the neighbour reachable time (15-45 s) makes the director's ARP entries age and come back.
 */
export const SOAK_WORKLOAD: SoakWorkload = Object.freeze({ clients: 3000, servers: 5, think: 15, seed: 1 });

/** The scenario's duration: far beyond any run (the clock of 10^8 events of the default is about 40 minutes). */
const HORIZON_SECONDS = 1_000_000;

/** The longest timer of the workload: IPVS keeps a closed TCP connection 2 minutes in TIME_WAIT. */
const LONGEST_TIMEOUT = 120 * SECOND;

/**
 * Simulated time after which the tables are at their plateau: the clients start spread over one mean think time,
 * and the first connections' entries must have expired (the longest timeout), with three think times of margin.
 */
export function tableWarmUp(w: SoakWorkload): SimTime {
  return LONGEST_TIMEOUT + Math.round(3 * w.think * SECOND) + 10 * SECOND;
}

/**
 * Simulated time after which memory should be flat too. Besides the tables, each real server remembers the
 * output route to every client it has answered (a cache bounded at 4,096 destinations, src/net/route/
 * routeOutput.ts), which fills only as the round-robin has sent every client to every server: for all
 * clients x servers pairs that takes about servers x ln(clients x servers) connections of a client, each one
 * think time apart (the coupon collector's bound).
 */
export function memoryWarmUp(w: SoakWorkload): SimTime {
  const pairs = w.clients * w.servers;
  return Math.max(tableWarmUp(w), Math.round(w.think * w.servers * Math.log(pairs) * SECOND));
}

/** One look at the run: deterministic counts, plus (when measured) memory and wall time. */
export interface SoakSample {
  events: number;
  /** Simulated time, ns. */
  simNs: SimTime;
  /** Wall-clock seconds since the run started (not deterministic). */
  wallSeconds: number;
  /** After two full collections, when memory is measured: bytes of JS heap, of ArrayBuffers, and the RSS. */
  heapUsed?: number;
  arrayBuffers?: number;
  rss?: number;
  /** Events scheduled and not yet run or cancelled, and the queue's entries (cancelled ones included). */
  pendingEvents: number;
  queuedEvents: number;
  /** The director's IPVS connection table. */
  ipvsConnections: number;
  /** The director's neighbour entries, and how many of them are not REACHABLE (STALE, DELAY, PROBE...). */
  neighbours: number;
  agedNeighbours: number;
  /** Neighbour entries of every host, TCP sockets of every host (TIME_WAIT included). */
  neighboursAll: number;
  tcpSockets: number;
  /** Since the start, from the trace listeners: connections the director scheduled, entries it expired. */
  connectionsOpened: number;
  connectionsExpired: number;
  responses: number;
  /** Sessions that ended in an error or refusal, and dropped packets: both should stay 0. */
  failures: number;
  drops: number;
  /** Neighbour state changes (the ARP churn). */
  neighbourChanges: number;
}

export interface SoakOptions {
  workload: SoakWorkload;
  /** Simulator events to run (the lab's maxEvents: the run stops exactly there). */
  events: number;
  /** About how many events between two samples. */
  every: number;
  /** Take full collections and read process memory at each sample (the benchmark); tests leave it off. */
  measureMemory: boolean;
}

export interface SoakResult {
  samples: SoakSample[];
  /** tableWarmUp and memoryWarmUp of the workload. */
  tableWarmUpNs: SimTime;
  memoryWarmUpNs: SimTime;
  /** Trace events the lab kept in memory: 0, since it runs with `record: false`. */
  retainedTraceEvents: number;
  /** Whether a full collection could be forced before each memory reading (otherwise they include garbage). */
  collected: boolean;
}

/**
 * The director's neighbour-table thresholds (gc_thresh1/2/3), raised as the admin of a director with thousands of
 * clients on its LAN raises them: with the kernel's 128/512/1024 a 3,000-client table would overflow at 1,024
 * entries and drop packets ("neighbor table overflow!"), and the periodic collection would keep removing idle
 * clients' entries. With these the default workload's table stays below gc_thresh1: nothing is collected.
 */
export const SOAK_NEIGH_GC_THRESH: readonly [number, number, number] = Object.freeze([4096, 8192, 16384] as const);

/** The scenario text of a soak workload. */
export function soakScenario(w: SoakWorkload): string {
  return natBenchScenario({ ...w, seconds: HORIZON_SECONDS, onLinkClients: true, neighGcThresh: SOAK_NEIGH_GC_THRESH });
}

/**
 * Runs the workload for `events` events in slices of simulated time, each sized from the event rate so far to
 * end near the next multiple of `every`, and samples after each. The slicing reads only event counts and the
 * simulated clock, so the samples (but for memory and wall time) are the same on every machine.
 */
export function runSoak(o: SoakOptions, onSample?: (s: SoakSample) => void): SoakResult {
  const start = process.hrtime.bigint();
  const lab = Lab.fromText(soakScenario(o.workload), { ...NO_LIMITS, maxEvents: o.events, file: 'soak.yaml', record: false });
  const counts = { opened: 0, expired: 0, responses: 0, failures: 0, drops: 0, neighbourChanges: 0 };
  // Listeners that keep nothing: the trace flows through sinks and must leave no memory behind.
  lab.onEvent(
    (e) => {
      if (e.kind === 'ipvs') {
        if (e.event === 'conn') counts.opened++;
        else if (e.event === 'expire') counts.expired++;
      } else if (e.kind === 'app') {
        if (e.event === 'response') counts.responses++;
        else if (e.event === 'error' || e.event === 'refused') counts.failures++;
      } else if (e.kind === 'drop') counts.drops++;
      else if (e.kind === 'neigh') counts.neighbourChanges++;
    },
    ['ipvs', 'app', 'drop', 'neigh'],
  );
  const gc = o.measureMemory ? fullGc() : undefined;
  const samples: SoakSample[] = [];
  const take = (): void => {
    const s = sample(lab, counts, gc, o.measureMemory);
    s.wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    samples.push(s);
    onSample?.(s);
  };

  let rate = 0; // events per ns of simulated time over the last slice
  let target = 0; // the multiple of `every` the next sample is aimed at
  let finished = false;
  while (!finished) {
    // The next multiple of `every` not yet passed (a slice may overshoot one), or the end.
    while (target + o.every <= lab.eventsDispatched) target += o.every;
    target = Math.min(o.events, target + o.every);
    // A sample comes within a quarter of `every` of its mark; the last one exactly at the end (maxEvents).
    const goal = target === o.events ? target : target - o.every / 4;
    while (lab.eventsDispatched < goal) {
      const e0 = lab.eventsDispatched;
      const t0 = lab.now();
      // Until the rate is known, one second of simulated time; never less than a microsecond.
      const dt = rate > 0 ? Math.max(1000, Math.round((target - e0) / rate)) : SECOND;
      try {
        lab.runUntil(t0 + dt);
      } catch (err) {
        if (!(err instanceof LimitError) || err.limit !== 'maxEvents') throw err;
        finished = true; // stopped at exactly o.events: the last sample
        break;
      }
      if (lab.nextEventTime() === undefined) {
        finished = true; // nothing left to run (cannot happen with a closed loop, but never spin)
        break;
      }
      const de = lab.eventsDispatched - e0;
      rate = de > 0 ? de / (lab.now() - t0) : 0;
    }
    if (lab.eventsDispatched >= o.events) finished = true;
    take();
  }
  return { samples, tableWarmUpNs: tableWarmUp(o.workload), memoryWarmUpNs: memoryWarmUp(o.workload), retainedTraceEvents: lab.events.length, collected: gc !== undefined };
}

function sample(lab: Lab, c: Record<'opened' | 'expired' | 'responses' | 'failures' | 'drops' | 'neighbourChanges', number>, gc: (() => void) | undefined, measureMemory: boolean): SoakSample {
  const q = lab.queries;
  const director = q.tableSizes('director')!;
  let aged = 0;
  for (const n of q.neighbours('director')) if (n.state !== 'REACHABLE' && n.state !== 'PERMANENT' && n.state !== 'NOARP') aged++;
  let neighboursAll = 0;
  let tcpSockets = 0;
  for (const h of lab.hostNames()) {
    const t = q.tableSizes(h)!;
    neighboursAll += t.neighbours;
    tcpSockets += t.tcpSockets;
  }
  const s: SoakSample = {
    events: lab.eventsDispatched,
    simNs: lab.now(),
    wallSeconds: 0,
    pendingEvents: lab.pendingEvents,
    queuedEvents: lab.queuedEvents,
    ipvsConnections: director.ipvsConnections,
    neighbours: director.neighbours,
    agedNeighbours: aged,
    neighboursAll,
    tcpSockets,
    connectionsOpened: c.opened,
    connectionsExpired: c.expired,
    responses: c.responses,
    failures: c.failures,
    drops: c.drops,
    neighbourChanges: c.neighbourChanges,
  };
  if (measureMemory) {
    // Two collections, so what the first one's finalisers released goes too (as src/bench/gc.ts does).
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    s.heapUsed = m.heapUsed;
    s.arrayBuffers = m.arrayBuffers;
    s.rss = m.rss;
  }
  return s;
}
