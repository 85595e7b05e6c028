import { CtStateBit, REJECT_WITH, type CtStateName, type MatchSpec, type NatRange, type PortRange, type RejectWith, type TargetSpec } from '../../net/index.ts';
import { parseAbbreviatedIpv4 } from '../../wire/index.ts';
import { notModelled, paramProblem } from './errors.ts';
import { ICMP_ALIASES, ICMP_TYPES, LOG_LEVELS, servicePort } from './names.ts';

/**
 * The iptables extensions the lab models, each as its libxt_*.c defines it: the long options it adds to the
 * command line, how it parses them (with the extension's error texts), and its final check. Matches: tcp, udp,
 * icmp, mark, state, conntrack (--ctstate), comment. Targets: REJECT, MARK, MASQUERADE, REDIRECT, SNAT, DNAT,
 * LOG. Real extensions outside that set are refused by name.
 */

export interface OptSpec {
  /** Options sharing an id are aliases (`--dport` / `--destination-port`). */
  readonly id: string;
  readonly arg: boolean;
  readonly invert: boolean;
  /** A real option of this extension that the lab does not model. */
  readonly unsupported?: boolean;
}

/** The rule so far, as an extension sees it while parsing (the protocol given before its options). */
export interface ParseContext {
  readonly proto: number;
  readonly protoInvert: boolean;
}

export interface Extension<T> {
  readonly name: string;
  readonly options: ReadonlyMap<string, OptSpec>;
  parse(id: string, name: string, arg: string, invert: boolean, ctx: ParseContext): void;
  final(): T;
}

const SUPPORTED_MATCHES = ['tcp', 'udp', 'icmp', 'mark', 'state', 'conntrack', 'comment'];
const KNOWN_MATCHES = [
  'addrtype', 'ah', 'bpf', 'cgroup', 'cluster', 'connbytes', 'connlabel', 'connlimit', 'connmark', 'cpu', 'dccp',
  'devgroup', 'dscp', 'ecn', 'esp', 'hashlimit', 'helper', 'icmp6', 'ipcomp', 'iprange', 'ipvs', 'length', 'limit',
  'mac', 'multiport', 'nfacct', 'osf', 'owner', 'physdev', 'pkttype', 'policy', 'quota', 'rateest', 'realm', 'recent',
  'rpfilter', 'sctp', 'set', 'socket', 'statistic', 'string', 'tcpmss', 'time', 'tos', 'ttl', 'u32', 'udplite',
];
const KNOWN_TARGETS = [
  'AUDIT', 'CHECKSUM', 'CLASSIFY', 'CLUSTERIP', 'CONNMARK', 'CONNSECMARK', 'CT', 'DSCP', 'ECN', 'HMARK', 'IDLETIMER',
  'LED', 'NETMAP', 'NFLOG', 'NFQUEUE', 'NOTRACK', 'QUEUE', 'RATEEST', 'SECMARK', 'SET', 'SYNPROXY', 'TCPMSS',
  'TCPOPTSTRIP', 'TEE', 'TOS', 'TPROXY', 'TRACE', 'TTL', 'ULOG',
];
/** Names `-j` takes as a target rather than a chain (and that `-N` may not use). */
export const TARGET_NAMES = ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'MARK', 'MASQUERADE', 'REDIRECT', 'SNAT', 'DNAT', 'LOG', ...KNOWN_TARGETS];

function opts(list: Array<[string, Omit<OptSpec, 'id'> & { id?: string }]>): Map<string, OptSpec> {
  return new Map(list.map(([n, o]) => [n, { id: o.id ?? n, arg: o.arg, invert: o.invert, unsupported: o.unsupported }]));
}

/** A match by `-m` name (or implied by `-p`); refuses the ones the lab does not model. */
export function loadMatch(name: string): Extension<MatchSpec> {
  switch (name) {
    case 'tcp':
    case 'udp':
      return portMatch(name);
    case 'icmp':
      return icmpMatch();
    case 'mark':
      return markMatch();
    case 'state':
    case 'conntrack':
      return stateMatch(name);
    case 'comment':
      return commentMatch();
  }
  if (KNOWN_MATCHES.includes(name)) throw notModelled(`match \`${name}'`);
  throw paramProblem(`Couldn't load match \`${name}':No such file or directory`);
}

