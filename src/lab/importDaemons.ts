import {
  checkerSettings,
  effectiveRealPort,
  effectiveVirtual,
  serviceLabel,
  vrrpResets,
  vrrpSettings,
  type Checker,
  type Diagnostic,
  type EffectiveVrrp,
  type GlobalDefs,
  type HttpUrl,
  type IpvsForwarding,
  type IpvsTableService,
  type KeepalivedConfig,
  type LdForward,
  type LdirectordConfig,
  type LvsMethod,
  type RealServer,
  type VirtualServer,
  type VrrpInstance,
} from '../admin/importers/index.ts';
import { md5Hex } from '../apps/daemons/health/md5.ts';
import { VRRP_DEFAULTS } from '../apps/daemons/index.ts';
import { SECOND } from '../sim/index.ts';

/**
 * The daemon an imported keepalived.conf or ldirectord.cf describes, as the director's `keepalived:` or
 * `ldirectord:` block of the generated scenario (docs/config-import.md, "The generated scenario";
 * docs/daemons.md, "From the configuration files"): the daemon builds the IPVS table itself and, for
 * keepalived, VRRP adds the virtual addresses, so the director gets no static ipvsadm lines for what the daemon
 * manages. Keywords the scenario's block has no key for are reported (file:line) and left out. The real servers
 * are told what to answer: a TCP listener on every checked port, the check file an HTTP check asks for (a body
 * whose MD5 is the url's digest, or that ldirectord's `receive` matches, when one can be found).
 */

/** The daemon part of an imported configuration (DirectorPlan.daemon). */
export type DaemonPlan =
  | { kind: 'keepalived'; config: KeepalivedConfig; text: string }
  | { kind: 'ldirectord'; config: LdirectordConfig; text: string; heartbeat?: HeartbeatPlan };

/** What haresources' line for the node asks heartbeat to start, besides the IPaddr2 addresses. */
export interface HeartbeatPlan {
  file: string;
  line: number;
  node: string;
  /** LVSSyncDaemonSwap::master|backup */
  syncDaemon?: 'master' | 'backup';
  /** the ldirectord resource's configuration file name, when it has one */
  ldirectordFile?: string;
  /** resources the lab does not have */
  others: string[];
}

/** A server the daemon may put in the table that is not a real server of the steady state (sorry, fallback). */
export interface ExtraServer {
  kind: 'sorry' | 'fallback';
  address: string;
  port: number;
  fwd: IpvsForwarding;
  vip?: string;
  /** the configuration line that names it */
  line: number;
}

/** The generated check file of one port of a host. */
export interface CheckChoice {
  path: string;
  body: string;
  /** chosen to satisfy a digest or a receive pattern: later checks may not change it */
  locked: boolean;
  /** when locked: what the checks accept (a given topology's own check file is tested with it) */
  accepts?: (body: Uint8Array) => boolean;
  /** the configuration line of the check that chose it */
  line?: number;
}

/** What the daemon builder may ask of a generated host. */
export interface CheckedHost {
  name: string;
  /** ports the host must listen on (TCP) for the checks */
  checkPorts: Set<number>;
  checkFiles: Map<number, CheckChoice>;
  /** the configuration line of the first check of each port, when the caller wants to name it (--topology) */
  checkLines?: Map<number, number>;
}

export interface DaemonContext {
  file: string;
  diagnostics: Diagnostic[];
  /** the director's interface names */
  devs: ReadonlySet<string>;
  /** the director's interface on the network holding the address */
  devOf(address: string): string | undefined;
  /** the director's interface on the VIP's network */
  defaultDev: string;
  /** an address of the director itself (loopback, a configured address, a service address) */
  local(address: string): boolean;
  /** the generated host with that address */
  host(address: string): CheckedHost | undefined;
  /** the director's address on that host's network (the source of its checks) */
  checkSource(address: string): string | undefined;
  /** the body size of a response to any path that is not the check file */
  responseBytes: number;
  /** the port a port-less service is served and checked on */
  port0: number;
}

export interface DaemonOutput {
  /** YAML lines under the director host (indented by 4) */
  block: string[];
  /** services the block cannot express: they stay static ipvsadm lines */
  staticServices: IpvsTableService[];
  /** further director commands (heartbeat's LVSSyncDaemonSwap) */
  commands: string[];
  /** expectation YAML lines (indented by 2) */
  expect: string[];
  notes: string[];
  /** traffic may start at (ms) */
  trafficStart: number;
  /** the run lasts at least (ms) */
  minDuration: number;
  /** services that get no traffic, and why */
  noTraffic: Map<string, string>;
}

const METHOD_FWD: Record<LvsMethod, IpvsForwarding> = { NAT: 'masq', DR: 'route', TUN: 'tunnel' };
const LD_FWD: Record<LdForward, IpvsForwarding> = { masq: 'masq', gate: 'route', ipip: 'tunnel' };
const DEFAULT_CHECK_BODY = 'OK\n';

/** A YAML double-quoted scalar (JSON's escaping is valid YAML). */
function q(s: string): string {
  return JSON.stringify(s);
}

function num(n: number): string {
  return String(Number(n.toFixed(6)));
}

function msCeil(seconds: number, step = 500): number {
  return Math.ceil((seconds * 1000) / step) * step;
}

/**
 * The line of the first `keyword` at or after `from`, for diagnostics (`from` if none): keepalived.conf's first
 * word of a line, or ldirectord.cf's `keyword=` — in column 1 for a global, indented for a virtual's.
 */
