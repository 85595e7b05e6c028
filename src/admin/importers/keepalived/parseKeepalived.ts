import { parseIpv4 } from '../../../wire/Ipv4Address.ts';
import { DiagnosticList, type ImportResult } from '../Diagnostic.ts';
import { lexKeepalived, type Word } from './lexer.ts';
import {
  emptyKeepalivedConfig,
  type Checker,
  type CheckerCommon,
  type HttpChecker,
  type HttpUrl,
  type KeepalivedConfig,
  type LvsMethod,
  type MiscChecker,
  type RealServer,
  type TrackedInterface,
  type VirtualIpAddress,
  type VirtualServer,
  type VrrpInstance,
  type VrrpScript,
  type VrrpSyncGroup,
} from './model.ts';
import { Values } from './values.ts';
import { vrrpSettings } from './effective.ts';

/**
 * keepalived.conf → KeepalivedConfig (reference/config-formats.md §1), checked keyword by keyword the way
 * keepalived 2.2.7's `--config-test` checks it, so that the lines we report for unknown keywords, deprecated
 * keywords and bad values are the lines keepalived reports (the test suite runs the real tool on every fixture).
 *
 * Block handling follows lib/parser.c: a keyword unknown at the current level is reported and its line dropped,
 * and parsing goes on *at the same level* — so an unknown block keyword's `{` is an "Unexpected '{'", its
 * contents are read as keywords of the enclosing block and its `}` closes the enclosing block, exactly the
 * misparse keepalived makes (reference §1.1 suggested skipping the block instead; we follow the real tool so the
 * reported lines agree). A block whose header is invalid (a bad real-server address) is skipped whole, as
 * keepalived skips it.
 */

type Simple = { kind: 'simple'; fn: (kw: Word, args: Word[], line: number) => void };
type Block = { kind: 'block'; fn: (kw: Word, args: Word[], line: number) => Level | undefined };
type Spec = Simple | Block;

interface Level {
  name: string;
  kw: Map<string, Spec>;
  /** list blocks (virtual_ipaddress, notification_email, ...): every line is data; may open a nested skip */
  raw?: (words: Word[], line: number) => Level | undefined;
}

/** Diagnostic codes whose lines keepalived's own --config-test names too (the yardstick set). */
export const KEEPALIVED_REPORTED_CODES: ReadonlySet<string> = new Set([
  'KA_UNKNOWN_KEYWORD',
  'KA_UNEXPECTED_BOB',
  'KA_EXTRA_EOB',
  'KA_MISSING_BOB',
  'KA_UNMATCHED_QUOTE',
  'KA_MISSING_PARAMETER',
  'KA_BAD_NUMBER',
  'KA_RANGE',
  'KA_BAD_ADDRESS',
  'KA_BAD_PORT',
  'KA_BAD_ENUM',
  'KA_BAD_VALUE',
  'KA_LEGACY',
  'KA_DEPRECATED',
  'KA_AUTH_TRUNC',
  'KA_VIP_OPTION',
  'KA_IGNORED',
]);

/** The line of each virtual server's `ops`, for the reset keepalived applies to a non-UDP one. */
const OPS_LINES = new WeakMap<VirtualServer, number>();

/** keepalived's LVS_MAX_TIMEOUT: 31 days, in seconds. */
const LVS_MAX_TIMEOUT = 86400 * 31;

const SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos']);

const simple = (fn: Simple['fn']): Simple => ({ kind: 'simple', fn });
const block = (fn: Block['fn']): Block => ({ kind: 'block', fn });

/** Keywords keepalived knows that the lab records nowhere: accepted silently, as keepalived accepts them. */
/**
 * Keywords keepalived accepts that have no effect in the lab (process tuning, SNMP, scripts it would run, VMACs,
 * IPv6, firewall modes…): accepted as keepalived accepts them, and each one said at its line, never dropped in
 * silence (docs/config-import.md lists them).
 */
function ignored(level: Map<string, Spec>, names: string[], v: Values, isBlock = false): void {
  const say = (k: Word, line: number) => v.diags.warning(line, 'KA_NOT_MODELLED', `${k.text} is accepted (keepalived knows it) but has no effect in the lab`, k.col);
  for (const n of names) level.set(n, isBlock ? block((k, _a, line) => (say(k, line), skipLevel())) : simple((k, _a, line) => say(k, line)));
}

function skipLevel(): Level {
  return { name: 'skipped', kw: new Map(), raw: (words) => (isOpen(words[words.length - 1]) ? skipLevel() : undefined) };
}

function isOpen(w: Word | undefined): boolean {
  return w !== undefined && !w.quoted && w.text === '{';
}
function isClose(w: Word | undefined): boolean {
  return w !== undefined && !w.quoted && w.text === '}';
}

