import { isScalar } from 'yaml';
import {
  KA_CHECK_DEFAULTS,
  LDIRECTORD_DEFAULTS,
  LD_VIRTUAL_DEFAULTS,
  type KaChecker,
  type KaCheckerType,
  type KaRealServer,
  type KaUrl,
  type KaVirtualServer,
  type LdCheckType,
  type LdFallback,
  type LdirectordConfig,
  type LdRealServer,
  type LdVirtual,
  type LvsSyncDaemonConfig,
  type VrrpInstanceConfig,
} from '../apps/daemons/index.ts';
import type { ForwardMethod, ServiceKey } from '../ipvs/IpvsControl.ts';
import { SchedFlag } from '../ipvs/VirtualService.ts';
import type { SimTime } from '../sim/index.ts';
import { parseIpv4, type Ipv4Address } from '../wire/index.ts';
import type { Field, FieldReader, Fields } from './fields.ts';
import type { ReadContext } from './readContext.ts';
import type { InterfaceRef, KeepalivedSpec, LdirectordSpec } from './daemonSchema.ts';
import { bool, ipv4, seconds } from './daemonValues.ts';
import { readSyncGroups, readVrrp } from './readVrrp.ts';

/**
 * Extension (issue 5): `keepalived:` and `ldirectord:` on a host (docs/scenario-format.md, "Daemons"). Keys
 * are the configuration files' own keywords (snake_case as keepalived writes them, ldirectord's directive
 * names), so an importer of keepalived.conf / ldirectord.cf maps word for word onto them. Times are a duration
 * with a unit (`500ms`) or a bare number of seconds, as both files write them.
 */

const KA_KEYS = ['router_id', 'vrrp_instances', 'vrrp_sync_groups', 'virtual_servers', 'lvs_sync_daemon'] as const;
const SYNC_KEYS = ['interface', 'instance', 'id'] as const;
const VS_KEYS = ['virtual', 'fwmark', 'protocol', 'lb_algo', 'lb_kind', 'persistence_timeout', 'persistence_granularity', 'ops', 'sched_flags', 'delay_loop', 'connect_timeout', 'retry', 'delay_before_retry', 'inhibit_on_failure', 'alpha', 'quorum', 'hysteresis', 'virtualhost', 'sorry_server', 'warmup', 'real_servers'] as const;
const RS_KEYS = ['address', 'weight', 'lvs_method', 'inhibit_on_failure', 'alpha', 'connect_timeout', 'retry', 'delay_before_retry', 'delay_loop', 'virtualhost', 'checks'] as const;
const CHECK_KEYS = ['type', 'connect_ip', 'connect_port', 'connect_timeout', 'retry', 'nb_get_retry', 'delay_before_retry', 'delay_loop', 'url', 'virtualhost'] as const;
const URL_KEYS = ['path', 'status_code', 'digest'] as const;
const CHECK_TYPES: readonly KaCheckerType[] = ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'PING_CHECK'];
const LB_KINDS = ['NAT', 'DR', 'TUN'] as const;

const LD_KEYS = ['checkinterval', 'checktimeout', 'negotiatetimeout', 'failurecount', 'quiescent', 'fallback', 'cleanstop', 'virtuals'] as const;
const LD_VIRTUAL_KEYS = ['virtual', 'protocol', 'real', 'scheduler', 'persistent', 'netmask', 'checktype', 'service', 'checkport', 'request', 'receive', 'httpmethod', 'virtualhost', 'fallback', 'quiescent', 'checktimeout', 'negotiatetimeout', 'failurecount'] as const;
const LD_CHECKTYPES: readonly LdCheckType[] = ['negotiate', 'connect', 'ping', 'off', 'on'];
const SCHED_RE = /^[a-z0-9]+$/;

// ------------------------------------------------------------------------------------------------ shared

