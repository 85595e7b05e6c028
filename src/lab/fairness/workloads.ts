import { parse as parseYaml } from 'yaml';

/**
 * The fairness benchmark's workload library: named definitions of a cluster (eight real servers with a
 * capacity model, their IPVS weights, persistence) and the traffic offered to it (client populations and
 * arrival processes in the scenario format's own `workload:` syntax), plus timeline events (a real server
 * added, removed or slowed part-way). `fairnessScenario` turns one definition, a scheduler, a seed and a run
 * length into a complete scenario text that runs through the full simulation.
 *
 * Rates are per second and stay the same whatever the run length, so a shorter run (`--seconds 1`) is the same
 * load over less time; event times are fractions of the run (`50%`).
 */

/** One stream of sessions: the scenario's `workload:` keys except name, from and stop. */
export interface WorkloadFlow {
  readonly clients: Readonly<Record<string, unknown>>;
  /**
   * Many destination addresses: the scenario's `to:` mapping form without `port` (the cluster's), e.g.
   * `{ prefix: 10.1.0.0/24, count: 254, zipf: 1 }`. Absent: the one virtual address. A definition with such a
   * flow gets a firewall-mark virtual service (see fairnessScenario).
   */
  readonly to?: Readonly<Record<string, unknown>>;
  readonly arrivals: Readonly<Record<string, unknown>>;
  readonly request?: unknown;
  readonly response?: unknown;
  readonly requests_per_connection?: number;
  readonly timeout?: string;
}

/** A timeline event, at a fraction of the run (0..1): real server `server` (1-based) added, removed or slowed. */
export type WorkloadEvent =
  | { readonly at: number; readonly kind: 'add'; readonly server: number }
  | { readonly at: number; readonly kind: 'remove'; readonly server: number }
  | { readonly at: number; readonly kind: 'slow'; readonly server: number; readonly factor: number };

export interface WorkloadDefinition {
  readonly name: string;
  readonly description: string;
  /** Relative capacity of each real server (the service's `speed`); its length is the number of servers. */
  readonly speeds: readonly number[];
  /** IPVS weights, one per server. */
  readonly weights: readonly number[];
  /** The capacity model every real server runs (the scenario's service keys: workers, queue, service_time). */
  readonly service: Readonly<Record<string, unknown>>;
  /** Persistence timeout in seconds (`ipvsadm -p`), absent: none. */
  readonly persistence?: number;
  readonly flows: readonly WorkloadFlow[];
  readonly events: readonly WorkloadEvent[];
}

const EIGHT = 8;
/** Four workers per server, 40 ms of work per request on average: 100 requests a second per speed-1 server. */
const SERVICE = { workers: 4, queue: 100, service_time: { exponential: '40ms' } } as const;
/** Most workloads' cluster: eight speed-1 servers of weight 1 running SERVICE (fresh arrays for each). */
function equalCluster(): Pick<WorkloadDefinition, 'speeds' | 'weights' | 'service'> {
  return { speeds: Array<number>(EIGHT).fill(1), weights: Array<number>(EIGHT).fill(1), service: SERVICE };
}
/** About 5,000 connections in 10 s: 500 a second, 62 % of eight speed-1 servers' capacity. */
const POISSON = { poisson: '500/s' } as const;
const CLIENTS = { prefix: '172.16.0.0/16', count: 1000 } as const;
const SMALL = { request: '100B', response: '2KB' } as const;
/**
 * A cache cluster's origin servers: every usable address of a /24 (254; dh's table has 256 buckets), with
 * Zipf(1) popularity — the most popular address gets 16 % of the connections, the top ten 48 %.
 */
const ORIGINS = { prefix: '10.1.0.0/24', count: 254, zipf: 1 } as const;
/** Capacities 1:1:1:1:2:2:3:3 scaled so the eight sum to 8.75 speed-1 servers (load 57 %). */
const UNEQUAL = [0.5, 0.5, 0.5, 0.5, 1, 1, 1.5, 1.5].map((s) => s * (8.75 / 7));