export function isSupportedMatch(name: string): boolean {
  return SUPPORTED_MATCHES.includes(name);
}

/** A target extension by `-j` name; undefined for a name that must be a chain (or a standard verdict). */
export function loadTarget(name: string): Extension<TargetSpec> | undefined {
  switch (name) {
    case 'REJECT':
      return rejectTarget();
    case 'MARK':
      return markTarget();
    case 'MASQUERADE':
    case 'REDIRECT':
      return portsTarget(name);
    case 'SNAT':
    case 'DNAT':
      return natTarget(name);
    case 'LOG':
      return logTarget();
  }
  if (KNOWN_TARGETS.includes(name)) throw notModelled(`target \`${name}'`);
  return undefined;
}

/** Tracks "can only be used once" and mandatory options (the x6 option framework's checks). */
class Seen {
  private readonly ids = new Set<string>();
  constructor(private readonly ext: string) {}
  once(id: string, name: string): void {
    if (this.ids.has(id)) throw paramProblem(`${this.ext}: option "--${name}" can only be used once.`);
    this.ids.add(id);
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
  get count(): number {
    return this.ids.size;
  }
}

// ------------------------------------------------------------------------------------------------ matches

function portMatch(kind: 'tcp' | 'udp'): Extension<MatchSpec> {
  const seen = new Seen(kind);
  let sport: PortRange | undefined;
  let dport: PortRange | undefined;
  let sportInvert = false;
  let dportInvert = false;
  const list: Array<[string, Omit<OptSpec, 'id'> & { id?: string }]> = [
    ['source-port', { id: 'sport', arg: true, invert: true }],
    ['sport', { arg: true, invert: true }],
    ['destination-port', { id: 'dport', arg: true, invert: true }],
    ['dport', { arg: true, invert: true }],
  ];
  if (kind === 'tcp') {
    list.push(['syn', { arg: false, invert: true, unsupported: true }], ['tcp-flags', { arg: true, invert: true, unsupported: true }], ['tcp-option', { arg: true, invert: true, unsupported: true }]);
  }
  return {
    name: kind,
    options: opts(list),
    parse(id, name, arg, invert) {
      seen.once(id, name);
      const r = parsePortRange(arg, kind);
      if (id === 'sport') {
        sport = r;
        sportInvert = invert;
      } else {
        dport = r;
        dportInvert = invert;
      }
    },
    final: () => ({ kind, sport, sportInvert, dport, dportInvert }),
  };
}

/** xtables_parse_port / parse_multi_ports for `N`, `N:M`, `:M`, `N:` and service names. */
function parsePortRange(text: string, proto: 'tcp' | 'udp'): PortRange {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = parsePort(text, proto);
    return { min: p, max: p };
  }
  const lo = text.slice(0, colon);
  const hi = text.slice(colon + 1);
  const min = lo === '' ? 0 : parsePort(lo, proto);
  const max = hi === '' ? 0xffff : parsePort(hi, proto);
  if (min > max) throw paramProblem('invalid portrange (min > max)');
  return { min, max };
}

function parsePort(text: string, proto: 'tcp' | 'udp'): number {
  if (/^\d+$/.test(text) && Number(text) <= 0xffff) return Number(text);
  const s = servicePort(text, proto);
  if (s === undefined) throw paramProblem(`invalid port/service \`${text}' specified`);
  return s;
}

function icmpMatch(): Extension<MatchSpec> {
  const seen = new Seen('icmp');
  let m: MatchSpec | undefined;
  return {
    name: 'icmp',
    options: opts([['icmp-type', { arg: true, invert: true }]]),
    parse(id, name, arg, invert) {
      seen.once(id, name);
      const t = parseIcmpType(arg);
      m = { kind: 'icmp', type: t.type, codeMin: t.codeMin, codeMax: t.codeMax, invert };
    },
    final() {
      if (!m) throw paramProblem('icmp: option "--icmp-type" must be specified');
      return m;
    },
  };
}

