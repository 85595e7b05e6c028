import type { AppEvent, TraceEvent } from '../trace/index.ts';
import { percentile, sortNumbers } from './percentile.ts';

/** Response-time percentiles of a set of exchanges, in ns. */
export interface LatencySummary {
  count: number;
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
}

/** `#3 from rs1 in 1234567ns`: the `traffic:` client's detail (it has no `latency` field). */
const LEGACY_TIME = /\bin (\d+)ns\b/;

/** The response time an `app` `response` event carries: its `latency` field, or the time in its detail. */
export function responseTimeOf(e: AppEvent): number | undefined {
  if (e.latency !== undefined) return e.latency;
  const m = LEGACY_TIME.exec(e.detail ?? '');
  return m ? Number(m[1]) : undefined;
}

export function isResponse(e: TraceEvent): e is AppEvent & { event: 'response' } {
  return e.kind === 'app' && e.event === 'response';
}

export function summarizeLatency(times: readonly number[]): LatencySummary {
  const s = sortNumbers(times);
  if (s.length === 0) return { count: 0 };
  return { count: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1] };
}

/** Percentiles over every response in the trace, or those `select` keeps. */
export function responseTimes(events: readonly TraceEvent[], select: (e: AppEvent) => boolean = () => true): LatencySummary {
  const times: number[] = [];
  for (const e of events) {
    if (!isResponse(e) || !select(e)) continue;
    const t = responseTimeOf(e);
    if (t !== undefined) times.push(t);
  }
  return summarizeLatency(times);
}