export function parseKeepalivedConf(text: string, file: string): ImportResult<KeepalivedConfig> {
  const diags = new DiagnosticList(file);
  const v = new Values(diags);
  const cfg = emptyKeepalivedConfig();
  const top = topLevel(cfg, v);

  const stack: { level: Level; line: number; kw: string }[] = [{ level: top, line: 0, kw: '' }];
  let pending: { level: Level; line: number; kw: string } | undefined;
  let lastLine = 0;
  /** One statement: a keyword and its arguments, and whether a '{' ended it. */
  const statement = (words: Word[], line: number, opens: Word | undefined): void => {
    const first = words[0];
    const cur = stack[stack.length - 1].level;
    if (cur.raw) {
      const sub = cur.raw(words, line);
      if (opens) stack.push({ level: sub ?? skipLevel(), line, kw: first.text });
      return;
    }
    const spec = cur.kw.get(first.text);
    if (!spec || spec.kind === 'simple') {
      if (!spec) diags.error(line, 'KA_UNKNOWN_KEYWORD', `Unknown keyword '${first.text}'`, first.col);
      else spec.fn(first, words.slice(1), line);
      if (opens) diags.warning(line, 'KA_UNEXPECTED_BOB', `Unexpected '{' - ignoring`, opens.col);
      return;
    }
    const sub = spec.fn(first, words.slice(1), line) ?? skipLevel();
    if (opens) stack.push({ level: sub, line, kw: first.text });
    else pending = { level: sub, line, kw: first.text };
  };
  for (const cl of lexKeepalived(text, diags)) {
    if (v.stopped) break;
    lastLine = cl.line;
    const line = cl.line;
    // keepalived splits a line at every brace: `authentication { auth_type PASS` and `weight 1 }` are two
    // statements each, and `{ 10.0.0.1/24 }` a block on one line (checked with the real tool).
    let words: Word[] = [];
    let lineStart = true;
    for (const w of [...cl.words, undefined]) {
      if (w !== undefined && !isOpen(w) && !isClose(w)) {
        words.push(w);
        continue;
      }
      if (pending && lineStart) {
        if (w !== undefined && isOpen(w) && words.length === 0) {
          stack.push(pending);
          pending = undefined;
          lineStart = false;
          continue;
        }
        // keepalived names the line where it looked for the '{' (checked), and does not open the block.
        diags.error(line, 'KA_MISSING_BOB', `Missing '{' at beginning of configuration block (after '${pending.kw}' on line ${pending.line})`, (words[0] ?? w)?.col);
        pending = undefined;
      }
      lineStart = false;
      if (words.length > 0) statement(words, line, w !== undefined && isOpen(w) ? w : undefined);
      else if (w !== undefined && isOpen(w)) diags.warning(line, 'KA_UNEXPECTED_BOB', `Unexpected '{' - ignoring`, w.col);
      if (w !== undefined && isClose(w)) {
        if (stack.length > 1) stack.pop();
        else diags.error(line, 'KA_EXTRA_EOB', `Unknown keyword '}'`, w.col);
      }
      words = [];
      if (v.stopped) break;
    }
  }
  if (v.stopped) {
    // The lexer ran over the whole file; keepalived never reaches what follows the stop.
    diags.items.splice(0, diags.items.length, ...diags.items.filter((d) => d.line <= lastLine));
    return diags.result(cfg);
  }
  if (pending) diags.error(pending.line, 'KA_MISSING_BOB', `Missing '{' at beginning of configuration block`);
  for (let i = stack.length - 1; i >= 1; i--) {
    diags.error(stack[i].line, 'KA_MISSING_EOB', `'${stack[i].kw}' block opened here is never closed (There are ${stack.length - 1} missing '}'s or extra '{'s)`);
  }
  checkSemantics(cfg, diags);
  return diags.result(cfg);
}

function topLevel(cfg: KeepalivedConfig, v: Values): Level {
  const kw = new Map<string, Spec>();
  kw.set('global_defs', block((_k, _a, line) => {
    cfg.globalDefs.line = line;
    return globalDefsLevel(cfg, v);
  }));
  kw.set('vrrp_script', block((k, args, line) => {
    const name = v.need(k, args, line);
    if (!name) return undefined;
    const s: VrrpScript = { line, name: name.text };
    cfg.vrrpScripts.push(s);
    return vrrpScriptLevel(s, v);
  }));
  kw.set('vrrp_sync_group', block((k, args, line) => {
    const name = v.need(k, args, line);
    if (!name) return undefined;
    const g: VrrpSyncGroup = { line, name: name.text, group: [], trackInterfaces: [] };
    cfg.vrrpSyncGroups.push(g);
    const lvl: Level = { name: 'vrrp_sync_group', kw: new Map() };
    lvl.kw.set('group', block(() => ({ name: 'group', kw: new Map(), raw: (ws) => void g.group.push(...ws.map((w) => w.text)) })));
    ignored(lvl.kw, ['notify_master', 'notify_backup', 'notify_fault', 'notify', 'smtp_alert'], v);
    lvl.kw.set('sync_group_tracking_weight', simple(() => (g.syncGroupTrackingWeight = true)));
    lvl.kw.set('global_tracking', simple((k, _a, line) => v.diags.warning(line, 'KA_DEPRECATED', `(${g.name}) global_tracking is deprecated. Use track_interface/script/file on the sync group`, k.col)));
    lvl.kw.set('track_interface', trackInterfaceBlock(g.trackInterfaces, v));
    ignored(lvl.kw, ['track_script', 'track_file'], v, true);
    return lvl;
  }));
  kw.set('vrrp_instance', block((k, args, line) => {
    const name = v.need(k, args, line);
    if (!name) return undefined;
    const inst: VrrpInstance = { line, name: name.text, unicastPeers: [], virtualIpAddresses: [], virtualIpAddressesExcluded: [], trackInterfaces: [], trackScripts: [] };
    cfg.vrrpInstances.push(inst);
    return vrrpInstanceLevel(inst, v);
  }));
  kw.set('virtual_server', block((k, args, line) => {
    const vs = virtualServerHeader(k, args, line, v);
    if (!vs) return undefined;
    cfg.virtualServers.push(vs);
    return virtualServerLevel(vs, v);
  }));
  kw.set('virtual_server_group', block((_k, _a, line) => {
    v.diags.warning(line, 'KA_UNSUPPORTED', 'virtual_server_group is accepted but not modelled by lvs-lab');
    return skipLevel();
  }));
  kw.set('include', simple((_k, _a, line) => v.diags.warning(line, 'KA_UNSUPPORTED', 'include is not followed by the importer (it reads one file); import the included file separately')));
  ignored(kw, ['static_ipaddress', 'static_routes', 'static_rules', 'vrrp_track_file', 'track_file', 'garp_group', 'linkbeat_interfaces', 'vrrp_track_process', 'track_process', 'bfd_instance'], v, true);
  return { name: 'top', kw };
}

