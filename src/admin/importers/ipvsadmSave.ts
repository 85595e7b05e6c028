import { maskToPrefix, parseIpv4 } from '../../wire/Ipv4Address.ts';
import { DiagnosticList, type ImportResult } from './Diagnostic.ts';
import type { IpvsForwarding, IpvsProtocol, IpvsServiceKey, IpvsTable, IpvsTableService } from './ipvsTable.ts';

/**
 * `ipvsadm -S` output (ipvsadm 1.31 list_all with FMT_RULE; see admin/ipvsadm/formatSave.ts for the writer)
 * → IpvsTable. The format is regular — one `-A` line per service then its `-a` lines, long options allowed,
 * an optional leading `ipvsadm` word — so this reads it directly instead of through the full ipvsadm option
 * parser (which lives in admin, a layer importers may not use). Port names (`:http`) are accepted for the
 * ports ipvsadm -S writes without -n (the common ones); anything else is an error at its line and column.
 */

const PORT_NAMES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, www: 80, pop3: 110, nntp: 119, imap: 143, imap2: 143,
  ldap: 389, https: 443, submission: 587, ldaps: 636, imaps: 993, pop3s: 995, mysql: 3306, postgresql: 5432,
};

export function parsePort(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : undefined;
  }
  return PORT_NAMES[text];
}

/** `A.B.C.D[:PORT]` (port 0 when absent). */
export function parseAddrPort(text: string): { address: string; port: number } | undefined {
  const i = text.indexOf(':');
  const addr = i < 0 ? text : text.slice(0, i);
  if (parseIpv4(addr) === undefined) return undefined;
  if (i < 0) return { address: addr, port: 0 };
  const port = parsePort(text.slice(i + 1));
  return port === undefined ? undefined : { address: addr, port };
}

const LONG: Record<string, string> = {
  '--add-service': '-A', '--add-server': '-a', '--tcp-service': '-t', '--udp-service': '-u', '--fwmark-service': '-f',
  '--scheduler': '-s', '--persistent': '-p', '--netmask': '-M', '--real-server': '-r', '--gatewaying': '-g',
  '--masquerading': '-m', '--ipip': '-i', '--weight': '-w', '--u-threshold': '-x', '--l-threshold': '-y', '--ops': '-o',
  '--sched-flags': '-b',
};

/** One ipvsadm command line reduced to what changes a table. */
export interface IpvsadmRule {
  /** -A add service, -E edit service, -D delete service, -a/-e/-d the same for a server, -C clear, none: a listing */
  op: '-A' | '-E' | '-D' | '-a' | '-e' | '-d' | '-C' | 'list';
  key?: IpvsServiceKey;
  scheduler?: string;
  persistent?: number;
  netmask?: string;
  onePacket: boolean;
  schedFlags?: string;
  dest?: { address: string; port: number };
  fwd?: IpvsForwarding;
  weight?: number;
  upperThreshold?: number;
  lowerThreshold?: number;
}

const LIST_OPTS = new Set(['-L', '-l', '--list', '-n', '--numeric', '-c', '--connection', '--stats', '--rate', '--exact', '--thresholds', '--persistent-conn', '--sort', '-S', '--save', '-Z', '--zero', '--timeout']);

/**
 * The words of one ipvsadm command (without the program name) as a rule, or undefined after reporting at
 * `line`. Short and long options, `-p` with an optional value, ports by number or common name.
 */