export const WORKLOAD_LIBRARY: readonly WorkloadDefinition[] = [
  {
    name: 'equal',
    description: 'eight equal servers, equal weights, 1,000 clients, Poisson arrivals at 500/s, 2 KB responses',
    ...equalCluster(),
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [],
  },
  {
    name: 'unequal-capacity',
    description: 'capacities 1:1:1:1:2:2:3:3, weights proportional to them',
    speeds: UNEQUAL,
    weights: [1, 1, 1, 1, 2, 2, 3, 3],
    service: SERVICE,
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [],
  },
  {
    name: 'unequal-misweighted',
    description: 'capacities 1:1:1:1:2:2:3:3 but every weight 1: the slow servers are offered more than they can serve',
    speeds: UNEQUAL,
    weights: Array<number>(EIGHT).fill(1),
    service: SERVICE,
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [],
  },
  {
    name: 'heavy-tail',
    description: 'heavy-tailed work and sizes: Pareto service times (10 ms minimum, shape 1.5) and Pareto responses (1 KB, shape 1.3, up to 64 KB)',
    ...equalCluster(),
    service: { workers: 4, queue: 100, service_time: { pareto: '10ms', shape: 1.5, max: '2s' } },
    flows: [{ clients: CLIENTS, arrivals: POISSON, request: '100B', response: { pareto: '1KB', shape: 1.3, max: '64KB' } }],
    events: [],
  },
  {
    name: 'bursty',
    description: 'on-off arrivals: Poisson at 1,000/s for 250 ms, silent for 250 ms (the same 500/s on average)',
    ...equalCluster(),
    flows: [{ clients: CLIENTS, arrivals: { on_off: { rate: '1000/s', on: '250ms', off: '250ms' } }, ...SMALL }],
    events: [],
  },
  {
    name: 'zipf-clients',
    description: '1,000 client addresses with Zipf-distributed activity (exponent 1): the top address opens 13 % of the connections',
    ...equalCluster(),
    flows: [{ clients: { ...CLIENTS, zipf: 1 }, arrivals: POISSON, ...SMALL }],
    events: [],
  },
  {
    name: 'mega-proxy',
    description: 'half the connections come from one proxy address standing for 5,000 users, half from 1,000 clients',
    ...equalCluster(),
    flows: [
      { clients: { megaproxy: '172.31.0.1', users: 5000 }, arrivals: { poisson: '250/s' }, ...SMALL },
      { clients: CLIENTS, arrivals: { poisson: '250/s' }, ...SMALL },
    ],
    events: [],
  },
  {
    name: 'persistent',
    description: 'the equal cluster with persistence (ipvsadm -p 300): each client sticks to its first real server',
    ...equalCluster(),
    persistence: 300,
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [],
  },
  {
    name: 'server-add',
    description: 'seven real servers in the service; the eighth is added half-way (ipvsadm -a)',
    ...equalCluster(),
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [{ at: 0.5, kind: 'add', server: 8 }],
  },
  {
    name: 'server-remove',
    description: 'eight real servers; the eighth is removed half-way (ipvsadm -d)',
    ...equalCluster(),
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [{ at: 0.5, kind: 'remove', server: 8 }],
  },
  {
    name: 'slow-server',
    description: 'eight equal servers; at 30 % of the run the third becomes four times slower (timeline slow:)',
    ...equalCluster(),
    flows: [{ clients: CLIENTS, arrivals: POISSON, ...SMALL }],
    events: [{ at: 0.3, kind: 'slow', server: 3, factor: 4 }],
  },
  {
    name: 'cache-cluster',
    description: 'a cache cluster: 1,000 clients reach 254 origin addresses (10.1.0.0/24, Zipf(1) popularity) through a firewall-mark service, so dh, lblc and lblcr see many destinations',
    ...equalCluster(),
    flows: [{ clients: CLIENTS, to: ORIGINS, arrivals: POISSON, ...SMALL }],
    events: [],
  },
];

