import { SECOND, type EventHandle, type SimTime, type Simulator } from '../sim/index.ts';
import type { IpvsStats, StatsView } from './Stats.ts';

/** The estimator's period: the timer re-arms itself `2*HZ` after each run (ip_vs_est.c). */
export const ESTIMATOR_PERIOD: SimTime = 2 * SECOND;

export interface RateEstimatorOptions {
  /** net.ipv4.vs.run_estimation: when 0 a tick does nothing (not even the copy `--stats` shows) but re-arms. */
  runEstimation(): boolean;
  /** ipvs->tot_stats, registered for the life of the instance (ip_vs_control_net_init). */
  readonly total: IpvsStats;
}

/**
 * The rate estimator of the Linux 6.1 kernel the oracle ran (net/netfilter/ipvs/ip_vs_est.c). Linux 6.1 still
 * has the old design: one timer per network namespace, armed 2 s after IPVS initialises there
 * (ip_vs_estimator_net_init) and re-armed 2 s after each run, that walks every registered estimator. So the
 * phase of the 2 s ticks belongs to the IPVS instance (here: to when this object was made), not to the service
 * or destination; a service added at t = 5.3 s is first estimated at the instance's next tick (6 s if the
 * instance started at 0). (Linux 6.2 replaced this with kthreads spreading estimators over 50 chains; the
 * reference docs describe that one.) The oracle's recorded `--stats` dumps are all taken 3 s or more after the
 * last packet, so they show complete counters under any phase rule; the 6.1 source decides the rule.
 *
 * On each tick, for each registered stats object: the live counters are copied into `kstats` (what `--stats`
 * shows, minus the `-Z` zero point), then each of the five rates is updated as an exponentially weighted
 * moving average with weight 1/4 in fixed point: conns and packets scaled by 2^10 (the delta over 2 s shifted
 * left by 9), bytes by 2^5 (shifted left by 4); `avg += (rate - avg) >> 2` with an arithmetic shift.
 *
 * Simplification: the kernel's timer never stops. Here it stops when nothing but the instance's total is
 * registered and that total has settled (its copy equals the live counters and every average is 0): such
 * ticks change nothing, and without services nothing can move the total. The next registration re-arms it
 * on the instance's 2 s grid, so the ticks keep the kernel's phase and `Simulator.run()` can still drain.
 */
export class RateEstimator {
  /** ipvs->est_list; ip_vs_start_estimator adds at the head. The order never affects a result. */
  private readonly list: IpvsStats[] = [];
  private readonly origin: SimTime;
  private handle: EventHandle | undefined;
  private scheduledAt: SimTime | undefined;
  /** Time of the last tick that ran (or the origin). */
  private lastTick: SimTime;

  constructor(
    private readonly sim: Simulator,
    private readonly opts: RateEstimatorOptions,
  ) {
    this.origin = sim.now();
    this.lastTick = this.origin;
    this.list.push(opts.total);
  }

  /** ip_vs_start_estimator: the stats object is estimated from the next tick on. */
  start(stats: IpvsStats): void {
    if (this.list.includes(stats)) return;
    this.list.unshift(stats);
    this.arm();
  }

  /** ip_vs_stop_estimator: no more copies or rate updates (its shown values freeze). */
  stop(stats: IpvsStats): void {
    const i = this.list.indexOf(stats);
    if (i >= 0) this.list.splice(i, 1);
  }

  /** Whether `stats` is registered. */
  running(stats: IpvsStats): boolean {
    return this.list.includes(stats);
  }

  /** The next tick on the instance's grid, or undefined while the timer rests. */
  get nextTick(): SimTime | undefined {
    return this.handle === undefined ? undefined : this.scheduledAt;
  }

  /** estimation_timer: one run over every registered estimator. */
  tick(): void {
    this.handle = undefined;
    this.scheduledAt = undefined;
    this.lastTick = this.sim.now();
    if (this.opts.runEstimation()) {
      for (const s of this.list) estimate(s);
    }
    if (this.list.length === 1 && this.list[0] === this.opts.total && settled(this.opts.total)) return;
    this.arm();
  }

  private arm(): void {
    if (this.handle !== undefined) return;
    const next = Math.max(this.gridAfter(this.lastTick), this.gridAtOrAfter(this.sim.now()));
    this.scheduledAt = next;
    this.handle = this.sim.scheduleAt(next, () => this.tick());
  }

