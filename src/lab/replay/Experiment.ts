import { schedulerNames } from '../../ipvs/schedulers/registry.ts';
import { FieldReader, type Field } from '../../scenario/fields.ts';
import { parseScenarioYaml } from '../../scenario/yamlSource.ts';
import { parseCidr, parseIpv4 } from '../../wire/index.ts';

/**
 * An IPVS oracle experiment (reference/oracle/README.md, "Experiment format"): the servers, the services, and
 * the steps a client took against a real kernel. Read from JSON with the scenario loader's positioned errors
 * (JSON is YAML), so a bad file names file:line:column and the field.
 */
export interface ExperimentServer {
  name: string;
  weight: number;
  uThreshold?: number;
  lThreshold?: number;
}

export interface ExperimentService {
  vip: string;
  port: number;
  sched: string;
  schedFlags?: string;
  persistent?: number;
  netmask?: string;
  fwmark?: number;
  fwmarkMatch?: string;
}

export type ExperimentStep =
  | { op: 'open'; src: string; sport?: number; dst?: string; dport?: number }
  | { op: 'close'; conn: number; rst: boolean }
  | { op: 'close_all' }
  | { op: 'weight'; server: string; weight: number }
  | { op: 'del_server'; server: string }
  | { op: 'add_server'; server: string; weight: number }
  | { op: 'wait'; seconds: number }
  | { op: 'dump'; what: DumpView[] };

export const DUMP_VIEWS = ['list', 'stats', 'conns', 'rate', 'persistent', 'timeout'] as const;
export type DumpView = (typeof DUMP_VIEWS)[number];

export interface Experiment {
  name: string;
  description: string;
  mode: 'nat' | 'dr' | 'tun';
  servers: ExperimentServer[];
  services: ExperimentService[];
  directorSysctl: Array<{ key: string; value: string }>;
  steps: ExperimentStep[];
}

/** The director's interfaces: one to the clients and one per real server, within the 64 a host may have. */
const MAX_SERVERS = 62;
/** 10.1.0.0/16, the clients' network, as its top 16 bits. */
const CLIENT_NET = parseIpv4('10.1.0.0')! >>> 16;

const OPS = ['open', 'close', 'close_all', 'weight', 'del_server', 'add_server', 'wait', 'dump'] as const;