/** parse_icmp: a name (unique prefix), or TYPE[/CODE]. */
function parseIcmpType(text: string): { type: number; codeMin: number; codeMax: number } {
  const name = ICMP_ALIASES[text] ?? text;
  const exact = ICMP_TYPES.find(([n]) => n === name);
  const prefixed = ICMP_TYPES.filter(([n]) => n.startsWith(name));
  const hit = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  if (hit) return { type: hit[1], codeMin: hit[2], codeMax: hit[3] };
  if (prefixed.length > 1) throw paramProblem(`Ambiguous ICMP type \`${text}': \`${prefixed[0][0]}' or \`${prefixed[1][0]}'?`);
  const mm = /^(\d{1,3})(?:\/(\d{1,3}))?$/.exec(text);
  if (!mm || Number(mm[1]) > 255 || (mm[2] !== undefined && Number(mm[2]) > 255)) throw paramProblem(`Invalid ICMP type \`${text}'`);
  const type = Number(mm[1]);
  if (mm[2] === undefined) return { type, codeMin: 0, codeMax: 0xff };
  return { type, codeMin: Number(mm[2]), codeMax: Number(mm[2]) };
}

function markMatch(): Extension<MatchSpec> {
  const seen = new Seen('mark');
  let m: MatchSpec | undefined;
  return {
    name: 'mark',
    options: opts([['mark', { arg: true, invert: true }]]),
    parse(id, name, arg, invert) {
      seen.once(id, name);
      const v = parseMarkMask('mark', name, arg);
      m = { kind: 'mark', value: v.value, mask: v.mask, invert };
    },
    final() {
      if (!m) throw paramProblem('mark: option "--mark" must be specified');
      return m;
    },
  };
}

/** XTTYPE_MARKMASK32: VALUE[/MASK], each decimal, 0x hex or 0 octal (strtoul base 0). */
function parseMarkMask(ext: string, opt: string, text: string): { value: number; mask: number } {
  const slash = text.indexOf('/');
  const value = parseU32(slash < 0 ? text : text.slice(0, slash));
  const mask = slash < 0 ? 0xffffffff : parseU32(text.slice(slash + 1));
  if (value === undefined || mask === undefined) throw paramProblem(`${ext}: bad mark value for option "--${opt}", or out of range.`);
  return { value, mask };
}

function parseU32(text: string): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^\d+$/.test(text)) n = Number(text);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

function stateMatch(kind: 'state' | 'conntrack'): Extension<MatchSpec> {
  const seen = new Seen(kind);
  const opt = kind === 'state' ? 'state' : 'ctstate';
  let m: MatchSpec | undefined;
  const list: Array<[string, Omit<OptSpec, 'id'> & { id?: string }]> = [[opt, { arg: true, invert: true }]];
  if (kind === 'conntrack') {
    for (const o of ['ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir']) {
      list.push([o, { arg: true, invert: true, unsupported: true }]);
    }
  }
  return {
    name: kind,
    options: opts(list),
    parse(id, name, arg, invert) {
      seen.once(id, name);
      let states = 0;
      for (const word of arg.split(',')) {
        const hit = (Object.keys(CtStateBit) as CtStateName[]).find((s) => word.length > 0 && s.toLowerCase() === word.toLowerCase());
        if (!hit) throw paramProblem(`Bad ${opt} "${word}"`);
        states |= CtStateBit[hit];
      }
      m = { kind, states, invert };
    },
    final() {
      if (!m) throw paramProblem(kind === 'state' ? 'state: option "--state" must be specified' : 'conntrack: At least one option is required');
      return m;
    },
  };
}

function commentMatch(): Extension<MatchSpec> {
  const seen = new Seen('comment');
  let text: string | undefined;
  return {
    name: 'comment',
    options: opts([['comment', { arg: true, invert: false }]]),
    parse(id, name, arg) {
      seen.once(id, name);
      if (arg.length > 255) throw paramProblem(`comment: option "--comment" must be no more than 255 characters`);
      text = arg;
    },
    final() {
      if (text === undefined) throw paramProblem('comment: option "--comment" must be specified');
      return { kind: 'comment', text };
    },
  };
}

// ------------------------------------------------------------------------------------------------ targets

