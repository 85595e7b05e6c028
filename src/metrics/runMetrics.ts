import type { TraceEvent } from '../trace/index.ts';
import { directorCpu, type CpuUtilisation } from './directorCpu.ts';
import { dropsByReason, type DropCount } from './drops.ts';
import { connectionsPerDestination, type DestinationConnections } from './perDestination.ts';
import { trafficPerServer, type ServerTraffic } from './perServer.ts';
import { isResponse, responseTimes, type LatencySummary } from './responseTimes.ts';

/** The per-run numbers `lvs-lab run` prints and the lab's faces show, all computed from the trace. */
export interface RunMetrics {
  /** Exchanges the clients completed, refused by a server, and failed (timeouts, resets, no route). */
  responses: number;
  refused: number;
  errors: number;
  latency: LatencySummary;
  destinations: DestinationConnections[];
  servers: ServerTraffic[];
  drops: DropCount[];
  cpu: CpuUtilisation[];
}

/** Everything at once, over a trace that ran to `ranTo`. */
export function runMetrics(events: readonly TraceEvent[], ranTo: number): RunMetrics {
  let responses = 0;
  let refused = 0;
  let errors = 0;
  for (const e of events) {
    if (e.kind !== 'app') continue;
    if (isResponse(e)) responses++;
    else if (e.event === 'refused' && e.server !== undefined) refused++;
    else if (e.event === 'error') errors++;
  }
  return {
    responses,
    refused,
    errors,
    latency: responseTimes(events),
    destinations: connectionsPerDestination(events),
    servers: trafficPerServer(events),
    drops: dropsByReason(events),
    cpu: directorCpu(events, ranTo),
  };
}
