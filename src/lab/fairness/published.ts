import { Destination } from '../../ipvs/Destination.ts';
import { MH_TAB_SIZE, populateMaglev, type MaglevMember } from '../../ipvs/schedulers/MaglevHashing.ts';
import { schedulerFactory } from '../../ipvs/schedulers/registry.ts';
import type { Scheduler, SchedulerContext } from '../../ipvs/schedulers/Scheduler.ts';
import { VirtualService } from '../../ipvs/VirtualService.ts';
import { RandomStreams, type RandomStream } from '../../sim/index.ts';

/**
 * Published results reproduced with lvs-lab's own scheduler code (docs/benchmarks.md, "Published results"):
 *
 * - Maglev hashing (Eisenbud et al., NSDI 2016, §3.4): a lookup table of M slots filled by N backends taking
 *   turns along their permutations gives each backend ⌊M/N⌋ or ⌈M/N⌉ slots (M = 65537, N = 1000: 65 or 66;
 *   max/mean ≤ 66/65.537 = 1.0071), and removing a backend moves little more than its own 1/N of the flows.
 *   Built with the kernel mh scheduler's table code (`populateMaglev`, the permutation from the kernel's
 *   hsiphash keys), at the paper's M and at the kernel's M = 4093.
 * - The supermarket model (Mitzenmacher, IEEE TPDS 2001): n FIFO servers with exponential service of mean 1,
 *   Poisson arrivals at rate λn; each arrival joins the shorter of two servers chosen at random. As n → ∞ the
 *   mean time in system is Σ_{i≥1} λ^(2^i − 2) ≈ 5.43 at λ = 0.99, against 1 / (1 − λ) = 100 with one random
 *   choice. Simulated here as that queueing model (not packets): each arrival is one decision of the lab's
 *   `twos` scheduler over Destinations whose active-connection counters are the queue lengths.
 */

export interface MaglevFill {
  size: number;
  backends: number;
  min: number;
  max: number;
  mean: number;
  maxOverMean: number;
}

/** N backends of weight 1 with distinct addresses (10.x.y.1:80), in the order ipvsadm would have added them. */
function members(n: number): MaglevMember[] {
  return Array.from({ length: n }, (_, i) => ({ address: (0x0a000001 + ((i + 1) << 8)) >>> 0, port: 80, lastWeight: 1 }));
}

/** Slots per backend of a table of `size` slots over `backends` equal backends. */
export function maglevFill(size: number, backends: number): MaglevFill {
  const owners = populateMaglev(members(backends), size);
  const counts = new Array<number>(backends).fill(0);
  for (const o of owners) if (o >= 0) counts[o]++;
  const mean = size / backends;
  const max = Math.max(...counts);
  return { size, backends, min: Math.min(...counts), max, mean, maxOverMean: max / mean };
}

export interface MaglevRemoval {
  size: number;
  backends: number;
  /** Fraction of slots (so of uniformly hashed flows) whose backend changed when one backend was removed. */
  moved: number;
  /** Of which the removed backend's own slots: these had to move (≈ 1/N). */
  necessary: number;
}

/** Removes backend `remove` (index) from `backends` equal ones and compares the tables slot by slot. */
export function maglevRemoval(size: number, backends: number, remove = Math.floor(backends / 2)): MaglevRemoval {
  const list = members(backends);
  const before = populateMaglev(list, size);
  const rest = list.filter((_, i) => i !== remove);
  const after = populateMaglev(rest, size);
  let moved = 0;
  let necessary = 0;
  for (let c = 0; c < size; c++) {
    const b = list[before[c]];
    const a = rest[after[c]];
    if (a !== b) moved++;
    if (before[c] === remove) necessary++;
  }
  return { size, backends, moved: moved / size, necessary: necessary / size };
}

/** A bare service with `n` destinations of weight 1 and the named scheduler on it (as ipvsadm -A / -a build it). */
function bareService(name: string, n: number, ctx: SchedulerContext): { svc: VirtualService; scheduler: Scheduler; dests: Destination[] } {
  const factory = schedulerFactory(name);
  if (factory === undefined) throw new Error(`no scheduler ${name}`);
  const placeholder: Scheduler = { name: 'none', schedule: () => null };
  const svc = new VirtualService({ kind: 'addr', protocol: 'tcp', address: 0x0a000064, port: 80 }, placeholder);
  svc.scheduler = factory(svc, ctx);
  const dests: Destination[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Destination(svc, { address: (0xc0a80001 + i) >>> 0, port: 80, fwd: 'masq', weight: 1, uThreshold: 0, lThreshold: 0 });
    svc.destinations.unshift(d);
    svc.scheduler.addDest?.(svc, d);
    dests.push(d);
  }
  return { svc, scheduler: svc.scheduler, dests };
}

function contextOf(stream: RandomStream): SchedulerContext {
  return { now: () => 0, sysctl: () => 0, randomBelow: (n) => Math.floor(stream.next() * n), schedulerError: () => {} };
}

export interface SchedulerRemoval {
  scheduler: string;
  backends: number;
  clients: number;
  moved: number;
  necessary: number;
}

/**
 * The same removal through a hash scheduler's `schedule` (mh at the kernel's M = 4093, or sh): `clients` client
 * addresses are scheduled, one destination is deleted (`ipvsadm -d`: unlinked, then delDest), and they are
 * scheduled again; the fraction that changed destination, and the fraction that had to (the removed one's).
 */
