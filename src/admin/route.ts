import { defineCommand, fail, sync, text, type AdminCommand, type CommandResult } from './AdminCommand.ts';
import { Scope, TABLE_MAIN, type Host, type Route } from '../net/index.ts';
import { formatIpv4, maskToPrefix, parseIpv4, prefixMask, type Ipv4Address } from '../wire/index.ts';
import { sortedTable } from './ip/route.ts';

/**
 * net-tools `route` (route.c, lib/inet_sr.c, lib/inet_gr.c) over the kernel's SIOCADDRT/SIOCDELRT ioctls
 * (net/ipv4/fib_frontend.c rtentry_to_fib_config): routes go to table main with protocol `boot`; a gatewayed
 * route has scope global, a direct one scope link; `metric N` is the kernel priority N (route(8) passes N+1,
 * the kernel subtracts 1); `route -n` reads /proc/net/route, i.e. table main without broadcast routes.
 * Exit statuses as net-tools: 3 option error, 4 usage, 6 lookup, 7 ioctl failure.
 */
const E_OPTERR = 3;
const E_USAGE = 4;
const E_LOOKUP = 6;
const E_SOCK = 7;

const USAGE = [
  'Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables',
  '       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.',
  '',
  '  inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]',
  '  inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]',
];

interface RouteRequest {
  op: 'add' | 'del';
  target: Ipv4Address;
  prefixLen: number;
  host: boolean;
  gateway?: Ipv4Address;
  metric?: number;
  dev?: string;
  reject: boolean;
}

function usage(): never {
  throw fail(E_USAGE, ...USAGE);
}

function parseRoute(args: string[]) {
  let numeric = false;
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && !['-net', '-host'].includes(args[i])) {
    const o = args[i];
    if (/^-[nNv]+$/.test(o)) {
      if (o.includes('n')) numeric = true;
    } else if (o === '-A' || o === '--family') {
      if (args[++i] !== 'inet') throw fail(E_USAGE, `route: address family "${args[i] ?? ''}" is not modelled by lvs-lab (inet is)`);
    } else if (o === '-4' || o === '--inet') {
      // the default family
    } else if (o === '-F') {
      // the FIB, which is the default
    } else throw fail(E_USAGE, `route: option "${o}" is not modelled by lvs-lab`);
    i++;
  }
  const verb = args[i];
  if (verb === undefined) return sync((host) => show(host, numeric));
  if (verb === 'add' || verb === 'del') return sync((host) => apply(host, parseModify(verb, args.slice(i + 1))));
  if (verb === 'flush') throw fail(E_USAGE, 'route: "flush" is not modelled by lvs-lab');
  return usage();
}

export const routeCommand: AdminCommand = defineCommand('route', parseRoute);

function resolve(name: string): Ipv4Address {
  const a = parseIpv4(name);
  if (a === undefined) throw fail(E_LOOKUP, `${name}: Unknown host`);
  return a;
}

function parseModify(op: 'add' | 'del', args: string[]): RouteRequest {
  let kind: 'net' | 'host' | undefined;
  let i = 0;
  if (args[i] === '-net' || args[i] === '-host') kind = args[i++] === '-net' ? 'net' : 'host';
  const target = args[i++];
  if (target === undefined) usage();
  let address: Ipv4Address;
  let prefixLen: number | undefined;
  let isNet: boolean;
  if (target === 'default') {
    address = 0;
    prefixLen = 0;
    isNet = true;
  } else {
    const slash = target.indexOf('/');
    address = resolve(slash < 0 ? target : target.slice(0, slash));
    if (slash >= 0) {
      const l = target.slice(slash + 1);
      if (!/^\d{1,2}$/.test(l) || Number(l) > 32) throw fail(E_OPTERR, `route: bogus netmask ${l}`);
      prefixLen = Number(l);
    }
    // INET_resolve: a dotted quad is a host unless -net (or a /prefix) says otherwise.
    isNet = slash >= 0;
  }
  if (kind === 'net') isNet = true;
  if (kind === 'host') isNet = false;
  const req: RouteRequest = { op, target: address, prefixLen: isNet ? (prefixLen ?? 0) : 32, host: !isNet, reject: false };
  let netmask: Ipv4Address | undefined;
  const value = (): string => {
    const v = args[++i];
    if (v === undefined) usage();
    return v;
  };
  for (; i < args.length; i++) {
    const w = args[i];
    if (w === 'netmask') netmask = resolve(value());
    else if (w === 'gw' || w === 'gateway') {
      if (req.gateway !== undefined) usage();
      req.gateway = resolve(value());
    } else if (w === 'metric') {
      const v = value();
      if (!/^\d+$/.test(v)) usage();
      req.metric = Number(v);
    } else if (w === 'dev') req.dev = value();
    else if (w === 'reject') req.reject = true;
    else if (['mss', 'window', 'irtt', 'mod', 'dyn', 'reinstate', 'device'].includes(w)) {
      throw fail(E_USAGE, `route: "${w}" is not modelled by lvs-lab`);
    } else if (i === args.length - 1 && req.dev === undefined) {
      req.dev = w; // the last word may name the device without "dev"
    } else usage();
  }
  if (netmask !== undefined) {
    const len = maskToPrefix(netmask);
    if (req.host && netmask !== 0xffffffff) {
      throw fail(E_OPTERR, `route: netmask ${((~netmask) >>> 0).toString(16).padStart(8, '0')} doesn't make sense with host route`);
    }
    if (len === undefined) throw fail(E_OPTERR, `route: bogus netmask ${formatIpv4(netmask)}`);
    if (((req.target & ~netmask) >>> 0) !== 0) throw fail(E_OPTERR, "route: netmask doesn't match route address");
    if (!req.host) req.prefixLen = len;
  }
  return req;
}

