import { targetName, type ChainView, type IptRule, type MatchSpec, type NatRange, type PortRange, type TargetSpec } from '../../net/index.ts';
import { formatIpv4, maskToPrefix } from '../../wire/index.ts';
import { ICMP_TYPES, LOG_LEVELS, protocolName, serviceName } from './names.ts';

/**
 * iptables-legacy 1.8.9 output: the `-L` table (iptables.c list_entries/print_firewall with xshared.c
 * print_header, xtables_print_num), the `-S` rule lines (print_rule4), and the one-line rule `-v` prints when
 * it changes a chain. Each match and target prints itself as its libxt_*.c print/save function does.
 */

/** Format bits of xtables.h. */
export const Fmt = {
  numeric: 0x1,
  noCounts: 0x2,
  kiloMegaGiga: 0x4,
  options: 0x8,
  noTable: 0x10,
  via: 0x40,
  lineNumbers: 0x100,
} as const;

/** FMT_PRINT_RULE: the line `iptables -v -A ...` echoes. */
export const FMT_PRINT_RULE = Fmt.noCounts | Fmt.options | Fmt.via | Fmt.numeric | Fmt.noTable;

/** `%-Ns` */
function left(s: string, n: number): string {
  return s.padEnd(n, ' ');
}

/** xtables_print_num: a counter, shortened to K/M/G/T unless -x. */
export function printNum(n: number, format: number): string {
  const notable = (format & Fmt.noTable) !== 0;
  if (!(format & Fmt.kiloMegaGiga)) return notable ? `${n} ` : `${String(n).padStart(8)} `;
  if (n <= 99999) return notable ? `${n} ` : `${String(n).padStart(5)} `;
  let v = n;
  for (const unit of ['K', 'M', 'G']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999) return notable ? `${v}${unit} ` : `${String(v).padStart(4)}${unit} `;
  }
  v = Math.floor((v + 500) / 1000);
  return notable ? `${v}T ` : `${String(v).padStart(4)}T `;
}

/** The `Chain X (...)` line and the column header. */
export function printHeader(c: ChainView, format: number): string[] {
  let first = `Chain ${c.name}`;
  if (c.policy !== undefined) {
    first += ` (policy ${c.policy}`;
    if (!(format & Fmt.noCounts)) first += ` ${printNum(c.packets, format | Fmt.noTable)}packets, ${printNum(c.bytes, format | Fmt.noTable)}bytes`;
    first += ')';
  } else {
    first += ` (${c.references} references)`;
  }
  let h = '';
  if (format & Fmt.lineNumbers) h += left('num', 4) + ' ';
  if (!(format & Fmt.noCounts)) h += format & Fmt.kiloMegaGiga ? `${'pkts'.padStart(5)} ${'bytes'.padStart(5)} ` : `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} `;
  h += left('target', 9) + ' ';
  h += ' prot ';
  if (format & Fmt.options) h += 'opt';
  if (format & Fmt.via) h += ` ${left('in', 6)} ${left('out', 6)} `;
  h += ` ${left('source', 19)} `;
  h += ` ${left('destination', 19)} `;
  return [first, h];
}

/** print_firewall: one rule as a listing row (or, with FMT_NOTABLE, as the `-v` echo). */
export function printRule(r: IptRule, counts: { packets: number; bytes: number }, num: number, format: number): string {
  const notable = (format & Fmt.noTable) !== 0;
  const numeric = (format & Fmt.numeric) !== 0;
  let s = '';
  if (format & Fmt.lineNumbers) s += notable ? `${num} ` : left(String(num), 4) + ' ';
  if (!(format & Fmt.noCounts)) s += printNum(counts.packets, format) + printNum(counts.bytes, format);
  const tn = targetName(r.target);
  s += notable ? `${tn} ` : left(tn, 9) + ' ';
  s += r.protoInvert ? '!' : ' ';
  const pname = protocolName(r.proto, numeric) ?? String(r.proto);
  s += notable ? `${pname} ` : left(pname, 4) + ' ';
  if (format & Fmt.options) s += (notable ? 'opt ' : '') + '-- ';
  if (format & Fmt.via) {
    const any = numeric ? '*' : 'any';
    const i = (r.inIface?.invert ? '!' : '') + (r.inIface?.name || any);
    const o = (r.outIface?.invert ? '!' : '') + (r.outIface?.name || any);
    s += notable ? `in ${i} out ${o} ` : ` ${left(i, 6)} ${left(o, 6)} `;
  }
  s += r.src?.invert ? '!' : ' ';
  const src = addrText(r.src, numeric);
  s += notable ? `${src} ` : left(src, 19) + ' ';
  s += r.dst?.invert ? '!' : ' ';
  const dst = addrText(r.dst, numeric);
  s += notable ? `-> ${dst}` : left(dst, 19) + ' ';
  if (notable) s += '  ';
  for (const m of r.matches) s += printMatch(m, numeric);
  s += printTarget(r.target, numeric);
  return s;
}