export function parseIpvsadmRule(words: { t: string; col: number }[], line: number, diags: DiagnosticList, codePrefix = 'SAVE'): IpvsadmRule | undefined {
  if (words.length === 0) return { op: 'list', onePacket: false };
  const first = words[0];
  const op0 = LONG[first.t] ?? (first.t === '--edit-service' ? '-E' : first.t === '--delete-service' ? '-D' : first.t === '--edit-server' ? '-e' : first.t === '--delete-server' ? '-d' : first.t === '--clear' ? '-C' : first.t);
  // A listing, also with clustered short options (`-Ln`, `-lnc`): it changes nothing.
  if (LIST_OPTS.has(op0) || /^-[LlncZ]+$/.test(op0)) return { op: 'list', onePacket: false };
  if (!['-A', '-E', '-D', '-a', '-e', '-d', '-C'].includes(op0)) {
    diags.error(line, `${codePrefix}_NOT_RULE`, `not an ipvsadm rule this importer reads (expected -A, -E, -D, -a, -e, -d or -C): ${first.t}`, first.col);
    return undefined;
  }
  const rule: IpvsadmRule = { op: op0 as IpvsadmRule['op'], onePacket: false };
  let ok = true;
  const bad = (w: { t: string; col: number }, what: string) => {
    diags.error(line, `${codePrefix}_BAD_VALUE`, `${what}: ${w.t}`, w.col);
    ok = false;
  };
  for (let j = 1; j < words.length && ok; j++) {
    const w = words[j];
    const opt = LONG[w.t] ?? w.t;
    const val = words[j + 1];
    const needVal = ['-t', '-u', '-f', '-s', '-M', '-r', '-w', '-x', '-y', '-b', '--sctp-service', '--tun-type'].includes(opt) || (opt === '-p' && val !== undefined && /^\d+$/.test(val.t));
    if (needVal && !val) {
      bad(w, 'option requires a value');
      break;
    }
    if (needVal) j++;
    switch (opt) {
      case '-t':
      case '-u':
      case '--sctp-service': {
        const ap = parseAddrPort(val.t);
        const protocol: IpvsProtocol = opt === '-t' ? 'tcp' : opt === '-u' ? 'udp' : 'sctp';
        if (!ap) bad(val, 'bad service address');
        else rule.key = { kind: 'address', protocol, address: ap.address, port: ap.port };
        break;
      }
      case '-f': {
        const n = /^\d+$/.test(val.t) ? Number(val.t) : NaN;
        if (!(n >= 1 && n <= 0xffffffff)) bad(val, 'bad fwmark');
        else rule.key = { kind: 'fwmark', mark: n };
        break;
      }
      case '-s':
        if (!/^[a-z0-9]+$/.test(val.t)) bad(val, 'bad scheduler name');
        else rule.scheduler = val.t;
        break;
      case '-p':
        rule.persistent = needVal ? Number(val.t) : 300;
        break;
      case '-M': {
        const m = parseIpv4(val.t);
        if (m === undefined || maskToPrefix(m) === undefined) bad(val, 'bad netmask');
        else rule.netmask = val.t;
        break;
      }
      case '-o':
        rule.onePacket = true;
        break;
      case '-b':
        rule.schedFlags = val.t;
        break;
      case '-r': {
        const ap = parseAddrPort(val.t);
        if (!ap) bad(val, 'bad real server address');
        else rule.dest = ap;
        break;
      }
      case '-g':
        rule.fwd = 'route';
        break;
      case '-m':
        rule.fwd = 'masq';
        break;
      case '-i':
        rule.fwd = 'tunnel';
        break;
      case '--tun-type':
        if (val.t !== 'ipip') diags.warning(line, `${codePrefix}_TUN_TYPE`, `tunnel type ${val.t} is not modelled; ipip is used`, val.col);
        break;
      case '-w':
      case '-x':
      case '-y': {
        const n = /^\d+$/.test(val.t) ? Number(val.t) : NaN;
        if (!(n >= 0 && n <= 65535)) bad(val, 'bad number');
        else if (opt === '-w') rule.weight = n;
        else if (opt === '-x') rule.upperThreshold = n;
        else rule.lowerThreshold = n;
        break;
      }
      case '-n':
        break;
      default:
        bad(w, 'option not modelled by the importer');
    }
  }
  if (!ok) return undefined;
  if (rule.op !== '-C' && !rule.key) {
    diags.error(line, `${codePrefix}_NO_SERVICE`, 'no service given (-t, -u or -f)');
    return undefined;
  }
  if ((rule.op === '-a' || rule.op === '-e' || rule.op === '-d') && !rule.dest) {
    diags.error(line, `${codePrefix}_NO_DEST`, 'no real server given (-r)');
    return undefined;
  }
  return rule;
}