/** A definition file could not be read; `message` says where and what was expected. */
export class WorkloadDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadDefinitionError';
  }
}

const DEF_KEYS = ['name', 'description', 'servers', 'speeds', 'weights', 'service', 'persistence', 'flows', 'events'];
const FLOW_KEYS = ['clients', 'to', 'arrivals', 'request', 'response', 'requests_per_connection', 'timeout'];
/** A flow's `to:`: the destination prefix form without `port`, which is the generated cluster's. */
const TO_KEYS = ['prefix', 'count', 'zipf'];
const SERVICE_KEYS = ['workers', 'queue', 'service_time', 'response'];
const NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;

/**
 * Workload definitions from YAML: `workloads:` followed by a list of definitions (or the list itself). Each
 * definition has `name` and `flows`; `servers` (default 8), `speeds` and `weights` (default all 1), `service`
 * (default 4 workers, queue 100, exponential 40 ms), `persistence` (seconds), `events` (`{ at: 50%, add: K }`,
 * `{ at: 50%, remove: K }`, `{ at: 30%, slow: K, factor: F }`, K counting real servers from 1). Flows use the
 * scenario format's `workload:` keys (clients, to, arrivals, request, response, requests_per_connection, timeout;
 * `to` only in its prefix form, `{ prefix, count, zipf }`, without the port);
 * the scenario loader checks their values when the workload first runs (or with `bench workloads --file`).
 */