/** ipv4_addr_to_string: `anywhere` for 0/0 unless -n; the mask as /LEN, nothing for /32, dotted if not a prefix. */
function addrText(a: IptRule['src'], numeric: boolean): string {
  const addr = a?.addr ?? 0;
  const mask = a?.mask ?? 0;
  if (mask === 0 && !numeric) return 'anywhere';
  const len = maskToPrefix(mask);
  const suffix = len === undefined ? `/${formatIpv4(mask)}` : len === 32 ? '' : `/${len}`;
  return formatIpv4(addr) + suffix;
}

function port(p: number, proto: 'tcp' | 'udp', numeric: boolean): string {
  return (!numeric && serviceName(p, proto)) || String(p);
}

/** print_ports of libxt_tcp/libxt_udp. */
function printPorts(name: string, r: PortRange | undefined, invert: boolean, proto: 'tcp' | 'udp', numeric: boolean): string {
  const min = r?.min ?? 0;
  const max = r?.max ?? 0xffff;
  if (min === 0 && max === 0xffff && !invert) return '';
  const inv = invert ? '!' : '';
  if (min === max) return ` ${name}:${inv}${port(min, proto, numeric)}`;
  return ` ${name}s:${inv}${port(min, proto, numeric)}:${port(max, proto, numeric)}`;
}

const STATE_ORDER: ReadonlyArray<readonly [string, number]> = [
  ['INVALID', 1],
  ['NEW', 8],
  ['RELATED', 4],
  ['ESTABLISHED', 2],
  ['UNTRACKED', 16],
];

function stateList(states: number): string {
  return STATE_ORDER.filter(([, b]) => states & b)
    .map(([n]) => n)
    .join(',');
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function printMatch(m: MatchSpec, numeric: boolean): string {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
      return ` ${m.kind}` + printPorts('spt', m.sport, m.sportInvert, m.kind, numeric) + printPorts('dpt', m.dport, m.dportInvert, m.kind, numeric);
    case 'icmp': {
      if (!numeric) {
        const hit = ICMP_TYPES.find(([, t, lo, hi]) => t === m.type && lo === m.codeMin && hi === m.codeMax);
        if (hit) return ` icmp ${m.invert ? '!' : ''}${hit[0]}`;
      }
      let s = ' icmp' + (m.invert ? ' !' : '') + `type ${m.type}`;
      if (m.codeMin === m.codeMax) s += ` code ${m.codeMin}`;
      else if (m.codeMin !== 0 || m.codeMax !== 0xff) s += ` codes ${m.codeMin}-${m.codeMax}`;
      return s;
    }
    case 'mark':
      return ' mark match' + (m.invert ? ' !' : '') + ` ${hex(m.value)}` + (m.mask !== 0xffffffff ? `/${hex(m.mask)}` : '');
    case 'state':
      return (m.invert ? ' ! state ' : ' state ') + stateList(m.states);
    case 'conntrack':
      return (m.invert ? ' !' : '') + ' ctstate ' + stateList(m.states);
    case 'comment':
      return ` /* ${m.text} */`;
  }
}

function portRange(r: PortRange): string {
  return r.min === r.max ? String(r.min) : `${r.min}-${r.max}`;
}

function natRange(r: NatRange): string {
  let s = formatIpv4(r.minAddr);
  if (r.maxAddr !== r.minAddr) s += `-${formatIpv4(r.maxAddr)}`;
  if (r.ports) s += `:${portRange(r.ports)}`;
  return s;
}

