import { maskToPrefix, parseIpv4 } from '../../wire/Ipv4Address.ts';
import { DiagnosticList, type ImportResult } from './Diagnostic.ts';
import type { IpvsTable } from './ipvsTable.ts';
import { applyIpvsadmRule, parseIpvsadmRule, wordsOf } from './ipvsadmSave.ts';

/**
 * A director's rc script (seed 000's mini-HOWTO script, the ipvsadm lines of seeds 003 and 004): `#` comments,
 * then one command per line — ipvsadm, ip, ifconfig, route, sysctl, echo/cat on /proc/sys, ping, arp, arping,
 * iptables, modprobe — kept verbatim as the lab's commands (the lab models every one of these programs, `cat` and
 * `ping` included). Anything else (service, chkconfig, yum, vi, shell control flow, variables) is skipped with a
 * warning at its line: the lab has no such program. Besides the commands, the script is read for the facts the
 * scenario generator needs — the IPVS table its ipvsadm lines build, the addresses it puts on interfaces and the
 * default gateway — so the topology around the director can be drawn without running anything.
 */

export const MODELLED_PROGRAMS: ReadonlySet<string> = new Set(['ipvsadm', 'ip', 'ifconfig', 'route', 'sysctl', 'echo', 'cat', 'ping', 'arp', 'arping', 'iptables', 'modprobe']);

export interface ScriptCommand {
  line: number;
  /** the command as written, trailing comment removed */
  text: string;
  /** program name without its path */
  program: string;
  /** the comment lines just before it (without `#`), kept for the generated scenario */
  comments: string[];
}

export interface ScriptAddress {
  line: number;
  /** interface as named (an alias `eth0:110` is reported as eth0 with label eth0:110) */
  dev: string;
  label?: string;
  address: string;
  /** prefix length when the line gave one (netmask or /len) */
  prefix?: number;
}

export interface IpvsadmScript {
  commands: ScriptCommand[];
  /** the table the ipvsadm lines build, in order (-C clears it) */
  table: IpvsTable;
  addresses: ScriptAddress[];
  defaultGateway?: { line: number; via: string };
  /** net.ipv4.ip_forward set to 1 by sysctl or echo */
  ipForward: boolean;
}

/** Splits `cmd args # comment` at the first word that starts with `#` outside quotes. */
function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line;
}

export function parseIpvsadmScript(text: string, file: string): ImportResult<IpvsadmScript> {
  const diags = new DiagnosticList(file);
  const script: IpvsadmScript = { commands: [], table: { services: [] }, addresses: [], ipForward: false };
  const lines = text.split('\n');
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let raw = lines[i].replace(/\r$/, '');
    while (raw.trimEnd().endsWith('\\') && i + 1 < lines.length) raw = `${raw.trimEnd().slice(0, -1)} ${lines[++i].replace(/\r$/, '').trim()}`;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      if (!trimmed.startsWith('#!')) comments.push(trimmed.replace(/^#+\s?/, ''));
      continue;
    }
    const body = stripComment(trimmed);
    const words = wordsOf(body);
    const typed = words[0].t;
    const program = typed.includes('/') ? typed.slice(typed.lastIndexOf('/') + 1) : typed;
    if (program === 'service' || program === 'systemctl') {
      // The lab has both, but a director script's units (iptables, network, ...) are not units the generated
      // director runs: keeping the line would only fail.
      const unit = program === 'service' ? words[1]?.t : words[2]?.t;
      diags.warning(line, 'SH_UNSUPPORTED', `${program}${unit !== undefined ? ` ${unit}` : ''}: the generated director runs no such unit; line skipped`, 1);
      continue;
    }
    if (!MODELLED_PROGRAMS.has(program)) {
      diags.warning(line, 'SH_UNSUPPORTED', `${program}: not a program the lab models; line skipped`, 1);
      continue;
    }
    if (/\$[A-Za-z_{(]|`/.test(body)) {
      diags.warning(line, 'SH_VARIABLE', 'shell variables and command substitution are not expanded; line skipped', 1);
      continue;
    }
    script.commands.push({ line, text: body, program, comments });
    comments = [];
    facts(script, program, words.slice(1).map((w) => w.t), line, body, diags, words.slice(1));
  }
  return diags.result(script);
}

function facts(s: IpvsadmScript, program: string, args: string[], line: number, body: string, diags: DiagnosticList, words: { t: string; col: number }[]): void {
  if (program === 'ipvsadm') {
    const rule = parseIpvsadmRule(words, line, diags, 'SH_IPVSADM');
    if (rule) applyIpvsadmRule(s.table, rule, line, diags, 'SH_IPVSADM');
    return;
  }
  if (program === 'ifconfig' && args.length >= 2 && parseIpv4(args[1]) !== undefined) {
    const [name] = args;
    const dev = name.split(':')[0];
    const a: ScriptAddress = { line, dev, address: args[1] };
    if (name.includes(':')) a.label = name;
    // ifconfig on a label that already has an address replaces it (SIOCSIFADDR on that alias).
    const label = name.includes(':') ? name : undefined;
    for (let i = s.addresses.length - 1; i >= 0; i--) {
      const x = s.addresses[i];
      if ((x.label ?? x.dev) === name && x.dev === dev) s.addresses.splice(i, 1);
    }
    if (label === undefined) delete a.label;
    const nm = args.indexOf('netmask');
    if (nm >= 0 && args[nm + 1]) {
      const m = parseIpv4(args[nm + 1]);
      const p = m === undefined ? undefined : maskToPrefix(m);
      if (p !== undefined) a.prefix = p;
    }
    s.addresses.push(a);
    return;
  }
  if (program === 'ip' && /^(a|ad|add|addr|addre|addres|address)$/.test(args[0] ?? '') && /^(a|ad|add)$/.test(args[1] ?? '')) {
    const [addr, len] = (args[2] ?? '').split('/');
    const devIdx = args.indexOf('dev');
    if (parseIpv4(addr) !== undefined && devIdx >= 0 && args[devIdx + 1]) {
      const a: ScriptAddress = { line, dev: args[devIdx + 1], address: addr };
      if (len !== undefined && /^\d+$/.test(len)) a.prefix = Number(len);
      const li = args.indexOf('label');
      if (li >= 0 && args[li + 1]) a.label = args[li + 1];
      s.addresses.push(a);
    }
    return;
  }
  if (program === 'route' && args[0] === 'add' && args[1] === 'default') {
    const gw = args.indexOf('gw');
    if (gw >= 0 && args[gw + 1] && parseIpv4(args[gw + 1]) !== undefined) s.defaultGateway = { line, via: args[gw + 1] };
    return;
  }
  if (program === 'ip' && /^r/.test(args[0] ?? '') && args[1] === 'add' && (args[2] === 'default' || args[2] === '0.0.0.0/0')) {
    const via = args.indexOf('via');
    if (via >= 0 && args[via + 1] && parseIpv4(args[via + 1]) !== undefined) s.defaultGateway = { line, via: args[via + 1] };
    return;
  }
  if (/ip_forward/.test(body) && ((program === 'echo' && /^echo\s+["']?1["']?\s*>/.test(body)) || (program === 'sysctl' && /ip_forward\s*=\s*1/.test(body)))) s.ipForward = true;
}
