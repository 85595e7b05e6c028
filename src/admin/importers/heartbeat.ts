import { parseCidr } from '../../wire/Ipv4Cidr.ts';
import { parseIpv4 } from '../../wire/Ipv4Address.ts';
import { DiagnosticList, type Diagnostic, type ImportResult } from './Diagnostic.ts';

/**
 * heartbeat v1 cluster files (reference/config-formats.md §3; ha.cf(5), heartbeat's GettingStarted): enough of
 * ha.cf to know the nodes, the timers and the media, and of haresources to know which node prefers which
 * resources (IPaddr2 VIPs, ldirectord, LVSSyncDaemonSwap). Times are kept in milliseconds (`2` = 2 s, `500ms`).
 */

export interface HaMedium {
  line: number;
  kind: 'bcast' | 'mcast' | 'ucast' | 'serial';
  args: string[];
}

export interface HaCf {
  /** heartbeat interval, ms */
  keepaliveMs?: number;
  deadtimeMs?: number;
  warntimeMs?: number;
  initdeadMs?: number;
  udpport?: number;
  media: HaMedium[];
  autoFailback?: 'on' | 'off' | 'legacy';
  nodes: { line: number; name: string }[];
  /** informational directives as written (logfile, respawn, ping, ...) */
  other: { line: number; name: string; args: string[] }[];
}

export interface HaResource {
  /** `IPaddr2`, `ldirectord`, `LVSSyncDaemonSwap`, ... */
  name: string;
  /** the `::`-separated arguments */
  args: string[];
}

export interface HaResourceGroup {
  line: number;
  /** the preferred node */
  node: string;
  resources: HaResource[];
}

/** `IPaddr2::IP[/CIDR[/IF[/BROADCAST]]]` decoded. */
export interface HaIpAddr {
  address: string;
  prefix?: number;
  dev?: string;
  broadcast?: string;
}

const KNOWN = new Set([
  'debugfile', 'logfile', 'logfacility', 'baud', 'respawn', 'ping', 'ping_group', 'crm', 'pacemaker', 'stonith', 'stonith_host',
  'watchdog', 'use_logd', 'compression', 'traditional_compression', 'autojoin', 'apiauth', 'hopfudge', 'deadping', 'realtime',
  'debug', 'conn_logd_time', 'coredumps', 'max_rexmit_delay', 'msgfmt', 'nice_failback', 'uuidfrom', 'memreserve', 'hbgenmethod',
]);

function time(word: string | undefined, line: number, diags: DiagnosticList, name: string): number | undefined {
  const m = word === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(word);
  if (!m) {
    diags.error(line, 'HA_BAD_VALUE', `${name} needs a time (seconds, or milliseconds with ms): ${word ?? '(nothing)'}`);
    return undefined;
  }
  return Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : 1000));
}