function apply(host: Host, r: RouteRequest): CommandResult {
  const ioctl = r.op === 'add' ? 'SIOCADDRT' : 'SIOCDELRT';
  // A device named as an alias (eth0:110) means that alias's address becomes the route's source.
  let devName = r.dev;
  let prefsrc: Ipv4Address | undefined;
  if (devName !== undefined && devName.includes(':')) {
    const base = devName.slice(0, devName.indexOf(':'));
    const d = host.iface(base);
    prefsrc = d?.addresses.find((x) => x.label === devName)?.address;
    devName = base;
  }
  if (devName !== undefined && !host.iface(devName)) throw fail(E_SOCK, `${ioctl}: No such device`);
  // A network route with host bits set, or a net without a mask: rtentry_to_fib_config refuses it.
  if (((r.target & ~prefixMask(r.prefixLen)) >>> 0) !== 0) throw fail(E_SOCK, `${ioctl}: Invalid argument`);
  if (r.op === 'del') {
    const gone = host.fib.remove({
      table: TABLE_MAIN,
      dst: r.target,
      prefixLen: r.prefixLen,
      gateway: r.gateway,
      dev: devName,
      metric: r.metric,
    });
    if (!gone) throw fail(E_SOCK, 'SIOCDELRT: No such process');
    return { exit: 0, output: '' };
  }
  let route: Route;
  if (r.reject) {
    route = { table: TABLE_MAIN, type: 'unreachable', dst: r.target, prefixLen: r.prefixLen, tos: 0, scope: Scope.host, metric: r.metric ?? 0, proto: 'boot' };
  } else {
    if (r.gateway === undefined && devName === undefined) throw fail(E_SOCK, 'SIOCADDRT: No such device');
    route = {
      table: TABLE_MAIN,
      type: 'unicast',
      dst: r.target,
      prefixLen: r.prefixLen,
      tos: 0,
      gateway: r.gateway,
      dev: devName,
      scope: r.gateway !== undefined ? Scope.global : Scope.link,
      prefsrc,
      metric: r.metric ?? 0,
      proto: 'boot',
    };
  }
  const same = host.fib.table(TABLE_MAIN).some((x) => x.dst === route.dst && x.prefixLen === route.prefixLen && x.tos === 0 && x.metric === route.metric);
  if (same) throw fail(E_SOCK, 'SIOCADDRT: File exists');
  const err = host.addRoute(route);
  if (err === 'EEXIST') throw fail(E_SOCK, 'SIOCADDRT: File exists');
  if (err === 'ENODEV') throw fail(E_SOCK, 'SIOCADDRT: No such device');
  if (err === 'ENETUNREACH') throw fail(E_SOCK, 'SIOCADDRT: Network is unreachable');
  return { exit: 0, output: '' };
}

// ---------------------------------------------------------------------------------------------- display

const RTF_UP = 'U';

/** rprint_fib over /proc/net/route (fib_route_seq_show): table main, no broadcast routes. */
function show(host: Host, numeric: boolean): CommandResult {
  const lines = ['Kernel IP routing table', 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface'];
  for (const r of sortedTable(host, TABLE_MAIN)) {
    if (r.type === 'broadcast') continue;
    let flags = RTF_UP;
    if (r.gateway !== undefined) flags += 'G';
    if (r.prefixLen === 32) flags += 'H';
    if (r.type === 'unreachable' || r.type === 'prohibit' || r.type === 'blackhole' || r.type === 'throw') flags += '!';
    const dst = !numeric && r.dst === 0 && r.prefixLen === 0 ? 'default' : formatIpv4(r.dst);
    const gw = formatIpv4(r.gateway ?? 0);
    const mask = formatIpv4(prefixMask(r.prefixLen));
    lines.push(`${dst.padEnd(15)} ${gw.padEnd(15)} ${mask.padEnd(15)} ${flags.padEnd(5)} ${String(r.metric).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${r.dev ?? '*'}`);
  }
  return { exit: 0, output: text(lines) };
}
