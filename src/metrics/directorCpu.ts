import type { TraceEvent } from '../trace/index.ts';

/** A host's IPVS CPU over a run, from its `cpu` samples. */
export interface CpuUtilisation {
  host: string;
  /** ns of CPU spent on IPVS packets by the last sample. */
  busy: number;
  /** busy / the run's length, 0..1. */
  utilisation: number;
  /** The busiest sampling interval's utilisation, 0..1. */
  peak: number;
  processed: number;
  refused: number;
}

/**
 * Director CPU utilisation from the `cpu` trace events (samples of src/ipvs/DirectorCpu.ts, cumulative).
 * `ranTo` is the run's length; the utilisation is the CPU time spent over it. Hosts in first-sample order.
 */
export function directorCpu(events: readonly TraceEvent[], ranTo: number): CpuUtilisation[] {
  const out = new Map<string, CpuUtilisation & { lastT: number }>();
  for (const e of events) {
    if (e.kind !== 'cpu' || e.host === undefined) continue;
    let u = out.get(e.host);
    if (!u) out.set(e.host, (u = { host: e.host, busy: 0, utilisation: 0, peak: 0, processed: 0, refused: 0, lastT: 0 }));
    const dt = e.t - u.lastT;
    if (dt > 0) u.peak = Math.max(u.peak, Math.min(1, (e.busy - u.busy) / dt));
    u.busy = e.busy;
    u.processed = e.processed;
    u.refused = e.refused;
    u.lastT = e.t;
  }
  return [...out.values()].map(({ lastT: _lastT, ...u }) => ({ ...u, utilisation: ranTo > 0 ? Math.min(1, u.busy / ranTo) : 0 }));
}
