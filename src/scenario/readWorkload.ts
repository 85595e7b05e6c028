import { isMap, isScalar } from 'yaml';
import { APP_PROTOCOLS, DEFAULT_CHECK_FILE, FTP_MODES, populationAddresses, type AppProtocol, type ArrivalSpec, type ClosedLoopSpec, type Distribution, type PopulationSpec, type PrefixPopulation } from '../apps/index.ts';
import { broadcastOf, networkOf, parseCidr, parseIpv4 } from '../wire/index.ts';
import type { Field, FieldReader, Fields } from './fields.ts';
import type { ReadContext } from './readContext.ts';
import { WORKLOAD_DEFAULTS, type ServiceExtras, type WorkloadSpec } from './workloadSchema.ts';

/**
 * Extension (issue 5): the `workload:` list and the richer `services:` keys (docs/scenario-format.md,
 * "Workloads"). Every key is checked where it is written; unknown keys are refused like everywhere else.
 */

const WORKLOAD_KEYS = ['name', 'from', 'to', 'protocol', 'clients', 'arrivals', 'start', 'stop', 'request', 'response', 'requests_per_connection', 'timeout', 'ftp_mode'] as const;
const CLIENT_FORMS = ['prefix', 'megaproxy'] as const;
const PREFIX_KEYS = ['prefix', 'count', 'zipf'] as const;
const DESTINATION_KEYS = ['prefix', 'count', 'port', 'zipf'] as const;
const MEGAPROXY_KEYS = ['megaproxy', 'users'] as const;
const ARRIVAL_FORMS = ['every', 'poisson', 'on_off', 'closed'] as const;
const ON_OFF_KEYS = ['rate', 'on', 'off'] as const;
const CLOSED_KEYS = ['users', 'think'] as const;
const DISTRIBUTION_FORMS = ['exponential', 'pareto'] as const;
const PARETO_KEYS = ['pareto', 'shape', 'max'] as const;

/** Service keys beyond port/protocol/response. */
/**
 * Largest request a client sends, in bytes: requests are written out byte for byte (a text payload), so a
 * `request: 2GiB` would be a 2 GiB string (and past what a JavaScript string can hold). Responses are lengths
 * only and have no such bound.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export const SERVICE_EXTRA_KEYS = ['app', 'workers', 'queue', 'service_time', 'speed', 'check', 'passive_ports', 'unit'] as const;
const CHECK_KEYS = ['path', 'body'] as const;

/** Populations, users and counts beyond this are a typo (each client address is an address on the host). */
const MAX_CLIENTS = 65_536;
const MAX_USERS = 1_000_000;
/** Rates above this many per second would schedule more events than a lesson can run. */
const MAX_RATE = 1_000_000;

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export function readWorkloads(ctx: ReadContext, f: Field): WorkloadSpec[] {
  const seen = new Map<string, number>();
  return ctx.r.items(f, 'a list of workloads { from, to, arrivals, ... }').map((item, i) => {
    const w = readWorkload(ctx, item, i);
    const first = seen.get(w.name);
    if (first !== undefined) {
      const fields = ctx.r.fields(item, WORKLOAD_KEYS, 'a workload');
      ctx.r.fail(fields.get('name') ?? item, `a workload name not used before (${w.name} is first at line ${first})`, JSON.stringify(w.name));
    }
    seen.set(w.name, w.pos.line);
    return w;
  });
}

