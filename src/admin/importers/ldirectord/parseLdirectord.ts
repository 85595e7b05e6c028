import { parseIpv4, formatIpv4 } from '../../../wire/Ipv4Address.ts';
import { DiagnosticList, type ImportResult } from '../Diagnostic.ts';
import { parsePort } from '../ipvsadmSave.ts';
import type { LdCheckType, LdFallback, LdForward, LdGlobals, LdirectordConfig, LdReal, LdVirtual } from './model.ts';

/**
 * ldirectord.cf → LdirectordConfig, line by line as ldirectord's read_config reads it (reference §2.1):
 * global directives start in column 1; `virtual=` opens a section whose lines, after each TAB becomes 4 spaces,
 * start with at least 4 spaces; inside a section a line whose first non-blank is `#` is skipped and `#…` is cut
 * from the others; the first line that is not indented — a blank line included — ends the section and is read as
 * a global line. Messages are ldirectord's own. ldirectord stops at the first error; we go on and report all.
 * Deviation: host and service names are not resolved (only `/etc/services` port names we know are), so a
 * hostname is an error here where ldirectord would ask DNS.
 */
export function parseLdirectordCf(text: string, file: string): ImportResult<LdirectordConfig> {
  const diags = new DiagnosticList(file);
  const cfg: LdirectordConfig = { globals: { execute: [] }, virtuals: [] };
  const lines = text.split('\n');
  let current: LdVirtual | undefined;
  let blankAfterSection: number | undefined;
  const seen = new Set<string>();
  const finish = (v: LdVirtual, endLine: number) => {
    const id = v.key.kind === 'fwmark' ? `fwm ${v.key.mark}` : `${v.protocol ?? (v.key.port === 53 ? 'udp' : 'tcp')} ${v.key.address}:${v.key.port}`;
    if (seen.has(id)) diags.error(endLine, 'LD_DUPLICATE', 'duplicate virtual server');
    seen.add(id);
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const line = i + 1;
    if (current) {
      if (/^\s*#/.test(raw)) continue;
      const m = /^ {4,}(.+)/.exec(raw.replace(/#.*/, '').replace(/\t/g, '    '));
      if (m && m[1].trim() !== '') {
        virtualDirective(current, m[1].trim(), raw, line, diags);
        continue;
      }
      finish(current, line);
      current = undefined;
      if (raw.trim() === '') {
        blankAfterSection = line;
        continue;
      }
    }
    if (raw.trim() === '' || /^\s*#/.test(raw)) continue;
    if (/^\s/.test(raw)) {
      const indent = /^ */.exec(raw.replace(/\t/g, '    '))?.[0].length ?? 0;
      if (indent < 4) diags.error(line, 'LD_INDENT', `Unknown command ${raw.trim()} (indentation: a virtual section's lines need at least 4 spaces or a TAB)`, 1);
      else {
        diags.error(line, 'LD_UNKNOWN_GLOBAL', `Unknown command ${raw.trim()} (an indented line outside a virtual section)`, 1);
        if (blankAfterSection !== undefined) {
          diags.warning(blankAfterSection, 'LD_BLANK_IN_SECTION', 'this blank line ended the virtual section above; the indented lines after it are read as global directives');
          blankAfterSection = undefined;
        }
      }
      continue;
    }
    blankAfterSection = undefined;
    const vm = /^virtual(6)?\s*=\s*(.*)$/.exec(raw);
    if (vm) {
      if (vm[1]) {
        diags.error(line, 'LD_BAD_VIRTUAL', 'virtual6 (IPv6) is not modelled by lvs-lab');
        current = undefined;
        // Swallow its section so its lines are not misreported as globals.
        while (i + 1 < lines.length && /^ {4,}\S/.test(lines[i + 1].replace(/\t/g, '    '))) i++;
        continue;
      }
      current = virtualHeader(vm[2].trim(), line, diags);
      if (current) cfg.virtuals.push(current);
      else while (i + 1 < lines.length && /^ {4,}\S/.test(lines[i + 1].replace(/\t/g, '    '))) i++;
      continue;
    }
    globalDirective(cfg.globals, raw, line, diags);
  }
  if (current) finish(current, lines.length);
  return diags.result(cfg);
}

function virtualHeader(value: string, line: number, diags: DiagnosticList): LdVirtual | undefined {
  if (/^\d+$/.test(value)) {
    const mark = Number(value);
    if (mark < 1 || mark > 0xffffffff) {
      diags.error(line, 'LD_BAD_VIRTUAL', `invalid fwmark ${value}`);
      return undefined;
    }
    return { line, key: { kind: 'fwmark', mark }, reals: [] };
  }
  const m = /^([^:\s]+):([A-Za-z0-9_-]+)$/.exec(value);
  if (!m) {
    diags.error(line, 'LD_BAD_VIRTUAL', `invalid address for virtual service: ${value} (expected ip:port, host:service or a fwmark number)`);
    return undefined;
  }
  if (parseIpv4(m[1]) === undefined) {
    diags.error(line, 'LD_BAD_ADDRESS', `invalid address (${m[1]}) for virtual service (lvs-lab does not resolve host names)`);
    return undefined;
  }
  const port = parsePort(m[2]);
  if (port === undefined || port === 0) {
    diags.error(line, 'LD_BAD_VIRTUAL', `invalid port (${m[2]}) for virtual service`);
    return undefined;
  }
  return { line, key: { kind: 'address', address: m[1], port }, reals: [] };
}

function yesNo(value: string, name: string, line: number, diags: DiagnosticList): boolean | undefined {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  diags.error(line, 'LD_BAD_VALUE', `${name} must be 'yes' or 'no'`);
  return undefined;
}

/** ldirectord takes the first run of digits in the value (`$1 =~ /(\d+)/`) and refuses 0. */
function positive(value: string, what: string, line: number, diags: DiagnosticList): number | undefined {
  const m = /(\d+)/.exec(value);
  if (!m || Number(m[1]) === 0) {
    diags.error(line, 'LD_BAD_VALUE', `invalid ${what}`);
    return undefined;
  }
  return Number(m[1]);
}

function quoted(rest: string, name: string, line: number, diags: DiagnosticList): string | undefined {
  const m = /^"(.*)"/.exec(rest);
  if (!m) {
    diags.error(line, 'LD_MISSING_QUOTES', `${name} must be given in double quotes: ${name}="..."`);
    return undefined;
  }
  return m[1];
}

function parseFallback(value: string, line: number, diags: DiagnosticList): LdFallback | undefined {
  const m = /^(\S+)(?:\s+(\S+))?\s*$/.exec(value);
  if (!m) {
    diags.error(line, 'LD_BAD_ADDRESS', `invalid fallback server: ${value}`);
    return undefined;
  }
  let forward: LdForward = 'gate';
  if (m[2] !== undefined) {
    if (m[2] !== 'gate' && m[2] !== 'masq' && m[2] !== 'ipip') {
      diags.error(line, 'LD_BAD_FORWARD', 'forward method must be gate, masq or ipip');
      return undefined;
    }
    forward = m[2];
  }
  const [host, portText] = m[1].split(':');
  if (parseIpv4(host) === undefined) {
    diags.error(line, 'LD_BAD_ADDRESS', `invalid IPv4 address or could not resolve for fallback server: ${host}`);
    return undefined;
  }
  if (portText === undefined) return { line, address: host, forward };
  const port = parsePort(portText);
  if (port === undefined) {
    diags.error(line, 'LD_BAD_ADDRESS', 'invalid port for fallback server');
    return undefined;
  }
  return { line, address: host, port, forward };
}

const CHECKTYPES = ['connect', 'negotiate', 'ping', 'off', 'on', 'external', 'external-perl'];
const SERVICES = ['dns', 'ftp', 'http', 'https', 'http_proxy', 'imap', 'imaps', 'ldap', 'nntp', 'mysql', 'none', 'oracle', 'pop', 'pops', 'radius', 'pgsql', 'sip', 'smtp', 'submission', 'simpletcp'];

function virtualDirective(v: LdVirtual, text: string, raw: string, line: number, diags: DiagnosticList): void {
  const m = /^(\w+)\s*=\s*(.*)$/.exec(text);
  if (!m) {
    diags.error(line, 'LD_UNKNOWN_VIRTUAL', `Unknown command "${raw.trim()}"`);
    return;
  }
  const [, name, value] = m;
  switch (name) {
    case 'real':
      for (const r of parseReal(value, line, diags)) v.reals.push(r);
      return;
    case 'request': {
      const q = quoted(value, name, line, diags);
      if (q === undefined) return;
      if (q === '') return diags.error(line, 'LD_BAD_VALUE', 'no request string specified');
      v.request = q.startsWith('/') ? q : `/${q}`;
      return;
    }
    case 'receive': {
      const q = quoted(value, name, line, diags);
      if (q === undefined) return;
      if (q === '') return diags.error(line, 'LD_BAD_VALUE', 'invalid receive string');
      v.receive = q;
      return;
    }
    case 'checktype': {
      const n = /^(\d+)/.exec(value);
      if (n) v.checkType = { combined: Number(n[1]) } satisfies LdCheckType;
      else if (CHECKTYPES.includes(value)) v.checkType = value as LdCheckType;
      else diags.error(line, 'LD_BAD_VALUE', 'checktype must be "connect", "negotiate", "on", "off", "ping", "external", "external-perl" or a positive number');
      return;
    }
    case 'checkcommand':
      v.checkCommand = value.replace(/^"(.*)"$/, '$1');
      return;
    case 'checktimeout':
      v.checkTimeout = positive(value, 'check timeout', line, diags);
      return;
    case 'negotiatetimeout':
      v.negotiateTimeout = positive(value, 'negotiate timeout', line, diags);
      return;
    case 'connecttimeout':
      return diags.error(line, 'LD_DEPRECATED', 'connecttimeout directive deprecated in favour of negotiatetimeout');
    case 'checkcount':
      v.checkCount = positive(value, 'check count', line, diags);
      return diags.warning(line, 'LD_DEPRECATED', "checkcount option is deprecated and slated for removal.  please see 'failurecount'");
    case 'failurecount':
      v.failureCount = positive(value, 'failure count', line, diags);
      return;
    case 'checkinterval':
      v.checkInterval = positive(value, 'checkinterval', line, diags);
      return;
    case 'checkport': {
      const n = /(\d+)/.exec(value);
      if (!n) return diags.error(line, 'LD_BAD_VALUE', 'invalid port');
      const p = Number(n[1]);
      if (p < 1 || p > 65535) return diags.error(line, 'LD_BAD_VALUE', 'checkport must be in range 1..65536');
      v.checkPort = p;
      return;
    }
    case 'login':
    case 'passwd':
    case 'database':
    case 'secret':
    case 'load': {
      const q = quoted(value, name, line, diags);
      if (q !== undefined) v[name] = q;
      return;
    }
    case 'scheduler': {
      const s = /^([a-z]+)/.exec(value);
      if (!s) return diags.error(line, 'LD_BAD_VALUE', 'invalid scheduler, should be only lowercase letters (a-z)');
      v.scheduler = s[1];
      return;
    }
    case 'persistent': {
      const n = /(\d+)/.exec(value);
      if (!n) return diags.error(line, 'LD_BAD_VALUE', 'invalid persistent timeout');
      v.persistent = Number(n[1]);
      return;
    }
    case 'netmask':
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(value) || parseIpv4(value) === undefined) return diags.error(line, 'LD_BAD_VALUE', 'invalid netmask: dotted quad notation is required');
      v.netmask = value;
      return;
    case 'protocol': {
      const p = /^(\w+)/.exec(value)?.[1];
      if (p === undefined) return diags.error(line, 'LD_BAD_VALUE', 'invalid protocol');
      if (v.key.kind === 'fwmark') {
        if (p !== 'fwm') diags.error(line, 'LD_PROTO_MISMATCH', 'protocol must be fwm if the virtual service is a fwmark (a number)');
        else v.protocol = 'fwm';
      } else if (p === 'tcp' || p === 'udp') v.protocol = p;
      else diags.error(line, 'LD_PROTO_MISMATCH', 'protocol must be tcp or udp if the virtual service is an address and port');
      return;
    }
    case 'ops':
      v.ops = yesNo(value, 'ops', line, diags);
      return;
    case 'service': {
      const s = /^(\w+)/.exec(value)?.[1];
      if (s === undefined || !SERVICES.includes(s)) return diags.error(line, 'LD_BAD_VALUE', `service must be ${SERVICES.slice(0, -1).join(', ')} or ${SERVICES[SERVICES.length - 1]}`);
      v.service = s;
      return;
    }
    case 'httpmethod': {
      const s = /^(\w+)/.exec(value)?.[1]?.toUpperCase();
      if (s !== 'GET' && s !== 'HEAD') return diags.error(line, 'LD_BAD_VALUE', 'httpmethod must be GET or HEAD');
      v.httpMethod = s;
      return;
    }
    case 'virtualhost':
      v.virtualhost = value.replace(/^"?([^"]*)"?.*$/, '$1');
      return;
    case 'fallback':
      v.fallback = parseFallback(value, line, diags);
      return;
    case 'fallbackcommand':
      v.fallbackCommand = value.replace(/^"(.*)"$/, '$1');
      return;
    case 'quiescent':
      v.quiescent = yesNo(value, 'quiescent', line, diags);
      return;
    case 'cleanstop':
      v.cleanStop = yesNo(value, 'cleanstop', line, diags);
      return;
    case 'emailalert':
      v.emailAlert = value.replace(/^"(.*)"$/, '$1');
      return;
    case 'emailalertfreq': {
      const n = /^(\d+)/.exec(value);
      if (!n) return diags.error(line, 'LD_BAD_VALUE', 'invalid email alert frequency');
      v.emailAlertFreq = Number(n[1]);
      return;
    }
    case 'emailalertstatus':
      v.emailAlertStatus = value;
      return;
    case 'monitorfile':
      v.monitorfile = value.replace(/^"(.*)"$/, '$1');
      return;
    case 'smtp':
      v.smtp = value;
      return;
    case 'schedflags':
    case 'servicename':
    case 'comment':
      return;
    default:
      diags.error(line, 'LD_UNKNOWN_VIRTUAL', `Unknown command "${raw.trim()}"`);
  }
}

/** `real=IP[->IP2][:port] gate|masq|ipip [weight] ["request", "receive"]` (add_real_server[_range]). */
function parseReal(value: string, line: number, diags: DiagnosticList): LdReal[] {
  const m = /^(\d+\.\d+\.\d+\.\d+|[A-Za-z0-9.-]+)(->(\d+\.\d+\.\d+\.\d+|[A-Za-z0-9.-]+))?(:(\d+|[A-Za-z0-9_-]+))?\s+(.*)$/.exec(value);
  if (!m) {
    diags.error(line, 'LD_BAD_REAL', 'invalid address for real server (wrong format)');
    return [];
  }
  const first = parseIpv4(m[1]);
  if (first === undefined) {
    diags.error(line, 'LD_BAD_ADDRESS', `invalid address (${m[1]}) for real server (could not resolve host)`);
    return [];
  }
  let port = 0;
  if (m[5] !== undefined) {
    const p = parsePort(m[5]);
    if (p === undefined) {
      diags.error(line, 'LD_BAD_ADDRESS', `invalid port (${m[5]}) for real server (could not resolve port)`);
      return [];
    }
    port = p;
  }
  let last = first;
  if (m[3] !== undefined) {
    const l = parseIpv4(m[3]);
    if (l === undefined) {
      diags.error(line, 'LD_BAD_RANGE', `invalid address (${m[3]}) for real server (could not resolve end host)`);
      return [];
    }
    if (first > l) {
      diags.error(line, 'LD_BAD_RANGE', `Invalid Range: ${m[1]}-${m[3]}: First value must be greater than or equal to the second value`);
      return [];
    }
    last = l;
  }
  const f = /^(\w+)(.*)$/.exec(m[6]);
  if (!f || (f[1] !== 'gate' && f[1] !== 'masq' && f[1] !== 'ipip')) {
    diags.error(line, 'LD_BAD_FORWARD', 'forward method must be gate, masq or ipip');
    return [];
  }
  const forward: LdForward = f[1];
  let rest = f[2];
  let weight = 1;
  const w = /^\s+(\d+)(.*)$/.exec(rest);
  if (w) {
    weight = Number(w[1]);
    rest = w[2];
  }
  let request: string | undefined;
  let receive: string | undefined;
  const rr = /^\s+"(.*)"[, ]\s*"(.*)"(.*)$/.exec(rest);
  if (rr) {
    request = rr[1].startsWith('/') ? rr[1] : `/${rr[1]}`;
    receive = rr[2];
    rest = rr[3];
  }
  if (/\S/.test(rest)) {
    diags.error(line, 'LD_BAD_REAL', `Invalid real server line, around "${rest}"`);
    return [];
  }
  const out: LdReal[] = [];
  for (let a = first; a <= last; a++) {
    const r: LdReal = { line, address: formatIpv4(a), port, forward, weight };
    if (request !== undefined) r.request = request;
    if (receive !== undefined) r.receive = receive;
    out.push(r);
  }
  return out;
}

function globalDirective(g: LdGlobals, raw: string, line: number, diags: DiagnosticList): void {
  const m = /^(\w+)\s*=\s*(.*)$/.exec(raw);
  const name = m?.[1] ?? /^(\w+)/.exec(raw)?.[1] ?? '';
  const value = m ? m[2] : '';
  if (m && /#/.test(value) && !/^"[^"]*#/.test(value)) {
    diags.warning(line, 'LD_TRAILING_COMMENT', `'#' after the value of a global directive is not a comment: ldirectord reads "${value}" as the value`);
  }
  switch (m ? name : '') {
    case 'checktimeout':
      g.checkTimeout = positive(value, 'check timeout value', line, diags);
      return;
    case 'negotiatetimeout':
      g.negotiateTimeout = positive(value, 'negotiate timeout value', line, diags);
      return;
    case 'checkinterval':
      g.checkInterval = positive(value, 'check interval value', line, diags);
      return;
    case 'checkcount':
      g.checkCount = positive(value, 'check count value', line, diags);
      return diags.warning(line, 'LD_DEPRECATED', "checkcount option is deprecated and slated for removal.  please see 'failurecount'");
    case 'failurecount':
      g.failureCount = positive(value, 'failure count value', line, diags);
      return;
    case 'connecttimeout':
      return diags.error(line, 'LD_DEPRECATED', 'connecttimeout directive deprecated in favour of negotiatetimeout');
    case 'timeout':
      return diags.error(line, 'LD_DEPRECATED', 'timeout directive deprecated in favour of checktimeout and negotiatetimeout');
    case 'fallback':
      g.fallback = parseFallback(value, line, diags);
      return;
    case 'fallbackcommand':
      g.fallbackCommand = value.replace(/^"(.*)"$/, '$1');
      return;
    case 'autoreload':
      g.autoreload = yesNo(value, 'autoreload', line, diags);
      return;
    case 'callback':
      g.callback = quoted(value, 'callback', line, diags);
      return;
    case 'logfile':
      g.logfile = quoted(value, 'logfile', line, diags);
      return;
    case 'execute':
      g.execute.push(value);
      return;
    case 'fork':
      g.fork = yesNo(value, 'fork', line, diags);
      return;
    case 'supervised':
      g.supervised = yesNo(value, 'supervised', line, diags);
      return;
    case 'quiescent':
      g.quiescent = yesNo(value, 'quiescent', line, diags);
      return;
    case 'readdquiescent':
      g.readdQuiescent = yesNo(value, 'readdquiescent', line, diags);
      return;
    case 'emailalert':
      g.emailAlert = value.replace(/^"(.*)"$/, '$1');
      return;
    case 'emailalertfreq': {
      const n = /^(\d+)/.exec(value);
      if (!n) return diags.error(line, 'LD_BAD_VALUE', 'invalid email alert frequency');
      g.emailAlertFreq = Number(n[1]);
      return;
    }
    case 'emailalertstatus':
      g.emailAlertStatus = value;
      return;
    case 'emailalertfrom':
      g.emailAlertFrom = value;
      return;
    case 'cleanstop':
      g.cleanStop = yesNo(value, 'cleanstop', line, diags);
      return;
    case 'smtp':
      g.smtp = value;
      return;
    case 'maintenancedir':
      g.maintenanceDir = value;
      return;
    default:
      if (raw.trim() === 'supervised') {
        g.supervised = true;
        return diags.warning(line, 'LD_DEPRECATED', 'please update your config not to use a bare supervised directive');
      }
      diags.error(line, 'LD_UNKNOWN_GLOBAL', `Unknown command ${raw.trim()}`);
  }
}