function netmask(ctx: ReadContext, f: Field): number {
  const expected = 'a netmask A.B.C.D with contiguous ones (255.255.255.0)';
  const m = ipv4(ctx, f, expected);
  const inv = ~m >>> 0;
  if ((inv & (inv + 1)) !== 0) ctx.r.fail(f, expected);
  return m;
}

function port(ctx: ReadContext, f: Field): number {
  return ctx.r.integer(f, 1, 65535, 'a port number from 1 to 65535');
}

/** `A.B.C.D:PORT` (the port required unless `portOptional`). */
function addrPort(ctx: ReadContext, f: Field, expected: string, portOptional = false): { address: Ipv4Address; port: number } {
  const text = ctx.r.text(f, expected, { singleLine: true }).trim();
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(text);
  const address = m ? parseIpv4(m[1]) : undefined;
  const p = m && m[2] !== undefined ? Number(m[2]) : portOptional ? 0 : NaN;
  if (address === undefined || !Number.isInteger(p) || p < 0 || p > 65535 || (p === 0 && !portOptional)) ctx.r.fail(f, expected);
  return { address, port: p };
}

function fwdOfKind(kind: (typeof LB_KINDS)[number]): ForwardMethod {
  return kind === 'NAT' ? 'masq' : kind === 'DR' ? 'route' : 'tunnel';
}

function protocolOf(ctx: ReadContext, f: Field | undefined): 'tcp' | 'udp' {
  if (!f) return 'tcp';
  const t = ctx.r.text(f, 'a protocol: tcp or udp', { singleLine: true }).toLowerCase();
  if (t !== 'tcp' && t !== 'udp') ctx.r.fail(f, 'a protocol: tcp or udp');
  return t;
}

/** `virtual: A.B.C.D:PORT` or `fwmark: N` (exactly one), with `protocol:`. */
function serviceKey(ctx: ReadContext, v: Fields, virtualKey: string): ServiceKey {
  const addr = v.get(virtualKey);
  const mark = v.get('fwmark');
  if (addr && mark) ctx.r.fail(mark, `either ${virtualKey}: A.B.C.D:PORT or fwmark: N, not both`);
  if (mark) return { kind: 'fwmark', mark: ctx.r.integer(mark, 1, 0xffffffff, 'a firewall mark 1..4294967295') };
  const f = v.require(virtualKey, `a ${virtualKey}: key with the virtual service A.B.C.D:PORT (or fwmark: N)`);
  const t = ctx.r.text(f, 'A.B.C.D:PORT or a firewall mark', { singleLine: true });
  if (/^\d+$/.test(t)) return { kind: 'fwmark', mark: ctx.r.integer(f, 1, 0xffffffff, 'a firewall mark 1..4294967295') };
  const { address, port: p } = addrPort(ctx, f, 'a virtual service A.B.C.D:PORT (or a firewall mark)', true);
  return { kind: 'addr', protocol: protocolOf(ctx, v.get('protocol')), address, port: p };
}

// ------------------------------------------------------------------------------------------------ keepalived