function readWorkload(ctx: ReadContext, f: Field, index: number): WorkloadSpec {
  const r: FieldReader = ctx.r;
  const w = r.fields(f, WORKLOAD_KEYS, 'a workload: a mapping with from, to, arrivals and optionally name, protocol, clients, start, stop, request, response, requests_per_connection, timeout, ftp_mode');
  const spec: WorkloadSpec = {
    name: `workload${index + 1}`,
    from: '',
    to: 0,
    port: 0,
    protocol: WORKLOAD_DEFAULTS.protocol,
    clients: { kind: 'host' },
    arrivals: { kind: 'fixed', interval: 0 },
    start: 0,
    request: WORKLOAD_DEFAULTS.request,
    response: WORKLOAD_DEFAULTS.response,
    requestsPerConnection: WORKLOAD_DEFAULTS.requestsPerConnection,
    pos: w.pos,
  };
  w.read<(typeof WORKLOAD_KEYS)[number]>({
    name: (v) => {
      spec.name = r.text(v, 'a workload name', { singleLine: true });
      if (!NAME_RE.test(spec.name)) r.fail(v, 'a name of letters, digits, "_", "." and "-" (at most 64 characters)');
    },
    from: (v) => (spec.from = ctx.hostRef(v)),
    to: (v) => ([spec.to, spec.port] = isMap(v.value) ? readDestinations(ctx, v) : endpoint(ctx, v)),
    protocol: (v) => (spec.protocol = r.oneOf(v, APP_PROTOCOLS, `a protocol: ${APP_PROTOCOLS.join(', ')}`)),
    clients: (v) => (spec.clients = readClients(ctx, v)),
    arrivals: (v) => (spec.arrivals = readArrivals(ctx, v)),
    start: (v) => (spec.start = r.duration(v)),
    stop: (v) => (spec.stop = r.duration(v, { positive: true })),
    request: (v) => (spec.request = readDistribution(ctx, v, 'size', MAX_REQUEST_BYTES)),
    response: (v) => (spec.response = readDistribution(ctx, v, 'size')),
    requests_per_connection: (v) => (spec.requestsPerConnection = r.integer(v, 1, 1_000_000, 'a number of requests per connection, 1 or more')),
    timeout: (v) => (spec.timeout = r.duration(v, { positive: true })),
    ftp_mode: (v) => (spec.ftpMode = r.oneOf(v, FTP_MODES, 'an ftp_mode: passive or active')),
  });
  w.require('from', 'a from: key naming the client host');
  w.require('to', 'a to: key with the destination A.B.C.D:PORT or { prefix: A.B.C.D/N, count: N, port: PORT }');
  w.require('arrivals', 'an arrivals: key ({ every: 10ms }, { poisson: 100/s }, { on_off: {...} } or { closed: {...} })');
  const mode = w.get('ftp_mode');
  if (mode !== undefined && spec.protocol !== 'ftp') r.fail(mode, 'ftp_mode only with protocol: ftp');
  if (spec.stop !== undefined && spec.stop <= spec.start) r.fail(w.get('stop')!, `a stop: after start: (${spec.start}ns)`);
  return spec;
}

/** `A.B.C.D:PORT` → [address, port]. */
function endpoint(ctx: ReadContext, f: Field): [number, number] {
  const expected = 'a destination address and port, A.B.C.D:PORT, or { prefix: A.B.C.D/N, count: N, port: PORT }';
  const text = ctx.r.text(f, expected, { singleLine: true });
  const m = /^([0-9.]+):(\d{1,5})$/.exec(text);
  const address = m === null ? undefined : parseIpv4(m[1]);
  const port = m === null ? 0 : Number(m[2]);
  if (address === undefined || port < 1 || port > 65535) ctx.r.fail(f, expected);
  return [address, port];
}

/** Exactly one of `forms` among a mapping's keys: the form's key, or an error at the mapping. */
function oneForm<T extends string>(ctx: ReadContext, f: Field, forms: readonly T[], expected: string): T {
  if (!isMap(f.value)) ctx.r.fail(f, expected);
  const keys = [...ctx.r.mapEntries(f, expected).keys()];
  const present = keys.filter((k): k is T => (forms as readonly string[]).includes(k));
  if (present.length === 0) ctx.r.fail(f, expected);
  if (present.length > 1) {
    const second = ctx.r.mapEntries(f, expected).get(present[1])!;
    throw ctx.source.error(second.keyPos, second.path, `only one of ${forms.join(', ')} (this one has ${present[0]}:)`, JSON.stringify(present[1]));
  }
  return present[0];
}

