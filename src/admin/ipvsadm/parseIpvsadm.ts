import { CommandError } from '../AdminCommand.ts';
import type { Ipv4Address } from '../../wire/index.ts';
import { hostToAddr, inetAton, isIpv6Literal, isIpv6Multicast, stringToNumber, strIsDigit } from './cParse.ts';
import { serviceToPort, type ServiceProtocol } from './etcServices.ts';
import { Popt, type PoptOption } from './popt.ts';

/**
 * ipvsadm 1.31's command line (ipvsadm.c: parse_options, process_options up to the kernel call,
 * generic_opt_check, tunnel_opt_check, parse_service, parse_sched_flags). The checks run in the real tool's
 * order, and every message and exit status is the real one; they were compared with the Debian 1.31 binary.
 * A process exit (fail() with 2, the `Try ...` line with 255) is thrown as a CommandError; a popt error, which
 * ipvsadm reports and then returns -1 from (so `-R` goes on with the next line), is returned.
 */

/** The commands, in ipvsadm's CMD_* order (the rows of commands_v_options). */
export const COMMANDS = [
  'add-service',
  'edit-service',
  'delete-service',
  'flush',
  'list',
  'add-server',
  'delete-server',
  'edit-server',
  'set',
  'start-daemon',
  'stop-daemon',
  'restore',
  'save',
  'zero',
] as const;
export type IpvsadmCommandName = (typeof COMMANDS)[number];

/** The options, in ipvsadm's OPT_* bit order (the columns of commands_v_options), by their internal names. */
export const OPTIONS = [
  'numeric',
  'connection',
  'service-address',
  'scheduler',
  'persistent',
  'netmask',
  'real-server',
  'forwarding-method',
  'weight',
  'u-threshold',
  'l-threshold',
  'mcast-interface',
  'timeout',
  'daemon',
  'stats',
  'rate',
  'thresholds',
  'persistent-conn',
  'nosort',
  'syncid',
  'exact',
  'ops',
  'pe',
  'sched-flags',
  'mcast-group',
  'mcast-port',
  'mcast-ttl',
  'sync-maxlen',
  'tun-info',
  'tun-type',
  'tun-port',
  'tun-nocsum',
  'tun-csum',
  'tun-remcsum',
] as const;
export type OptionName = (typeof OPTIONS)[number];

/** commands_v_options of the 1.31 binary: `+` required, `x` illegal, `1` at most one of the group, ` ` optional. */
const COMMANDS_V_OPTIONS: readonly string[] = [
  'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx', // add-service
  'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx', // edit-service
  'xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', // delete-service
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', // flush
  ' 11xxxxxxxxx11       xxxxxxx xxxxx', // list
  'xx+xxx+    xxxxxxxxxxxxxxxxxx     ', // add-server
  'xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx', // delete-server
  'xx+xxx+    xxxxxxxxxxxxxxxxxx     ', // edit-server
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', // set
  'xxxxxxxxxxx xxxxxxx xxxx    xxxxxx', // start-daemon
  'xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx', // stop-daemon
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', // restore
  ' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', // save
  'xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', // zero
];