export function readKeepalived(ctx: ReadContext, f: Field): KeepalivedSpec {
  const r: FieldReader = ctx.r;
  const k = r.fields(f, KA_KEYS, 'keepalived: a mapping of router_id, vrrp_instances, vrrp_sync_groups, virtual_servers, lvs_sync_daemon');
  const ifaceRefs: InterfaceRef[] = [];
  const ref = (v: Field, name: string) => ifaceRefs.push({ name, pos: r.valuePos(v), path: v.path });
  let routerId: string | undefined;
  let vrrpInstances: VrrpInstanceConfig[] = [];
  let virtualServers: KaVirtualServer[] = [];
  let lvsSyncDaemon: LvsSyncDaemonConfig | undefined;
  let syncField: Field | undefined;
  let groupsField: Field | undefined;
  k.read<(typeof KA_KEYS)[number]>({
    router_id: (v) => (routerId = r.text(v, 'a router id', { singleLine: true })),
    vrrp_instances: (v) => (vrrpInstances = [...r.mapEntries(v, 'a mapping of instance names to vrrp instances').values()].map((e) => readVrrp(ctx, e.key, e, ref))),
    vrrp_sync_groups: (v) => (groupsField = v),
    virtual_servers: (v) => (virtualServers = r.items(v, 'a list of virtual servers').map((item) => readVirtualServer(ctx, item))),
    lvs_sync_daemon: (v) => {
      syncField = v;
      const s = r.fields(v, SYNC_KEYS, 'lvs_sync_daemon: a mapping of interface, instance and id');
      const iface = s.require('interface', 'an interface: key naming the sync interface');
      const name = r.text(iface, 'an interface name', { singleLine: true });
      ref(iface, name);
      const inst = s.get('instance');
      const id = s.get('id');
      lvsSyncDaemon = { interface: name, instance: inst ? r.text(inst, 'a vrrp instance name', { singleLine: true }) : undefined, syncId: id ? r.integer(id, 0, 255, 'a sync id 0..255') : 0 };
    },
  });
  const vrids = new Map<number, string>();
  for (const i of vrrpInstances) {
    const other = vrids.get(i.vrid);
    if (other !== undefined) r.fail(f, `one vrrp instance per virtual_router_id (${i.vrid} is used by ${other} and ${i.name})`, `virtual_router_id ${i.vrid} twice`);
    vrids.set(i.vrid, i.name);
  }
  if (lvsSyncDaemon?.instance !== undefined && !vrrpInstances.some((i) => i.name === lvsSyncDaemon!.instance)) {
    r.fail(syncField!, `an instance: naming one of the vrrp_instances (${vrrpInstances.map((i) => i.name).join(', ') || 'none'})`, lvsSyncDaemon.instance);
  }
  // Read after the instances, wherever the key stands: the groups name them.
  const syncGroups = groupsField ? readSyncGroups(ctx, groupsField, vrrpInstances) : [];
  return { config: { routerId, vrrpInstances, syncGroups, virtualServers, lvsSyncDaemon }, pos: f.keyPos, ifaceRefs };
}

