/**
 * Per-service, per-destination and global IPVS counters (struct ip_vs_stats): connections, packets and bytes in
 * each direction. "In" is client→server, "out" server→client (only NAT sees replies). The rate estimator that
 * `--rate` shows lives in RateEstimator.ts and reads these counters every 2 s, as ip_vs_est.c does.
 */
export class IpvsStats {
  conns = 0;
  inPkts = 0;
  outPkts = 0;
  inBytes = 0;
  outBytes = 0;

  /**
   * kstats: the copy of the live counters the estimator takes on every 2 s tick (ip_vs_read_cpu_stats). What
   * `ipvsadm --stats` shows is this copy minus `kstats0`, so it lags the live counters by up to 2 s.
   */
  readonly kstats = new StatsCounters();
  /** kstats0: the copy taken by the last `ipvsadm -Z` (ip_vs_zero_stats); the zero point of what is shown. */
  readonly kstats0 = new StatsCounters();
  /** The estimator's state (struct ip_vs_estimator): last counter values and the scaled moving averages. */
  readonly est = new EstimatorState();

  zero(): void {
    this.conns = 0;
    this.inPkts = 0;
    this.outPkts = 0;
    this.inBytes = 0;
    this.outBytes = 0;
  }
}

/** The five counters of struct ip_vs_kstats. */
export class StatsCounters {
  conns = 0;
  inPkts = 0;
  outPkts = 0;
  inBytes = 0;
  outBytes = 0;

  copyFrom(c: Readonly<CounterFields>): void {
    this.conns = c.conns;
    this.inPkts = c.inPkts;
    this.outPkts = c.outPkts;
    this.inBytes = c.inBytes;
    this.outBytes = c.outBytes;
  }
}

export interface CounterFields {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

/**
 * struct ip_vs_estimator: the counters seen at the previous tick and the averages, scaled by 2^10 (cps, pps)
 * and 2^5 (bps) as the kernel keeps them.
 */
export class EstimatorState {
  lastConns = 0;
  lastInPkts = 0;
  lastOutPkts = 0;
  lastInBytes = 0;
  lastOutBytes = 0;
  cps = 0;
  inPps = 0;
  outPps = 0;
  inBps = 0;
  outBps = 0;
}

/** What ip_vs_copy_stats hands to user space: shown counters (kstats - kstats0) and decoded rates. */
export interface StatsView {
  readonly conns: number;
  readonly inPkts: number;
  readonly outPkts: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly cps: number;
  readonly inPps: number;
  readonly outPps: number;
  readonly inBps: number;
  readonly outBps: number;
}

/** One packet more in a set of counters (no allocation: this runs for every packet IPVS handles). */
export function countPacket(s: IpvsStats, dir: 'input' | 'output', bytes: number): void {
  if (dir === 'input') {
    s.inPkts++;
    s.inBytes += bytes;
  } else {
    s.outPkts++;
    s.outBytes += bytes;
  }
}
