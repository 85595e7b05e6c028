import type { SimTime } from '../lab/index.ts';
import type { SoakSample } from './soakRun.ts';

/**
 * Whether a soak run stayed flat: the heap's least-squares slope over the second half of the run, and the table
 * sizes after warm-up (every one must plateau).
 */

/**
 * The largest heap slope that passes, as a fraction of the mean retained memory per 10^6 events: 0.1 %, that is
 * 1 % per 10^7 events. After warm-up every table holds only what its timers keep alive, so the retained memory
 * (JS heap + ArrayBuffers after full collections) should move only by collection noise, about a megabyte either
 * way; over the second half of a 10^8-event run (50 samples across 5 x 10^7 events) that noise gives the slope a
 * standard error of a few kilobytes per 10^6 events, while the limit is about 100 KB per 10^6 events on a heap
 * of ~100 MB. A real leak is caught well inside it: one forgotten 32-byte object per connection (about 200
 * events each) is 160 KB per 10^6 events, and growth at the limit would double the heap in 10^9 events.
 */
export const SLOPE_LIMIT = 0.001;

/** The sizes the plateau check follows (SoakSample fields). */
export const PLATEAU_SIZES = ['pendingEvents', 'queuedEvents', 'ipvsConnections', 'neighbours', 'neighboursAll', 'tcpSockets'] as const;
export type PlateauSize = (typeof PLATEAU_SIZES)[number];

export interface LeastSquares {
  slope: number;
  intercept: number;
  /** Standard error of the slope (0 with fewer than three points). */
  stdError: number;
}

/** Ordinary least squares of y on x. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): LeastSquares {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new RangeError(`least squares needs at least two points, got ${n}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) throw new RangeError('least squares needs two distinct x values');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - intercept - slope * xs[i]) ** 2;
  const stdError = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
  return { slope, intercept, stdError };
}

/**
 * How far a table may rise over its earlier plateau. The sizes count things alive at one instant in a steady
 * stream: each connection of the last minutes holds an IPVS entry, a TIME_WAIT socket and their timers, so a
 * size moves with a Poisson count of connections (standard deviation: its square root), in steps of up to a few
 * entries at once. A size of mean N made of up to 4 entries per connection has a standard deviation of at most
 * 2 x sqrt(N); ten square roots (plus a few for tiny tables) is five of those, exceeded by chance about once in
 * three million samples, while a table that never releases keeps growing past any such bound.
 */
export function plateauMargin(n: number): number {
  return Math.ceil(10 * Math.sqrt(n)) + 16;
}

export interface PlateauCheck {
  size: PlateauSize;
  /** Over every sample after warm-up. */
  min: number;
  max: number;
  /** The largest value in the first and in the second half of the samples after warm-up. */
  firstHalfMax: number;
  secondHalfMax: number;
  /** firstHalfMax + plateauMargin(firstHalfMax): the second half must stay at or below it. */
  bound: number;
  ok: boolean;
}

/** Each size over the samples taken at or after `warmUpNs`: the second half's peak against the first half's. */
export function plateauChecks(samples: readonly SoakSample[], warmUpNs: SimTime): PlateauCheck[] {
  const after = samples.filter((s) => s.simNs >= warmUpNs);
  if (after.length < 4) return [];
  const half = after.length >> 1;
  return PLATEAU_SIZES.map((size) => {
    const values = after.map((s) => s[size]);
    const firstHalfMax = Math.max(...values.slice(0, half));
    const secondHalfMax = Math.max(...values.slice(half));
    const bound = firstHalfMax + plateauMargin(firstHalfMax);
    return { size, min: Math.min(...values), max: Math.max(...values), firstHalfMax, secondHalfMax, bound, ok: secondHalfMax <= bound };
  });
}

export interface HeapSlope {
  /** Samples used: those in the second half of the run's events and after the memory warm-up. */
  samples: number;
  fromEvents: number;
  /** Retained memory (heapUsed + arrayBuffers) per 10^6 events, and the slope's standard error. */
  bytesPerMillionEvents: number;
  stdError: number;
  meanBytes: number;
  /** SLOPE_LIMIT x meanBytes. */
  limit: number;
  ok: boolean;
}

/** Memory a sample says is retained: JS heap plus ArrayBuffer storage (the event queue's typed arrays). */
export function retainedBytes(s: SoakSample): number | undefined {
  return s.heapUsed === undefined || s.arrayBuffers === undefined ? undefined : s.heapUsed + s.arrayBuffers;
}

/** The least-squares slope of retained memory over the second half of the run (`undefined` if too few samples). */
export function heapSlope(samples: readonly SoakSample[], totalEvents: number, warmUpNs: SimTime): HeapSlope | undefined {
  const from = totalEvents / 2;
  const used = samples.filter((s) => s.events >= from && s.simNs >= warmUpNs && retainedBytes(s) !== undefined);
  if (used.length < 4) return undefined;
  const xs = used.map((s) => s.events / 1e6);
  const ys = used.map((s) => retainedBytes(s)!);
  const fit = leastSquares(xs, ys);
  const meanBytes = ys.reduce((a, b) => a + b, 0) / ys.length;
  const limit = SLOPE_LIMIT * meanBytes;
  return { samples: used.length, fromEvents: used[0].events, bytesPerMillionEvents: fit.slope, stdError: fit.stdError, meanBytes, limit, ok: fit.slope <= limit };
}

export interface SoakVerdict {
  heap: HeapSlope | undefined;
  plateau: PlateauCheck[];
  /** Why the run is not flat, or was too short to say; empty when it passed. */
  problems: string[];
  ok: boolean;
}

/** The verdict on a run: tables judged after `tableWarmUpNs`, memory (when measured) after `memoryWarmUpNs`. */
export function judgeSoak(samples: readonly SoakSample[], totalEvents: number, warm: { tableWarmUpNs: SimTime; memoryWarmUpNs: SimTime }, measuredMemory: boolean): SoakVerdict {
  const problems: string[] = [];
  const plateau = plateauChecks(samples, warm.tableWarmUpNs);
  if (plateau.length === 0) problems.push('too few samples after warm-up to judge the tables (run more events)');
  for (const c of plateau) {
    if (!c.ok) problems.push(`${c.size} rose to ${c.secondHalfMax} in the second half after warm-up, above ${c.bound} (first half's peak ${c.firstHalfMax} + margin)`);
  }
  const heap = measuredMemory ? heapSlope(samples, totalEvents, warm.memoryWarmUpNs) : undefined;
  if (measuredMemory && heap === undefined) problems.push('too few samples in the second half after the memory warm-up to fit the heap slope (run more events)');
  if (heap && !heap.ok) {
    problems.push(`retained memory grows ${Math.round(heap.bytesPerMillionEvents)} bytes per 10^6 events, above the limit of ${Math.round(heap.limit)} (${SLOPE_LIMIT * 100} % of the mean ${Math.round(heap.meanBytes)})`);
  }
  return { heap, plateau, problems, ok: problems.length === 0 };
}