/** Applies a rule to a table with ipvsadm's (kernel's) refusals as errors: a service twice, a missing one, ... */
export function applyIpvsadmRule(table: IpvsTable, rule: IpvsadmRule, line: number, diags: DiagnosticList, codePrefix = 'SAVE'): void {
  if (rule.op === 'list') return;
  if (rule.op === '-C') {
    table.services.length = 0;
    return;
  }
  const key = rule.key as IpvsServiceKey;
  const id = JSON.stringify(key);
  const idx = table.services.findIndex((s) => JSON.stringify(s.key) === id);
  const svc = idx >= 0 ? table.services[idx] : undefined;
  if (rule.op === '-A') {
    if (svc) return diags.error(line, `${codePrefix}_DUP_SERVICE`, 'Service already exists');
    if (key.kind === 'address' && key.port === 0 && rule.persistent === undefined) return diags.error(line, `${codePrefix}_ZERO_PORT`, 'Zero port specified for non-persistent service');
    const s: IpvsTableService = { key, scheduler: rule.scheduler ?? 'wlc', onePacket: rule.onePacket, destinations: [], line };
    if (rule.persistent !== undefined) s.persistent = rule.persistent;
    if (rule.netmask !== undefined) s.netmask = rule.netmask;
    if (rule.schedFlags !== undefined) s.schedFlags = rule.schedFlags;
    table.services.push(s);
    return;
  }
  if (!svc) return diags.error(line, `${codePrefix}_NO_SUCH_SERVICE`, 'No such service');
  if (rule.op === '-E') {
    svc.scheduler = rule.scheduler ?? 'wlc';
    if (rule.persistent !== undefined) svc.persistent = rule.persistent;
    else delete svc.persistent;
    if (rule.netmask !== undefined) svc.netmask = rule.netmask;
    svc.onePacket = rule.onePacket;
    return;
  }
  if (rule.op === '-D') {
    table.services.splice(idx, 1);
    return;
  }
  const dest = rule.dest as { address: string; port: number };
  const fwd = rule.fwd ?? 'route';
  // ipvsadm.c: a DR/TUN server takes the service's port, and so does one given without a port.
  const port = key.kind === 'address' && (fwd !== 'masq' || dest.port === 0) ? key.port : dest.port;
  const di = svc.destinations.findIndex((d) => d.address === dest.address && d.port === port);
  if (rule.op === '-a') {
    if (di >= 0) return diags.error(line, `${codePrefix}_DUP_DEST`, 'Destination already exists');
    svc.destinations.push({
      address: dest.address, port, fwd, weight: rule.weight ?? 1, line,
      ...(rule.upperThreshold !== undefined ? { upperThreshold: rule.upperThreshold } : {}),
      ...(rule.lowerThreshold !== undefined ? { lowerThreshold: rule.lowerThreshold } : {}),
    });
    return;
  }
  if (di < 0) return diags.error(line, `${codePrefix}_NO_SUCH_DEST`, 'No such destination');
  if (rule.op === '-d') {
    svc.destinations.splice(di, 1);
    return;
  }
  const d = svc.destinations[di];
  d.fwd = fwd;
  d.weight = rule.weight ?? 1;
}

/** Splits a line into words with 1-based columns. */
export function wordsOf(raw: string): { t: string; col: number }[] {
  const words: { t: string; col: number }[] = [];
  for (const m of raw.matchAll(/\S+/g)) words.push({ t: m[0], col: (m.index ?? 0) + 1 });
  return words;
}

export function parseIpvsadmSave(text: string, file: string): ImportResult<IpvsTable> {
  const diags = new DiagnosticList(file);
  const table: IpvsTable = { services: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const words = wordsOf(raw);
    if (words[0].t === 'ipvsadm' || words[0].t.endsWith('/ipvsadm')) words.shift();
    const first = words[0];
    if (!first || (first.t !== '-A' && first.t !== '-a' && first.t !== '--add-service' && first.t !== '--add-server')) {
      diags.error(line, 'SAVE_NOT_RULE', `not an ipvsadm -S rule (expected -A or -a): ${raw.trim()}`, first?.col ?? 1);
      continue;
    }
    const rule = parseIpvsadmRule(words, line, diags);
    if (rule) applyIpvsadmRule(table, rule, line, diags);
  }
  return diags.result(table);
}