function globalDefsLevel(cfg: KeepalivedConfig, v: Values): Level {
  const g = cfg.globalDefs;
  const kw = new Map<string, Spec>();
  kw.set('notification_email', block(() => ({ name: 'notification_email', kw: new Map(), raw: (ws) => void g.notificationEmail.push(...ws.map((w) => w.text)) })));
  kw.set('notification_email_from', simple((k, a, line) => { const w = v.need(k, a, line); if (w) g.notificationEmailFrom = w.text; }));
  kw.set('smtp_server', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    const port = a[1] ? v.int(a[1], line, 1, 65535) : undefined;
    g.smtpServer = port === undefined ? { host: w.text } : { host: w.text, port };
  }));
  kw.set('smtp_connect_timeout', simple((k, a, line) => { const w = v.need(k, a, line); if (w) g.smtpConnectTimeout = v.int(w, line, 0, 4294); }));
  kw.set('router_id', simple((k, a, line) => {
    if (a.length === 0) return v.diags.error(line, 'KA_MISSING_PARAMETER', 'routerid name missing - ignoring', k.col);
    g.routerId = a[0].text;
  }));
  kw.set('lvs_id', simple((k, a, line) => {
    v.diags.warning(line, 'KA_LEGACY', `Unknown keyword 'lvs_id' (keepalived 1.x; imported as router_id)`, k.col);
    if (a[0] && g.routerId === undefined) g.routerId = a[0].text;
  }));
  const intKw = (name: string, set: (n: number | undefined) => void, min = 0, max = 4294967295) =>
    kw.set(name, simple((k, a, line) => { const w = v.need(k, a, line); if (w) set(v.int(w, line, min, max)); }));
  intKw('vrrp_garp_master_delay', (n) => (g.vrrpGarpMasterDelay = n));
  intKw('vrrp_garp_master_repeat', (n) => (g.vrrpGarpMasterRepeat = n));
  intKw('vrrp_garp_master_refresh', (n) => (g.vrrpGarpMasterRefresh = n));
  kw.set('vrrp_garp_interval', simple((k, a, line) => { const w = v.need(k, a, line); if (w) g.vrrpGarpInterval = v.decimal(w, line, 0, 1); }));
  // keepalived 2.2.7 reads both with read_unsigned: the repeat 0..INT_MAX, the delay whole seconds 0..UINT_MAX/TIMER_HZ.
  intKw('vrrp_garp_lower_prio_repeat', (n) => (g.vrrpGarpLowerPrioRepeat = n), 0, 2147483647);
  intKw('vrrp_garp_lower_prio_delay', (n) => (g.vrrpGarpLowerPrioDelay = n), 0, 4294);
  // `KEYWORD [BOOL]`: the keyword alone means true.
  kw.set('vrrp_lower_prio_no_advert', simple((_k, a, line) => (g.vrrpLowerPrioNoAdvert = v.bool(a[0], line))));
  kw.set('vrrp_higher_prio_send_advert', simple((_k, a, line) => (g.vrrpHigherPrioSendAdvert = v.bool(a[0], line))));
  kw.set('vrrp_mcast_group4', simple((k, a, line) => { const w = v.need(k, a, line); if (w) g.vrrpMcastGroup4 = v.ipv4(w, line, 'multicast group'); }));
  kw.set('vrrp_version', simple((k, a, line) => { const w = v.need(k, a, line); if (w) { const n = v.int(w, line, 2, 3); if (n === 2 || n === 3) g.vrrpVersion = n; } }));
  kw.set('vrrp_strict', simple(() => (g.vrrpStrict = true)));
  // keepalived's lvs_timeouts handler: `tcp`, `tcpfin`, `udp`, each with seconds up to LVS_MAX_TIMEOUT (31 days).
  kw.set('lvs_timeouts', simple((k, a, line) => {
    if (a.length < 2) return v.diags.error(line, 'KA_BAD_VALUE', 'lvs_timeouts requires at least one option', k.col);
    const t = (g.lvsTimeouts ??= {});
    for (let i = 0; i < a.length; i++) {
      const w = a[i];
      if (w.text !== 'tcp' && w.text !== 'tcpfin' && w.text !== 'udp') {
        v.diags.error(line, 'KA_BAD_VALUE', `Unknown option ${w.text} specified for lvs_timeouts`, w.col);
        continue;
      }
      if (i === a.length - 1) {
        v.diags.error(line, 'KA_BAD_VALUE', `No value specified for lvs_timeout ${w.text} - ignoring`, w.col);
        continue;
      }
      const n = v.int(a[i + 1], line, 0, LVS_MAX_TIMEOUT);
      if (n === undefined) v.diags.error(line, 'KA_BAD_VALUE', `Invalid lvs_timeout ${w.text} (${a[i + 1].text}) - ignoring`, a[i + 1].col);
      else t[w.text] = n;
      i++;
    }
  }));
  // keepalived's vrrp_min_garp_handler: one gratuitous ARP, no second burst, but only where the setting still has
  // its default when the keyword is read (a later vrrp_garp_master_repeat/delay wins, an earlier one stays).
  kw.set('vrrp_min_garp', simple((_k, a, line) => {
    if (v.bool(a[0], line) !== true) return;
    if ((g.vrrpGarpMasterRepeat ?? 5) === 5) g.vrrpGarpMasterRepeat = 1;
    if ((g.vrrpGarpMasterDelay ?? 5) === 5) g.vrrpGarpMasterDelay = 0;
  }));
  kw.set('vrrp_iptables', simple((k, _a, line) => v.diags.warning(line, 'KA_IGNORED', "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option (Debian's keepalived 2.2.7 is built with nftables)", k.col)));
  kw.set('vrrp_skip_check_adv_addr', simple(() => (g.vrrpSkipCheckAdvAddr = true)));
  kw.set('vrrp_check_unicast_src', simple(() => (g.vrrpCheckUnicastSrc = true)));
  kw.set('enable_script_security', simple(() => (g.enableScriptSecurity = true)));
  kw.set('default_interface', simple((k, a, line) => { const w = v.need(k, a, line); if (w) g.defaultInterface = w.text; }));
  kw.set('lvs_sync_daemon', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    const sd: { interface: string; instance?: string; syncId?: number } = { interface: w.text };
    for (let i = 1; i < a.length; i++) {
      if (a[i].text === 'id' && a[i + 1]) sd.syncId = v.int(a[++i], line, 0, 255);
      else if (a[i].text === 'inst' && a[i + 1]) sd.instance = a[++i].text;
      else if (sd.instance === undefined && !['maxlen', 'port', 'ttl', 'group'].includes(a[i].text)) sd.instance = a[i].text;
      else i++;
    }
    g.lvsSyncDaemon = sd;
  }));
  ignored(kw, [
    'vrrp_garp_master_refresh_repeat', 'vrrp_gna_interval',
    'vrrp_priority', 'checker_priority', 'vrrp_no_swap', 'checker_no_swap', 'script_user', 'dynamic_interfaces',
    'max_auto_priority', 'vrrp_mcast_group6', 'lvs_flush', 'enable_traps', 'snmp_socket',
    'vrrp_notify_fifo', 'notify_fifo', 'vrrp_rx_bufs_policy', 'vrrp_startup_delay', 'process_names', 'umask',
    'smtp_helo_name', 'smtp_alert', 'smtp_alert_vrrp', 'smtp_alert_checker', 'no_email_faults',
    'lvs_flush_onstop', 'checker_log_all_failures', 'vrrp_netlink_monitor_rcv_bufs', 'startup_script',
    'shutdown_script', 'default_interface',
  ].filter((n) => !kw.has(n)), v);
  return { name: 'global_defs', kw };
}