function lineOf(lines: readonly string[], from: number, keyword: string, ld?: 'global' | 'virtual'): number {
  for (let i = Math.max(0, from - 1); i < lines.length; i++) {
    const raw = lines[i];
    if (ld === undefined) {
      if (raw.replace(/[#!].*$/, '').trim().split(/\s+/)[0] === keyword) return i + 1;
    } else if ((ld === 'global') === !/^\s/.test(raw) && new RegExp(`^\\s*${keyword}\\s*=`).test(raw)) return i + 1;
  }
  return Math.max(1, from);
}

function bytesOf(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i) & 0xff;
  return b;
}

/** A host must listen on `port` for the check at `line`. */
function listen(h: CheckedHost, port: number, line: number): void {
  h.checkPorts.add(port);
  if (h.checkLines && !h.checkLines.has(port)) h.checkLines.set(port, line);
}

/**
 * Makes a host answer an HTTP check of `path` on `port` (the check at `line`) with a body `wanted` accepts. The
 * first check of a port chooses the check file; a later one for another path gets the server's default
 * response body. Returns whether the answer satisfies `wanted`.
 */
function serveHttp(ctx: DaemonContext, h: CheckedHost, port: number, path: string, wanted: ((body: Uint8Array) => boolean) | undefined, candidates: readonly string[], line: number): boolean {
  listen(h, port, line);
  const cur = h.checkFiles.get(port);
  if (cur && cur.path !== path) return !wanted || wanted(new Uint8Array(ctx.responseBytes));
  if (!wanted) {
    if (!cur) h.checkFiles.set(port, { path, body: DEFAULT_CHECK_BODY, locked: false, line });
    return true;
  }
  if (cur && (cur.locked || wanted(bytesOf(cur.body)))) {
    cur.locked = true;
    const ok = wanted(bytesOf(cur.body));
    if (ok) {
      // Every check that passes on this file must keep passing on a given topology's own.
      const before = cur.accepts;
      cur.accepts = before ? (b) => before(b) && wanted(b) : wanted;
      if (!before) cur.line = line;
    }
    return ok;
  }
  const body = candidates.find((c) => wanted(bytesOf(c)));
  if (body === undefined) {
    if (!cur) h.checkFiles.set(port, { path, body: DEFAULT_CHECK_BODY, locked: false, line });
    return false;
  }
  h.checkFiles.set(port, { path, body, locked: true, accepts: wanted, line });
  return true;
}

/**
 * Texts the regular expression may match, for ldirectord's `receive` (each is tested against it): the pattern
 * read as text — anchors dropped, optional parts left out (or kept), a class or `.` as one character of it, the
 * first alternative, escapes unescaped — with and without a final newline.
 */
function receiveCandidates(receive: string): string[] {
  const sample = (p: string, keepOptional: boolean): string => {
    let out = '';
    let i = 0;
    const atom = (): string => {
      const c = p[i++];
      if (c === '\\') {
        const e = p[i++] ?? '';
        return ({ d: '0', w: 'a', s: ' ', D: 'a', W: ' ', S: 'a', n: '\n', t: '\t' } as Record<string, string>)[e] ?? e;
      }
      if (c === '.') return 'x';
      if (c === '[') {
        const end = p.indexOf(']', i + 1);
        const body = p.slice(i, end < 0 ? p.length : end);
        i = end < 0 ? p.length : end + 1;
        return body.startsWith('^') ? 'x' : body.replace(/^\\/, '')[0] ?? '';
      }
      if (c === '(') {
        let depth = 1;
        let j = i;
        while (j < p.length && depth > 0) {
          if (p[j] === '\\') j++;
          else if (p[j] === '(') depth++;
          else if (p[j] === ')') depth--;
          j++;
        }
        const inner = p.slice(i, j - 1).replace(/^\?[:=!]/, '');
        i = j;
        return sample(inner, keepOptional);
      }
      return c;
    };
    while (i < p.length) {
      if (p[i] === '|') break;
      if (p[i] === '^' || p[i] === '$') {
        i++;
        continue;
      }
      const a = atom();
      const q = p[i];
      if (q === '?' || q === '*') {
        i++;
        if (keepOptional) out += a;
      } else if (q === '+') {
        i++;
        out += a;
      } else if (q === '{') {
        const end = p.indexOf('}', i);
        const min = Number(p.slice(i + 1, end < 0 ? p.length : end).split(',')[0]) || 0;
        i = end < 0 ? p.length : end + 1;
        out += a.repeat(min);
      } else out += a;
      if (p[i] === '?') i++; // lazy quantifier
    }
    return out;
  };
  const texts = [sample(receive, false), sample(receive, true)];
  return [...new Set(texts.flatMap((t) => [`${t}\n`, t])), DEFAULT_CHECK_BODY];
}

// ------------------------------------------------------------------------------------------------ keepalived

/** The sorry servers of a keepalived.conf, which need hosts. */
export function extraServers(plan: DaemonPlan): ExtraServer[] {
  const out: ExtraServer[] = [];
  if (plan.kind === 'keepalived') {
    for (const vs of plan.config.virtualServers) {
      const s = vs.sorryServer;
      if (!s || vs.key.kind === 'group') continue;
      const port = s.port ?? (vs.key.kind === 'address' ? (vs.key.port ?? 0) : 0);
      out.push({ kind: 'sorry', address: s.address, port, fwd: METHOD_FWD[vs.lbKind ?? 'NAT'], line: s.line, ...(vs.key.kind === 'address' ? { vip: vs.key.address } : {}) });
    }
  } else {
    for (const v of plan.config.virtuals) {
      const e = effectiveVirtual(plan.config, v);
      if (!e.fallback) continue;
      const port = e.fallback.port ?? (v.key.kind === 'address' ? v.key.port : 0);
      out.push({ kind: 'fallback', address: e.fallback.address, port, fwd: LD_FWD[e.fallback.forward], line: v.line, ...(v.key.kind === 'address' ? { vip: v.key.address } : {}) });
    }
  }
  return out;
}

/**
 * The lower-priority settings of an instance (keepalived.conf(5): garp_lower_prio_repeat/delay,
 * lower_prio_no_advert, higher_prio_send_advert, and their global vrrp_* forms) as the scenario keys, written when
 * the file set one of them or keepalived's effective value is not the scenario's default — so that the global
 * vrrp_garp_master_repeat/delay, which are the lower-priority defaults in keepalived, and vrrp_strict carry over.
 * An instance's own value that vrrp_strict overrides is warned about at its line (keepalived resets it, naming
 * only the instance).
 */
function lowerPrioKeys(g: GlobalDefs, inst: VrrpInstance, e: EffectiveVrrp, put: (k: string, v: string) => void, overridden: (k: string, message: string) => void): void {
  const d = VRRP_DEFAULTS;
  // [keyword, the instance's value, the global one, keepalived's effective value, the scenario's default, what
  // vrrp_strict forces, and what keepalived says when it resets an instance's own value].
  const keys = [
    ['garp_lower_prio_repeat', inst.garpLowerPrioRepeat, g.vrrpGarpLowerPrioRepeat ?? g.vrrpGarpMasterRepeat, e.garpLowerPrioRepeat, d.garpLowerPrioRepeat, 0, 'Strict mode requires no repeat garps. resetting'],
    ['garp_lower_prio_delay', inst.garpLowerPrioDelay, g.vrrpGarpLowerPrioDelay ?? g.vrrpGarpMasterDelay, e.garpLowerPrioDelay, d.garpLowerPrioDelay / SECOND, 0, 'Strict mode requires no repeat garp delay. resetting'],
    ['lower_prio_no_advert', inst.lowerPrioNoAdvert, g.vrrpLowerPrioNoAdvert, e.lowerPrioNoAdvert, d.lowerPrioNoAdvert, true, 'Strict mode requires no lower priority advert. resetting'],
    ['higher_prio_send_advert', inst.higherPrioSendAdvert, g.vrrpHigherPrioSendAdvert, e.higherPrioSendAdvert, d.higherPrioSendAdvert, false, 'strict mode requires higher_prio_send_advert to be clear. resetting'],
  ] as const;
  for (const [k, own, global, effective, scenarioDefault, strictValue, says] of keys) {
    if (e.strict && own !== undefined && own !== strictValue) overridden(k, `${k}: ${inst.strictMode !== undefined ? 'strict_mode' : 'vrrp_strict'} makes it ${typeof strictValue === 'boolean' ? (strictValue ? 'on' : 'off') : strictValue}, as keepalived does ("(${inst.name}) ${says}")`);
    if (own === undefined && global === undefined && effective === scenarioDefault) continue;
    put(k, typeof effective === 'boolean' ? (effective ? 'yes' : 'no') : num(effective));
  }
}

/**
 * What strict mode does that the lab leaves out. Its rules on the configuration are applied to each instance
 * (state, authentication, preempt_delay, the lower-priority settings, with keepalived's messages); its default of
 * no accept mode is not: keepalived then installs firewall rules that drop traffic addressed to the virtual
 * addresses of a MASTER that does not own them, which on a director also drops the traffic for the virtual
 * services (a known surprise of vrrp_strict).
 */
const STRICT_FIREWALL = 'its rules on the configuration are applied to each instance, but not its default of no accept mode (keepalived\'s firewall rules dropping traffic to the virtual addresses of a MASTER that does not own them, virtual services included)';

export function keepalivedDaemon(cfg: KeepalivedConfig, text: string, table: readonly IpvsTableService[], ctx: DaemonContext): DaemonOutput {
  const lines = text.split('\n');
  const leftOut = (line: number, what: string, why: string) =>
    ctx.diagnostics.push({ file: ctx.file, line, severity: 'warning', code: 'KA_LEFT_OUT', message: `${what}: ${why}; left out of the scenario's keepalived block` });
  const out: DaemonOutput = { block: ['    keepalived:'], staticServices: [], commands: [], expect: [], notes: [], trafficStart: 1000, minDuration: 0, noTraffic: new Map() };
  const g = cfg.globalDefs;
  const gl = g.line ?? 1;
  if (g.routerId !== undefined) out.block.push(`      router_id: ${q(g.routerId)}`);
  if (g.notificationEmail.length > 0) leftOut(lineOf(lines, gl, 'notification_email'), 'notification_email', 'the lab sends no mail');
  if (g.notificationEmailFrom !== undefined) leftOut(lineOf(lines, gl, 'notification_email_from'), 'notification_email_from', 'the lab sends no mail');
  if (g.smtpServer !== undefined) leftOut(lineOf(lines, gl, 'smtp_server'), 'smtp_server', 'the lab sends no mail');
  if (g.smtpConnectTimeout !== undefined) leftOut(lineOf(lines, gl, 'smtp_connect_timeout'), 'smtp_connect_timeout', 'the lab sends no mail');
  if (g.vrrpGarpMasterRefresh !== undefined) leftOut(lineOf(lines, gl, 'vrrp_garp_master_refresh'), 'vrrp_garp_master_refresh', 'periodic gratuitous ARPs are not modelled');
  if (g.vrrpStrict) leftOut(lineOf(lines, gl, 'vrrp_strict'), 'vrrp_strict', STRICT_FIREWALL);
  // keepalived sets them once at start-up (ipvs_set_timeouts): the director's ipvsadm --set at time 0, 0 = unchanged.
  const lt = g.lvsTimeouts;
  if (lt && (lt.tcp !== undefined || lt.tcpfin !== undefined || lt.udp !== undefined)) out.commands.push(`ipvsadm --set ${lt.tcp ?? 0} ${lt.tcpfin ?? 0} ${lt.udp ?? 0}`);
  if (g.vrrpSkipCheckAdvAddr) leftOut(lineOf(lines, gl, 'vrrp_skip_check_adv_addr'), 'vrrp_skip_check_adv_addr', 'not modelled');
  if (g.enableScriptSecurity) leftOut(lineOf(lines, gl, 'enable_script_security'), 'enable_script_security', 'the lab runs no scripts');
  for (const s of cfg.vrrpScripts) leftOut(s.line, `vrrp_script ${s.name}`, 'tracking scripts are not modelled');

  // VRRP instances.
  let vrrpReady = 0;
  const downOf = new Map<string, number>();
  const instanceNames: string[] = [];
  if (cfg.vrrpInstances.length > 0) out.block.push('      vrrp_instances:');
  for (const inst of cfg.vrrpInstances) {
    const e = vrrpSettings(g, inst);
    const firstVip = inst.virtualIpAddresses[0];
    let iface = inst.interface ?? g.defaultInterface ?? firstVip?.dev ?? ctx.defaultDev;
    if (!ctx.devs.has(iface)) {
      const other = (firstVip && ctx.devOf(firstVip.address)) ?? ctx.defaultDev;
      ctx.diagnostics.push({ file: ctx.file, line: inst.line, severity: 'warning', code: 'KA_INTERFACE', message: `(${inst.name}) the generated director has no interface ${iface}: the instance runs on ${other}` });
      iface = other;
    }
    instanceNames.push(inst.name);
    out.block.push(`        ${q(inst.name)}:`);
    const put = (k: string, v: string) => out.block.push(`          ${k}: ${v}`);
    // keepalived's effective state and priority (a MASTER without priority is the owner, 255; strict mode makes
    // state MASTER mean priority 255), written when the file set them or they differ from the scenario's defaults.
    for (const r of vrrpResets(g, inst)) {
      ctx.diagnostics.push({ file: ctx.file, line: lineOf(lines, inst.line, r.keyword), severity: 'warning', code: r.strict ? 'KA_STRICT' : 'KA_RESET', message: `(${inst.name}) ${r.says}` });
    }
    if (inst.strictMode === true && !g.vrrpStrict) leftOut(lineOf(lines, inst.line, 'strict_mode'), 'strict_mode', STRICT_FIREWALL);
    if (inst.state !== undefined || e.state !== VRRP_DEFAULTS.state) put('state', e.state);
    put('interface', iface);
    put('virtual_router_id', String(inst.virtualRouterId ?? 1));
    if (inst.priority !== undefined || e.priority !== VRRP_DEFAULTS.priority) put('priority', String(e.priority));
    if (inst.advertInt !== undefined) put('advert_int', num(inst.advertInt));
    if (inst.version !== undefined || g.vrrpVersion !== undefined) put('version', String(e.version));
    if (inst.preempt === false) {
      if (e.state === 'MASTER') leftOut(lineOf(lines, inst.line, 'nopreempt'), 'nopreempt', 'keepalived ignores it with state MASTER');
      else put('nopreempt', 'yes');
    }
    if (inst.preemptDelay !== undefined && e.preemptDelay > 0) put('preempt_delay', num(e.preemptDelay));
    const auth = inst.authentication;
    if (e.strict && auth?.authType !== undefined) {
      // Dropped by strict mode: said above in keepalived's words.
    } else if (auth?.authType === 'AH') leftOut(lineOf(lines, inst.line, 'auth_type'), 'auth_type AH', 'IPsec AH authentication is not modelled');
    else if (auth?.authPass !== undefined) {
      if (e.version === 3) leftOut(lineOf(lines, inst.line, 'auth_pass'), 'auth_pass', 'VRRPv3 has no authentication');
      else put('auth_pass', q(auth.authPass));
    }
    if (inst.garpMasterRepeat !== undefined || g.vrrpGarpMasterRepeat !== undefined) put('garp_master_repeat', String(e.garpMasterRepeat));
    if (inst.garpMasterDelay !== undefined || g.vrrpGarpMasterDelay !== undefined) put('garp_master_delay', num(e.garpMasterDelay));
    if (g.vrrpGarpInterval !== undefined) put('garp_interval', num(g.vrrpGarpInterval));
    lowerPrioKeys(g, inst, e, put, (k, message) => ctx.diagnostics.push({ file: ctx.file, line: lineOf(lines, inst.line, k), severity: 'warning', code: 'KA_STRICT', message }));
    if (g.vrrpMcastGroup4 !== undefined) put('mcast_group4', g.vrrpMcastGroup4);
    if (inst.virtualIpAddresses.length > 0) {
      put('virtual_ipaddress', '');
      out.block[out.block.length - 1] = out.block[out.block.length - 1].trimEnd();
      for (const a of inst.virtualIpAddresses) {
        const dev = ctx.devOf(a.address) ?? a.dev ?? iface;
        let l = `${a.address}${a.prefix !== undefined ? `/${a.prefix}` : ''}`;
        if (a.dev !== undefined || dev !== iface) l += ` dev ${dev}`;
        if (a.label !== undefined) l += ` label ${a.label.startsWith(dev) ? a.label : `${dev}:${a.label.slice(a.label.indexOf(':') + 1)}`}`;
        out.block.push(`            - ${q(l)}`);
        if (a.broadcast !== undefined) leftOut(a.line, `brd ${a.broadcast}`, 'the lab derives the broadcast address');
        if (a.scope !== undefined) leftOut(a.line, `scope ${a.scope}`, 'address scopes are not modelled');
        if (a.noTrack) leftOut(a.line, 'no_track', 'interface tracking is not modelled');
      }
    }
    for (const a of inst.virtualIpAddressesExcluded) leftOut(a.line, `virtual_ipaddress_excluded ${a.address}`, 'not modelled (add the address by a command if the director needs it)');
    const tracks = inst.trackInterfaces.filter((t) => {
      if (ctx.devs.has(t.name)) return true;
      leftOut(t.line, `track_interface ${t.name}`, `the director has no interface ${t.name}`);
      return false;
    });
    if (tracks.length > 0) {
      put('track_interface', `[${tracks.map((t) => q(`${t.name}${t.weight !== undefined ? ` weight ${t.weight}` : ''}${t.reverse ? ' reverse' : ''}`)).join(', ')}]`);
    }
    if (inst.dontTrackPrimary) put('dont_track_primary', 'yes');
    for (const t of inst.trackScripts) leftOut(t.line, `track_script ${t.name}`, 'tracking scripts are not modelled');
    const unicast = inst.unicastPeers.length > 0;
    if (unicast) put('unicast_peer', `[${inst.unicastPeers.join(', ')}]`);
    // Any address, as keepalived's raw socket (IP_HDRINCL) sends from whatever it is given.
    if (inst.unicastSrcIp !== undefined) put('unicast_src_ip', inst.unicastSrcIp);
    for (const [k, set, v] of [['unicast_ttl', inst.unicastTtl !== undefined, String(inst.unicastTtl)], ['check_unicast_src', inst.checkUnicastSrc === true || g.vrrpCheckUnicastSrc, 'yes']] as const) {
      if (!set) continue;
      if (unicast) put(k, v);
      else if (k !== 'check_unicast_src' || inst.checkUnicastSrc) leftOut(lineOf(lines, inst.line, k), k, 'it has no effect without unicast_peer');
    }
    if (inst.mcastSrcIp !== undefined) leftOut(lineOf(lines, inst.line, 'mcast_src_ip'), 'mcast_src_ip', 'adverts come from the interface\'s primary address');
    if (inst.garpMasterRefresh !== undefined) leftOut(lineOf(lines, inst.line, 'garp_master_refresh'), 'garp_master_refresh', 'periodic gratuitous ARPs are not modelled');
    for (const k of ['notify_master', 'notify_backup', 'notify_fault', 'notify'] as const) {
      const v = k === 'notify_master' ? inst.notifyMaster : k === 'notify_backup' ? inst.notifyBackup : k === 'notify_fault' ? inst.notifyFault : inst.notify;
      if (v !== undefined) leftOut(lineOf(lines, inst.line, k), k, 'the lab runs no scripts');
    }
    if (inst.smtpAlert) leftOut(lineOf(lines, inst.line, 'smtp_alert'), 'smtp_alert', 'the lab sends no mail');
    // Alone on its network, the instance becomes MASTER when its master-down timer runs out (RFC 3768 §6.4.2,
    // RFC 5798 §6.4.2): 3 × advert_int + the skew time.
    const skew = e.version === 3 ? ((256 - e.priority) * e.advertInt) / 256 : (256 - e.priority) / 256;
    const down = 3 * e.advertInt + skew;
    vrrpReady = Math.max(vrrpReady, down);
    downOf.set(inst.name, down);
    out.expect.push(`  # VRRP: ${inst.name} has no peer here; it is MASTER once its master-down timer (${num(down)} s) runs out, and adds its virtual addresses`);
    out.expect.push(`  - count: { kind: vrrp, host: director, instance: ${q(inst.name)}, to: MASTER }`, '    equals: 1');
    out.notes.push(
      `VRRP instance ${inst.name} (VRID ${inst.virtualRouterId ?? '?'}, priority ${e.priority}, advert_int ${num(e.advertInt)}s) runs on ${iface}: with no peer it becomes MASTER after ${num(down)} s (3 × advert_int + skew) and adds its ${inst.virtualIpAddresses.length} virtual address(es); the traffic starts after that.`,
    );
  }
  // Sync groups whose members are instances of the block (keepalived ignores unknown members, and a lone one
  // is no group); a group's own track_interface lines are not modelled.
  const groups: string[] = [];
  const grouped = new Set<string>();
  for (const sg of cfg.vrrpSyncGroups) {
    const members = [...new Set(sg.group)].filter((n) => instanceNames.includes(n) && !grouped.has(n));
    for (const t of sg.trackInterfaces) leftOut(t.line, `track_interface ${t.name} in vrrp_sync_group ${sg.name}`, 'tracking by a sync group is not modelled (track the interface in its member instances)');
    if (members.length < 2) {
      leftOut(sg.line, `vrrp_sync_group ${sg.name}`, `it has ${members.length === 0 ? 'no member' : 'only one member'} among the vrrp instances`);
      continue;
    }
    for (const m of members) grouped.add(m);
    const down = Math.max(...members.map((m) => downOf.get(m) ?? 0));
    out.notes.push(`Sync group ${sg.name}: ${members.join(', ')} change state together; alone they become MASTER together once the last of their master-down timers has run out (${num(down)} s).`);
    groups.push(`        ${q(sg.name)}: { group: [${members.map(q).join(', ')}]${sg.syncGroupTrackingWeight ? ', sync_group_tracking_weight: yes' : ''} }`);
  }
  if (groups.length > 0) out.block.push('      vrrp_sync_groups:', ...groups);
  const sync = g.lvsSyncDaemon ?? (() => {
    const legacy = cfg.vrrpInstances.find((i) => i.lvsSyncDaemonInterface !== undefined);
    return legacy ? { interface: legacy.lvsSyncDaemonInterface as string, instance: legacy.name } : undefined;
  })();
  let syncLine: string | undefined;
  if (sync) {
    const l = g.lvsSyncDaemon ? lineOf(lines, gl, 'lvs_sync_daemon') : lineOf(lines, cfg.vrrpInstances.find((i) => i.lvsSyncDaemonInterface !== undefined)?.line ?? 1, 'lvs_sync_daemon_interface');
    if (!ctx.devs.has(sync.interface)) leftOut(l, `lvs_sync_daemon ${sync.interface}`, 'the generated director has no such interface');
    else if (sync.instance !== undefined && !instanceNames.includes(sync.instance)) leftOut(l, `lvs_sync_daemon ${sync.instance}`, 'no vrrp_instance has that name');
    else syncLine = `      lvs_sync_daemon: { interface: ${sync.interface}${sync.instance !== undefined ? `, instance: ${q(sync.instance)}` : ''}${'syncId' in sync && sync.syncId !== undefined ? `, id: ${sync.syncId}` : ''} }`;
  }

  // Virtual servers: the table's services in the same order (describeKeepalived skips groups only).
  let alphaReady = 0;
  let checksRun = 0;
  const vsList = cfg.virtualServers.filter((v) => v.key.kind !== 'group');
  const emitted: string[] = [];
  const checked = new Set<string>();
  vsList.forEach((vs, i) => {
    const svc = table[i];
    if (!svc) return;
    const label = serviceLabel(svc.key);
    if (svc.key.kind === 'address' && svc.key.protocol === 'sctp') {
      leftOut(vs.line, `virtual_server ${label}`, 'the scenario\'s keepalived block has no SCTP; the service is set up by ipvsadm lines instead, without health checks');
      out.staticServices.push(svc);
      return;
    }
    const b: string[] = [];
    const put = (k: string, v: string) => b.push(`          ${k}: ${v}`);
    b.push(svc.key.kind === 'fwmark' ? `        - fwmark: ${svc.key.mark}` : `        - virtual: ${q(svc.key.port === 0 ? svc.key.address : `${svc.key.address}:${svc.key.port}`)}`);
    if (svc.key.kind === 'address') put('protocol', svc.key.protocol);
    put('lb_algo', svc.scheduler);
    const kind = vs.lbKind ?? 'NAT';
    put('lb_kind', kind);
    if (svc.persistent !== undefined) put('persistence_timeout', String(svc.persistent));
    if (svc.netmask !== undefined) put('persistence_granularity', svc.netmask);
    if (svc.onePacket) put('ops', 'yes');
    if (svc.schedFlags !== undefined) put('sched_flags', `[${svc.schedFlags.split(',').join(', ')}]`);
    if (vs.delayLoop !== undefined) put('delay_loop', num(vs.delayLoop));
    if (vs.connectTimeout !== undefined) put('connect_timeout', num(vs.connectTimeout));
    if (vs.retry !== undefined) put('retry', String(vs.retry));
    if (vs.delayBeforeRetry !== undefined) put('delay_before_retry', num(vs.delayBeforeRetry));
    if (vs.inhibitOnFailure) put('inhibit_on_failure', 'yes');
    if (vs.alpha) put('alpha', 'yes');
    if (vs.quorum !== undefined) put('quorum', String(vs.quorum));
    if (vs.hysteresis !== undefined) put('hysteresis', String(vs.hysteresis));
    if (vs.virtualhost !== undefined) put('virtualhost', q(vs.virtualhost));
    if (vs.warmup !== undefined) put('warmup', num(vs.warmup));
    if (vs.omega) leftOut(lineOf(lines, vs.line, 'omega'), 'omega', 'notify scripts are not modelled');
    if (vs.haSuspend) leftOut(lineOf(lines, vs.line, 'ha_suspend'), 'ha_suspend', 'not modelled');
    const sorry = vs.sorryServer;
    let sorryText: string | undefined;
    if (sorry) {
      const port = sorry.port ?? (svc.key.kind === 'address' ? svc.key.port : 0);
      if (port === 0) leftOut(sorry.line, 'sorry_server', 'it has no port, and the scenario\'s sorry_server needs one');
      else {
        sorryText = `${sorry.address}:${port}`;
        put('sorry_server', q(sorryText));
        if (sorry.lvsMethod !== undefined && sorry.lvsMethod !== kind) leftOut(lineOf(lines, sorry.line, 'sorry_server_lvs_method'), 'sorry_server_lvs_method', `the lab adds the sorry server with the virtual server's lb_kind ${kind}`);
      }
      if (vs.sorryServerInhibit) leftOut(lineOf(lines, vs.line, 'sorry_server_inhibit'), 'sorry_server_inhibit', 'not modelled');
    }
    b.push(vs.realServers.length > 0 ? '          real_servers:' : '          real_servers: []');
    let liveWeight = 0;
    let startWeight = 0;
    const rsExpect: string[] = [];
    vs.realServers.forEach((rs, j) => {
      const d = svc.destinations[j];
      const port = d ? d.port : (rs.port ?? 0);
      const server = `${rs.address}:${port}`;
      b.push(`            - address: ${q(port === 0 ? rs.address : server)}`);
      const rput = (k: string, v: string) => b.push(`              ${k}: ${v}`);
      if (rs.weight !== undefined) rput('weight', String(rs.weight));
      if (rs.lvsMethod !== undefined) rput('lvs_method', rs.lvsMethod);
      if (rs.inhibitOnFailure !== undefined) rput('inhibit_on_failure', rs.inhibitOnFailure ? 'yes' : 'no');
      if (rs.alpha !== undefined) rput('alpha', rs.alpha ? 'yes' : 'no');
      if (rs.connectTimeout !== undefined) rput('connect_timeout', num(rs.connectTimeout));
      if (rs.retry !== undefined) rput('retry', String(rs.retry));
      if (rs.delayBeforeRetry !== undefined) rput('delay_before_retry', num(rs.delayBeforeRetry));
      if (rs.delayLoop !== undefined) rput('delay_loop', num(rs.delayLoop));
      if (rs.virtualhost !== undefined) rput('virtualhost', q(rs.virtualhost));
      if (rs.warmup !== undefined) leftOut(lineOf(lines, rs.line, 'warmup'), 'warmup in real_server', 'the scenario has warmup per virtual server only');
      if (rs.notifyUp !== undefined) leftOut(lineOf(lines, rs.line, 'notify_up'), 'notify_up', 'the lab runs no scripts');
      if (rs.notifyDown !== undefined) leftOut(lineOf(lines, rs.line, 'notify_down'), 'notify_down', 'the lab runs no scripts');
      if (rs.uthreshold !== undefined) leftOut(lineOf(lines, rs.line, 'uthreshold'), 'uthreshold', 'keepalived\'s block in the scenario adds real servers without thresholds');
      if (rs.lthreshold !== undefined) leftOut(lineOf(lines, rs.line, 'lthreshold'), 'lthreshold', 'keepalived\'s block in the scenario adds real servers without thresholds');
      const local = ctx.local(rs.address);
      const checks: string[] = [];
      for (const c of rs.checkers) {
        if (local && c.kind !== 'PING_CHECK') {
          leftOut(c.line, c.kind, `real server ${rs.address} is the director itself, which runs no server in the lab, so the check could not pass; the real server stays up`);
          continue;
        }
        const r = checker(vs, rs, c, port, ctx, lines, leftOut);
        if (!r) continue;
        checks.push(...r.lines);
        if (r.target && !checked.has(r.target.key)) {
          checked.add(r.target.key);
          rsExpect.push(...r.target.expect);
        }
        const s = checkerSettings(vs, rs, c);
        // The scenario's warmup is the virtual server's, else the checker's delay_loop.
        const warm = vs.warmup ?? (c.delayLoop ?? rs.delayLoop ?? vs.delayLoop ?? 60);
        checksRun = Math.max(checksRun, warm + s.connectTimeout);
        if (s.alpha) alphaReady = Math.max(alphaReady, warm + 1);
      }
      if (checks.length > 0) b.push('              checks:', ...checks);
      const weight = rs.weight ?? 1;
      // Every check is made to pass (what cannot pass was left out above), so every real server ends up alive.
      liveWeight += weight;
      // Without alpha a real server is alive from start-up; with alpha once its checkers have passed
      // (one without checkers stays down in the lab's keepalived).
      if (!(rs.alpha ?? vs.alpha)) startWeight += weight;
      if (!local && checks.length > 0) {
        rsExpect.push(`  - count: { kind: health, host: director, service: ${q(label)}, server: ${q(server)} }`, '    equals: 1');
      }
    });
    // update_quorum_state: the sorry server goes in while the live weight is 0 or below quorum − hysteresis, and
    // leaves once it reaches quorum + hysteresis.
    const quorum = vs.quorum ?? 1;
    const hysteresis = vs.hysteresis ?? 0;
    const startOn = startWeight === 0 || startWeight < quorum - hysteresis;
    const sorryOn = startOn && !(liveWeight >= quorum + hysteresis && liveWeight > 0);
    if (rsExpect.length > 0) {
      out.expect.push(`  # ${label}: keepalived checks every real server, and none fails (one health event each: up at start-up${vs.alpha ? ', or at its first good check with alpha' : ''})`, ...rsExpect);
    }
    if (sorryText !== undefined) {
      out.expect.push(`  # ${label}: the sorry server ${sorryText} goes in only when the live weight falls below the quorum (${quorum})`);
      out.expect.push(`  - count: { kind: health, host: director, service: ${q(label)}, event: sorry-on }`, `    equals: ${startOn ? 1 : 0}`);
      if (startOn) out.expect.push(`  - count: { kind: health, host: director, service: ${q(label)}, event: sorry-off }`, `    equals: ${sorryOn ? 0 : 1}`);
      out.notes.push(
        `The sorry server ${sorryText} of ${label} has a host of its own; keepalived puts it in the table only when the live weight is below the quorum${sorryOn ? ', which it is here, so the traffic goes to it' : startOn ? ': it is in at start-up (alpha: no real server is alive before its first check) and leaves once the checks pass' : ', so it stays out while the real servers pass their checks'}.`,
      );
      if (sorryOn) out.noTraffic.set(label, `the live weight is below the quorum, so keepalived serves ${label} from the sorry server`);
    }
    emitted.push(...b);
  });
  if (emitted.length > 0) out.block.push('      virtual_servers:', ...emitted);
  if (syncLine) out.block.push(syncLine);
  if (out.block.length === 1) out.block.push('      virtual_servers: []');
  out.trafficStart = Math.max(1000, msCeil(vrrpReady + 1), msCeil(alphaReady + 1));
  out.minDuration = msCeil(checksRun + 1);
  if (vsList.length > 0) {
    const ssl = vsList.some((v) => v.realServers.some((r) => r.checkers.some((c) => c.kind === 'SSL_GET')));
    out.notes.unshift(
      `keepalived builds the IPVS table itself (no ipvsadm lines) and checks the real servers${checksRun > 0 ? `; the run lasts until every checker has run at least once (${num(out.minDuration / 1000)} s)` : ''}. The real servers answer the checks: each listens on the checked port and serves the file an HTTP check asks for${ssl ? ' (SSL_GET is HTTP_GET without TLS in the lab)' : ''}.`,
    );
  }
  return out;
}

interface CheckerYaml {
  lines: string[];
  target?: { key: string; expect: string[] };
}

function checker(
  vs: VirtualServer,
  rs: RealServer,
  c: Checker,
  rsPort: number,
  ctx: DaemonContext,
  lines: readonly string[],
  leftOut: (line: number, what: string, why: string) => void,
): CheckerYaml | undefined {
  if (c.kind === 'MISC_CHECK' || c.kind === 'UDP_CHECK' || c.kind === 'SMTP_CHECK' || c.kind === 'DNS_CHECK') {
    leftOut(c.line, c.kind, 'the lab\'s keepalived has TCP_CHECK, HTTP_GET, SSL_GET and PING_CHECK only; without it the real server stays up');
    return undefined;
  }
  const y: string[] = [`                - type: ${c.kind}`];
  const put = (k: string, v: string) => y.push(`                  ${k}: ${v}`);
  let address = rs.address;
  if (c.connectIp !== undefined && c.connectIp !== rs.address) {
    if (ctx.host(c.connectIp)) {
      put('connect_ip', c.connectIp);
      address = c.connectIp;
    } else leftOut(lineOf(lines, c.line, 'connect_ip'), `connect_ip ${c.connectIp}`, 'no generated host has that address; the check goes to the real server');
  }
  let port = c.connectPort ?? (rsPort !== 0 ? rsPort : undefined);
  if (c.kind !== 'PING_CHECK' && port === undefined) {
    port = ctx.port0;
    ctx.diagnostics.push({ file: ctx.file, line: c.line, severity: 'warning', code: 'KA_CHECK_PORT', message: `${c.kind} of ${rs.address} has no port (the real server has none): the scenario checks port ${port}, where the generated server answers` });
  }
  if (port !== undefined && c.kind !== 'PING_CHECK' && (c.connectPort !== undefined || port !== rsPort)) put('connect_port', String(port));
  if (c.connectTimeout !== undefined) put('connect_timeout', num(c.connectTimeout));
  if (c.retry !== undefined) put('retry', String(c.retry));
  if ((c.kind === 'HTTP_GET' || c.kind === 'SSL_GET') && c.nbGetRetry !== undefined && c.retry === undefined) put('nb_get_retry', String(c.nbGetRetry));
  if (c.delayBeforeRetry !== undefined) put('delay_before_retry', num(c.delayBeforeRetry));
  if (c.delayLoop !== undefined) put('delay_loop', num(c.delayLoop));
  for (const [k, v] of [['bindto', c.bindTo], ['bind_port', c.bindPort], ['bind_if', c.bindIf], ['fwmark', c.fwmark], ['warmup', c.warmup], ['alpha', c.alpha], ['log_all_failures', c.logAllFailures]] as const) {
    if (v !== undefined && v !== false) leftOut(lineOf(lines, c.line, k), `${k} in ${c.kind}`, 'not a key of the scenario\'s checks');
  }
  const h = ctx.host(address);
  const src = ctx.checkSource(address);
  if (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET') {
    if (c.virtualhost !== undefined) put('virtualhost', q(c.virtualhost));
    if (c.httpProtocol !== undefined) leftOut(lineOf(lines, c.line, 'http_protocol'), 'http_protocol', 'the lab\'s check speaks HTTP/1.0');
    if (c.fastRecovery) leftOut(lineOf(lines, c.line, 'fast_recovery'), 'fast_recovery', 'not modelled');
    const urls: string[] = [];
    for (const u of c.urls) urls.push(urlYaml(u, h, port as number, c.line, ctx, leftOut, lines));
    if (c.urls.length === 0 && h) serveHttp(ctx, h, port as number, '/', undefined, [], c.line);
    if (urls.length > 0) put('url', `[${urls.join(', ')}]`);
  } else if (c.kind === 'TCP_CHECK' && h) listen(h, port as number, c.line);
  if (!h) return { lines: y };
  const target =
    c.kind === 'PING_CHECK'
      ? { key: `${h.name} icmp`, expect: src ? [`  - count: { kind: rx, host: ${h.name}, pkt: { ip: { src: ${src} }, icmp: { type: 8 } } }`, '    atLeast: 1'] : [] }
      : { key: `${h.name} ${port}`, expect: src ? [`  - count: { kind: rx, host: ${h.name}, pkt: { ip: { src: ${src} }, tcp: { dport: ${port}, flags: S } } }`, '    atLeast: 1'] : [] };
  return { lines: y, target };
}

function urlYaml(
  u: HttpUrl,
  h: CheckedHost | undefined,
  port: number,
  checkLine: number,
  ctx: DaemonContext,
  leftOut: (line: number, what: string, why: string) => void,
  lines: readonly string[],
): string {
  const path = u.path ?? '/';
  const parts = [`path: ${q(path)}`];
  const codes = u.statusCodes.length > 0 ? u.statusCodes : undefined;
  // The lab's web servers answer every path with 200.
  if (codes && !codes.some(([lo, hi]) => lo <= 200 && 200 <= hi)) {
    leftOut(lineOf(lines, u.line, 'status_code'), `status_code ${codes.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(' ')}`, 'the lab\'s web servers answer 200, so the check could never pass');
  } else if (codes) parts.push(`status_code: [${codes.map(([a, b]) => (a === b ? String(a) : q(`${a}-${b}`))).join(', ')}]`);
  if (u.digest !== undefined) {
    const digest = u.digest.toLowerCase();
    const ok = h ? serveHttp(ctx, h, port, path, (body) => md5Hex(body) === digest, [DEFAULT_CHECK_BODY, ''], checkLine) : false;
    if (ok) parts.push(`digest: ${digest}`);
    else leftOut(lineOf(lines, u.line, 'digest'), `digest ${digest}`, `no check file the generated server can serve at ${path} has that MD5 (the page it was taken from is not in the file)`);
  } else if (h) serveHttp(ctx, h, port, path, undefined, [], checkLine);
  if (u.virtualhost !== undefined) leftOut(lineOf(lines, u.line, 'virtualhost'), 'virtualhost in url', 'the scenario has virtualhost per checker');
  if (u.regex !== undefined) leftOut(lineOf(lines, u.line, 'regex'), 'regex', 'not modelled');
  return `{ ${parts.join(', ')} }`;
}

// ------------------------------------------------------------------------------------------------ ldirectord

export function ldirectordDaemon(cfg: LdirectordConfig, text: string, table: readonly IpvsTableService[], heartbeat: HeartbeatPlan | undefined, ctx: DaemonContext): DaemonOutput {
  const lines = text.split('\n');
  const leftOut = (line: number, what: string, why: string) =>
    ctx.diagnostics.push({ file: ctx.file, line, severity: 'warning', code: 'LD_LEFT_OUT', message: `${what}: ${why}; left out of the scenario's ldirectord block` });
  const out: DaemonOutput = { block: ['    ldirectord:'], staticServices: [], commands: [], expect: [], notes: [], trafficStart: 1000, minDuration: 0, noTraffic: new Map() };
  const g = cfg.globals;
  const put = (k: string, v: string) => out.block.push(`      ${k}: ${v}`);
  if (g.checkInterval !== undefined) put('checkinterval', String(g.checkInterval));
  // ld_setup: checktimeout and negotiatetimeout default to each other.
  if (g.checkTimeout !== undefined || g.negotiateTimeout !== undefined) {
    put('checktimeout', String(g.checkTimeout ?? g.negotiateTimeout));
    put('negotiatetimeout', String(g.negotiateTimeout ?? g.checkTimeout));
  }
  if (g.failureCount !== undefined) put('failurecount', String(g.failureCount));
  if (g.quiescent !== undefined) put('quiescent', g.quiescent ? 'yes' : 'no');
  if (g.fallback) put('fallback', q(fallbackText(g.fallback)));
  if (g.cleanStop !== undefined) put('cleanstop', g.cleanStop ? 'yes' : 'no');
  const globalsLeftOut: [string, unknown, string][] = [
    ['autoreload', g.autoreload, 'the lab does not reload configuration files'],
    ['callback', g.callback, 'the lab runs no scripts'],
    ['logfile', g.logfile, 'ldirectord logs to the trace (health events)'],
    ['emailalert', g.emailAlert, 'the lab sends no mail'],
    ['emailalertfreq', g.emailAlertFreq, 'the lab sends no mail'],
    ['emailalertstatus', g.emailAlertStatus, 'the lab sends no mail'],
    ['emailalertfrom', g.emailAlertFrom, 'the lab sends no mail'],
    ['smtp', g.smtp, 'the lab sends no mail'],
    ['readdquiescent', g.readdQuiescent, 'not modelled'],
    ['fallbackcommand', g.fallbackCommand, 'the lab runs no scripts'],
    ['fork', g.fork, 'the lab runs the checks of a round in parallel (fork mode) anyway'],
    ['supervised', g.supervised, 'not modelled'],
    ['maintenancedir', g.maintenanceDir, 'not modelled'],
    ['checkcount', g.checkCount, 'deprecated, not modelled (failurecount is)'],
  ];
  for (const [k, v, why] of globalsLeftOut) if (v !== undefined) leftOut(lineOf(lines, 1, k, 'global'), k, why);
  if (g.execute.length > 0) leftOut(lineOf(lines, 1, 'execute', 'global'), 'execute', 'the lab runs one ldirectord per host, on the imported file');

  const vb: string[] = [];
  cfg.virtuals.forEach((v, i) => {
    const svc = table[i];
    if (!svc) return;
    const label = serviceLabel(svc.key);
    const e = effectiveVirtual(cfg, v);
    const vput = (k: string, val: string) => vb.push(`          ${k}: ${val}`);
    vb.push(v.key.kind === 'fwmark' ? `        - virtual: ${v.key.mark}` : `        - virtual: ${q(`${v.key.address}:${v.key.port}`)}`);
    if (v.key.kind === 'address' && v.protocol !== undefined && v.protocol !== 'fwm') vput('protocol', v.protocol);
    else if (v.key.kind === 'address' && e.protocol === 'udp') vput('protocol', 'udp');
    vb.push('          real:');
    for (const r of v.reals) {
      const port = effectiveRealPort(v, r);
      vb.push(`            - ${q(`${r.address}${port !== 0 ? `:${port}` : ''} ${r.forward}${r.weight !== 1 ? ` ${r.weight}` : ''}`)}`);
      if (r.request !== undefined || r.receive !== undefined) leftOut(r.line, 'the real server\'s "request", "receive"', 'the scenario\'s real lines have no check of their own; the virtual\'s request is checked');
    }
    if (v.scheduler !== undefined) vput('scheduler', v.scheduler);
    if (v.persistent !== undefined) vput('persistent', String(v.persistent));
    if (v.netmask !== undefined) vput('netmask', v.netmask);
    let checkType = e.checkType;
    if (typeof v.checkType === 'object' || v.checkType === 'external' || v.checkType === 'external-perl') {
      const what = typeof v.checkType === 'object' ? `checktype=${v.checkType.combined}` : `checktype=${v.checkType}`;
      leftOut(lineOf(lines, v.line, 'checktype', 'virtual'), what, typeof v.checkType === 'object' ? 'the lab has no combined check; ldirectord\'s default negotiate runs' : 'the lab runs no external check; ldirectord\'s default negotiate runs');
      checkType = 'negotiate';
    } else if (v.checkType !== undefined) vput('checktype', v.checkType);
    // Written even when the file leaves it to the port (ldirectord's default is the virtual's port's service).
    if (v.service !== undefined || checkType === 'negotiate') vput('service', e.service);
    if (v.checkPort !== undefined) vput('checkport', String(v.checkPort));
    if (v.request !== undefined) vput('request', q(v.request));
    if (v.httpMethod !== undefined) vput('httpmethod', v.httpMethod);
    if (v.virtualhost !== undefined) vput('virtualhost', q(v.virtualhost));
    if (v.fallback) vput('fallback', q(fallbackText(v.fallback)));
    if (v.quiescent !== undefined) vput('quiescent', v.quiescent ? 'yes' : 'no');
    if (v.checkTimeout !== undefined || v.negotiateTimeout !== undefined) {
      vput('checktimeout', String(v.checkTimeout ?? v.negotiateTimeout));
      vput('negotiatetimeout', String(v.negotiateTimeout ?? v.checkTimeout));
    }
    if (v.failureCount !== undefined) vput('failurecount', String(v.failureCount));
    const virtualLeftOut: [string, unknown, string][] = [
      ['checkinterval', v.checkInterval, 'the scenario has checkinterval for the whole daemon'],
      ['checkcount', v.checkCount, 'deprecated, not modelled'],
      ['checkcommand', v.checkCommand, 'the lab runs no external check'],
      ['fallbackcommand', v.fallbackCommand, 'the lab runs no scripts'],
      ['login', v.login, 'the lab\'s checks speak HTTP or connect only'],
      ['passwd', v.passwd, 'the lab\'s checks speak HTTP or connect only'],
      ['database', v.database, 'the lab\'s checks speak HTTP or connect only'],
      ['secret', v.secret, 'the lab\'s checks speak HTTP or connect only'],
      ['load', v.load, 'not modelled'],
      ['monitorfile', v.monitorfile, 'the lab logs to the trace'],
      ['emailalert', v.emailAlert, 'the lab sends no mail'],
      ['emailalertfreq', v.emailAlertFreq, 'the lab sends no mail'],
      ['emailalertstatus', v.emailAlertStatus, 'the lab sends no mail'],
      ['cleanstop', v.cleanStop, 'the scenario has cleanstop for the whole daemon'],
      ['smtp', v.smtp, 'the lab sends no mail'],
      ['ops', v.ops, 'one-packet scheduling is not a key of the scenario\'s ldirectord block'],
    ];
    for (const [k, val, why] of virtualLeftOut) if (val !== undefined) leftOut(lineOf(lines, v.line, k, 'virtual'), k, why);

    // What the real servers must answer.
    const http = checkType === 'negotiate' && ['http', 'https', 'http_proxy'].includes(e.service);
    let receive = v.receive;
    const rsExpect: string[] = [];
    let anyUp = false;
    // The line a check's warning names: the virtual's own request= (or checkport=), else its virtual= line.
    const next = cfg.virtuals[i + 1]?.line ?? Infinity;
    const keyLine = (k: string) => {
      const l = lineOf(lines, v.line, k, 'virtual');
      return l < next ? l : v.line;
    };
    for (const r of v.reals) {
      const port = v.checkPort ?? effectiveRealPort(v, r);
      const server = `${r.address}:${effectiveRealPort(v, r)}`;
      if (ctx.local(r.address) || checkType === 'off') continue;
      const h = ctx.host(r.address);
      if (!h) continue;
      if (checkType === 'negotiate' || checkType === 'connect') {
        if (port === 0) continue;
        if (http) {
          if (receive !== undefined && receive !== '' && regExpOrUndefined(receive) === undefined) {
            // ldirectord matches receive as a Perl regular expression; one JavaScript cannot compile is left out.
            leftOut(lineOf(lines, v.line, 'receive', 'virtual'), `receive="${receive}"`, 'it is not a regular expression the lab can read');
            receive = undefined;
          }
          const rx = receive !== undefined && receive !== '' && e.httpMethod === 'GET' ? regExpOrUndefined(receive) : undefined;
          const ok = serveHttp(ctx, h, port, e.request.startsWith('/') ? e.request : `/${e.request}`, rx ? (b) => rx.test(latin1(b)) : undefined, rx ? receiveCandidates(receive as string) : [], keyLine('request'));
          if (!ok) {
            leftOut(lineOf(lines, v.line, 'receive', 'virtual'), `receive="${receive}"`, 'no check file the lab can generate matches it');
            receive = undefined;
          }
        } else listen(h, port, keyLine('checkport'));
      }
      anyUp = true;
      rsExpect.push(`  - count: { kind: health, host: director, service: ${q(label)}, server: ${q(server)}, event: up }`, '    equals: 1');
      rsExpect.push(`  - count: { kind: health, host: director, service: ${q(label)}, server: ${q(server)}, event: down, check: ${checkType} }`, '    equals: 0');
    }
    if (receive !== undefined) vput('receive', q(receive));
    if (checkType === 'off') out.noTraffic.set(label, 'checktype=off: ldirectord never brings a real server up');
    if (rsExpect.length > 0) out.expect.push(`  # ${label}: ldirectord starts every real server down, and its first round of checks (${checkType}) brings each up`, ...rsExpect);
    if (e.fallback) {
      const f = `${e.fallback.address}:${e.fallback.port ?? (v.key.kind === 'address' ? v.key.port : 0)}`;
      out.expect.push(`  # ${label}: the fallback ${f} is in the table only until a real server is up`);
      out.expect.push(`  - count: { kind: health, host: director, service: ${q(label)}, event: fallback-on }`, '    equals: 1');
      out.expect.push(`  - count: { kind: health, host: director, service: ${q(label)}, event: fallback-off }`, `    equals: ${anyUp ? 1 : 0}`);
      out.notes.push(`The fallback ${f} of ${label} is in the table from start-up until the first real server passes its check${ctx.local(e.fallback.address) ? ' (it is the director itself)' : ' (it has a host of its own)'}.`);
    }
  });
  if (vb.length > 0) out.block.push('      virtuals:', ...vb);
  else out.block.push('      virtuals: []');
  out.notes.unshift('ldirectord builds the IPVS table itself (no ipvsadm lines): each real server is added once its first check passes; the real servers serve the request with a body the receive pattern matches.');

  if (heartbeat) {
    const hb = heartbeat;
    if (hb.syncDaemon) {
      out.commands.push(`ipvsadm --start-daemon ${hb.syncDaemon}`);
      out.expect.push(`  # heartbeat's LVSSyncDaemonSwap::${hb.syncDaemon}: the IPVS sync daemon runs`);
      out.expect.push('  - at: 900ms', '    host: director', '    run: ipvsadm -L --daemon', `    output: { contains: ${q(`${hb.syncDaemon} sync daemon`)} }`);
    }
    for (const o of hb.others) ctx.diagnostics.push({ file: hb.file, line: hb.line, severity: 'warning', code: 'HA_LEFT_OUT', message: `resource ${o}: not a resource the lab has; left out` });
    out.notes.push(
      `heartbeat itself is not run (a single node): ${hb.node} is the active node and its resources start at time 0 — IPaddr2 as an ip addr add command, ldirectord as the ldirectord: block${hb.syncDaemon ? `, LVSSyncDaemonSwap::${hb.syncDaemon} as ipvsadm --start-daemon ${hb.syncDaemon}` : ''}.`,
    );
  }
  return out;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

function fallbackText(f: { address: string; port?: number; forward: LdForward }): string {
  return `${f.address}${f.port !== undefined ? `:${f.port}` : ''} ${f.forward}`;
}

/** A pattern compiled, or undefined when it is not a valid JavaScript regular expression. */
function regExpOrUndefined(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}