export function parseExperiment(text: string, file: string): Experiment {
  const { root, source } = parseScenarioYaml(text, file);
  const r = new FieldReader(source);
  const top = r.fields({ value: root, path: '', keyPos: { line: 1, column: 1 } }, ['name', 'description', 'mode', 'servers', 'services', 'director_sysctl', 'steps'], 'an experiment object');
  const name = r.text(top.require('name', 'the experiment name'), 'the experiment name', { singleLine: true });
  const description = top.has('description') ? r.text(top.get('description')!, 'a description', { allowEmpty: true }) : '';
  const mode = top.has('mode') ? r.oneOf(top.get('mode')!, ['nat', 'dr', 'tun'], 'nat, dr or tun') : 'nat';

  const servers = r.items(top.require('servers', 'a list of real servers'), 'a list of real servers').map((f) => {
    const s = r.fields(f, ['name', 'weight', 'u_threshold', 'l_threshold'], 'a real server {name, weight}');
    const server: ExperimentServer = {
      name: r.text(s.require('name', 'a server name like rs1'), 'a server name like rs1', { singleLine: true }),
      weight: s.has('weight') ? r.integer(s.get('weight')!, 0, 65535, 'a weight 0..65535') : 1,
    };
    if (!/^rs([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$/.test(server.name)) r.fail(s.get('name')!, 'a server name rs1, rs2, ... rs254 (its number picks its subnet 10.2.K.0/24)');
    if (s.has('u_threshold')) server.uThreshold = r.integer(s.get('u_threshold')!, 0, 2 ** 31 - 1, 'an upper threshold');
    if (s.has('l_threshold')) server.lThreshold = r.integer(s.get('l_threshold')!, 0, 2 ** 31 - 1, 'a lower threshold');
    return server;
  });
  if (servers.length === 0) r.fail(top.get('servers')!, 'at least one real server');
  // Each server is an interface of the director, which has one more towards the client.
  if (servers.length > MAX_SERVERS) r.fail(top.get('servers')!, `at most ${MAX_SERVERS} real servers`, `${servers.length}`);
  const seenServers = new Set<string>();
  r.items(top.get('servers')!, 'a list of real servers').forEach((f, i) => {
    if (seenServers.has(servers[i].name)) r.fail(f, `each server once (${servers[i].name} is listed before)`);
    seenServers.add(servers[i].name);
  });
  const serverNames = servers.map((s) => s.name);

  const services = r.items(top.require('services', 'a list of services'), 'a list of services').map((f) => {
    const s = r.fields(f, ['vip', 'port', 'sched', 'sched_flags', 'persistent', 'netmask', 'fwmark', 'fwmark_match'], 'a service');
    const svc: ExperimentService = {
      // A fwmark service has no VIP of its own; its clients aim at addresses in fwmark_match.
      vip: s.has('vip') || !s.has('fwmark') ? address(r, s.require('vip', 'the virtual IP'), 'the virtual IP') : '',
      port: s.has('port') ? r.integer(s.get('port')!, 0, 65535, 'a port 0..65535') : 80,
      sched: r.oneOf(s.require('sched', 'a scheduler name'), schedulerNames(), `a scheduler: one of ${schedulerNames().join(', ')}`),
    };
    if (s.has('sched_flags')) svc.schedFlags = r.text(s.get('sched_flags')!, 'scheduler flags like sh-port', { singleLine: true });
    if (s.has('persistent')) svc.persistent = r.integer(s.get('persistent')!, 1, 2 ** 31 - 1, 'a persistence timeout in seconds');
    if (s.has('netmask')) svc.netmask = address(r, s.get('netmask')!, 'a netmask like 255.255.255.0');
    if (s.has('fwmark')) svc.fwmark = r.integer(s.get('fwmark')!, 1, 2 ** 32 - 1, 'a firewall mark above 0');
    if (s.has('fwmark_match')) {
      const m = s.get('fwmark_match')!;
      const text = r.text(m, 'a CIDR like 10.3.0.0/16', { singleLine: true });
      if (!parseCidr(text)) r.fail(m, 'a CIDR like 10.3.0.0/16');
      svc.fwmarkMatch = text;
    }
    return svc;
  });
  if (services.length === 0) r.fail(top.get('services')!, 'at least one service');
  services.forEach((svc, i) => {
    if (svc.fwmark !== undefined && svc.fwmarkMatch === undefined) {
      throw source.error(top.get('services')!.value!, `services[${i}].fwmark_match`, 'the CIDR the director marks for a fwmark service', 'no fwmark_match: key');
    }
  });

  const directorSysctl = top.has('director_sysctl')
    ? r.items(top.get('director_sysctl')!, 'a list of KEY=VALUE').map((f) => {
        const t = r.text(f, 'KEY=VALUE', { singleLine: true });
        const eq = t.indexOf('=');
        // Written into the generated scenario's sysctl: mapping, so only a sysctl name and a plain value.
        if (eq <= 0 || !/^\s*[A-Za-z0-9_][A-Za-z0-9_./-]*\s*=\s*[A-Za-z0-9_.-]+\s*$/.test(t)) r.fail(f, 'KEY=VALUE: a sysctl name and a plain value, like net.ipv4.vs.expire_nodest_conn=1');
        return { key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim() };
      })
    : [];

  let opens = 0;
  const steps = r.items(top.require('steps', 'a list of steps'), 'a list of steps').map((f): ExperimentStep => {
    const opField = r.fields(f, ['op', 'src', 'sport', 'dst', 'dport', 'conn', 'rst', 'server', 'weight', 'seconds', 'what'], 'a step with an op').require('op', `an op: ${OPS.join(', ')}`);
    const op = r.oneOf(opField, OPS, `an op: ${OPS.join(', ')}`);
    const allowed: Record<(typeof OPS)[number], string[]> = {
      open: ['op', 'src', 'sport', 'dst', 'dport'],
      close: ['op', 'conn', 'rst'],
      close_all: ['op'],
      weight: ['op', 'server', 'weight'],
      del_server: ['op', 'server'],
      add_server: ['op', 'server', 'weight'],
      wait: ['op', 'seconds'],
      dump: ['op', 'what'],
    };
    const s = r.fields(f, allowed[op], `the keys of a ${op} step`);
    const server = (): string => {
      const sf = s.require('server', `one of ${serverNames.join(', ')}`);
      return r.oneOf(sf, serverNames, `one of the servers ${serverNames.join(', ')}`);
    };
    switch (op) {
      case 'open': {
        const srcField = s.require('src', 'a client address in 10.1.0.0/16');
        const step: ExperimentStep = { op, src: address(r, srcField, 'a client address in 10.1.0.0/16') };
        // The client host holds every source address on its one /16 (experimentScenario.ts).
        if (parseIpv4(step.src)! >>> 16 !== CLIENT_NET) r.fail(srcField, 'a client address in 10.1.0.0/16');
        if (s.has('sport')) step.sport = r.integer(s.get('sport')!, 1, 65535, 'a port 1..65535');
        if (s.has('dst')) step.dst = address(r, s.get('dst')!, 'a destination address');
        if (s.has('dport')) step.dport = r.integer(s.get('dport')!, 1, 65535, 'a port 1..65535');
        opens++;
        return step;
      }
      case 'close': {
        const conn = r.integer(s.require('conn', 'a connection number'), 0, Math.max(0, opens - 1), `a connection opened before this step (0..${opens - 1})`);
        const rst = s.has('rst') ? bool(r, s.get('rst')!) : false;
        return { op, conn, rst };
      }
      case 'close_all':
        return { op };
      case 'weight':
        return { op, server: server(), weight: r.integer(s.require('weight', 'a weight'), 0, 65535, 'a weight 0..65535') };
      case 'del_server':
        return { op, server: server() };
      case 'add_server':
        return { op, server: server(), weight: s.has('weight') ? r.integer(s.get('weight')!, 0, 65535, 'a weight 0..65535') : 1 };
      case 'wait':
        return { op, seconds: positiveSeconds(r, s.require('seconds', 'seconds to wait')) };
      case 'dump':
        return { op, what: r.items(s.require('what', `a list of views: ${DUMP_VIEWS.join(', ')}`), 'a list of views').map((w) => r.oneOf(w, DUMP_VIEWS, `one of ${DUMP_VIEWS.join(', ')}`)) };
    }
  });
  return { name, description, mode, servers, services, directorSysctl, steps };
}

function address(r: FieldReader, f: Field, expected: string): string {
  const t = r.text(f, expected, { singleLine: true });
  if (parseIpv4(t) === undefined) r.fail(f, expected);
  return t;
}

function bool(r: FieldReader, f: Field): boolean {
  const v = f.value as { value?: unknown } | null;
  if (!v || typeof v.value !== 'boolean') r.fail(f, 'true or false');
  return v.value as boolean;
}

function positiveSeconds(r: FieldReader, f: Field): number {
  const n = r.number(f, 'a number of seconds');
  if (!(n > 0) || n > 86400 * 365) r.fail(f, 'a number of seconds above zero');
  return n;
}