function vrrpScriptLevel(s: VrrpScript, v: Values): Level {
  const kw = new Map<string, Spec>();
  kw.set('script', simple((k, a, line) => { const w = v.need(k, a, line); if (w) s.script = a.map((x) => x.text).join(' '); }));
  kw.set('interval', simple((k, a, line) => { const w = v.need(k, a, line); if (w) s.interval = v.decimal(w, line, 0, 4294, true); }));
  kw.set('timeout', simple((k, a, line) => { const w = v.need(k, a, line); if (w) s.timeout = v.decimal(w, line, 0, 4294, true); }));
  kw.set('weight', simple((k, a, line) => { const w = v.need(k, a, line); if (w) s.weight = v.int(w, line, -253, 253); }));
  kw.set('fall', simple((k, a, line) => { const w = v.need(k, a, line); if (w) s.fall = v.int(w, line, 1, 4294967295); }));
  kw.set('rise', simple((k, a, line) => { const w = v.need(k, a, line); if (w) s.rise = v.int(w, line, 1, 4294967295); }));
  ignored(kw, ['user', 'init_fail'], v);
  return { name: 'vrrp_script', kw };
}

function vipLine(words: Word[], line: number, v: Values): VirtualIpAddress | undefined {
  const first = words[0];
  const [addr, len] = first.text.split('/');
  if (parseIpv4(addr) === undefined) {
    v.diags.error(line, 'KA_BAD_ADDRESS', `VRRP parsed invalid IP ${first.text}. skipping IP...`, first.col);
    return undefined;
  }
  const vip: VirtualIpAddress = { line, address: addr, noTrack: false };
  if (len !== undefined) {
    const n = v.int({ ...first, text: len }, line, 0, 32);
    if (n === undefined) return undefined;
    vip.prefix = n;
  }
  for (let i = 1; i < words.length; i++) {
    const w = words[i].text;
    const val = words[i + 1];
    if (w === 'no_track') vip.noTrack = true;
    else if (['brd', 'broadcast', 'dev', 'scope', 'label'].includes(w) && val) {
      i++;
      if (w === 'brd' || w === 'broadcast') {
        if (parseIpv4(val.text) === undefined && val.text !== '+' && val.text !== '-') {
          v.diags.error(line, 'KA_BAD_ADDRESS', `VRRP is trying to assign invalid broadcast ${val.text}. skipping VIP...`, val.col);
          return undefined;
        }
        vip.broadcast = val.text;
      } else if (w === 'dev') vip.dev = val.text;
      else if (w === 'scope') vip.scope = val.text;
      else vip.label = val.text;
    } else v.diags.warning(line, 'KA_VIP_OPTION', `Unknown configuration entry '${w}' for ip address - ignoring`, words[i].col);
  }
  return vip;
}