export function parseHaCf(text: string, file: string): ImportResult<HaCf> {
  const diags = new DiagnosticList(file);
  const cfg: HaCf = { media: [], nodes: [], other: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const words = lines[i].replace(/#.*/, '').trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) continue;
    const [name, ...args] = words;
    switch (name) {
      case 'keepalive':
        cfg.keepaliveMs = time(args[0], line, diags, name);
        break;
      case 'deadtime':
        cfg.deadtimeMs = time(args[0], line, diags, name);
        break;
      case 'warntime':
        cfg.warntimeMs = time(args[0], line, diags, name);
        break;
      case 'initdead':
        cfg.initdeadMs = time(args[0], line, diags, name);
        break;
      case 'udpport': {
        const p = Number(args[0]);
        if (!/^\d+$/.test(args[0] ?? '') || p < 1 || p > 65535) diags.error(line, 'HA_BAD_VALUE', `udpport needs a port 1-65535: ${args[0] ?? '(nothing)'}`);
        else cfg.udpport = p;
        break;
      }
      case 'bcast':
      case 'mcast':
      case 'ucast':
      case 'serial':
        if (args.length === 0) diags.error(line, 'HA_BAD_VALUE', `${name} needs an interface`);
        if (name === 'mcast' && args.length >= 2 && parseIpv4(args[1]) === undefined) diags.error(line, 'HA_BAD_VALUE', `mcast group ${args[1]} is not an IPv4 address`);
        if (name === 'ucast' && args.length >= 2 && parseIpv4(args[1]) === undefined) diags.warning(line, 'HA_UNRESOLVED', `ucast peer ${args[1]} is a host name; lvs-lab does not resolve names`);
        cfg.media.push({ line, kind: name, args });
        break;
      case 'auto_failback':
        if (args[0] === 'on' || args[0] === 'off' || args[0] === 'legacy') cfg.autoFailback = args[0];
        else diags.error(line, 'HA_BAD_VALUE', `auto_failback must be on, off or legacy: ${args[0] ?? '(nothing)'}`);
        break;
      case 'node':
        if (args.length === 0) diags.error(line, 'HA_BAD_VALUE', 'node needs a name');
        for (const n of args) cfg.nodes.push({ line, name: n });
        break;
      default:
        if (KNOWN.has(name)) cfg.other.push({ line, name, args });
        else diags.error(line, 'HA_UNKNOWN', `unknown directive ${name}`);
    }
  }
  const end = Math.max(1, lines.length);
  if (cfg.media.length === 0) diags.error(end, 'HA_NO_MEDIA', 'no bcast, mcast, ucast or serial line: the nodes cannot hear each other');
  if (cfg.nodes.length < 2) diags.warning(cfg.nodes[0]?.line ?? end, 'HA_ONE_NODE', `${cfg.nodes.length} node line(s): a heartbeat pair names both nodes (each must equal its uname -n)`);
  if (cfg.keepaliveMs !== undefined && cfg.deadtimeMs !== undefined && cfg.deadtimeMs <= cfg.keepaliveMs) {
    diags.warning(end, 'HA_DEADTIME', 'deadtime is not longer than keepalive: the peer is declared dead between two heartbeats');
  }
  return diags.result(cfg);
}

export function parseHaresources(text: string, file: string): ImportResult<HaResourceGroup[]> {
  const diags = new DiagnosticList(file);
  const groups: HaResourceGroup[] = [];
  // A line ending in `\` continues on the next one.
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let body = lines[i].replace(/#.*/, '');
    while (body.trimEnd().endsWith('\\') && i + 1 < lines.length) body = body.trimEnd().slice(0, -1) + ' ' + lines[++i].replace(/#.*/, '');
    const words = body.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) continue;
    const [node, ...res] = words;
    const resources: HaResource[] = [];
    for (const r of res) {
      const [name, ...args] = r.split('::');
      if (name === 'IPaddr2' || name === 'IPaddr') {
        if (args.length === 0) diags.error(line, 'HA_BAD_RESOURCE', `${name} needs an address: ${name}::IP/CIDR/IF`);
        else if (decodeIpAddr(args[0]) === undefined) diags.error(line, 'HA_BAD_RESOURCE', `${name}::${args[0]}: bad address, prefix or broadcast`);
      }
      if (name === 'ldirectord' && args.length === 0) diags.warning(line, 'HA_BAD_RESOURCE', 'ldirectord without a file uses ldirectord.cf');
      resources.push({ name, args });
    }
    if (resources.length === 0) diags.warning(line, 'HA_BAD_RESOURCE', `node ${node} has no resources`);
    groups.push({ line, node, resources });
  }
  return diags.result(groups);
}

/** `IP[/CIDR[/IF[/BROADCAST]]]` as IPaddr2 reads its first argument. */
export function decodeIpAddr(arg: string): HaIpAddr | undefined {
  const [ip, cidr, dev, brd] = arg.split('/');
  if (parseIpv4(ip) === undefined) return undefined;
  const out: HaIpAddr = { address: ip };
  if (cidr !== undefined && cidr !== '') {
    const c = parseCidr(`${ip}/${cidr}`);
    if (!c) return undefined;
    out.prefix = c.prefixLen;
  }
  if (dev !== undefined && dev !== '') out.dev = dev;
  if (brd !== undefined && brd !== '') {
    if (parseIpv4(brd) === undefined) return undefined;
    out.broadcast = brd;
  }
  return out;
}

/** haresources nodes must be ha.cf nodes. */
export function checkHeartbeatPair(haCf: HaCf, groups: HaResourceGroup[], haresourcesFile: string): Diagnostic[] {
  const names = new Set(haCf.nodes.map((n) => n.name));
  return groups
    .filter((g) => !names.has(g.node))
    .map((g) => ({ file: haresourcesFile, line: g.line, severity: 'error' as const, code: 'HA_NODE_UNKNOWN', message: `node ${g.node} is not a node line of ha.cf` }));
}