export type TunnelType = 'ipip' | 'gue' | 'gre';
const TUNNEL_TYPES: readonly TunnelType[] = ['ipip', 'gue', 'gre'];
/** The tunnel options tunnel_opt_check looks at, and its table (rows ipip, gue, gre). */
const TUNNEL_OPTIONS: readonly OptionName[] = ['tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];
const TUNNEL_V_OPTIONS: readonly string[] = ['xxxx', '+111', 'x11x'];

/** IP_VS_SVC_F_* bits as ipvsadm sets them. */
export const SVC_PERSISTENT = 0x1;
export const SVC_ONEPACKET = 0x4;
export const SVC_SCHED1 = 0x8;
export const SVC_SCHED2 = 0x10;
export const SVC_SCHED3 = 0x20;

/** IPVS_SVC_PERSISTENT_TIMEOUT (libipvs.h): `-p` without a value. */
export const DEFAULT_PERSISTENCE = 360;
/** MAX_TIMEOUT: 31 days. */
const MAX_TIMEOUT = 86400 * 31;
const INT_MAX = 0x7fffffff;
/** DEF_SCHED. */
export const DEFAULT_SCHEDULER = 'wlc';
/** IP_VS_SCHEDNAME_MAXLEN - 1 (the name is copied with strncpy and terminated). */
const NAME_MAX = 15;

export type AddressFamily = 4 | 6;
export type Forwarding = 'masq' | 'tunnel' | 'route';

export interface ParsedService {
  af: AddressFamily;
  /** The protocol of `-t`/`-u`/`--sctp-service`; `-f` sets TCP as ipvsadm does; undefined before any. */
  protocol: ServiceProtocol | undefined;
  /** IPv4 address (0 for IPv6, which the lab does not model). */
  address: Ipv4Address;
  port: number;
  fwmark: number;
  scheduler: string;
  /** IP_VS_SVC_F_* bits. */
  flags: number;
  timeout: number;
  netmask: number;
  pe: string;
}

export interface ParsedDest {
  af: AddressFamily;
  address: Ipv4Address;
  port: number;
  fwd: Forwarding;
  weight: number;
  uThreshold: number;
  lThreshold: number;
  tunType: TunnelType;
  tunPort: number;
  tunCsum: 'nocsum' | 'csum' | 'remcsum' | undefined;
}

export interface ParsedDaemon {
  state: 'master' | 'backup' | undefined;
  mcastIfn: string;
  syncid: number;
}

/** The FMT_* flags of a listing. */
export interface ListFormat {
  numeric: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
  tunInfo: boolean;
}

/** One parsed command line, checked as far as ipvsadm checks before asking the kernel. */
export interface IpvsadmLine {
  /** `argv[0]`, which the `Try ...` and usage texts repeat. */
  readonly argv0: string;
  readonly cmd: IpvsadmCommandName | 'help' | 'version';
  readonly options: ReadonlySet<OptionName>;
  readonly format: ListFormat;
  readonly service: ParsedService;
  readonly dest: ParsedDest;
  readonly timeouts: { tcp: number; tcpfin: number; udp: number };
  readonly daemon: ParsedDaemon;
}

export type ParseOutcome = { readonly kind: 'line'; readonly line: IpvsadmLine } | { readonly kind: 'popt-error'; readonly text: string };

const POPT_TABLE: readonly PoptOption[] = [
  { long: 'add-service', short: 'A', arg: 'none', tag: 'A' },
  { long: 'edit-service', short: 'E', arg: 'none', tag: 'E' },
  { long: 'delete-service', short: 'D', arg: 'none', tag: 'D' },
  { long: 'clear', short: 'C', arg: 'none', tag: 'C' },
  { long: 'list', short: 'L', arg: 'none', tag: 'L' },
  { long: 'list', short: 'l', arg: 'none', tag: 'l' },
  { long: 'zero', short: 'Z', arg: 'none', tag: 'Z' },
  { long: 'add-server', short: 'a', arg: 'none', tag: 'a' },
  { long: 'edit-server', short: 'e', arg: 'none', tag: 'e' },
  { long: 'delete-server', short: 'd', arg: 'none', tag: 'd' },
  { long: 'set', arg: 'none', tag: 'set' },
  { long: 'help', short: 'h', arg: 'none', tag: 'h' },
  { long: 'version', short: 'v', arg: 'none', tag: 'v' },
  { long: 'restore', short: 'R', arg: 'none', tag: 'R' },
  { long: 'save', short: 'S', arg: 'none', tag: 'S' },
  { long: 'start-daemon', arg: 'string', tag: 'start-daemon' },
  { long: 'stop-daemon', arg: 'string', tag: 'stop-daemon' },
  { long: 'tcp-service', short: 't', arg: 'string', tag: 't' },
  { long: 'udp-service', short: 'u', arg: 'string', tag: 'u' },
  { long: 'sctp-service', arg: 'string', tag: 'sctp' },
  { long: 'fwmark-service', short: 'f', arg: 'string', tag: 'f' },
  { long: 'scheduler', short: 's', arg: 'string', tag: 's' },
  { long: 'persistent', short: 'p', arg: 'optional', tag: 'p' },
  { long: 'netmask', short: 'M', arg: 'string', tag: 'M' },
  { long: 'real-server', short: 'r', arg: 'string', tag: 'r' },
  { long: 'masquerading', short: 'm', arg: 'none', tag: 'm' },
  { long: 'ipip', short: 'i', arg: 'none', tag: 'i' },
  { long: 'gatewaying', short: 'g', arg: 'none', tag: 'g' },
  { long: 'weight', short: 'w', arg: 'string', tag: 'w' },
  { long: 'u-threshold', short: 'x', arg: 'string', tag: 'x' },
  { long: 'l-threshold', short: 'y', arg: 'string', tag: 'y' },
  { long: 'numeric', short: 'n', arg: 'none', tag: 'n' },
  { long: 'connection', short: 'c', arg: 'none', tag: 'c' },
  { long: 'mcast-interface', arg: 'string', tag: 'mcast-interface' },
  { long: 'syncid', arg: 'string', tag: 'syncid' },
  { long: 'timeout', arg: 'none', tag: 'timeout' },
  { long: 'daemon', arg: 'none', tag: 'daemon' },
  { long: 'stats', arg: 'none', tag: 'stats' },
  { long: 'rate', arg: 'none', tag: 'rate' },
  { long: 'thresholds', arg: 'none', tag: 'thresholds' },
  { long: 'persistent-conn', arg: 'none', tag: 'persistent-conn' },
  { long: 'nosort', arg: 'none', tag: 'nosort' },
  { long: 'sort', arg: 'none', tag: 'sort' },
  { long: 'exact', short: 'X', arg: 'none', tag: 'X' },
  { long: 'ipv6', short: '6', arg: 'none', tag: '6' },
  { long: 'ops', short: 'o', arg: 'none', tag: 'o' },
  { long: 'pe', arg: 'string', tag: 'pe' },
  { long: 'sched-flags', short: 'b', arg: 'string', tag: 'b' },
  { long: 'mcast-group', arg: 'string', tag: 'mcast-group' },
  { long: 'mcast-port', arg: 'string', tag: 'mcast-port' },
  { long: 'mcast-ttl', arg: 'string', tag: 'mcast-ttl' },
  { long: 'sync-maxlen', arg: 'string', tag: 'sync-maxlen' },
  { long: 'tun-type', arg: 'string', tag: 'tun-type' },
  { long: 'tun-port', arg: 'string', tag: 'tun-port' },
  { long: 'tun-nocsum', arg: 'none', tag: 'tun-nocsum' },
  { long: 'tun-csum', arg: 'none', tag: 'tun-csum' },
  { long: 'tun-remcsum', arg: 'none', tag: 'tun-remcsum' },
  { long: 'tun-info', arg: 'none', tag: 'tun-info' },
];

const FIRST_COMMANDS: Readonly<Record<string, IpvsadmCommandName>> = {
  A: 'add-service',
  E: 'edit-service',
  D: 'delete-service',
  a: 'add-server',
  e: 'edit-server',
  d: 'delete-server',
  C: 'flush',
  L: 'list',
  l: 'list',
  Z: 'zero',
  set: 'set',
  R: 'restore',
  S: 'save',
  'start-daemon': 'start-daemon',
  'stop-daemon': 'stop-daemon',
};

/** ipvsadm's fail(): the message and a newline on stderr, then exit(2). */
export function failExit(msg: string): CommandError {
  return new CommandError(msg + '\n', 2);
}

/** tryhelp_exit(argv[0], -1). */
export function tryHelp(argv0: string): CommandError {
  return new CommandError(`Try \`${argv0} -h' or '${argv0} --help' for more information.\n`, 255);
}

/**
 * Parses `args` (the words after the program name) the way ipvsadm 1.31 does, through the client-side checks
 * that precede the kernel call (`Zero port specified ...`, the forced real-server port of DR and TUN servers,
 * the tunnel options). Throws CommandError where ipvsadm exits; returns the popt error text where it returns.
 */
export function parseIpvsadm(argv0: string, args: readonly string[]): ParseOutcome {
  const p = new LineParser(argv0, args);
  return p.parse();
}

class LineParser {
  private readonly popt: Popt;
  private readonly options = new Set<OptionName>();
  private readonly format: ListFormat = { numeric: false, stats: false, rate: false, thresholds: false, persistentConn: false, nosort: false, exact: false, tunInfo: false };
  private readonly svc: ParsedService = { af: 4, protocol: undefined, address: 0, port: 0, fwmark: 0, scheduler: '', flags: 0, timeout: 0, netmask: 0xffffffff, pe: '' };
  private readonly dest: ParsedDest = { af: 4, address: 0, port: 0, fwd: 'route', weight: 1, uThreshold: 0, lThreshold: 0, tunType: 'ipip', tunPort: 0, tunCsum: undefined };
  private readonly timeouts = { tcp: 0, tcpfin: 0, udp: 0 };
  private readonly daemon: ParsedDaemon = { state: undefined, mcastIfn: '', syncid: 0 };
  private schedFlagsArg: string | undefined;

  constructor(
    private readonly argv0: string,
    args: readonly string[],
  ) {
    this.popt = new Popt(POPT_TABLE, args);
  }

  parse(): ParseOutcome {
    const first = this.popt.next();
    if (first.kind !== 'option') throw tryHelp(this.argv0);
    if (first.tag === 'h' || first.tag === 'v') return this.line(first.tag === 'h' ? 'help' : 'version');
    const cmd = FIRST_COMMANDS[first.tag];
    if (!cmd) throw tryHelp(this.argv0);
    if (cmd === 'start-daemon' || cmd === 'stop-daemon') {
      const a = first.arg ?? '';
      if (a === 'master' || a === 'backup') this.daemon.state = a;
      else throw failExit(cmd === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
    }

    for (;;) {
      const r = this.popt.next();
      if (r.kind === 'end') break;
      if (r.kind === 'error') return { kind: 'popt-error', text: r.text + '\n' };
      this.option(r.tag, r.arg);
    }

    if (cmd === 'set') {
      const a = this.popt.nextArg();
      const b = a !== undefined ? this.popt.nextArg() : undefined;
      const c = b !== undefined ? this.popt.nextArg() : undefined;
      if (a === undefined || b === undefined || c === undefined) throw failExit('--set option requires 3 timeout values');
      this.timeouts.tcp = parseTimeout(a, 0, MAX_TIMEOUT);
      this.timeouts.tcpfin = parseTimeout(b, 0, MAX_TIMEOUT);
      this.timeouts.udp = parseTimeout(c, 0, MAX_TIMEOUT);
    }
    const extra = this.popt.nextArg();
    if (extra !== undefined) throw failExit(`unexpected argument ${extra}`);
    if (this.schedFlagsArg !== undefined) this.svc.flags = (this.svc.flags & ~(SVC_SCHED1 | SVC_SCHED2 | SVC_SCHED3)) | parseSchedFlags(this.svc.scheduler || DEFAULT_SCHEDULER, this.schedFlagsArg);

    this.genericOptCheck(cmd);
    this.processChecks(cmd);
    return this.line(cmd);
  }

  private line(cmd: IpvsadmLine['cmd']): ParseOutcome {
    return {
      kind: 'line',
      line: { argv0: this.argv0, cmd, options: this.options, format: this.format, service: this.svc, dest: this.dest, timeouts: this.timeouts, daemon: this.daemon },
    };
  }

  /** set_option: each option at most once. */
  private set(o: OptionName): void {
    if (this.options.has(o)) throw failExit(`multiple '${o}' options specified`);
    this.options.add(o);
  }

  private option(tag: string, arg: string | undefined): void {
    const v = arg ?? '';
    switch (tag) {
      case 't':
      case 'u':
      case 'sctp': {
        this.set('service-address');
        this.svc.protocol = tag === 't' ? 'tcp' : tag === 'u' ? 'udp' : 'sctp';
        const r = parseService(v, this.svc.protocol);
        if (!r) throw failExit('illegal virtual server address[:port] specified');
        this.svc.af = r.af;
        this.svc.address = r.address;
        if (r.af === 6) this.svc.netmask = 128;
        if (r.port !== undefined) this.svc.port = r.port;
        return;
      }
      case 'f':
        this.set('service-address');
        this.svc.af = 4;
        this.svc.protocol = 'tcp';
        this.svc.fwmark = parseFwmark(v);
        return;
      case 's':
        this.set('scheduler');
        this.svc.scheduler = v.slice(0, NAME_MAX);
        return;
      case 'p':
        this.set('persistent');
        this.svc.flags |= SVC_PERSISTENT;
        this.svc.timeout = arg === undefined ? DEFAULT_PERSISTENCE : parseTimeout(arg, 1, MAX_TIMEOUT);
        return;
      case 'M':
        this.set('netmask');
        if (this.svc.af !== 6) {
          const m = inetAton(v) ?? hostToAddr(v);
          if (m === undefined) throw failExit('illegal virtual server persistent mask specified');
          this.svc.netmask = m;
        } else {
          const n = atoi(v);
          if (n < 1 || n > 128) throw failExit('illegal ipv6 netmask specified');
          this.svc.netmask = n;
        }
        return;
      case 'r': {
        this.set('real-server');
        const r = parseService(v, this.svc.protocol);
        if (!r) throw failExit('illegal real server address[:port] specified');
        this.dest.af = r.af;
        this.dest.address = r.address;
        // t_dest starts as a copy of the service, so a real server without a port takes the service's port.
        this.dest.port = r.port ?? this.svc.port;
        return;
      }
      case 'i':
      case 'g':
      case 'm':
        this.set('forwarding-method');
        this.dest.fwd = tag === 'i' ? 'tunnel' : tag === 'g' ? 'route' : 'masq';
        return;
      case 'w':
        this.set('weight');
        this.dest.weight = numberOr(v, 0, INT_MAX, 'illegal weight specified');
        return;
      case 'x':
        this.set('u-threshold');
        this.dest.uThreshold = numberOr(v, 0, INT_MAX, 'illegal u_threshold specified');
        return;
      case 'y':
        this.set('l-threshold');
        this.dest.lThreshold = numberOr(v, 0, INT_MAX, 'illegal l_threshold specified');
        return;
      case 'c':
        this.set('connection');
        return;
      case 'n':
        this.set('numeric');
        this.format.numeric = true;
        return;
      case 'mcast-interface':
        this.set('mcast-interface');
        this.daemon.mcastIfn = v.slice(0, NAME_MAX);
        return;
      case 'syncid':
        this.set('syncid');
        this.daemon.syncid = numberOr(v, 0, 255, 'illegal syncid specified');
        return;
      case 'timeout':
        this.set('timeout');
        return;
      case 'daemon':
        this.set('daemon');
        return;
      case 'stats':
        this.set('stats');
        this.format.stats = true;
        return;
      case 'rate':
        this.set('rate');
        this.format.rate = true;
        return;
      case 'thresholds':
        this.set('thresholds');
        this.format.thresholds = true;
        return;
      case 'persistent-conn':
        this.set('persistent-conn');
        this.format.persistentConn = true;
        return;
      case 'nosort':
        this.set('nosort');
        this.format.nosort = true;
        return;
      case 'sort':
        // Sorting is the default; ipvsadm keeps --sort as a no-op.
        return;
      case 'X':
        this.set('exact');
        this.format.exact = true;
        return;
      case '6':
        if (!this.svc.fwmark) throw failExit('-6 used before -f\n');
        this.svc.af = 6;
        this.svc.netmask = 128;
        return;
      case 'o':
        this.set('ops');
        this.svc.flags |= SVC_ONEPACKET;
        return;
      case 'pe':
        this.set('pe');
        this.svc.pe = v.slice(0, NAME_MAX);
        return;
      case 'b':
        this.set('sched-flags');
        this.schedFlagsArg = v;
        return;
      case 'mcast-group':
        this.set('mcast-group');
        if (isIpv6Literal(v)) {
          if (!isIpv6Multicast(v)) throw failExit(`invalid IPv6 mcast-group \`${v}'`);
        } else {
          const a = inetAton(v);
          if (a === undefined || a >>> 28 !== 0xe) throw failExit(`invalid IPv4 mcast-group \`${v}'`);
        }
        return;
      case 'mcast-port':
        this.set('mcast-port');
        numberOr(v, 1, 65535, 'illegal mcast-port specified');
        return;
      case 'mcast-ttl':
        this.set('mcast-ttl');
        numberOr(v, 1, 255, 'illegal mcast-ttl specified');
        return;
      case 'sync-maxlen':
        this.set('sync-maxlen');
        numberOr(v, 1, 65535 - 20 - 8, 'illegal sync-maxlen specified');
        return;
      case 'tun-info':
        this.set('tun-info');
        this.format.tunInfo = true;
        return;
      case 'tun-type': {
        this.set('tun-type');
        const t = TUNNEL_TYPES.find((n) => n === v);
        if (!t) throw failExit('illegal tunnel type specified');
        this.dest.tunType = t;
        return;
      }
      case 'tun-port':
        this.set('tun-port');
        this.dest.tunPort = numberOr(v, 1, 65535, 'illegal tunnel port specified');
        return;
      case 'tun-nocsum':
      case 'tun-csum':
      case 'tun-remcsum':
        this.set(tag);
        this.dest.tunCsum = tag === 'tun-nocsum' ? 'nocsum' : tag === 'tun-csum' ? 'csum' : 'remcsum';
        return;
      default:
        // A command given again later on the line, -h, -v, ...: popt returned a tag the loop does not expect.
        throw failExit(`invalid option \`${this.popt.badOption()}'`);
    }
  }

  /** generic_opt_check: the commands_v_options row of the command, column by column. */
  private genericOptCheck(cmd: IpvsadmCommandName): void {
    const row = COMMANDS_V_OPTIONS[COMMANDS.indexOf(cmd)];
    checkTable(row, OPTIONS, this.options, cmd, 'command');
  }

  /** What process_options checks and adjusts between the option checks and the kernel call. */
  private processChecks(cmd: IpvsadmCommandName): void {
    const o = this.options;
    if (cmd === 'add-service' || cmd === 'edit-service') {
      if (!this.svc.fwmark && !this.svc.port && !(this.svc.flags & SVC_PERSISTENT)) throw failExit('Zero port specified for non-persistent service');
      if (this.svc.flags & SVC_ONEPACKET && !this.svc.fwmark && this.svc.protocol !== 'udp') throw failExit('One-Packet Scheduling is only for UDP virtual services');
      if (this.svc.scheduler === '') this.svc.scheduler = DEFAULT_SCHEDULER;
    }
    if (cmd === 'start-daemon' && this.daemon.mcastIfn === '') this.daemon.mcastIfn = 'eth0';
    if (cmd === 'add-server' || cmd === 'edit-server') {
      // DR and TUN cannot change the port, so the real server's port is the service's (fwmark services excepted).
      if (!this.svc.fwmark && (this.dest.fwd === 'tunnel' || this.dest.fwd === 'route')) this.dest.port = this.svc.port;
      if (this.dest.af !== this.svc.af && this.dest.fwd !== 'tunnel') throw failExit('Different address family is allowed only for tunneling servers');
      if ((o.has('tun-type') || o.has('tun-port') || o.has('tun-nocsum') || o.has('tun-csum') || o.has('tun-remcsum')) && this.dest.fwd !== 'tunnel') {
        throw failExit('Tunnel options conflict with forward method');
      }
      const t = this.dest.tunType;
      checkTable(TUNNEL_V_OPTIONS[TUNNEL_TYPES.indexOf(t)], TUNNEL_OPTIONS, o, t, 'tunnel type');
    }
    if (cmd === 'list') {
      // -c may take --persistent-conn (it adds the persistence-engine columns); --timeout and --daemon may not.
      const conflict =
        ((o.has('connection') || o.has('timeout') || o.has('daemon')) && (o.has('stats') || o.has('rate') || o.has('thresholds'))) ||
        ((o.has('timeout') || o.has('daemon')) && o.has('persistent-conn'));
      if (conflict) throw failExit('options conflicts in the list command');
    }
  }
}

/** generic_opt_check / tunnel_opt_check: the first violation, column by column, wins. */
function checkTable(row: string, columns: readonly OptionName[], given: ReadonlySet<OptionName>, what: string, kind: 'command' | 'tunnel type'): void {
  let first: OptionName | undefined;
  for (let j = 0; j < columns.length; j++) {
    const name = columns[j];
    const rule = row[j];
    if (!given.has(name)) {
      if (rule === '+') throw failExit(`You need to supply the '${name}' option for the '${what}' ${kind}`);
      continue;
    }
    if (rule === 'x') throw failExit(`Illegal '${name}' option with the '${what}' ${kind}`);
    if (rule === '1') {
      if (first === undefined) first = name;
      else throw failExit(`The option '${name}' conflicts with the '${first}' option in the '${what}' ${kind}`);
    }
  }
}

function numberOr(s: string, min: number, max: number, msg: string): number {
  const n = stringToNumber(s, min, max);
  if (n === undefined) throw failExit(msg);
  return n;
}

/** parse_timeout: a value in [min, max], else `invalid timeout value`. */
function parseTimeout(s: string, min: number, max: number): number {
  const n = stringToNumber(s, min, max);
  if (n === undefined) throw failExit(`invalid timeout value \`${s}' specified`);
  return n;
}

/** parse_fwmark: strtol base 10 over the whole word, 1 .. 2^32-1. */
function parseFwmark(s: string): number {
  const n = stringToNumber(s, 1, 0xffffffff);
  if (n === undefined) throw failExit(`invalid fwmark value \`${s}' specified`);
  return n;
}

/** C atoi: leading white space, a sign, digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/**
 * parse_sched_flags: a comma-separated list (empty words skipped, as strtok does) of flag-1..3, sh-fallback,
 * sh-port (scheduler sh only), mh-fallback, mh-port (mh only). The words are checked in order.
 */
export function parseSchedFlags(scheduler: string, arg: string): number {
  let flags = 0;
  for (const word of arg.split(',')) {
    if (word === '') continue;
    let bit: number;
    let needs: string | undefined;
    switch (word) {
      case 'flag-1':
        bit = SVC_SCHED1;
        break;
      case 'flag-2':
        bit = SVC_SCHED2;
        break;
      case 'flag-3':
        bit = SVC_SCHED3;
        break;
      case 'sh-fallback':
        bit = SVC_SCHED1;
        needs = 'sh';
        break;
      case 'sh-port':
        bit = SVC_SCHED2;
        needs = 'sh';
        break;
      case 'mh-fallback':
        bit = SVC_SCHED1;
        needs = 'mh';
        break;
      case 'mh-port':
        bit = SVC_SCHED2;
        needs = 'mh';
        break;
      default:
        throw failExit(`invalid scheduler flag \`${word}'`);
    }
    if (needs !== undefined && scheduler !== needs) throw failExit(`incompatible scheduler flag \`${word}'`);
    flags |= bit;
  }
  return flags;
}

/** What parse_service found: an address (IPv4, or an IPv6 literal the lab will refuse) and maybe a port. */
export interface ParsedAddress {
  readonly af: AddressFamily;
  readonly address: Ipv4Address;
  readonly port: number | undefined;
}

/**
 * parse_service: `A.B.C.D[:port]`, `host[:port]` (the last `:` separates), a bare IPv6 address, or
 * `[IPv6]:port`. A word made only of digits is refused. The port is a number 0..65535 or a service name for
 * the protocol known so far (none before `-t`/`-u`/`-f`, so `-r host:http` first fails).
 */
export function parseService(buf: string, protocol: ServiceProtocol | undefined): ParsedAddress | undefined {
  if (strIsDigit(buf)) return undefined;
  let s = buf;
  let portText: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']', 1);
    if (close < 0) return undefined;
    if (s[close + 1] !== ':') return undefined;
    portText = s.slice(close + 2);
    s = s.slice(1, close);
  }
  let af: AddressFamily;
  let address: Ipv4Address = 0;
  if (isIpv6Literal(s)) {
    af = 6;
  } else {
    const colon = s.lastIndexOf(':');
    // In ipvsadm the bracket case falls through to here with the search done again inside the brackets.
    portText = colon >= 0 ? s.slice(colon + 1) : undefined;
    if (colon >= 0) s = s.slice(0, colon);
    const a = inetAton(s) ?? hostToAddr(s);
    if (a === undefined) return undefined;
    af = 4;
    address = a;
  }
  if (portText === undefined) return { af, address, port: undefined };
  const n = stringToNumber(portText, 0, 65535);
  if (n !== undefined) return { af, address, port: n };
  const named = protocol === undefined ? undefined : serviceToPort(portText, protocol);
  if (named === undefined) return undefined;
  return { af, address, port: named };
}