export function schedulerRemoval(name: 'mh' | 'sh', backends: number, clients: number, seed = 1): SchedulerRemoval {
  const stream = new RandomStreams(seed).get('published/removal');
  const { svc, scheduler, dests } = bareService(name, backends, contextOf(stream));
  const addrs = Array.from({ length: clients }, () => stream.uint32());
  const pick = (saddr: number) => scheduler.schedule(svc, { protocol: 6, saddr, sport: 40000, daddr: 0x0a000064, dport: 80 });
  const before = addrs.map(pick);
  const gone = dests[Math.floor(backends / 2)];
  svc.destinations.splice(svc.destinations.indexOf(gone), 1);
  scheduler.delDest?.(svc, gone);
  const after = addrs.map(pick);
  let moved = 0;
  let necessary = 0;
  for (let i = 0; i < clients; i++) {
    if (after[i] !== before[i]) moved++;
    if (before[i] === gone) necessary++;
  }
  return { scheduler: name, backends, clients, moved: moved / clients, necessary: necessary / clients };
}

/** The kernel's default mh table size, for the write-up. */
export const KERNEL_MH_TABLE = MH_TAB_SIZE;

export interface SupermarketResult {
  /** `twos` (the lab's scheduler), `random` (one uniform choice) or `rr` (the lab's round robin). */
  policy: string;
  servers: number;
  load: number;
  /** Arrivals measured (after the warm-up). */
  jobs: number;
  meanTimeInSystem: number;
  /** The n → ∞ value: Σ λ^(2^i − 2) for two choices, 1 / (1 − λ) for one; undefined for rr. */
  theory?: number;
}

/** Σ_{i≥1} λ^((d^i − d)/(d − 1)): Mitzenmacher's limit of the mean time in system with d choices (d ≥ 2). */
export function supermarketTheory(load: number, d: number): number {
  if (d === 1) return 1 / (1 - load);
  let s = 0;
  for (let i = 1; i < 64; i++) {
    const term = Math.pow(load, (Math.pow(d, i) - d) / (d - 1));
    s += term;
    if (term < 1e-12) break;
  }
  return s;
}

/**
 * The supermarket model with `servers` servers at load `load` for `time` units of simulated time (mean service
 * 1), discarding the first `warmup` fraction of arrivals. Every decision goes through the policy's code:
 * `twos` and `rr` are the lab's schedulers over Destinations whose activeConns is each queue's length (jobs
 * waiting or in service; totalConns equal to it, so no inactive connections weigh in); `random` draws one
 * server uniformly from the same stream.
 */
export function supermarket(policy: 'twos' | 'random' | 'rr', servers: number, load: number, time: number, seed = 1, warmup = 0.2): SupermarketResult {
  const streams = new RandomStreams(seed);
  const arrivals = streams.get('supermarket/arrivals');
  const service = streams.get('supermarket/service');
  const choice = streams.get('supermarket/choice');
  const { svc, scheduler, dests } = bareService(policy === 'random' ? 'rr' : policy, servers, contextOf(choice));
  const index = new Map(dests.map((d, i) => [d, i]));
  const lastDeparture = new Float64Array(servers);
  const heap = new DepartureHeap();
  const rate = load * servers;
  let t = 0;
  let n = 0;
  let measured = 0;
  let sum = 0;
  const total = Math.round(rate * time);
  const skip = Math.round(total * warmup);
  for (let k = 0; k < total; k++) {
    t += arrivals.exponential(1 / rate);
    while (heap.size > 0 && heap.peekTime() <= t) {
      const q = heap.pop();
      dests[q].activeConns--;
      dests[q].totalConns--;
    }
    let q: number;
    if (policy === 'random') q = Math.floor(choice.next() * servers);
    else {
      const d = scheduler.schedule(svc, { protocol: 6, saddr: k >>> 0, sport: 1, daddr: 0x0a000064, dport: 80 });
      if (d === null) throw new Error(`${policy} refused a job`);
      q = index.get(d)!;
    }
    const start = Math.max(t, lastDeparture[q]);
    const dep = start + service.exponential(1);
    lastDeparture[q] = dep;
    dests[q].activeConns++;
    dests[q].totalConns++;
    heap.push(dep, q);
    n++;
    if (k >= skip) {
      measured++;
      sum += dep - t;
    }
  }
  void n;
  return { policy, servers, load, jobs: measured, meanTimeInSystem: sum / measured, theory: policy === 'twos' ? supermarketTheory(load, 2) : policy === 'random' ? supermarketTheory(load, 1) : undefined };
}

/** A binary min-heap of (departure time, queue). */
class DepartureHeap {
  private times: number[] = [];
  private queues: number[] = [];

  get size(): number {
    return this.times.length;
  }

  peekTime(): number {
    return this.times[0];
  }

  push(time: number, queue: number): void {
    const t = this.times;
    const q = this.queues;
    let i = t.length;
    t.push(time);
    q.push(queue);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      q[i] = q[p];
      i = p;
    }
    t[i] = time;
    q[i] = queue;
  }

  pop(): number {
    const t = this.times;
    const q = this.queues;
    const top = q[0];
    const lastT = t.pop()!;
    const lastQ = q.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && t[c + 1] < t[c]) c++;
        if (t[c] >= lastT) break;
        t[i] = t[c];
        q[i] = q[c];
        i = c;
      }
      t[i] = lastT;
      q[i] = lastQ;
    }
    return top;
  }
}