function readVirtualServer(ctx: ReadContext, f: Field): KaVirtualServer {
  const r: FieldReader = ctx.r;
  const v = r.fields(f, VS_KEYS, 'a virtual server: a mapping with virtual (or fwmark), real_servers and optionally lb_algo, lb_kind, delay_loop, ...');
  const key = serviceKey(ctx, v, 'virtual');
  let flags: Field | undefined;
  const c: { -readonly [K in keyof KaVirtualServer]: KaVirtualServer[K] } = {
    key,
    scheduler: KA_CHECK_DEFAULTS.scheduler,
    fwd: KA_CHECK_DEFAULTS.fwd,
    delayLoop: KA_CHECK_DEFAULTS.delayLoop,
    inhibitOnFailure: KA_CHECK_DEFAULTS.inhibitOnFailure,
    alpha: KA_CHECK_DEFAULTS.alpha,
    quorum: KA_CHECK_DEFAULTS.quorum,
    hysteresis: KA_CHECK_DEFAULTS.hysteresis,
    realServers: [],
  };
  v.read<(typeof VS_KEYS)[number]>({
    lb_algo: (x) => {
      c.scheduler = r.text(x, 'a scheduler name (rr, wrr, lc, wlc, ...)', { singleLine: true });
      if (!SCHED_RE.test(c.scheduler)) r.fail(x, 'a scheduler name (rr, wrr, lc, wlc, ...)');
    },
    lb_kind: (x) => (c.fwd = fwdOfKind(r.oneOf(x, LB_KINDS, 'an lb_kind: NAT, DR or TUN'))),
    persistence_timeout: (x) => (c.persistenceTimeout = r.integer(x, 0, 2_678_400, 'a persistence_timeout in seconds')),
    persistence_granularity: (x) => (c.persistenceGranularity = netmask(ctx, x)),
    ops: (x) => (c.onePacket = bool(ctx, x, 'ops')),
    sched_flags: (x) => (flags = x),
    delay_loop: (x) => (c.delayLoop = positive(ctx, x, 'a delay_loop')),
    connect_timeout: (x) => (c.connectTimeout = positive(ctx, x, 'a connect_timeout')),
    retry: (x) => (c.retry = r.integer(x, 0, 1_000_000, 'a retry count ≥ 0')),
    delay_before_retry: (x) => (c.delayBeforeRetry = seconds(ctx, x, 'a delay_before_retry')),
    inhibit_on_failure: (x) => (c.inhibitOnFailure = bool(ctx, x, 'inhibit_on_failure')),
    alpha: (x) => (c.alpha = bool(ctx, x, 'alpha')),
    quorum: (x) => (c.quorum = r.integer(x, 1, 1_000_000, 'a quorum ≥ 1')),
    hysteresis: (x) => (c.hysteresis = r.integer(x, 0, 1_000_000, 'a hysteresis ≥ 0')),
    virtualhost: (x) => (c.virtualHost = r.text(x, 'a host name', { singleLine: true })),
    sorry_server: (x) => (c.sorryServer = addrPort(ctx, x, 'a sorry server A.B.C.D:PORT')),
    warmup: (x) => (c.warmup = seconds(ctx, x, 'a warmup')),
    real_servers: (x) => (c.realServers = r.items(x, 'a list of real servers').map((item) => readRealServer(ctx, item))),
  });
  if (flags !== undefined) c.schedFlags = schedFlags(ctx, flags, c.scheduler);
  // keepalived resets ops on a TCP address service ("one packet scheduling requires UDP"); a scenario says it at once.
  if (c.onePacket && key.kind === 'addr' && key.protocol !== 'udp') r.fail(v.get('ops')!, 'ops only on a udp virtual server (one-packet scheduling requires UDP)');
  if (key.kind === 'addr' && key.port === 0 && !(c.persistenceTimeout && c.persistenceTimeout > 0)) {
    r.fail(v.get('virtual')!, 'a port (a virtual server without one must be persistent: persistence_timeout)');
  }
  const seen = new Set<string>();
  for (const rs of c.realServers) {
    const id = `${rs.address}:${rs.port}`;
    if (seen.has(id)) r.fail(v.get('real_servers')!, 'each real server once per virtual server', 'a real server twice');
    seen.add(id);
  }
  return c;
}

/** keepalived's scheduler flag keywords as a list, each valid for its scheduler only (as ipvsadm -b checks them). */
function schedFlags(ctx: ReadContext, f: Field, scheduler: string): number {
  const expected = 'a list of scheduler flags: sh-fallback, sh-port (lb_algo sh) or mh-fallback, mh-port (lb_algo mh)';
  let bits = 0;
  for (const item of ctx.r.items(f, expected)) {
    const name = ctx.r.text(item, expected, { singleLine: true });
    const m = /^(sh|mh)-(fallback|port)$/.exec(name);
    if (!m) ctx.r.fail(item, expected);
    if (m[1] !== scheduler) ctx.r.fail(item, `a flag of the lb_algo in use (${name} is for ${m[1]}, this virtual server uses ${scheduler})`);
    bits |= m[2] === 'fallback' ? SchedFlag.flag1 : SchedFlag.flag2;
  }
  return bits;
}

function positive(ctx: ReadContext, f: Field, what: string): SimTime {
  const t = seconds(ctx, f, what);
  if (t === 0) ctx.r.fail(f, `${what} above zero`);
  return t;
}

