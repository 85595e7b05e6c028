import { ShellSyntaxError, splitShellWords, type CommandResult, type CommandTable } from '../admin/index.ts';
import { ipvsOf } from '../ipvs/index.ts';
import { scopeName, type Host } from '../net/index.ts';
import type { World } from '../scenario/index.ts';
import { formatIpv4 } from '../wire/index.ts';

/**
 * Read-only snapshots of a running lab for the faces' panels (ARP cache, routes, sysctls, `ipvsadm -L -n`...).
 *
 * A panel refresh must leave the simulation exactly as it was: no trace event, no state change, no random
 * number drawn — or the trace digest would depend on how often a student looked. So a query runs the real
 * admin tool (the same formatting code a typed command uses, hence the same text at the same instant) but
 *  - not through the Shell, whose `command` trace event would make the look a visible act, and
 *  - only for command lines on a whitelist of listing forms, checked word by word before the tool sees them:
 *    a listing verb the tool itself would treat as a change (`ip link s` is `set`, `sysctl a=b` writes,
 *    `iptables -L -Z` zeroes) is refused here, as is any redirection.
 * Structured views (neighbour entries, interfaces, sysctl values) read the host's tables directly and copy
 * what they show, so a face can never hold a live core object.
 */

/** Why a line is not a read-only query. */
export class QueryRefused extends Error {
  constructor(
    readonly line: string,
    readonly reason: string,
  ) {
    super(`not a read-only query: ${line} (${reason})`);
    this.name = 'QueryRefused';
  }
}

/** One neighbour (ARP) entry as `ip neigh` shows it, NOARP entries included. */
export interface NeighbourEntry {
  readonly address: string;
  readonly device: string;
  /** The link-layer address, when the entry has a usable one (absent for INCOMPLETE and FAILED). */
  readonly lladdr?: string;
  /** The NUD state: INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED, NOARP, PERMANENT (or NONE). */
  readonly state: string;
}

export interface InterfaceAddressEntry {
  /** `address/prefix`. */
  readonly cidr: string;
  readonly label: string;
  readonly scope: string;
  readonly secondary: boolean;
}

export interface InterfaceEntry {
  readonly name: string;
  readonly kind: 'ether' | 'loopback' | 'ipip';
  readonly mac: string;
  readonly mtu: number;
  readonly up: boolean;
  /** IFF_NOARP: loopback, tunnels, and Ethernet with `arp off`. */
  readonly noArp: boolean;
  readonly addresses: readonly InterfaceAddressEntry[];
}

/** The sizes of a host's tables that grow with traffic and must shrink again as their entries expire. */
export interface HostTableSizes {
  /** Neighbour (ARP) entries, every state included. */
  readonly neighbours: number;
  /** IPVS connection table entries, templates included. */
  readonly ipvsConnections: number;
  /** TCP sockets by 4-tuple (listeners not counted), TIME_WAIT ones included. */
  readonly tcpSockets: number;
}

export interface SysctlEntry {
  readonly key: string;
  readonly value: number;
}

/**
 * The sysctls the lessons are about: forwarding, the ARP problem's arp_* knobs, reverse-path filtering,
 * redirects, and IPVS's own (net.ipv4.vs.*).
 */
export function isLessonSysctl(key: string): boolean {
  return (
    key === 'net.ipv4.ip_forward' ||
    key.startsWith('net.ipv4.vs.') ||
    /^net\.ipv4\.conf\.[^.]+\.(arp_[a-z_]+|rp_filter|send_redirects|accept_redirects|forwarding)$/.test(key)
  );
}

/** iproute2's `matches`: `arg` is a non-empty prefix of `keyword`. */
function prefixOf(arg: string, keyword: string): boolean {
  return arg.length > 0 && arg.length <= keyword.length && keyword.startsWith(arg);
}

/** ip's objects in ip.c's table order, up to link: a prefix means the first it matches. */
const IP_OBJECTS = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'ntbl', 'link'];
const IP_READABLE = new Set(['address', 'route', 'rule', 'neighbor', 'neighbour', 'link']);
/** Spelled out: a prefix would be ambiguous across objects (`ip link s` is `set`). */
const IP_LIST_VERBS = new Set(['show', 'list', 'lst']);

type Check = (args: readonly string[]) => string | undefined;

