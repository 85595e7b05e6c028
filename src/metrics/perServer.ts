import type { TraceEvent } from '../trace/index.ts';
import { isResponse, responseTimeOf, summarizeLatency, type LatencySummary } from './responseTimes.ts';

/** What the clients received from one real server, by the name its replies carry (`Server: rs1`). */
export interface ServerTraffic {
  server: string;
  responses: number;
  /** Body bytes received from it. */
  bytes: number;
  /** Explicit refusals (HTTP 503, FTP 421) it sent. */
  refused: number;
  latency: LatencySummary;
}

/**
 * Responses, bytes and response times per answering server, from the clients' `app` events (`response` and
 * `refused` carry `server` and `bytes`; the `traffic:` client's responses name the server in their detail and
 * carry no byte count). Sorted by server name.
 */
export function trafficPerServer(events: readonly TraceEvent[]): ServerTraffic[] {
  const acc = new Map<string, { responses: number; bytes: number; refused: number; times: number[] }>();
  const row = (server: string) => {
    let r = acc.get(server);
    if (!r) acc.set(server, (r = { responses: 0, bytes: 0, refused: 0, times: [] }));
    return r;
  };
  for (const e of events) {
    if (e.kind !== 'app') continue;
    if (isResponse(e)) {
      const server = e.server ?? /\bfrom (\S+)/.exec(e.detail ?? '')?.[1] ?? '?';
      const r = row(server);
      r.responses++;
      r.bytes += e.bytes ?? 0;
      const t = responseTimeOf(e);
      if (t !== undefined) r.times.push(t);
    } else if (e.event === 'refused' && e.server !== undefined) {
      row(e.server).refused++;
    }
  }
  return [...acc.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([server, r]) => ({ server, responses: r.responses, bytes: r.bytes, refused: r.refused, latency: summarizeLatency(r.times) }));
}