function rejectTarget(): Extension<TargetSpec> {
  const seen = new Seen('REJECT');
  let how: RejectWith = 'icmp-port-unreachable';
  /** reject_table order and aliases (libipt_REJECT.c); an argument matches any name it is a prefix of. */
  const aliases: Record<RejectWith, string> = {
    'icmp-net-unreachable': 'net-unreach',
    'icmp-host-unreachable': 'host-unreach',
    'icmp-proto-unreachable': 'proto-unreach',
    'icmp-port-unreachable': 'port-unreach',
    'icmp-net-prohibited': 'net-prohib',
    'icmp-host-prohibited': 'host-prohib',
    'tcp-reset': 'tcp-rst',
    'icmp-admin-prohibited': 'admin-prohib',
  };
  const order: RejectWith[] = [...REJECT_WITH.filter((r) => r !== 'icmp-admin-prohibited' && r !== 'tcp-reset'), 'tcp-reset', 'icmp-admin-prohibited'];
  return {
    name: 'REJECT',
    options: opts([['reject-with', { arg: true, invert: false }]]),
    parse(id, name, arg) {
      seen.once(id, name);
      const a = arg.toLowerCase();
      const hit = order.find((r) => r.startsWith(a) || aliases[r].startsWith(a));
      if (!hit) throw paramProblem(`unknown reject type "${arg}"`);
      how = hit;
    },
    final: () => ({ kind: 'REJECT', with: how }),
  };
}

