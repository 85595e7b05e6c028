import type { FairnessObservations } from '../lab/index.ts';
import { percentile } from './percentile.ts';

/**
 * Fairness of one run, from its observations (src/lab/fairness): how the connections and the work were spread
 * over the real servers against their weight-ideal shares, response times, losses, and, when a real server was
 * added or removed, how many flows changed server. Pure functions; the sweep aggregates them over seeds.
 */

/** Jain's fairness index (Σx)² / (n Σx²): 1 when all equal, 1/n when one takes everything; 1 for no load at all. */
export function jainIndex(xs: readonly number[]): number {
  if (xs.length === 0) return 1;
  let s = 0;
  let s2 = 0;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  return s2 === 0 ? 1 : (s * s) / (xs.length * s2);
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation over the mean; 0 when the mean is 0. */
export function coefficientOfVariation(xs: readonly number[]): number {
  const m = mean(xs);
  if (!(m > 0)) return 0;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return Math.sqrt(v / xs.length) / m;
}

/** Which flows changed server across a change of the real-server set. */
export interface FlowDisruption {
  /** Flows (client and destination address pairs) seen both before and after the change. */
  flows: number;
  /** Of those, the fraction whose first server after the change differs from their last before it. */
  moved: number;
  /**
   * The fraction that had to move: flows of the removed server (removal), or flows the added server took
   * (addition) — a scheduler that moves only these disrupts as little as possible.
   */
  necessary: number;
}

/**
 * Flow disruption across the run's add or remove event. A flow is a client address and the destination address
 * it sent to, so the metric counts what each kind of scheduler keeps together: sh and mh hash the client, so all
 * of a client's flows move or stay as one; dh, lblc and lblcr hash the destination, so all flows to one
 * destination do. With one virtual address (every workload but a destination prefix's) a flow is a client.
 * Connections scheduled in the 100 ms after the change are skipped: a timeline command and the packets of that
 * instant interleave.
 */
export function flowDisruption(o: Pick<FairnessObservations, 'change' | 'flows'>): FlowDisruption | undefined {
  const c = o.change;
  if (c === undefined) return undefined;
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  const { t, client, destination, server } = o.flows;
  const settle = c.t + 100_000_000;
  for (let i = 0; i < t.length; i++) {
    // A space cannot occur in either address, so the key is unambiguous.
    const flow = `${client[i]} ${destination[i]}`;
    if (t[i] < c.t) before.set(flow, server[i]);
    else if (t[i] >= settle && !after.has(flow)) after.set(flow, server[i]);
  }
  let flows = 0;
  let moved = 0;
  let necessary = 0;
  for (const [flow, s0] of before) {
    const s1 = after.get(flow);
    if (s1 === undefined) continue;
    flows++;
    if (s1 !== s0) moved++;
    if (c.kind === 'remove' ? s0 === c.server : s1 === c.server) necessary++;
  }
  return { flows, moved: flows > 0 ? moved / flows : 0, necessary: flows > 0 ? necessary / flows : 0 };
}

/** The percentiles the response-time CDF plots use: 1 %, 2 %, ..., 99 %, 99.5 %, 99.9 %, 100 %. */
export const CDF_POINTS: readonly number[] = [...Array.from({ length: 99 }, (_, i) => i + 1), 99.5, 99.9, 100];

/** The numbers of one run. Shares are 0..1; times in ms. */
export interface RunFairness {
  scheduler: string;
  workload: string;
  seed: number;
  servers: string[];
  ideal: number[];
  connShare: number[];
  workShare: number[];
  connections: number;
  responses: number;
  /** max / mean of each server's connection share over its ideal share (1 = exactly weight-proportional). */
  maxMean: number;
  /** Coefficient of variation of the same normalised loads. */
  cov: number;
  /** Jain's index over raw connection counts (ignores weights). */
  jain: number;
  /** Jain's index over connection share / ideal share (weights taken into account). */
  jainWeighted: number;
  /** Jain's index over work share / ideal share. */
  jainWork: number;
  p50: number;
  p95: number;
  p99: number;
  refused: number;
  errors: number;
  drops: number;
  unscheduled: number;
  disruption?: FlowDisruption;
  /** Response-time percentiles at CDF_POINTS, ms. */
  cdf: number[];
}

export function runFairnessMetrics(o: FairnessObservations): RunFairness {
  const n = o.servers.length;
  const totalConn = o.connections.reduce((s, x) => s + x, 0);
  const totalWork = o.bytes.reduce((s, x) => s + x, 0);
  const connShare = o.connections.map((x) => (totalConn > 0 ? x / totalConn : 0));
  const workShare = o.bytes.map((x) => (totalWork > 0 ? x / totalWork : 0));
  const present = Array.from({ length: n }, (_, i) => i).filter((i) => o.ideal[i] > 0);
  const norm = present.map((i) => connShare[i] / o.ideal[i]);
  const normWork = present.map((i) => workShare[i] / o.ideal[i]);
  const m = mean(norm);
  const ms = (ns: number | undefined) => (ns === undefined ? NaN : ns / 1e6);
  return {
    scheduler: o.scheduler,
    workload: o.workload,
    seed: o.seed,
    servers: [...o.servers],
    ideal: [...o.ideal],
    connShare,
    workShare,
    connections: totalConn,
    responses: o.latencies.length,
    maxMean: m > 0 ? Math.max(...norm) / m : NaN,
    cov: coefficientOfVariation(norm),
    jain: jainIndex(present.map((i) => o.connections[i])),
    jainWeighted: jainIndex(norm),
    jainWork: jainIndex(normWork),
    p50: ms(percentile(o.latencies, 50)),
    p95: ms(percentile(o.latencies, 95)),
    p99: ms(percentile(o.latencies, 99)),
    refused: o.refused,
    errors: o.errors,
    drops: o.drops,
    unscheduled: o.unscheduled,
    disruption: flowDisruption(o),
    cdf: CDF_POINTS.map((p) => ms(percentile(o.latencies, p))),
  };
}

/** Two-sided 95 % Student t quantiles t(0.975, df) for df = 1..30. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t(0.975, df): the table up to 30, then interpolated in 1/df towards 1.960 (exact to 3 decimals at 40, 60, 120). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const anchors: Array<[number, number]> = [
    [30, 2.042],
    [40, 2.021],
    [60, 2.0],
    [120, 1.98],
    [Infinity, 1.96],
  ];
  for (let i = 0; i < anchors.length - 1; i++) {
    const [d0, t0] = anchors[i];
    const [d1, t1] = anchors[i + 1];
    if (df <= d1) {
      const x = (1 / d0 - 1 / df) / (1 / d0 - (d1 === Infinity ? 0 : 1 / d1));
      return t0 + (t1 - t0) * x;
    }
  }
  return 1.96;
}

/** A mean with its 95 % confidence interval's half-width (Student t over the sample; NaN half-width for n < 2). */
export interface MeanCi {
  n: number;
  mean: number;
  half: number;
}

export function meanCi(xs: readonly number[]): MeanCi {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { n, mean: NaN, half: NaN };
  const m = mean(v);
  if (n < 2) return { n, mean: m, half: NaN };
  let ss = 0;
  for (const x of v) ss += (x - m) * (x - m);
  const sd = Math.sqrt(ss / (n - 1));
  return { n, mean: m, half: (tQuantile975(n - 1) * sd) / Math.sqrt(n) };
}

/** One scheduler × workload cell, aggregated over its seeds. */
export interface FairnessSummary {
  scheduler: string;
  workload: string;
  seeds: number;
  servers: string[];
  ideal: number[];
  connShare: MeanCi[];
  workShare: MeanCi[];
  maxMean: MeanCi;
  cov: MeanCi;
  jain: MeanCi;
  jainWeighted: MeanCi;
  jainWork: MeanCi;
  p50: MeanCi;
  p95: MeanCi;
  p99: MeanCi;
  refused: MeanCi;
  errors: MeanCi;
  drops: MeanCi;
  moved?: MeanCi;
  necessary?: MeanCi;
  /** The mean over seeds of each CDF point (ms). */
  cdf: number[];
}

/** Aggregates runs of one scheduler and workload (the caller groups them). */
export function summarizeFairness(runs: readonly RunFairness[]): FairnessSummary {
  if (runs.length === 0) throw new RangeError('no runs to summarise');
  const r0 = runs[0];
  const col = (f: (r: RunFairness) => number) => meanCi(runs.map(f));
  const withDisruption = runs.filter((r) => r.disruption !== undefined);
  return {
    scheduler: r0.scheduler,
    workload: r0.workload,
    seeds: runs.length,
    servers: r0.servers,
    ideal: r0.ideal,
    connShare: r0.servers.map((_, i) => col((r) => r.connShare[i])),
    workShare: r0.servers.map((_, i) => col((r) => r.workShare[i])),
    maxMean: col((r) => r.maxMean),
    cov: col((r) => r.cov),
    jain: col((r) => r.jain),
    jainWeighted: col((r) => r.jainWeighted),
    jainWork: col((r) => r.jainWork),
    p50: col((r) => r.p50),
    p95: col((r) => r.p95),
    p99: col((r) => r.p99),
    refused: col((r) => r.refused),
    errors: col((r) => r.errors),
    drops: col((r) => r.drops),
    moved: withDisruption.length > 0 ? meanCi(withDisruption.map((r) => r.disruption!.moved)) : undefined,
    necessary: withDisruption.length > 0 ? meanCi(withDisruption.map((r) => r.disruption!.necessary)) : undefined,
    cdf: CDF_POINTS.map((_, i) => mean(runs.map((r) => r.cdf[i]).filter((x) => Number.isFinite(x)))),
  };
}