function vrrpInstanceLevel(inst: VrrpInstance, v: Values): Level {
  const kw = new Map<string, Spec>();
  const p = `(${inst.name})`;
  kw.set('state', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    if (w.text === 'MASTER' || w.text === 'BACKUP') inst.state = w.text;
    else v.diags.error(line, 'KA_BAD_ENUM', `${p} unknown state '${w.text}', defaulting to BACKUP`, w.col);
  }));
  kw.set('interface', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.interface = w.text; }));
  kw.set('virtual_router_id', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.virtualRouterId = v.int(w, line, 1, 255); }));
  kw.set('priority', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.priority = v.int(w, line, 1, 255); }));
  kw.set('advert_int', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.advertInt = v.decimal(w, line, 0.01, 255); }));
  kw.set('nopreempt', simple(() => (inst.preempt = false)));
  kw.set('preempt', simple(() => (inst.preempt = true)));
  kw.set('preempt_delay', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.preemptDelay = v.decimal(w, line, 0, 1000); }));
  kw.set('mcast_src_ip', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.mcastSrcIp = v.ipv4(w, line, 'mcast_src_ip'); }));
  kw.set('unicast_src_ip', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.unicastSrcIp = v.ipv4(w, line, 'unicast_src_ip'); }));
  kw.set('unicast_peer', block(() => ({
    name: 'unicast_peer', kw: new Map(), raw: (ws, line) => {
      if (parseIpv4(ws[0].text) === undefined) v.diags.error(line, 'KA_BAD_ADDRESS', `Configuration error: VRRP instance[${inst.name}] malformed unicast peer address[${ws[0].text}]. Skipping...`, ws[0].col);
      else inst.unicastPeers.push(ws[0].text);
      // keepalived: "Specifying min_ttl or max_ttl turns on check_unicast_src" — the lab keeps neither range.
      const ttl = ws.slice(1).find((w) => w.text === 'min_ttl' || w.text === 'max_ttl');
      if (ttl) v.diags.warning(line, 'KA_UNSUPPORTED', `${ttl.text} is not modelled by lvs-lab (the peer is kept; use check_unicast_src)`, ttl.col);
      return undefined;
    },
  })));
  kw.set('unicast_ttl', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.unicastTtl = v.int(w, line, 0, 255); }));
  kw.set('check_unicast_src', simple(() => (inst.checkUnicastSrc = true)));
  kw.set('dont_track_primary', simple(() => (inst.dontTrackPrimary = true)));
  kw.set('authentication', block(() => {
    const auth: { authType?: 'PASS' | 'AH'; authPass?: string } = {};
    inst.authentication = auth;
    const akw = new Map<string, Spec>();
    akw.set('auth_type', simple((k, a, line) => {
      const w = v.need(k, a, line);
      if (!w) return;
      if (w.text === 'PASS' || w.text === 'AH') auth.authType = w.text;
      else v.diags.error(line, 'KA_BAD_ENUM', `${p} unknown authentication type '${w.text}'`, w.col);
    }));
    akw.set('auth_pass', simple((k, a, line) => {
      const w = v.need(k, a, line);
      if (!w) return;
      auth.authPass = w.text;
      if (w.text.length > 8) v.diags.warning(line, 'KA_AUTH_TRUNC', 'Truncating auth_pass to 8 characters', w.col);
    }));
    return { name: 'authentication', kw: akw };
  }));
  const vipBlock = (list: VirtualIpAddress[]) => block(() => ({
    name: 'virtual_ipaddress', kw: new Map(), raw: (ws, line) => {
      const vip = vipLine(ws, line, v);
      if (vip) list.push(vip);
      return undefined;
    },
  }));
  kw.set('virtual_ipaddress', vipBlock(inst.virtualIpAddresses));
  kw.set('virtual_ipaddress_excluded', vipBlock(inst.virtualIpAddressesExcluded));
  kw.set('track_interface', trackInterfaceBlock(inst.trackInterfaces, v));
  kw.set('track_script', block(() => ({
    name: 'track', kw: new Map(), raw: (ws, line) => {
      const t: { line: number; name: string; weight?: number } = { line, name: ws[0].text };
      if (ws[1]?.text === 'weight' && ws[2]) t.weight = v.int(ws[2], line, -253, 253);
      inst.trackScripts.push(t);
      return undefined;
    },
  })));
  const garp = (name: string, set: (n: number | undefined) => void) =>
    kw.set(name, simple((k, a, line) => { const w = v.need(k, a, line); if (w) set(v.int(w, line, 0, 4294967295)); }));
  garp('garp_master_delay', (n) => (inst.garpMasterDelay = n));
  garp('garp_master_repeat', (n) => (inst.garpMasterRepeat = n));
  garp('garp_master_refresh', (n) => (inst.garpMasterRefresh = n));
  kw.set('garp_lower_prio_repeat', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.garpLowerPrioRepeat = v.int(w, line, 0, 2147483647); }));
  kw.set('garp_lower_prio_delay', simple((k, a, line) => { const w = v.need(k, a, line); if (w) inst.garpLowerPrioDelay = v.int(w, line, 0, 4294); }));
  kw.set('lower_prio_no_advert', simple((_k, a, line) => (inst.lowerPrioNoAdvert = v.bool(a[0], line))));
  kw.set('higher_prio_send_advert', simple((_k, a, line) => (inst.higherPrioSendAdvert = v.bool(a[0], line))));
  kw.set('strict_mode', simple((_k, a, line) => (inst.strictMode = v.bool(a[0], line))));
  const cmd = (name: string, set: (s: string) => void) =>
    kw.set(name, simple((k, a, line) => { const w = v.need(k, a, line); if (w) set(a.map((x) => x.text).join(' ')); }));
  cmd('notify_master', (s) => (inst.notifyMaster = s));
  cmd('notify_backup', (s) => (inst.notifyBackup = s));
  cmd('notify_fault', (s) => (inst.notifyFault = s));
  cmd('notify', (s) => (inst.notify = s));
  kw.set('smtp_alert', simple((_k, a, line) => (inst.smtpAlert = v.bool(a[0], line))));
  kw.set('lvs_sync_daemon_interface', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    inst.lvsSyncDaemonInterface = w.text;
    v.diags.warning(line, 'KA_DEPRECATED', `${p} Specifying lvs_sync_daemon_interface against a vrrp is deprecated.`, k.col);
  }));
  kw.set('version', simple((k, a, line) => { const w = v.need(k, a, line); if (w) { const n = v.int(w, line, 2, 3); if (n === 2 || n === 3) inst.version = n; } }));
  ignored(kw, [
    'use_vmac', 'vmac_xmit_base', 'native_ipv6', 'accept', 'no_accept',
    'garp_master_refresh_repeat', 'notify_stop', 'notify_deleted', 'debug', 'kernel_rx_buf_size',
    'old_unicast_checksum', 'skip_check_adv_addr', 'track_src_ip', 'mcast_dst_ip',
  ], v);
  ignored(kw, ['virtual_routes', 'virtual_rules', 'track_file', 'track_process', 'track_bfd'], v, true);
  return { name: 'vrrp_instance', kw };
}

/** A track_interface block (in an instance or a sync group): `IF [weight N] [reverse|noreverse]` a line. */
function trackInterfaceBlock(list: TrackedInterface[], v: Values): Block {
  return block(() => ({
    name: 'track_interface', kw: new Map(), raw: (ws, line) => {
      const t: TrackedInterface = { line, name: ws[0].text };
      for (let i = 1; i < ws.length; i++) {
        if (ws[i].text === 'weight' && ws[i + 1]) t.weight = v.int(ws[++i], line, -253, 253);
        else if (ws[i].text === 'reverse' || ws[i].text === 'noreverse') t.reverse = ws[i].text === 'reverse';
      }
      list.push(t);
      return undefined;
    },
  }));
}

function lvsMethod(w: Word, line: number, v: Values, what: string): LvsMethod | undefined {
  if (w.text === 'NAT' || w.text === 'DR' || w.text === 'TUN') return w.text;
  v.diags.error(line, 'KA_BAD_ENUM', `PARSER : unknown [${w.text}] routing method for ${what}.`, w.col);
  return undefined;
}

function virtualServerHeader(k: Word, a: Word[], line: number, v: Values): VirtualServer | undefined {
  const base = { line, alpha: false, omega: false, haSuspend: false, inhibitOnFailure: false, sorryServerInhibit: false, realServers: [] as RealServer[] };
  const w = v.need(k, a, line);
  if (!w) return undefined;
  if (w.text === 'fwmark' || w.text === 'group') {
    const x = a[1];
    if (!x) return void v.need(w, [], line);
    if (w.text === 'group') return { ...base, key: { kind: 'group', name: x.text } };
    const mark = v.int(x, line, 1, 4294967295);
    return mark === undefined ? undefined : { ...base, key: { kind: 'fwmark', mark } };
  }
  if (parseIpv4(w.text) === undefined) {
    v.diags.error(line, 'KA_BAD_ADDRESS', `Invalid virtual server IP address/port ${w.text}/${a[1]?.text ?? ''} - skipping`, w.col);
    return undefined;
  }
  if (!a[1]) return { ...base, key: { kind: 'address', address: w.text } };
  const port = v.int(a[1], line, 1, 65535);
  if (port === undefined) {
    v.diags.error(line, 'KA_BAD_PORT', `Invalid virtual server IP address/port ${w.text}/${a[1].text} - skipping`, a[1].col);
    return undefined;
  }
  return { ...base, key: { kind: 'address', address: w.text, port } };
}