  /** The first grid point (origin + k·2 s, k ≥ 1) strictly after `t`. */
  private gridAfter(t: SimTime): SimTime {
    const k = Math.floor((t - this.origin) / ESTIMATOR_PERIOD) + 1;
    return this.origin + k * ESTIMATOR_PERIOD;
  }

  /** The first grid point (k ≥ 1) at or after `t`. */
  private gridAtOrAfter(t: SimTime): SimTime {
    const k = Math.max(1, Math.ceil((t - this.origin) / ESTIMATOR_PERIOD));
    return this.origin + k * ESTIMATOR_PERIOD;
  }
}

/** One estimator's share of estimation_timer: refresh the copy, then move the five averages. */
export function estimate(s: IpvsStats): void {
  const k = s.kstats;
  const e = s.est;
  k.copyFrom(s);
  // Scaled by 2^10 but over 2 s: the delta shifted left by 9. `>> 2` on a signed 64-bit value is a floor.
  e.cps += Math.floor(((k.conns - e.lastConns) * 512 - e.cps) / 4);
  e.lastConns = k.conns;
  e.inPps += Math.floor(((k.inPkts - e.lastInPkts) * 512 - e.inPps) / 4);
  e.lastInPkts = k.inPkts;
  e.outPps += Math.floor(((k.outPkts - e.lastOutPkts) * 512 - e.outPps) / 4);
  e.lastOutPkts = k.outPkts;
  // Bytes: scaled by 2^5 over 2 s, the delta shifted left by 4.
  e.inBps += Math.floor(((k.inBytes - e.lastInBytes) * 16 - e.inBps) / 4);
  e.lastInBytes = k.inBytes;
  e.outBps += Math.floor(((k.outBytes - e.lastOutBytes) * 16 - e.outBps) / 4);
  e.lastOutBytes = k.outBytes;
}

/**
 * ip_vs_zero_stats (ip_vs_ctl.c) with ip_vs_zero_estimator (ip_vs_est.c): the current copy becomes the zero
 * point of what is shown, and the estimator restarts from it with every average at 0. The live counters the
 * data path increments are not touched (the kernel's per-CPU counters only ever grow).
 */
export function zeroStats(s: IpvsStats): void {
  const k = s.kstats;
  s.kstats0.copyFrom(k);
  const e = s.est;
  e.lastConns = k.conns;
  e.lastInPkts = k.inPkts;
  e.lastOutPkts = k.outPkts;
  e.lastInBytes = k.inBytes;
  e.lastOutBytes = k.outBytes;
  e.cps = 0;
  e.inPps = 0;
  e.outPps = 0;
  e.inBps = 0;
  e.outBps = 0;
}

/** ip_vs_copy_stats with ip_vs_read_estimator: what `ipvsadm --stats` and `--rate` print. */
export function readStats(s: IpvsStats): StatsView {
  const k = s.kstats;
  const z = s.kstats0;
  const e = s.est;
  return {
    conns: k.conns - z.conns,
    inPkts: k.inPkts - z.inPkts,
    outPkts: k.outPkts - z.outPkts,
    inBytes: k.inBytes - z.inBytes,
    outBytes: k.outBytes - z.outBytes,
    cps: Math.floor((e.cps + 0x1ff) / 1024),
    inPps: Math.floor((e.inPps + 0x1ff) / 1024),
    outPps: Math.floor((e.outPps + 0x1ff) / 1024),
    inBps: Math.floor((e.inBps + 0xf) / 32),
    outBps: Math.floor((e.outBps + 0xf) / 32),
  };
}

function settled(s: IpvsStats): boolean {
  const k = s.kstats;
  const e = s.est;
  return (
    k.conns === s.conns &&
    k.inPkts === s.inPkts &&
    k.outPkts === s.outPkts &&
    k.inBytes === s.inBytes &&
    k.outBytes === s.outBytes &&
    e.lastConns === k.conns &&
    e.lastInPkts === k.inPkts &&
    e.lastOutPkts === k.outPkts &&
    e.lastInBytes === k.inBytes &&
    e.lastOutBytes === k.outBytes &&
    e.cps === 0 &&
    e.inPps === 0 &&
    e.outPps === 0 &&
    e.inBps === 0 &&
    e.outBps === 0
  );
}
