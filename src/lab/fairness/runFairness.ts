import { Lab } from '../Lab.ts';
import { NO_LIMITS } from '../../scenario/limits.ts';
import { eventTime, fairnessScenario, idealShares, serverAddress, serverName, PORT, type FairnessRunSpec } from './fairnessScenario.ts';

/** What one fairness run observed, straight from its trace (the metrics are computed from this, in src/metrics). */
export interface FairnessObservations {
  readonly scheduler: string;
  readonly workload: string;
  readonly seed: number;
  readonly seconds: number;
  /** Real server names (`rs1`...), in order. */
  readonly servers: readonly string[];
  /** Each server's IPVS weight and weight-ideal share of the connections (see idealShares). */
  readonly weights: readonly number[];
  readonly ideal: readonly number[];
  /** The first add or remove event: when (ns), which server (index into `servers`), which way. */
  readonly change?: { readonly t: number; readonly server: number; readonly kind: 'add' | 'remove' };
  /** Connections IPVS scheduled to each server. */
  readonly connections: readonly number[];
  /** Response body bytes each server sent (the work a response represents). */
  readonly bytes: readonly number[];
  /** Responses each server completed. */
  readonly responses: readonly number[];
  /**
   * Every scheduled connection: time (ns), client address, the destination address the client sent to (the
   * VIP, or one of a destination prefix's addresses), server index; in trace order.
   */
  readonly flows: { readonly t: readonly number[]; readonly client: readonly string[]; readonly destination: readonly string[]; readonly server: readonly number[] };
  /** Response times of every completed exchange, ns, ascending. */
  readonly latencies: readonly number[];
  /** Exchanges a server refused (HTTP 503: queue full) and exchanges that failed (reset, timeout, no server). */
  readonly refused: number;
  readonly errors: number;
  /** Packets dropped anywhere (drop events). */
  readonly drops: number;
  /** Connections IPVS could not schedule (no destination available). */
  readonly unscheduled: number;
}

/**
 * Runs one fairness run through the full simulation, untraced except for the kinds the metrics need (`ipvs`,
 * `app`, `drop`), so packets are not summarised. Deterministic: the same spec gives the same observations.
 */
export function runFairness(spec: FairnessRunSpec): FairnessObservations {
  const w = spec.workload;
  const n = w.speeds.length;
  const text = fairnessScenario(spec);
  const lab = Lab.fromText(text, { ...NO_LIMITS, file: `fairness-${w.name}.yaml`, record: false });
  const servers = Array.from({ length: n }, (_, i) => serverName(i + 1));
  const byDest = new Map(servers.map((_, i) => [`${serverAddress(i + 1)}:${PORT}`, i]));
  const byName = new Map(servers.map((s, i) => [s, i]));
  const connections = Array<number>(n).fill(0);
  const bytes = Array<number>(n).fill(0);
  const responses = Array<number>(n).fill(0);
  const t: number[] = [];
  const client: string[] = [];
  const destination: string[] = [];
  const server: number[] = [];
  const latencies: number[] = [];
  let refused = 0;
  let errors = 0;
  let drops = 0;
  let unscheduled = 0;
  lab.onEvent(
    (e) => {
      if (e.kind === 'ipvs') {
        if (e.event === 'conn' && e.dest !== undefined) {
          const i = byDest.get(e.dest);
          if (i === undefined) return;
          connections[i]++;
          t.push(e.t);
          client.push(addressOf(e.client));
          destination.push(addressOf(e.virtual));
          server.push(i);
        } else if (e.event === 'log' && (e.detail ?? '').includes('no destination available')) {
          unscheduled++;
        }
      } else if (e.kind === 'app') {
        if (e.host !== 'client') return;
        if (e.event === 'response') {
          const i = byName.get(e.server ?? '');
          if (i !== undefined) {
            bytes[i] += e.bytes ?? 0;
            responses[i]++;
          }
          if (e.latency !== undefined) latencies.push(e.latency);
        } else if (e.event === 'refused') refused++;
        else if (e.event === 'error') errors++;
      } else if (e.kind === 'drop') {
        drops++;
      }
    },
    ['ipvs', 'app', 'drop'],
  );
  lab.run();
  latencies.sort((a, b) => a - b);
  const first = w.events.find((e) => e.kind === 'add' || e.kind === 'remove');
  const change = first === undefined ? undefined : { t: eventTime(first.at, spec.seconds), server: first.server - 1, kind: first.kind };
  return {
    scheduler: spec.scheduler,
    workload: w.name,
    seed: spec.seed,
    seconds: spec.seconds,
    servers,
    weights: [...w.weights],
    ideal: idealShares(w),
    change,
    connections,
    bytes,
    responses,
    flows: { t, client, destination, server },
    latencies,
    refused,
    errors,
    drops,
    unscheduled,
  };
}

/** `A.B.C.D:PORT` → `A.B.C.D` (empty when the event has none). */
function addressOf(endpoint: string | undefined): string {
  return endpoint === undefined ? '' : endpoint.slice(0, endpoint.lastIndexOf(':'));
}