function markTarget(): Extension<TargetSpec> {
  let t: TargetSpec | undefined;
  let first: string | undefined;
  return {
    name: 'MARK',
    options: opts([
      ['set-xmark', { arg: true, invert: false }],
      ['set-mark', { arg: true, invert: false }],
      ['and-mark', { arg: true, invert: false }],
      ['or-mark', { arg: true, invert: false }],
      ['xor-mark', { arg: true, invert: false }],
    ]),
    parse(id, name, arg) {
      if (first !== undefined) {
        if (first === name) throw paramProblem(`MARK: option "--${name}" can only be used once.`);
        throw paramProblem(`MARK: option "--${name}" cannot be used together with "--${first}".`);
      }
      first = name;
      if (id === 'set-xmark' || id === 'set-mark') {
        const v = parseMarkMask('MARK', name, arg);
        t = { kind: 'MARK', value: v.value, mask: id === 'set-mark' ? (v.value | v.mask) >>> 0 : v.mask };
        return;
      }
      const v = parseU32(arg);
      if (v === undefined) throw paramProblem(`MARK: bad mark value for option "--${name}", or out of range.`);
      if (id === 'and-mark') t = { kind: 'MARK', value: 0, mask: ~v >>> 0 };
      else if (id === 'or-mark') t = { kind: 'MARK', value: v, mask: v };
      else t = { kind: 'MARK', value: v, mask: 0 };
    },
    final() {
      if (!t) throw paramProblem('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
      return t;
    },
  };
}

/** Protocols with ports a NAT target may set (nf_nat: TCP, UDP, SCTP, DCCP). */
function portsAllowed(ctx: ParseContext): boolean {
  return !ctx.protoInvert && (ctx.proto === 6 || ctx.proto === 17 || ctx.proto === 132 || ctx.proto === 33);
}

function portsTarget(kind: 'MASQUERADE' | 'REDIRECT'): Extension<TargetSpec> {
  const seen = new Seen(kind);
  let ports: PortRange | undefined;
  let random = false;
  return {
    name: kind,
    options: opts([
      ['to-ports', { arg: true, invert: false }],
      ['random', { arg: false, invert: false }],
      ['random-fully', { arg: false, invert: false, unsupported: true }],
    ]),
    parse(id, name, arg, _invert, ctx) {
      seen.once(id, name);
      if (id === 'random') {
        random = true;
        return;
      }
      if (!portsAllowed(ctx)) throw paramProblem('Need TCP, UDP, SCTP or DCCP with port specification');
      ports = parseNatPorts(arg);
    },
    final: () => ({ kind, ports, random }),
  };
}

/** `--to-ports P[-Q]` (parse_ports in libipt_MASQUERADE.c / libipt_REDIRECT.c). */
function parseNatPorts(text: string): PortRange {
  const dash = text.indexOf('-');
  const one = (s: string): number => {
    const n = /^\d+$/.test(s) ? Number(s) : (servicePort(s, 'tcp') ?? 0);
    if (n === 0 || n > 0xffff) throw paramProblem(`Port "${s}" not valid`);
    return n;
  };
  if (dash < 0) {
    const p = one(text);
    return { min: p, max: p };
  }
  const min = one(text.slice(0, dash));
  const max = one(text.slice(dash + 1));
  if (max < min) throw paramProblem(`Port range \`${text}' invalid`);
  return { min, max };
}

function natTarget(kind: 'SNAT' | 'DNAT'): Extension<TargetSpec> {
  const seen = new Seen(kind);
  const opt = kind === 'SNAT' ? 'to-source' : 'to-destination';
  let to: NatRange | undefined;
  let random = false;
  let persistent = false;
  return {
    name: kind,
    options: opts([
      [opt, { arg: true, invert: false }],
      ['random', { arg: false, invert: false }],
      ['persistent', { arg: false, invert: false }],
      ['random-fully', { arg: false, invert: false, unsupported: true }],
    ]),
    parse(id, name, arg, _invert, ctx) {
      if (id === 'random') random = true;
      else if (id === 'persistent') persistent = true;
      else {
        if (seen.has(id)) throw paramProblem(`${kind}: Multiple --${opt} not supported`);
        seen.once(id, name);
        to = parseNatRange(arg, ctx);
      }
    },
    final() {
      if (!to) throw paramProblem(`${kind}: option "--${opt}" must be specified`);
      return { kind, to, random, persistent };
    },
  };
}

/** ADDR[-ADDR][:PORT[-PORT]] (parse_to in libxt_NAT.c). */
function parseNatRange(text: string, ctx: ParseContext): NatRange {
  const colon = text.indexOf(':');
  const addrs = colon < 0 ? text : text.slice(0, colon);
  let ports: PortRange | undefined;
  if (colon >= 0) {
    if (!portsAllowed(ctx)) throw paramProblem('Need TCP, UDP, SCTP or DCCP with port specification');
    ports = parseNatPorts(text.slice(colon + 1));
  }
  const dash = addrs.indexOf('-');
  const a = parseAbbreviatedIpv4(dash < 0 ? addrs : addrs.slice(0, dash), false);
  const b = dash < 0 ? a : parseAbbreviatedIpv4(addrs.slice(dash + 1), false);
  if (a === undefined) throw paramProblem(`Bad IP address "${dash < 0 ? addrs : addrs.slice(0, dash)}"`);
  if (b === undefined) throw paramProblem(`Bad IP address "${addrs.slice(dash + 1)}"`);
  if (b < a) throw paramProblem(`Bad IP range "${addrs}"`);
  return { minAddr: a, maxAddr: b, ports };
}

function logTarget(): Extension<TargetSpec> {
  const seen = new Seen('LOG');
  let prefix = '';
  let level = 4;
  const list: Array<[string, Omit<OptSpec, 'id'> & { id?: string }]> = [
    ['log-prefix', { arg: true, invert: false }],
    ['log-level', { arg: true, invert: false }],
  ];
  for (const o of ['log-tcp-sequence', 'log-tcp-options', 'log-ip-options', 'log-uid', 'log-macdecode']) list.push([o, { arg: false, invert: false, unsupported: true }]);
  return {
    name: 'LOG',
    options: opts(list),
    parse(id, name, arg) {
      seen.once(id, name);
      if (id === 'log-prefix') {
        if (arg.length > 29) throw paramProblem('Maximum prefix length 29 for --log-prefix');
        prefix = arg;
        return;
      }
      const named = LOG_LEVELS.find(([n]) => n === arg);
      const lv = named ? named[1] : /^[0-7]$/.test(arg) ? Number(arg) : undefined;
      if (lv === undefined) throw paramProblem(`log-level \`${arg}' unknown`);
      level = lv;
    },
    final: () => ({ kind: 'LOG', prefix, level }),
  };
}