function readRealServer(ctx: ReadContext, f: Field): KaRealServer {
  const r: FieldReader = ctx.r;
  const v = r.fields(f, RS_KEYS, 'a real server: a mapping with address and optionally weight, checks, ...');
  const { address, port: p } = addrPort(ctx, v.require('address', 'an address: key A.B.C.D:PORT'), 'a real server A.B.C.D[:PORT]', true);
  const c: { -readonly [K in keyof KaRealServer]: KaRealServer[K] } = { address, port: p, weight: KA_CHECK_DEFAULTS.weight, checkers: [] };
  v.read<(typeof RS_KEYS)[number]>({
    weight: (x) => (c.weight = r.integer(x, 0, 65535, 'a weight 0..65535')),
    lvs_method: (x) => (c.fwd = fwdOfKind(r.oneOf(x, LB_KINDS, 'an lvs_method: NAT, DR or TUN'))),
    inhibit_on_failure: (x) => (c.inhibitOnFailure = bool(ctx, x, 'inhibit_on_failure')),
    alpha: (x) => (c.alpha = bool(ctx, x, 'alpha')),
    connect_timeout: (x) => (c.connectTimeout = positive(ctx, x, 'a connect_timeout')),
    retry: (x) => (c.retry = r.integer(x, 0, 1_000_000, 'a retry count ≥ 0')),
    delay_before_retry: (x) => (c.delayBeforeRetry = seconds(ctx, x, 'a delay_before_retry')),
    delay_loop: (x) => (c.delayLoop = positive(ctx, x, 'a delay_loop')),
    virtualhost: (x) => (c.virtualHost = r.text(x, 'a host name', { singleLine: true })),
    checks: (x) => (c.checkers = r.items(x, 'a list of checks { type: TCP_CHECK | HTTP_GET | SSL_GET | PING_CHECK, ... }').map((item) => readChecker(ctx, item))),
  });
  return c;
}

function readChecker(ctx: ReadContext, f: Field): KaChecker {
  const r: FieldReader = ctx.r;
  const v = r.fields(f, CHECK_KEYS, 'a check: a mapping with type and optionally connect_port, connect_timeout, retry, delay_before_retry, url, ...');
  const type = r.oneOf(v.require('type', 'a type: key (TCP_CHECK, HTTP_GET, SSL_GET or PING_CHECK)'), CHECK_TYPES, 'a check type: TCP_CHECK, HTTP_GET, SSL_GET or PING_CHECK');
  const http = type === 'HTTP_GET' || type === 'SSL_GET';
  const c: { -readonly [K in keyof KaChecker]: KaChecker[K] } = { type };
  const onlyHttp = (x: Field, key: string) => {
    if (!http) r.fail(x, `${key} only in HTTP_GET or SSL_GET (keepalived: unknown keyword in ${type})`, key);
  };
  v.read<(typeof CHECK_KEYS)[number]>({
    connect_ip: (x) => (c.connectIp = ipv4(ctx, x, 'an address A.B.C.D')),
    connect_port: (x) => (c.connectPort = port(ctx, x)),
    connect_timeout: (x) => (c.connectTimeout = positive(ctx, x, 'a connect_timeout')),
    retry: (x) => (c.retry = r.integer(x, 0, 1_000_000, 'a retry count ≥ 0')),
    // Deprecated alias of retry, accepted only in HTTP_GET/SSL_GET (keepalived warns; the lab just reads it).
    nb_get_retry: (x) => {
      onlyHttp(x, 'nb_get_retry');
      c.retry = r.integer(x, 0, 1_000_000, 'a retry count ≥ 0');
    },
    delay_before_retry: (x) => (c.delayBeforeRetry = seconds(ctx, x, 'a delay_before_retry')),
    delay_loop: (x) => (c.delayLoop = positive(ctx, x, 'a delay_loop')),
    virtualhost: (x) => {
      onlyHttp(x, 'virtualhost');
      c.virtualHost = r.text(x, 'a host name', { singleLine: true });
    },
    url: (x) => {
      onlyHttp(x, 'url');
      c.urls = r.items(x, 'a list of urls { path, status_code, digest }').map((item) => readUrl(ctx, item));
    },
  });
  return c;
}