/** `ip [-4] OBJECT [show|list [FILTER...]]`: after a listing verb every word is a filter, never a change. */
const checkIp: Check = (args) => {
  let i = 0;
  while (args[i] === '-4') i++;
  const obj = args[i];
  if (obj === undefined) return 'ip needs an object';
  const object = IP_OBJECTS.find((o) => prefixOf(obj, o));
  if (object === undefined || !IP_READABLE.has(object)) return `"ip ${obj}" is not a listing`;
  const verb = args[i + 1];
  if (verb === undefined) return undefined;
  if (!IP_LIST_VERBS.has(verb)) return `"ip ${obj} ${verb}" is not a listing (show or list is)`;
  return undefined;
};

const IPVSADM_FLAGS = new Set([
  '-L', '-l', '--list', '-n', '--numeric', '-c', '--connection', '--stats', '--rate', '--thresholds', '--persistent-conn', '--exact', '--sort', '--nosort', '--timeout',
]);
const IPVSADM_SERVICE = new Set(['-t', '-u', '-f', '--tcp-service', '--udp-service', '--fwmark-service']);

/** `ipvsadm -L [-n] [-c] [--stats|--rate|...] [-t|-u|-f SERVICE]`. */
const checkIpvsadm: Check = (args) => {
  let list = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (IPVSADM_SERVICE.has(a)) {
      if (args[i + 1] === undefined) return `${a} needs a service`;
      i++;
    } else if (IPVSADM_FLAGS.has(a) || /^-[Llnc]+$/.test(a)) {
      if (a === '--list' || /^-[^-]*[Ll]/.test(a)) list = true;
    } else return `ipvsadm ${a} is not part of a listing`;
  }
  return list ? undefined : 'ipvsadm without -L is not a listing';
};

/** `sysctl [-a|-n|-N|-e] [KEY...]`: reads; any `=` or -w/-p would write. */
const checkSysctl: Check = (args) => {
  if (args.length === 0) return 'sysctl needs -a or a key';
  for (const a of args) {
    if (a === '--all' || a === '--values' || a === '--names' || a === '--ignore' || /^-[aAXnNe]+$/.test(a)) continue;
    if (a.startsWith('-')) return `sysctl ${a} is not a read`;
    if (a.includes('=')) return `sysctl ${a} writes`;
    if (!/^[A-Za-z0-9_./-]+$/.test(a)) return `sysctl ${a} is not a key`;
  }
  return undefined;
};

/** `iptables -L|-S [-n] [-v] [-x] [--line-numbers] [-t TABLE] [CHAIN]`. */
const checkIptables: Check = (args) => {
  let list = false;
  let chain = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--table') {
      if (!['filter', 'nat', 'mangle', 'raw'].includes(args[i + 1] ?? '')) return `iptables ${a} needs a table name`;
      i++;
    } else if (a === '--list' || a === '--list-rules' || /^-[LSnvx]+$/.test(a)) {
      if (a.startsWith('--list') || /[LS]/.test(a)) list = true;
    } else if (a === '--numeric' || a === '--verbose' || a === '--exact' || a === '--line-numbers') {
      // formatting only
    } else if (!a.startsWith('-') && !chain) chain = true;
    else return `iptables ${a} is not part of a listing`;
  }
  return list ? undefined : 'iptables without -L or -S is not a listing';
};

/** `arp [-a|-n|-e|-v] [-i DEV] [ADDRESS]`: -s and -d change the table. */
const checkArp: Check = (args) => {
  let filter = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-i' || a === '--device') {
      if (args[i + 1] === undefined) return `arp ${a} needs a device`;
      i++;
    } else if (/^-[anev]+$/.test(a)) {
      // listing forms
    } else if (!a.startsWith('-') && !filter) filter = true;
    else return `arp ${a} is not a listing`;
  }
  return undefined;
};

/** `route [-n] [-e]`: without add or del it lists the main table. */
const checkRoute: Check = (args) => (args.every((a) => /^-[ne]+$/.test(a)) ? undefined : 'route with arguments other than -n/-e is not a listing');

/** `ifconfig`, `ifconfig -a`, `ifconfig DEV`: with more words it configures. */
const checkIfconfig: Check = (args) => {
  if (args.length === 0 || (args.length === 1 && (args[0] === '-a' || !args[0].startsWith('-')))) return undefined;
  return 'ifconfig with settings is not a listing';
};

/** `cat /proc/sys/...`: reads files. */
const checkCat: Check = (args) => (args.length > 0 && args.every((a) => a.startsWith('/proc/sys/')) ? undefined : 'cat reads /proc/sys/ files only');