/** connect_timeout, retry, delay_before_retry, delay_loop, warmup, alpha: shared by VS, RS and checkers. */
function timing(kw: Map<string, Spec>, t: { connectTimeout?: number; retry?: number; delayBeforeRetry?: number; delayLoop?: number; warmup?: number }, v: Values): void {
  kw.set('connect_timeout', simple((k, a, line) => { const w = v.need(k, a, line); if (w) t.connectTimeout = v.decimal(w, line, 0, 4294.967295, true); }));
  kw.set('retry', simple((k, a, line) => { const w = v.need(k, a, line); if (w) t.retry = v.int(w, line, 0, 4294967295); }));
  kw.set('delay_before_retry', simple((k, a, line) => { const w = v.need(k, a, line); if (w) t.delayBeforeRetry = v.decimal(w, line, 0, 4294.967295); }));
  kw.set('delay_loop', simple((k, a, line) => { const w = v.need(k, a, line); if (w) t.delayLoop = v.decimal(w, line, 0, 18446744073709.551614, true); }));
  kw.set('warmup', simple((k, a, line) => { const w = v.need(k, a, line); if (w) t.warmup = v.decimal(w, line, 0, 4294.967295); }));
}

function virtualServerLevel(vs: VirtualServer, v: Values): Level {
  const kw = new Map<string, Spec>();
  const sched = simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    if (SCHEDULERS.has(w.text)) vs.lbAlgo = w.text;
    else v.diags.error(line, 'KA_BAD_ENUM', `Invalid lvs_scheduler '${w.text}' - ignoring`, w.col);
  });
  kw.set('lb_algo', sched);
  kw.set('lvs_sched', sched);
  const method = simple((k, a, line) => { const w = v.need(k, a, line); if (w) vs.lbKind = lvsMethod(w, line, v, 'virtual server'); });
  kw.set('lb_kind', method);
  kw.set('lvs_method', method);
  kw.set('persistence_timeout', simple((_k, a, line) => {
    if (!a[0]) vs.persistenceTimeout = 360;
    else vs.persistenceTimeout = v.int(a[0], line, 1, 4294967295);
  }));
  kw.set('persistence_granularity', simple((k, a, line) => { const w = v.need(k, a, line); if (w) vs.persistenceGranularity = v.netmask(w, line); }));
  kw.set('protocol', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    const t = w.text.toUpperCase();
    if (t === 'TCP' || t === 'UDP' || t === 'SCTP') vs.protocol = t;
    else v.diags.error(line, 'KA_BAD_ENUM', `Unknown protocol ${w.text} - ignoring`, w.col);
  }));
  timing(kw, vs, v);
  kw.set('alpha', simple(() => (vs.alpha = true)));
  kw.set('omega', simple(() => (vs.omega = true)));
  kw.set('quorum', simple((k, a, line) => { const w = v.need(k, a, line); if (w) vs.quorum = v.int(w, line, 1, 4294967295); }));
  kw.set('hysteresis', simple((k, a, line) => { const w = v.need(k, a, line); if (w) vs.hysteresis = v.int(w, line, 0, 4294967295); }));
  kw.set('ha_suspend', simple(() => (vs.haSuspend = true)));
  kw.set('inhibit_on_failure', simple((_k, a, line) => (vs.inhibitOnFailure = v.bool(a[0], line) ?? false)));
  kw.set('virtualhost', simple((k, a, line) => { const w = v.need(k, a, line); if (w) vs.virtualhost = w.text; }));
  kw.set('sorry_server', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    if (parseIpv4(w.text) === undefined) return v.diags.error(line, 'KA_BAD_ADDRESS', `Invalid sorry server IP address ${w.text} - skipping`, w.col);
    const port = a[1] ? v.int(a[1], line, 0, 65535) : undefined;
    vs.sorryServer = port === undefined ? { line, address: w.text } : { line, address: w.text, port };
  }));
  kw.set('sorry_server_lvs_method', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (w && vs.sorryServer) vs.sorryServer.lvsMethod = lvsMethod(w, line, v, 'sorry server');
  }));
  kw.set('sorry_server_inhibit', simple((k, _a, line) => {
    if (!vs.sorryServer) return v.diags.warning(line, 'KA_IGNORED', 'Ignoring sorry_server inhibit used before or without sorry_server', k.col);
    vs.sorryServerInhibit = true;
  }));
  kw.set('nat_mask', simple((k, _a, line) => v.diags.warning(line, 'KA_LEGACY', `Unknown keyword 'nat_mask' (keepalived 1.x; ignored)`, k.col)));
  kw.set('real_server', block((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return undefined;
    const bad = () => v.diags.error(line, 'KA_BAD_ADDRESS', `Invalid real server ip address/port ${w.text}/${a[1]?.text ?? ''} - skipping`, w.col);
    if (parseIpv4(w.text) === undefined) return void bad();
    let port: number | undefined;
    if (a[1]) {
      port = v.int(a[1], line, 0, 65535);
      if (port === undefined) return void bad();
    }
    const rs: RealServer = port === undefined ? { line, address: w.text, checkers: [] } : { line, address: w.text, port, checkers: [] };
    vs.realServers.push(rs);
    return realServerLevel(rs, v);
  }));
  ignored(kw, ['ip_family', 'smtp_alert', 'quorum_up', 'quorum_down', 'persistence_engine'], v);
  kw.set('ops', simple((_k, _a, line) => {
    vs.ops = true;
    OPS_LINES.set(vs, line);
  }));
  // keepalived accepts these only for the hashing schedulers, and says so when lb_algo (so far) is another one.
  for (const [name, sched] of [['hashed', 'sh'], ['sh-port', 'sh'], ['sh-fallback', 'sh'], ['mh-port', 'mh'], ['mh-fallback', 'mh']] as const) {
    kw.set(name, simple((k, _a, line) => {
      if (vs.lbAlgo !== sched) return v.diags.warning(line, 'KA_IGNORED', `${name} only applies to sh scheduler - ignoring`, k.col);
      // IP_VS_SVC_F_HASHED: the kernel sets it on every service it holds, so asking for it changes nothing.
      if (name === 'hashed') return v.diags.warning(line, 'KA_NOT_MODELLED', 'hashed is accepted (keepalived knows it) but has no effect: IPVS marks every service hashed', k.col);
      const flags = (vs.schedFlags ??= []);
      if (!flags.includes(name)) flags.push(name);
    }));
  }
  return { name: 'virtual_server', kw };
}