function printTarget(t: TargetSpec, numeric: boolean): string {
  switch (t.kind) {
    case 'REJECT':
      return ` reject-with ${t.with}`;
    case 'MARK':
      if (t.value === 0) return ` MARK and ${hex(~t.mask)}`;
      if (t.value === t.mask) return ` MARK or ${hex(t.value)}`;
      if (t.mask === 0) return ` MARK xor ${hex(t.value)}`;
      if (t.mask === 0xffffffff) return ` MARK set ${hex(t.value)}`;
      return ` MARK xset ${hex(t.value)}/${hex(t.mask)}`;
    case 'MASQUERADE':
      return (t.ports ? ` masq ports: ${portRange(t.ports)}` : '') + (t.random ? ' random' : '');
    case 'REDIRECT':
      return (t.ports ? ` redir ports ${portRange(t.ports)}` : '') + (t.random ? ' random' : '');
    case 'SNAT':
    case 'DNAT':
      return ` to:${natRange(t.to)}` + (t.random ? ' random' : '') + (t.persistent ? ' persistent' : '');
    case 'LOG': {
      let s = ' LOG';
      if (numeric) s += ` flags 0 level ${t.level}`;
      else s += ` level ${LOG_LEVELS.find(([, l]) => l === t.level)?.[0] ?? `UNKNOWN level ${t.level}`}`;
      if (t.prefix !== '') s += ` prefix "${t.prefix}"`;
      return s;
    }
    default:
      return '';
  }
}

// ------------------------------------------------------------------------------------------ -S (save)

/** print_rule4: `-A CHAIN` and the rule as iptables-save writes it; `counters` adds ` -c PKTS BYTES`. */
export function saveRule(chain: string, r: IptRule, counts?: { packets: number; bytes: number }): string {
  let s = `-A ${chain}`;
  s += saveAddr('s', r.src) + saveAddr('d', r.dst);
  s += saveIface('i', r.inIface) + saveIface('o', r.outIface);
  if (r.proto > 0) s += (r.protoInvert ? ' !' : '') + ` -p ${protocolName(r.proto, true) ?? r.proto}`;
  for (const m of r.matches) s += ` -m ${m.kind}` + saveMatch(m);
  if (counts) s += ` -c ${counts.packets} ${counts.bytes}`;
  if (r.target.kind !== 'continue') s += ` -j ${targetName(r.target)}` + saveTarget(r.target);
  return s;
}

function saveAddr(letter: string, a: IptRule['src']): string {
  if (!a || (a.mask === 0 && !a.invert && a.addr === 0)) return '';
  const len = maskToPrefix(a.mask);
  return `${a.invert ? ' !' : ''} -${letter} ${formatIpv4(a.addr)}/${len === undefined ? formatIpv4(a.mask) : len}`;
}

function saveIface(letter: string, i: IptRule['inIface']): string {
  if (!i || i.name === '' || (i.name === '+' && !i.invert)) return '';
  return `${i.invert ? ' !' : ''} -${letter} ${i.name}`;
}

function savePorts(opt: string, r: PortRange | undefined, invert: boolean): string {
  if (!r || (r.min === 0 && r.max === 0xffff)) return '';
  return (invert ? ' !' : '') + ` --${opt} ${r.min === r.max ? r.min : `${r.min}:${r.max}`}`;
}

/** xtables_save_string: always quoted, `"` and `\` escaped. */
function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function saveMatch(m: MatchSpec): string {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
      return savePorts('sport', m.sport, m.sportInvert) + savePorts('dport', m.dport, m.dportInvert);
    case 'icmp': {
      const inv = m.invert ? ' !' : '';
      if (m.type === 0xff) return `${inv} --icmp-type any`;
      return `${inv} --icmp-type ${m.type}` + (m.codeMin !== 0 || m.codeMax !== 0xff ? `/${m.codeMin}` : '');
    }
    case 'mark':
      return (m.invert ? ' !' : '') + ` --mark ${hex(m.value)}` + (m.mask !== 0xffffffff ? `/${hex(m.mask)}` : '');
    case 'state':
      return (m.invert ? ' !' : '') + ` --state ${stateList(m.states)}`;
    case 'conntrack':
      return (m.invert ? ' !' : '') + ` --ctstate ${stateList(m.states)}`;
    case 'comment':
      return ` --comment ${quote(m.text)}`;
  }
}

function saveTarget(t: TargetSpec): string {
  switch (t.kind) {
    case 'REJECT':
      return ` --reject-with ${t.with}`;
    case 'MARK':
      return ` --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'MASQUERADE':
    case 'REDIRECT':
      return (t.ports ? ` --to-ports ${portRange(t.ports)}` : '') + (t.random ? ' --random' : '');
    case 'SNAT':
    case 'DNAT':
      return ` --to-${t.kind === 'SNAT' ? 'source' : 'destination'} ${natRange(t.to)}` + (t.random ? ' --random' : '') + (t.persistent ? ' --persistent' : '');
    case 'LOG':
      return (t.prefix !== '' ? ` --log-prefix ${quote(t.prefix)}` : '') + (t.level !== 4 ? ` --log-level ${t.level}` : '');
    default:
      return '';
  }
}
