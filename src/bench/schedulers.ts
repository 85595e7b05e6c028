import { Destination, schedulerFactory, schedulerNames, VirtualService, type ScheduleRequest, type Scheduler, type SchedulerContext } from '../lab/index.ts';
import { delays, median, timeSeconds } from './clock.ts';

/** Destination counts the scheduler benchmark measures at. */
export const SCHEDULER_BENCH_SIZES = [2, 16, 64, 256] as const;
/** Distinct requests the loop cycles through: clients (saddr, sport) and 16 destination addresses. */
const REQUESTS = 1024;
const VIP = 0x0a000064; // 10.0.0.100
/** Simulated time per decision: 1 ms, so lblc/lblcr's 60 s collector ticks every 60,000 decisions. */
const STEP_NS = 1_000_000;

export interface SchedulerRow {
  scheduler: string;
  /** Decisions per second at each of SCHEDULER_BENCH_SIZES, in that order. */
  perSecond: number[];
}

export interface SchedulerFigures {
  dests: number[];
  rows: SchedulerRow[];
}

/**
 * One scheduler on one service of `dests` destinations, with the bookkeeping the benchmark loop does around each
 * decision. Weights cycle 1, 2, 3, 4 (so wrr, wlc and sh have real work); destinations are added one by one
 * through `addDest`, as `ipvsadm -a` does.
 *
 * Each decision models a short-lived connection: the pick gets an active connection (activeConns++,
 * totalConns++); the connection made `live` decisions earlier closes (activeConns--: it goes to TIME_WAIT) and
 * the one that closed `live` decisions before that expires (totalConns--). With `live` = 2 × dests the counters
 * stay small and keep moving (and below ovf's weight + 1, so no scheduler refuses), so lc/wlc/sed/nq/twos compare real loads instead of all-zero ties, and nothing
 * grows without bound. The rings are preallocated: the loop allocates nothing of its own.
 */
export class SchedulerWorkload {
  readonly svc: VirtualService;
  readonly scheduler: Scheduler;
  private readonly requests: ScheduleRequest[] = [];
  private readonly open: Array<Destination | null>;
  private readonly closing: Array<Destination | null>;
  private slot = 0;
  private next = 0;
  private now = 0;
  refusals = 0;
  decisions = 0;

  constructor(name: string, dests: number) {
    const factory = schedulerFactory(name);
    if (factory === undefined) throw new Error(`no scheduler ${name}`);
    const rnd = delays(0x7105);
    const ctx: SchedulerContext = {
      now: () => this.now,
      sysctl: () => 86_400,
      randomBelow: (n) => rnd() % n,
      schedulerError: () => {
        this.refusals++;
      },
    };
    const placeholder: Scheduler = { name: 'none', schedule: () => null };
    this.svc = new VirtualService({ kind: 'addr', protocol: 'tcp', address: VIP, port: 80 }, placeholder);
    this.svc.scheduler = factory(this.svc, ctx);
    this.scheduler = this.svc.scheduler;
    for (let i = 0; i < dests; i++) {
      const d = new Destination(this.svc, { address: 0x0a020002 + (i << 8), port: 80, fwd: 'masq', weight: 1 + (i % 4), uThreshold: 0, lThreshold: 0 });
      this.svc.destinations.unshift(d);
      this.scheduler.addDest?.(this.svc, d);
    }
    for (let i = 0; i < REQUESTS; i++) {
      this.requests.push({ protocol: 6, saddr: 0x0a010000 + i * 37, sport: 10_000 + i, daddr: 0x0a030001 + (i % 16), dport: 80 });
    }
    const live = 2 * dests;
    this.open = new Array<Destination | null>(live).fill(null);
    this.closing = new Array<Destination | null>(live).fill(null);
  }

  /** `count` decisions with their connection bookkeeping. */
  run(count: number): void {
    const svc = this.svc;
    const sched = this.scheduler;
    const requests = this.requests;
    const open = this.open;
    const closing = this.closing;
    const live = open.length;
    let slot = this.slot;
    let next = this.next;
    for (let i = 0; i < count; i++) {
      this.now += STEP_NS;
      const d = sched.schedule(svc, requests[next]);
      next = (next + 1) & (REQUESTS - 1);
      const expiring = closing[slot];
      if (expiring !== null) expiring.totalConns--;
      const ending = open[slot];
      if (ending !== null) ending.activeConns--;
      closing[slot] = ending;
      open[slot] = d;
      if (d !== null) {
        d.activeConns++;
        d.totalConns++;
      }
      slot++;
      if (slot === live) slot = 0;
    }
    this.slot = slot;
    this.next = next;
    this.decisions += count;
  }
}

/**
 * Decisions per second of every registered scheduler at 2, 16, 64 and 256 destinations: a warm-up, then the
 * median of `repeats` timed runs each sized to take about `seconds` of wall time.
 */
export function benchSchedulers(seconds: number, repeats: number, sizes: readonly number[] = SCHEDULER_BENCH_SIZES): SchedulerFigures {
  const rows: SchedulerRow[] = [];
  for (const name of schedulerNames()) {
    const perSecond: number[] = [];
    for (const dests of sizes) {
      const w = new SchedulerWorkload(name, dests);
      // Warm-up, and a first estimate of the rate to size the timed runs.
      let n = 1_000;
      let t = timeSeconds(() => w.run(n));
      while (t < seconds / 4) {
        n *= 4;
        t = timeSeconds(() => w.run(n));
      }
      const count = Math.max(1_000, Math.round((n / t) * seconds));
      const runs = Array.from({ length: repeats }, () => timeSeconds(() => w.run(count)));
      if (w.refusals !== 0) throw new Error(`scheduler benchmark: ${name} refused ${w.refusals} connections`);
      perSecond.push(count / median(runs));
    }
    rows.push({ scheduler: name, perSecond });
  }
  return { dests: [...sizes], rows };
}