function realServerLevel(rs: RealServer, v: Values): Level {
  const kw = new Map<string, Spec>();
  kw.set('weight', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    const n = v.int(w, line, 0, 2147483647);
    if (n !== undefined) rs.weight = n;
  }));
  kw.set('inhibit_on_failure', simple((_k, a, line) => (rs.inhibitOnFailure = v.bool(a[0], line))));
  kw.set('lvs_method', simple((k, a, line) => { const w = v.need(k, a, line); if (w) rs.lvsMethod = lvsMethod(w, line, v, 'real server'); }));
  kw.set('notify_up', simple((k, a, line) => { if (v.need(k, a, line)) rs.notifyUp = a.map((x) => x.text).join(' '); }));
  kw.set('notify_down', simple((k, a, line) => { if (v.need(k, a, line)) rs.notifyDown = a.map((x) => x.text).join(' '); }));
  kw.set('uthreshold', simple((k, a, line) => { const w = v.need(k, a, line); if (w) rs.uthreshold = v.int(w, line, 0, 4294967295); }));
  kw.set('lthreshold', simple((k, a, line) => { const w = v.need(k, a, line); if (w) rs.lthreshold = v.int(w, line, 0, 4294967295); }));
  timing(kw, rs, v);
  kw.set('alpha', simple((_k, a, line) => (rs.alpha = v.bool(a[0], line))));
  kw.set('virtualhost', simple((k, a, line) => { const w = v.need(k, a, line); if (w) rs.virtualhost = w.text; }));
  ignored(kw, ['smtp_alert'], v);
  for (const kind of ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'MISC_CHECK', 'PING_CHECK', 'UDP_CHECK', 'SMTP_CHECK', 'DNS_CHECK'] as const) {
    kw.set(kind, block((_k, _a, line) => {
      let c: Checker;
      if (kind === 'HTTP_GET' || kind === 'SSL_GET') c = { kind, line, urls: [] } satisfies HttpChecker;
      else if (kind === 'MISC_CHECK') c = { kind, line, miscDynamic: false } satisfies MiscChecker;
      else c = { kind, line };
      rs.checkers.push(c);
      return checkerLevel(c, v);
    }));
  }
  return { name: 'real_server', kw };
}

function checkerLevel(c: Checker, v: Values): Level {
  const kw = new Map<string, Spec>();
  const common: CheckerCommon = c;
  timing(kw, common, v);
  kw.set('alpha', simple((_k, a, line) => (common.alpha = v.bool(a[0], line))));
  kw.set('log_all_failures', simple((_k, a, line) => (common.logAllFailures = v.bool(a[0], line))));
  if (c.kind !== 'MISC_CHECK') {
    kw.set('connect_ip', simple((k, a, line) => {
      const w = v.need(k, a, line);
      if (!w) return;
      if (parseIpv4(w.text) === undefined) return v.diags.error(line, 'KA_BAD_ADDRESS', `Invalid connect_ip address ${w.text} - ignoring`, w.col);
      common.connectIp = w.text;
    }));
    kw.set('connect_port', simple((k, a, line) => { const w = v.need(k, a, line); if (w) common.connectPort = v.int(w, line, 1, 65535); }));
    kw.set('bindto', simple((k, a, line) => { const w = v.need(k, a, line); if (w) common.bindTo = v.ipv4(w, line, 'bindto'); }));
    kw.set('bind_port', simple((k, a, line) => { const w = v.need(k, a, line); if (w) common.bindPort = v.int(w, line, 1, 65535); }));
    kw.set('bind_if', simple((k, a, line) => { const w = v.need(k, a, line); if (w) common.bindIf = w.text; }));
    kw.set('fwmark', simple((k, a, line) => { const w = v.need(k, a, line); if (w) common.fwmark = v.int(w, line, 0, 4294967295); }));
  }
  if (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET') {
    kw.set('nb_get_retry', simple((k, a, line) => {
      // keepalived 2.2.7 says nothing at all about a bare `nb_get_retry` (checked): neither do we.
      if (!a[0]) return;
      v.diags.warning(line, 'KA_DEPRECATED', `nb_get_retry is deprecated - please use 'retry'`, k.col);
      if (a[0]) c.nbGetRetry = v.int(a[0], line, 0, 4294967295);
    }));
    kw.set('virtualhost', simple((k, a, line) => { const w = v.need(k, a, line); if (w) c.virtualhost = w.text; }));
    kw.set('http_protocol', simple((k, a, line) => { const w = v.need(k, a, line); if (w) c.httpProtocol = w.text; }));
    kw.set('fast_recovery', simple((_k, a, line) => (c.fastRecovery = v.bool(a[0], line))));
    ignored(kw, ['enable_sni'], v);
    kw.set('url', block((_k, _a, line) => {
      const u: HttpUrl = { line, statusCodes: [], regexNoMatch: false };
      c.urls.push(u);
      return urlLevel(u, v, c.kind);
    }));
  }
  if (c.kind === 'MISC_CHECK') {
    kw.set('misc_path', simple((k, a, line) => { if (v.need(k, a, line)) c.miscPath = a.map((x) => x.text).join(' '); }));
    kw.set('misc_timeout', simple((k, a, line) => { const w = v.need(k, a, line); if (w) c.miscTimeout = v.int(w, line, 1, 4294967295); }));
    kw.set('misc_dynamic', simple(() => (c.miscDynamic = true)));
    kw.set('user', simple((k, a, line) => { const w = v.need(k, a, line); if (w) c.user = w.text; }));
  }
  return { name: c.kind, kw };
}