function readUrl(ctx: ReadContext, f: Field): KaUrl {
  const r: FieldReader = ctx.r;
  const v = r.fields(f, URL_KEYS, 'a url: a mapping with path and optionally status_code, digest');
  const path = r.text(v.require('path', 'a path: key (/check.txt)'), 'a path starting with /', { singleLine: true });
  if (!path.startsWith('/')) r.fail(v.get('path')!, 'a path starting with /');
  let statusCodes: Array<[number, number]> | undefined;
  let digest: string | undefined;
  v.read<(typeof URL_KEYS)[number]>({
    status_code: (x) => {
      const items = isScalar(x.value) ? [x] : r.items(x, 'a status code or a list of them (200, or [200, 301-302])');
      statusCodes = items.map((it) => {
        const t = r.text(it, 'a status code 100..999 or a range 200-299', { singleLine: true });
        const m = /^(\d{3})(?:-(\d{3}))?$/.exec(t);
        if (!m || Number(m[1]) < 100 || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) r.fail(it, 'a status code 100..999 or a range 200-299');
        return [Number(m[1]), Number(m[2] ?? m[1])];
      });
    },
    digest: (x) => {
      digest = r.text(x, 'an MD5 digest: 32 hex digits', { singleLine: true }).toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(digest)) r.fail(x, 'an MD5 digest: 32 hex digits');
    },
  });
  return { path, statusCodes, digest };
}

// ------------------------------------------------------------------------------------------------ ldirectord

export function readLdirectord(ctx: ReadContext, f: Field): LdirectordSpec {
  const r: FieldReader = ctx.r;
  const g = r.fields(f, LD_KEYS, 'ldirectord: a mapping of checkinterval, checktimeout, negotiatetimeout, failurecount, quiescent, fallback, cleanstop and virtuals');
  const c: { -readonly [K in keyof LdirectordConfig]: LdirectordConfig[K] } = { ...LDIRECTORD_DEFAULTS, virtuals: [] };
  g.read<(typeof LD_KEYS)[number]>({
    checkinterval: (x) => (c.checkInterval = positive(ctx, x, 'a checkinterval')),
    checktimeout: (x) => (c.checkTimeout = positive(ctx, x, 'a checktimeout')),
    negotiatetimeout: (x) => (c.negotiateTimeout = positive(ctx, x, 'a negotiatetimeout')),
    failurecount: (x) => (c.failureCount = r.integer(x, 1, 1_000_000, 'a failurecount ≥ 1')),
    quiescent: (x) => (c.quiescent = bool(ctx, x, 'quiescent')),
    fallback: (x) => (c.fallback = ldFallback(ctx, x)),
    cleanstop: (x) => (c.cleanStop = bool(ctx, x, 'cleanstop')),
    virtuals: (x) => (c.virtuals = r.items(x, 'a list of virtual services').map((item) => readLdVirtual(ctx, item))),
  });
  return { config: c, pos: f.keyPos };
}

/** ldirectord's `fallback=IP[:port] [gate|masq|ipip]` (the method defaults to gate). */
function ldFallback(ctx: ReadContext, f: Field): LdFallback {
  const expected = 'a fallback A.B.C.D[:PORT] [gate|masq|ipip]';
  const words = ctx.r.text(f, expected, { singleLine: true }).trim().split(/\s+/);
  if (words.length > 2) ctx.r.fail(f, expected);
  const { address, port: p } = addrPort(ctx, { ...f, value: scalarLike(f, words[0]) }, expected, true);
  return { address, port: p, fwd: ldForward(ctx, f, words[1] ?? 'gate', expected) };
}

function ldForward(ctx: ReadContext, f: Field, word: string, expected: string): ForwardMethod {
  if (word === 'gate') return 'route';
  if (word === 'masq') return 'masq';
  if (word === 'ipip') return 'tunnel';
  return ctx.r.fail(f, expected, JSON.stringify(word));
}

/** The same field with its text replaced (for reading one word of a line with the typed readers). */
function scalarLike(f: Field, text: string): Field['value'] {
  const v = f.value;
  if (!isScalar(v)) return v;
  const copy = v.clone() as typeof v;
  copy.value = text;
  copy.source = text;
  return copy;
}