const CHECKS: ReadonlyMap<string, Check> = new Map([
  ['ip', checkIp],
  ['ipvsadm', checkIpvsadm],
  ['sysctl', checkSysctl],
  ['iptables', checkIptables],
  ['arp', checkArp],
  ['route', checkRoute],
  ['ifconfig', checkIfconfig],
  ['cat', checkCat],
]);

/** The program and arguments of a read-only line, or why it is not one. */
export function parseQuery(line: string): { program: string; args: string[] } | { refused: string } {
  let words: string[];
  try {
    const sl = splitShellWords(line);
    if (sl.redirect) return { refused: 'a redirection writes' };
    words = sl.words;
  } catch (e) {
    if (e instanceof ShellSyntaxError) return { refused: e.message };
    throw e;
  }
  if (words.length === 0) return { refused: 'empty line' };
  const typed = words[0];
  const program = typed.slice(typed.lastIndexOf('/') + 1);
  const check = CHECKS.get(program);
  if (!check) return { refused: `${program} is not a listing tool (${[...CHECKS.keys()].join(', ')} are)` };
  const args = words.slice(1);
  const why = check(args);
  return why === undefined ? { program, args } : { refused: why };
}

/** Whether `line` is a query the lab runs without side effects (undefined), or why not. */
export function whyNotReadOnly(line: string): string | undefined {
  const p = parseQuery(line);
  return 'refused' in p ? p.refused : undefined;
}

/** The read-only view of one World; `Lab.queries` hands it out. */
export class LabQueries {
  constructor(
    private readonly world: World,
    private readonly commands: CommandTable,
  ) {}

  /**
   * Runs a listing command on a host and returns what it prints, exactly as the same line typed at this
   * instant would (the same tool and formatting), without a trace event. Throws QueryRefused for a line that
   * is not on the whitelist; an unknown host answers as `Lab.runCommand` does.
   */
  run(host: string, line: string): CommandResult {
    const p = parseQuery(line);
    if ('refused' in p) throw new QueryRefused(line, p.refused);
    const h = this.world.hosts.get(host);
    if (!h) return { exit: 1, output: `lvs-lab: no host named ${host}\n` };
    const command = this.commands.get(p.program);
    if (!command) throw new QueryRefused(line, `${p.program} is not installed on lab hosts`);
    let result: CommandResult | undefined;
    command.run(h, p.args, (r) => (result = r));
    // Every whitelisted tool answers at once; one that waited on simulated time would have scheduled events.
    if (result === undefined) throw new Error(`query ${line} did not finish synchronously`);
    return result;
  }

  /** Every neighbour entry of the host, devices in interface order, entries in creation order. */
  neighbours(host: string): NeighbourEntry[] {
    const h = this.host(host);
    if (!h) return [];
    return h.neigh.all(h.interfaces).map((n) => {
      // print_neigh shows the lladdr only in the states where it is valid (ip/ipneigh.c).
      const shown = n.mac !== undefined && n.state !== 'INCOMPLETE' && n.state !== 'FAILED' && n.state !== 'NONE';
      return { address: formatIpv4(n.key), device: n.dev.name, state: n.state, ...(shown ? { lladdr: n.mac } : {}) };
    });
  }

  /** The host's interfaces with their addresses, in the kernel's order. */
  interfaces(host: string): InterfaceEntry[] {
    const h = this.host(host);
    if (!h) return [];
    return h.interfaces.map((d) => ({
      name: d.name,
      kind: d.kind,
      mac: d.mac,
      mtu: d.mtu,
      up: d.up,
      noArp: d.noArp,
      addresses: d.addresses.map((a) => ({ cidr: `${formatIpv4(a.address)}/${a.prefixLen}`, label: a.label, scope: scopeName(a.scope), secondary: a.secondary })),
    }));
  }

  /** Sysctl values in `sysctl -a` order, those `which` selects (by default the lessons' ones). */
  sysctls(host: string, which: (key: string) => boolean = isLessonSysctl): SysctlEntry[] {
    const h = this.host(host);
    if (!h) return [];
    return h.sysctls.list().filter(([k]) => which(k)).map(([key, value]) => ({ key, value }));
  }

  /** How many entries the host's neighbour, IPVS connection and TCP socket tables hold (for long-run checks). */
  tableSizes(host: string): HostTableSizes | undefined {
    const h = this.host(host);
    if (!h) return undefined;
    return { neighbours: h.neigh.all(h.interfaces).length, ipvsConnections: ipvsOf(h).conns.size, tcpSockets: h.sockets.tcpConnections().length };
  }

  private host(name: string): Host | undefined {
    return this.world.hosts.get(name);
  }
}