function urlLevel(u: HttpUrl, v: Values, kind: string): Level {
  const kw = new Map<string, Spec>();
  kw.set('path', simple((k, a, line) => { const w = v.need(k, a, line); if (w) u.path = w.text; }));
  kw.set('digest', simple((k, a, line) => {
    const w = v.need(k, a, line);
    if (!w) return;
    if (w.text.length !== 32) return v.diags.error(line, 'KA_BAD_VALUE', `digest '${w.text}' character length should be 32 rather than ${w.text.length}`, w.col);
    if (!/^[0-9a-fA-F]{32}$/.test(w.text)) return v.diags.error(line, 'KA_BAD_VALUE', `digest '${w.text}' is not hexadecimal`, w.col);
    u.digest = w.text.toLowerCase();
  }));
  kw.set('status_code', simple((k, a, line) => {
    if (!v.need(k, a, line)) return;
    for (const w of a) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(w.text);
      const lo = m ? Number(m[1]) : NaN;
      const hi = m && m[2] !== undefined ? Number(m[2]) : lo;
      if (!m || lo < 100 || hi > 999 || hi < lo) {
        v.diags.error(line, 'KA_BAD_VALUE', `Invalid ${kind} status code '${w.text}'`, w.col);
        continue;
      }
      u.statusCodes.push([lo, hi]);
    }
  }));
  kw.set('virtualhost', simple((k, a, line) => { const w = v.need(k, a, line); if (w) u.virtualhost = w.text; }));
  kw.set('regex', simple((k, a, line) => { const w = v.need(k, a, line); if (w) u.regex = w.text; }));
  kw.set('regex_no_match', simple(() => (u.regexNoMatch = true)));
  ignored(kw, ['regex_options', 'regex_min_offset', 'regex_max_offset', 'regex_stack'], v);
  return { name: 'url', kw };
}

/** Whole-file checks keepalived makes after parsing (without a line of its own) plus the lab's advice. */
function checkSemantics(cfg: KeepalivedConfig, diags: DiagnosticList): void {
  const vrids = new Map<string, string>();
  for (const inst of cfg.vrrpInstances) {
    if (inst.virtualRouterId === undefined) diags.error(inst.line, 'KA_MISSING_VRID', `(${inst.name}) the virtual router id must be set`);
    else {
      const key = `${inst.interface ?? ''}/${inst.virtualRouterId}`;
      const other = vrids.get(key);
      if (other !== undefined) diags.error(inst.line, 'KA_DUP_VRID', `(${inst.name}) virtual_router_id ${inst.virtualRouterId} on ${inst.interface ?? 'the default interface'} is already used by ${other}`);
      else vrids.set(key, inst.name);
    }
    if (inst.preempt === false && inst.state === 'MASTER') diags.warning(inst.line, 'KA_NOPREEMPT_MASTER', `(${inst.name}) nopreempt with state MASTER: keepalived ignores nopreempt`);
    if (inst.virtualIpAddresses.length === 0) {
      // keepalived refuses the instance (and its VRRP process stops) under VRRPv3 or strict mode.
      const e = vrrpSettings(cfg.globalDefs, inst);
      if (e.version === 3 || e.strict) diags.error(inst.line, 'KA_NO_VIP', `(${inst.name}) No VIP specified; at least one is required`);
      else diags.warning(inst.line, 'KA_NO_VIP', `(${inst.name}) has no virtual_ipaddress`);
    }
    if (inst.interface === undefined && inst.virtualIpAddresses.some((a) => a.dev === undefined)) diags.error(inst.line, 'KA_NO_INTERFACE', `(${inst.name}) has no interface and a virtual address without dev`);
  }
  const seenVs = new Set<string>();
  for (const vs of cfg.virtualServers) {
    // keepalived 2.2.7 (check_parser.c): an address service without `protocol` is UDP, with a warning.
    if (vs.key.kind === 'address' && vs.protocol === undefined) {
      vs.protocol = 'UDP';
      diags.warning(vs.line, 'KA_NO_PROTOCOL', `Virtual server [${vs.key.address}]:none:${vs.key.port ?? 0}: no protocol set - defaulting to UDP`);
    }
    // keepalived 2.2.7 (check_parser.c): one-packet scheduling only for a UDP address service; fwmark keeps it.
    if (vs.ops && vs.key.kind === 'address' && vs.protocol !== 'UDP') {
      diags.warning(OPS_LINES.get(vs) ?? vs.line, 'KA_RESET', `Virtual server [${vs.key.address}]:${(vs.protocol ?? 'TCP').toLowerCase()}:${vs.key.port ?? 0}: one packet scheduling requires UDP - resetting`);
      delete vs.ops;
    }
    const proto = vs.protocol ?? 'TCP';
    const id = vs.key.kind === 'address' ? `${proto} ${vs.key.address}:${vs.key.port ?? 0}` : vs.key.kind === 'fwmark' ? `FWM ${vs.key.mark}` : `group ${vs.key.name}`;
    if (seenVs.has(id)) diags.error(vs.line, 'KA_DUP_VS', `virtual server ${id} is defined twice`);
    seenVs.add(id);
    if (vs.key.kind === 'address' && vs.key.port === undefined && vs.persistenceTimeout === undefined) {
      diags.error(vs.line, 'KA_PORT_REQUIRED', `virtual server ${vs.key.address} has no port and is not persistent (IPVS accepts port 0 only for persistent services)`);
    }
    const seenRs = new Set<string>();
    for (const rs of vs.realServers) {
      const rid = `${rs.address}:${rs.port ?? 0}`;
      if (seenRs.has(rid)) diags.error(rs.line, 'KA_DUP_RS', `real server ${rid} is duplicated in virtual server ${id} (keepalived removes the second)`);
      seenRs.add(rid);
      const method = rs.lvsMethod ?? vs.lbKind ?? 'NAT';
      if (vs.key.kind === 'address' && method !== 'NAT' && rs.port !== undefined && vs.key.port !== undefined && rs.port !== vs.key.port) {
        diags.warning(rs.line, 'KA_VS_MISMATCH', `real server port ${rs.port} differs from the virtual server's ${vs.key.port} with lb_kind ${method}: IPVS ignores it (keepalived resets it)`);
      }
    }
  }
}
