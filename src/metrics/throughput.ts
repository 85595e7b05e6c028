import type { TraceEvent } from '../trace/index.ts';
import { isResponse } from './responseTimes.ts';

/** Responses completed in one interval of the run. */
export interface ThroughputBin {
  /** Start of the interval (ns). */
  from: number;
  responses: number;
  /** Body bytes received. */
  bytes: number;
}

/**
 * Responses (and bytes) per `interval` of the run, from the clients' `app` `response` events, optionally only
 * those `select` keeps (one workload, one client host): throughput over time, e.g. as real servers are added.
 */
export function throughput(events: readonly TraceEvent[], interval: number, until: number, select: (e: Extract<TraceEvent, { kind: 'app' }>) => boolean = () => true): ThroughputBin[] {
  if (!(interval > 0)) throw new RangeError(`interval must be above 0, got ${interval}`);
  const bins: ThroughputBin[] = [];
  for (let from = 0; from < until; from += interval) bins.push({ from, responses: 0, bytes: 0 });
  for (const e of events) {
    if (!isResponse(e) || !select(e) || e.t >= until) continue;
    const b = bins[Math.floor(e.t / interval)];
    b.responses++;
    b.bytes += e.bytes ?? 0;
  }
  return bins;
}