function readClients(ctx: ReadContext, f: Field): PopulationSpec {
  const r: FieldReader = ctx.r;
  const expected = 'clients: { prefix: A.B.C.D/N, count: N, zipf: S } (zipf optional) or { megaproxy: A.B.C.D, users: N }';
  const form = oneForm(ctx, f, CLIENT_FORMS, expected);
  if (form === 'prefix') return readPrefixPopulation(ctx, r.fields(f, PREFIX_KEYS, expected), 'client');
  const c = r.fields(f, MEGAPROXY_KEYS, expected);
  let address = 0;
  let users = 1000;
  c.read<(typeof MEGAPROXY_KEYS)[number]>({
    megaproxy: (v) => {
      const a = parseIpv4(r.text(v, 'the proxy\'s address A.B.C.D', { singleLine: true }));
      if (a === undefined) r.fail(v, 'the proxy\'s address A.B.C.D');
      address = a;
    },
    users: (v) => (users = r.integer(v, 1, MAX_USERS, `a number of users behind the proxy, 1 to ${MAX_USERS}`)),
  });
  return { kind: 'megaproxy', address, users };
}

/**
 * The prefix, count and zipf keys of a population, client or destination: the first `count` usable addresses of
 * the prefix, picked uniformly or with a Zipf skew. `c` holds the mapping's keys, already checked against its
 * allowed list.
 */
function readPrefixPopulation(ctx: ReadContext, c: Fields, what: 'client' | 'destination', more: { readonly port?: (v: Field) => void } = {}): PrefixPopulation {
  const r: FieldReader = ctx.r;
  let network = 0;
  let prefixLen = 32;
  let count = 0;
  let zipf: number | undefined;
  // One pass in file order (the mapping's other keys too), so of several bad values the first is reported.
  c.read<(typeof DESTINATION_KEYS)[number]>({
    ...more,
    prefix: (v) => {
      const text = r.text(v, 'a prefix A.B.C.D/N', { singleLine: true });
      const cidr = /^[0-9.]+\/\d{1,2}$/.test(text) ? parseCidr(text) : undefined;
      if (cidr === undefined) r.fail(v, 'a prefix A.B.C.D/N');
      network = networkOf(cidr.address, cidr.prefixLen);
      prefixLen = cidr.prefixLen;
    },
    count: (v) => (count = r.integer(v, 1, MAX_CLIENTS, `a count of ${what} addresses, 1 to ${MAX_CLIENTS}`)),
    zipf: (v) => {
      const s = r.number(v, 'a Zipf exponent above 0, at most 10 (1 is the classic skew)');
      if (!(s > 0 && s <= 10)) r.fail(v, 'a Zipf exponent above 0, at most 10 (1 is the classic skew)');
      zipf = s;
    },
  });
  c.require('prefix', `a prefix: key with the ${what} addresses' prefix A.B.C.D/N`);
  const countField = c.require('count', `a count: key with the number of ${what} addresses`);
  const usable = prefixLen >= 31 ? broadcastOf(network, prefixLen) - network + 1 : broadcastOf(network, prefixLen) - network - 1;
  if (count > usable) r.fail(countField, `at most ${usable} addresses (the usable addresses of a /${prefixLen})`);
  const spec: PrefixPopulation = zipf === undefined ? { kind: 'prefix', network, prefixLen, count } : { kind: 'prefix', network, prefixLen, count, zipf };
  populationAddresses(spec); // cannot throw after the check above; keeps the two in step
  return spec;
}

/**
 * `to: { prefix: A.B.C.D/N, count: N, port: PORT, zipf: S }` → [the destination population, port]: many
 * destination addresses behind one director (a cache cluster's origin servers), one picked per session.
 */
function readDestinations(ctx: ReadContext, f: Field): [PrefixPopulation, number] {
  const r: FieldReader = ctx.r;
  const d = r.fields(f, DESTINATION_KEYS, 'to: A.B.C.D:PORT or { prefix: A.B.C.D/N, count: N, port: PORT, zipf: S } (zipf optional)');
  let port = 0;
  const population = readPrefixPopulation(ctx, d, 'destination', { port: (v) => (port = r.integer(v, 1, 65535, 'a destination port, 1 to 65535')) });
  d.require('port', 'a port: key with the destination port');
  return [population, port];
}