function readLdVirtual(ctx: ReadContext, f: Field): LdVirtual {
  const r: FieldReader = ctx.r;
  const v = r.fields(f, LD_VIRTUAL_KEYS, 'a virtual: a mapping with virtual, real and optionally scheduler, checktype, request, receive, ...');
  const key = serviceKey(ctx, v, 'virtual');
  const c: { -readonly [K in keyof LdVirtual]: LdVirtual[K] } = { ...LD_VIRTUAL_DEFAULTS, key, reals: [] };
  v.read<(typeof LD_VIRTUAL_KEYS)[number]>({
    real: (x) => (c.reals = r.items(x, 'a list of real lines A.B.C.D[:PORT] gate|masq|ipip [WEIGHT]').map((item) => ldReal(ctx, item, key))),
    scheduler: (x) => {
      c.scheduler = r.text(x, 'a scheduler name of lower-case letters', { singleLine: true });
      if (!/^[a-z]+$/.test(c.scheduler)) r.fail(x, 'a scheduler name of lower-case letters');
    },
    persistent: (x) => (c.persistent = r.integer(x, 1, 2_678_400, 'a persistence time in seconds')),
    netmask: (x) => (c.netmask = netmask(ctx, x)),
    checktype: (x) => (c.checkType = r.oneOf(x, LD_CHECKTYPES, `a checktype: ${LD_CHECKTYPES.join(', ')}`)),
    service: (x) => (c.service = r.text(x, 'a service name (http, https, none, ...)', { singleLine: true })),
    checkport: (x) => (c.checkPort = port(ctx, x)),
    request: (x) => (c.request = r.text(x, 'a request (/check.txt)', { singleLine: true })),
    receive: (x) => {
      c.receive = r.text(x, 'a regular expression the response must contain', { singleLine: true, allowEmpty: true });
      try {
        new RegExp(c.receive);
      } catch {
        r.fail(x, 'a valid regular expression');
      }
    },
    httpmethod: (x) => (c.httpMethod = r.oneOf(x, ['GET', 'HEAD'], 'an httpmethod: GET or HEAD')),
    virtualhost: (x) => (c.virtualHost = r.text(x, 'a host name', { singleLine: true })),
    fallback: (x) => (c.fallback = ldFallback(ctx, x)),
    quiescent: (x) => (c.quiescent = bool(ctx, x, 'quiescent')),
    checktimeout: (x) => (c.checkTimeout = positive(ctx, x, 'a checktimeout')),
    negotiatetimeout: (x) => (c.negotiateTimeout = positive(ctx, x, 'a negotiatetimeout')),
    failurecount: (x) => (c.failureCount = r.integer(x, 1, 1_000_000, 'a failurecount ≥ 1')),
  });
  v.require('real', 'a real: list with at least one real server line');
  return c;
}

/** `A.B.C.D[:PORT] gate|masq|ipip [WEIGHT]` — ldirectord's `real=` line without the request/receive pair. */
function ldReal(ctx: ReadContext, f: Field, key: ServiceKey): LdRealServer {
  const expected = 'a real line A.B.C.D[:PORT] gate|masq|ipip [WEIGHT]';
  const words = ctx.r.text(f, expected, { singleLine: true }).trim().split(/\s+/);
  if (words.length < 2 || words.length > 3) ctx.r.fail(f, expected);
  const { address, port: p } = addrPort(ctx, { ...f, value: scalarLike(f, words[0]) }, expected, true);
  const fwd = ldForward(ctx, f, words[1], expected);
  const weight = words[2] === undefined ? 1 : /^\d+$/.test(words[2]) ? Number(words[2]) : NaN;
  if (!(weight >= 0 && weight <= 65535)) ctx.r.fail(f, expected);
  // ldirectord forces the virtual's port for gate/ipip (POD "Section virtual"); a missing port means the virtual's.
  const vport = key.kind === 'addr' ? key.port : 0;
  const port2 = fwd !== 'masq' || p === 0 ? vport : p;
  return { address, port: port2, fwd, weight };
}