export function parseWorkloadDefinitions(text: string, file: string): WorkloadDefinition[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new WorkloadDefinitionError(`${file}: not YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const list = isRecord(doc) && 'workloads' in doc ? doc.workloads : doc;
  if (!Array.isArray(list)) throw new WorkloadDefinitionError(`${file}: expected a list of workload definitions (or workloads: followed by one)`);
  const seen = new Set<string>();
  return list.map((item, i) => {
    const def = readDefinition(item, `${file}: workloads[${i}]`);
    if (seen.has(def.name)) throw new WorkloadDefinitionError(`${file}: workloads[${i}].name: ${def.name} is defined twice`);
    seen.add(def.name);
    return def;
  });
}

function readDefinition(v: unknown, at: string): WorkloadDefinition {
  const m = record(v, at, 'a mapping with name and flows');
  unknownKeys(m, DEF_KEYS, at);
  const name = m.name;
  if (typeof name !== 'string' || !NAME.test(name)) throw new WorkloadDefinitionError(`${at}.name: expected a name of lower-case letters, digits and -, got ${JSON.stringify(name)}`);
  const description = m.description === undefined ? name : String(m.description);
  const servers = m.servers === undefined ? EIGHT : intIn(m.servers, 1, 64, `${at}.servers`);
  const numbers = (key: 'speeds' | 'weights', min: number, max: number): number[] => {
    const x = m[key];
    if (x === undefined) return Array<number>(servers).fill(1);
    if (!Array.isArray(x) || x.length !== servers) throw new WorkloadDefinitionError(`${at}.${key}: expected a list of ${servers} numbers (one per real server)`);
    return x.map((n, i) => {
      if (typeof n !== 'number' || !(n >= min && n <= max)) throw new WorkloadDefinitionError(`${at}.${key}[${i}]: expected a number from ${min} to ${max}, got ${JSON.stringify(n)}`);
      return n;
    });
  };
  const speeds = numbers('speeds', 0.001, 1000);
  const weights = numbers('weights', 0, 65535).map((w, i) => {
    if (!Number.isInteger(w)) throw new WorkloadDefinitionError(`${at}.weights[${i}]: expected an integer weight, got ${w}`);
    return w;
  });
  const service = m.service === undefined ? SERVICE : record(m.service, `${at}.service`, 'a mapping of service keys (workers, queue, service_time, response)');
  unknownKeys(service, SERVICE_KEYS, `${at}.service`);
  const persistence = m.persistence === undefined ? undefined : intIn(m.persistence, 1, 31_536_000, `${at}.persistence`);
  if (!Array.isArray(m.flows) || m.flows.length === 0) throw new WorkloadDefinitionError(`${at}.flows: expected a list of one or more flows`);
  const flows = m.flows.map((f, i) => {
    const fm = record(f, `${at}.flows[${i}]`, 'a mapping with clients and arrivals');
    unknownKeys(fm, FLOW_KEYS, `${at}.flows[${i}]`);
    const clients = record(fm.clients, `${at}.flows[${i}].clients`, '{ prefix: A.B.C.D/N, count: N } or { megaproxy: A.B.C.D, users: N }');
    const arrivals = record(fm.arrivals, `${at}.flows[${i}].arrivals`, '{ poisson: N/s }, { every: DURATION } or { on_off: ... }');
    if ('closed' in arrivals) throw new WorkloadDefinitionError(`${at}.flows[${i}].arrivals: closed loops are not offered (a fairness sweep offers open-loop load)`);
    if (fm.to === undefined) return { ...fm, clients, arrivals } as WorkloadFlow;
    const to = record(fm.to, `${at}.flows[${i}].to`, '{ prefix: A.B.C.D/N, count: N, zipf: S } (the port is the cluster\'s)');
    unknownKeys(to, TO_KEYS, `${at}.flows[${i}].to`);
    return { ...fm, clients, to, arrivals } as WorkloadFlow;
  });
  const events = m.events === undefined ? [] : list(m.events, `${at}.events`).map((e, i) => readEvent(e, `${at}.events[${i}]`, servers));
  return { name, description, speeds, weights, service, persistence, flows, events };
}

function readEvent(v: unknown, at: string, servers: number): WorkloadEvent {
  const m = record(v, at, '{ at: 50%, add: K }, { at: 50%, remove: K } or { at: 30%, slow: K, factor: F }');
  const pct = typeof m.at === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(m.at) : null;
  if (pct === null || Number(pct[1]) >= 100) throw new WorkloadDefinitionError(`${at}.at: expected a share of the run below 100%, e.g. 50%, got ${JSON.stringify(m.at)}`);
  const t = Number(pct[1]) / 100;
  const kinds = ['add', 'remove', 'slow'].filter((k) => k in m);
  if (kinds.length !== 1) throw new WorkloadDefinitionError(`${at}: expected exactly one of add, remove, slow`);
  const kind = kinds[0] as 'add' | 'remove' | 'slow';
  unknownKeys(m, kind === 'slow' ? ['at', 'slow', 'factor'] : ['at', kind], at);
  const server = intIn(m[kind], 1, servers, `${at}.${kind}`);
  if (kind === 'slow') return { at: t, kind, server, factor: typeof m.factor === 'number' && m.factor >= 1 && m.factor <= 1_000_000 ? m.factor : badFactor(at, m.factor) };
  return { at: t, kind, server };
}

function badFactor(at: string, v: unknown): never {
  throw new WorkloadDefinitionError(`${at}.factor: expected a slow-down factor from 1 to 1000000, got ${JSON.stringify(v)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function record(v: unknown, at: string, expected: string): Record<string, unknown> {
  if (!isRecord(v)) throw new WorkloadDefinitionError(`${at}: expected ${expected}`);
  return v;
}

function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new WorkloadDefinitionError(`${at}: expected a list`);
  return v;
}

function unknownKeys(m: Record<string, unknown>, allowed: readonly string[], at: string): void {
  for (const k of Object.keys(m)) if (!allowed.includes(k)) throw new WorkloadDefinitionError(`${at}.${k}: unknown key (expected one of ${allowed.join(', ')})`);
}

function intIn(v: unknown, min: number, max: number, at: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new WorkloadDefinitionError(`${at}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** The library by name, with `extra` definitions added (an extra one may replace a library name). */
export function workloadsByName(extra: readonly WorkloadDefinition[] = []): Map<string, WorkloadDefinition> {
  const m = new Map<string, WorkloadDefinition>();
  for (const d of [...WORKLOAD_LIBRARY, ...extra]) m.set(d.name, d);
  return m;
}