function readArrivals(ctx: ReadContext, f: Field): ArrivalSpec | ClosedLoopSpec {
  const r: FieldReader = ctx.r;
  const expected = 'arrivals: { every: DURATION }, { poisson: N/s }, { on_off: { rate: N/s, on: DURATION, off: DURATION } } or { closed: { users: N, think: DURATION } }';
  const form = oneForm(ctx, f, ARRIVAL_FORMS, expected);
  const a = r.fields(f, [form], expected);
  const v = a.get(form)!;
  switch (form) {
    case 'every':
      return { kind: 'fixed', interval: r.duration(v, { positive: true }) };
    case 'poisson':
      return { kind: 'poisson', rate: rate(ctx, v) };
    case 'on_off': {
      const o = r.fields(v, ON_OFF_KEYS, 'on_off: { rate: N/s, on: DURATION, off: DURATION }');
      const spec = { kind: 'on-off' as const, rate: 0, on: 0, off: 0 };
      o.read<(typeof ON_OFF_KEYS)[number]>({
        rate: (x) => (spec.rate = rate(ctx, x)),
        on: (x) => (spec.on = r.duration(x, { positive: true })),
        off: (x) => (spec.off = r.duration(x)),
      });
      o.require('rate', 'a rate: key (arrivals per second while on, N/s)');
      o.require('on', 'an on: key (how long each burst lasts)');
      o.require('off', 'an off: key (the silence between bursts)');
      return spec;
    }
    case 'closed': {
      const c = r.fields(v, CLOSED_KEYS, 'closed: { users: N, think: DURATION or a distribution }');
      const spec: { kind: 'closed'; users: number; think: Distribution } = { kind: 'closed', users: 0, think: { kind: 'fixed', value: 0 } };
      c.read<(typeof CLOSED_KEYS)[number]>({
        users: (x) => (spec.users = r.integer(x, 1, MAX_CLIENTS, `a number of users, 1 to ${MAX_CLIENTS}`)),
        think: (x) => (spec.think = readDistribution(ctx, x, 'duration')),
      });
      c.require('users', 'a users: key (how many users loop)');
      c.require('think', 'a think: key (time between one session and the next)');
      return spec;
    }
  }
}

/** `200/s` or `1.5/s`: arrivals per second, above 0. */
function rate(ctx: ReadContext, f: Field): number {
  const expected = `a rate N/s (arrivals per second, above 0 and at most ${MAX_RATE})`;
  const v = f.value;
  const text = isScalar(v) && typeof v.value === 'string' ? v.value : '';
  const m = /^(\d+(?:\.\d+)?)\/s$/.exec(text);
  const n = m ? Number(m[1]) : 0;
  if (!(n > 0) || n > MAX_RATE) ctx.r.fail(f, expected);
  return n;
}

/**
 * A size or a duration drawn per request: a plain quantity (`1KB`, `2ms`) is fixed; `{ exponential: MEAN }`;
 * `{ pareto: MIN, shape: A, max: MAX }` (shape default 1.5, max default 100 × min).
 */
export function readDistribution(ctx: ReadContext, f: Field, unit: 'size' | 'duration', maxSize?: number): Distribution {
  const r: FieldReader = ctx.r;
  const quantity = (v: Field): number => (unit === 'size' ? r.size(v, maxSize) : r.duration(v));
  const what = unit === 'size' ? '1KB' : '2ms';
  if (!isMap(f.value)) return { kind: 'fixed', value: quantity(f) };
  const expected = `a ${unit}: ${what}, { exponential: ${what} } or { pareto: ${what}, shape: 1.5, max: ... }`;
  const form = oneForm(ctx, f, DISTRIBUTION_FORMS, expected);
  if (form === 'exponential') {
    const d = r.fields(f, ['exponential'], expected);
    const mean = quantity(d.get('exponential')!);
    if (mean === 0) r.fail(d.get('exponential')!, `a mean above zero`);
    return { kind: 'exponential', mean };
  }
  const d = r.fields(f, PARETO_KEYS, expected);
  let min = 0;
  let shape = 1.5;
  let max: number | undefined;
  d.read<(typeof PARETO_KEYS)[number]>({
    pareto: (v) => (min = quantity(v)),
    shape: (v) => {
      shape = r.number(v, 'a shape: a number above 0 (1 < shape < 2 is heavy-tailed with a finite mean)');
      if (!(shape > 0) || shape > 100) r.fail(v, 'a shape: a number above 0 and at most 100');
    },
    max: (v) => (max = quantity(v)),
  });
  if (min === 0) r.fail(d.get('pareto')!, `a minimum above zero`);
  if (max !== undefined && max < min) r.fail(d.get('max')!, `a max: no smaller than the pareto: minimum`);
  if (max === undefined && maxSize !== undefined && 100 * min > maxSize) r.fail(d.get('pareto')!, `a minimum of at most ${Math.floor(maxSize / 100)} bytes (the default max is 100 times it, and requests are at most ${maxSize} bytes), or a max:`);
  return { kind: 'pareto', min, shape, max: max ?? 100 * min };
}

/** Reads the extra service keys into `spec`; `protocol` is the service's transport, checked against `app`. */
export function readServiceExtras(ctx: ReadContext, s: Fields, spec: ServiceExtras & { protocol: string }): void {
  const r: FieldReader = ctx.r;
  s.read<(typeof SERVICE_EXTRA_KEYS)[number]>({
    app: (v) => (spec.app = r.oneOf(v, APP_PROTOCOLS, `an app: ${APP_PROTOCOLS.join(', ')}`)),
    workers: (v) => (spec.workers = r.integer(v, 0, 100_000, 'a number of workers (0 = unlimited)')),
    queue: (v) => (spec.queue = r.integer(v, 0, 1_000_000, 'a queue length: a whole number of requests')),
    service_time: (v) => (spec.serviceTime = readDistribution(ctx, v, 'duration')),
    speed: (v) => {
      spec.speed = r.number(v, 'a speed: a number above 0 (2 = twice as fast)');
      if (!(spec.speed > 0) || spec.speed > 1_000_000) r.fail(v, 'a speed: a number above 0 (2 = twice as fast)');
    },
    check: (v) => {
      const c = r.fields(v, CHECK_KEYS, 'check: { path: /check.txt, body: "text" }');
      const check = { ...DEFAULT_CHECK_FILE };
      c.read<(typeof CHECK_KEYS)[number]>({
        path: (x) => {
          check.path = r.text(x, 'a path starting with /', { singleLine: true });
          if (!/^\/\S*$/.test(check.path)) r.fail(x, 'a path starting with / (no spaces)');
        },
        body: (x) => (check.body = r.text(x, 'the check file\'s text', { allowEmpty: true })),
      });
      spec.check = check;
    },
    unit: (v) => {
      const expected = 'a unit name: letters, digits, and : _ . @ - (as systemd allows), at most 64 characters';
      const u = r.text(v, expected, { singleLine: true });
      if (!/^[A-Za-z0-9:_.@-]{1,64}$/.test(u) || u.endsWith('.service')) r.fail(v, expected);
      spec.unit = u;
    },
    passive_ports: (v) => {
      const expected = 'a port range MIN-MAX (e.g. 50000-50999)';
      const text = isScalar(v.value) ? String(v.value.value) : '';
      const m = /^(\d{1,5})-(\d{1,5})$/.exec(text);
      const min = m ? Number(m[1]) : 0;
      const max = m ? Number(m[2]) : 0;
      if (!m || min < 1 || max > 65535 || min > max) r.fail(v, expected);
      spec.passivePorts = { min, max };
    },
  });
  const app: AppProtocol = spec.app ?? (spec.protocol === 'udp' ? 'dns' : 'http');
  const transport = app === 'dns' ? 'udp' : 'tcp';
  const appField = s.get('app');
  if (appField !== undefined && s.has('protocol') && spec.protocol !== transport) {
    r.fail(appField, `an app that runs over ${spec.protocol} (${app} runs over ${transport})`);
  }
  spec.protocol = transport;
  spec.app = app;
  const passive = s.get('passive_ports');
  if (passive !== undefined && app !== 'ftp') r.fail(passive, 'passive_ports only on an ftp service (app: ftp)');
  if (spec.workers !== undefined && spec.workers > 0 && spec.queue === undefined) spec.queue = WORKLOAD_DEFAULTS.queue;
}
