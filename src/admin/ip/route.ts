import { fail, ok, text } from '../AdminCommand.ts';
import { hasCarrier } from '../deviceState.ts';
import {
  routeOutput,
  scopeName,
  tableName,
  TABLE_LOCAL,
  TABLE_MAIN,
  Scope,
  type Host,
  type Route,
  type RouteType,
} from '../../net/index.ts';
import { formatIpv4, inSubnet, type Ipv4Address } from '../../wire/index.ts';
import {
  Args,
  device,
  duparg2,
  extack,
  formatPrefix,
  hostBitsSet,
  invarg,
  matches,
  nodev,
  notModelled,
  parseAddress,
  parsePrefix,
  parseScope,
  parseTable,
  parseU32,
  rtnl,
  unknownCommand,
  type InetPrefix,
  type IpOptions,
  type IpRun,
} from './common.ts';

/**
 * `ip route add|del|change|append|replace|show|list|flush|get` (iproute2 ip/iproute.c; kernel
 * net/ipv4/fib_frontend.c inet_rtm_newroute/delroute, fib_trie.c fib_table_insert/delete, route.c
 * inet_rtm_getroute). Routes are added through Host.addRoute, which checks that a gateway is on-link
 * (fib_check_nh) — the lab answers that refusal with the kernel's extended-ack text.
 */
export function ipRoute(a: Args, _opts: IpOptions): IpRun {
  const cmd = a.done ? 'list' : a.take();
  if (matches(cmd, 'add')) return routeModify(a, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return routeModify(a, 'change');
  if (matches(cmd, 'replace')) return routeModify(a, 'replace');
  if (matches(cmd, 'prepend') || matches(cmd, 'append')) return routeModify(a, 'append');
  if (matches(cmd, 'test')) throw notModelled('"ip route test"');
  if (matches(cmd, 'delete')) return routeModify(a, 'del');
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return routeList(a, false);
  if (matches(cmd, 'get')) return routeGet(a);
  if (matches(cmd, 'flush')) return routeList(a, true);
  if (matches(cmd, 'save') || matches(cmd, 'restore') || matches(cmd, 'showdump')) throw notModelled(`"ip route ${cmd}"`);
  throw unknownCommand(cmd, 'route');
}

const ROUTE_TYPES: Record<string, RouteType> = {
  unicast: 'unicast',
  local: 'local',
  broadcast: 'broadcast',
  brd: 'broadcast',
  blackhole: 'blackhole',
  unreachable: 'unreachable',
  prohibit: 'prohibit',
  throw: 'throw',
};
const UNMODELLED_TYPES = ['nat', 'anycast', 'multicast', 'xresolve'];

const PROTOS: Record<string, Route['proto']> = { kernel: 'kernel', boot: 'boot', static: 'static' };

/** Route attributes iproute2 knows that the lab does not model: refused by name. */
const UNMODELLED_ROUTE_KEYS = [
  'as', 'from', 'expires', 'features', 'mtu', 'hoplimit', 'advmss', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd',
  'initcwnd', 'initrwnd', 'quickack', 'congctl', 'rto_min', 'ssthresh', 'realms', 'realm', 'onlink', 'nexthop', 'nhid',
  'encap', 'pref', 'ttl-propagate', 'fastopen_no_cookie', 'lock', 'vrf', 'mpath', 'equalize', 'notify',
];

type Mode = 'add' | 'change' | 'replace' | 'append' | 'del';

interface RouteSpec {
  type?: RouteType;
  dst?: InetPrefix;
  tos?: number;
  table?: number;
  proto?: Route['proto'];
  scope?: number;
  metric?: number;
  gateway?: Ipv4Address;
  dev?: string;
  src?: Ipv4Address;
}

/** rtnl_dsfield_a2n: a TOS value is read in hex (`tos 10` is 0x10). */
function parseTos(v: string): number {
  const t = /^(0[xX])?[0-9a-fA-F]{1,2}$/.test(v) ? parseInt(v.replace(/^0[xX]/, ''), 16) : NaN;
  if (!(t >= 0 && t <= 255)) throw invarg('"tos" value is invalid', v);
  return t;
}

function parseRouteSpec(a: Args, forShow: boolean): RouteSpec {
  const s: RouteSpec = {};
  while (!a.done) {
    const w = a.take();
    if (w === 'src') s.src = parseAddress(a.value());
    else if (w === 'via') {
      let v = a.value();
      if (v === 'inet') v = a.value();
      s.gateway = parseAddress(v);
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) s.tos = parseTos(a.value());
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.value();
      const m = parseU32(v);
      if (m === undefined) throw invarg('"metric" value is invalid', v);
      s.metric = m;
    } else if (matches(w, 'scope')) {
      const v = a.value();
      const sc = parseScope(v);
      if (sc === undefined) throw invarg('invalid "scope" value', v);
      s.scope = sc;
    } else if (w === 'dev' || w === 'oif') s.dev = a.value();
    else if (matches(w, 'table')) {
      const v = a.value();
      const t = parseTable(v);
      if (t === undefined) throw invarg('"table" value is invalid', v);
      s.table = t;
    } else if (matches(w, 'protocol')) {
      const v = a.value();
      if (!(v in PROTOS)) throw notModelled(`route protocol "${v}" (kernel, boot and static are)`);
      s.proto = PROTOS[v];
    } else if (matches(w, 'type') && forShow) {
      const v = a.value();
      if (!(v in ROUTE_TYPES)) throw invarg('node type value is invalid', v);
      s.type = ROUTE_TYPES[v];
    } else if (UNMODELLED_ROUTE_KEYS.includes(w)) {
      throw notModelled(`route attribute "${w}"`);
    } else {
      let v = w === 'to' ? a.value() : w;
      if (!/^[0-9]/.test(v) && (v in ROUTE_TYPES || UNMODELLED_TYPES.includes(v)) && !forShow) {
        if (UNMODELLED_TYPES.includes(v)) throw notModelled(`route type "${v}"`);
        s.type = ROUTE_TYPES[v];
        v = a.value();
      }
      if (s.dst) throw duparg2('to', v);
      s.dst = parsePrefix(v);
    }
  }
  return s;
}

const USAGE = [
  'Usage: ip route { list | flush } SELECTOR',
  '       ip route get [ ROUTE_GET_FLAGS ] ADDRESS',
  '       ip route { add | del | change | append | replace } ROUTE',
  'SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]',
  '            [ table TABLE_ID ] [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ]',
  'ROUTE := NODE_SPEC [ INFO_SPEC ]',
  'NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ] [ scope SCOPE ] [ metric METRIC ]',
  'INFO_SPEC := [ via ADDRESS ] [ dev STRING ] [ src ADDRESS ]',
  'TYPE := { unicast | local | broadcast | unreachable | prohibit | blackhole | throw }',
];

function routeModify(a: Args, mode: Mode): IpRun {
  const s = parseRouteSpec(a, false);
  if (!s.dst) throw fail(255, ...USAGE);
  const dst = s.dst;
  return (host) => {
    // iproute2 resolves the device name itself before talking to the kernel.
    if (s.dev !== undefined && !host.iface(s.dev)) throw nodev(s.dev);
    if (hostBitsSet(dst.address, dst.prefixLen)) throw extack('Invalid prefix for given prefix length');
    if (mode === 'del') return routeDel(host, s, dst);
    const type = s.type ?? 'unicast';
    const table = s.table ?? (type === 'local' || type === 'broadcast' ? TABLE_LOCAL : TABLE_MAIN);
    const scope =
      s.scope ??
      (type === 'local' ? Scope.host : type === 'broadcast' ? Scope.link : type === 'unicast' && s.gateway === undefined ? Scope.link : Scope.global);
    const route: Route = {
      table,
      type,
      dst: dst.address,
      prefixLen: dst.prefixLen,
      tos: s.tos ?? 0,
      gateway: s.gateway,
      dev: s.dev,
      scope,
      prefsrc: s.src,
      metric: s.metric ?? 0,
      proto: s.proto ?? 'boot',
    };
    if ((type === 'unicast' || type === 'local' || type === 'broadcast') && s.dev === undefined && s.gateway === undefined) {
      throw rtnl('No such device');
    }
    if (s.src !== undefined && !host.isLocalAddress(s.src)) throw extack('Invalid prefsrc address');
    if (type === 'unicast' && s.gateway === undefined && s.dev !== undefined && !device(host, s.dev).up) {
      throw extack('Device for nexthop is not up');
    }
    // fib_table_insert: the key is (prefix, tos, priority) whatever the route type.
    const sameKey = (r: Route) => r.dst === route.dst && r.prefixLen === route.prefixLen && r.tos === route.tos && r.metric === route.metric;
    const existing = host.fib.table(table).find(sameKey);
    if (mode === 'add' && existing) throw rtnl('File exists');
    if (mode === 'change' && !existing) throw rtnl('No such file or directory');
    if ((mode === 'replace' || mode === 'change') && existing) {
      host.fib.remove({ table, dst: existing.dst, prefixLen: existing.prefixLen, tos: existing.tos, metric: existing.metric, type: existing.type });
      const err = host.addRoute(route);
      if (err) {
        host.fib.add(existing);
        throw addError(err, s.dev);
      }
      return ok();
    }
    const err = host.addRoute(route);
    if (err) throw addError(err, s.dev);
    return ok();
  };
}

function addError(err: 'EEXIST' | 'ENETUNREACH' | 'ENODEV', dev: string | undefined) {
  if (err === 'EEXIST') return rtnl('File exists');
  if (err === 'ENODEV') return nodev(dev ?? '');
  return extack('Nexthop has invalid gateway');
}

/** fib_table_delete: the first route of the table matching every attribute given. */
function routeDel(host: Host, s: RouteSpec, dst: InetPrefix) {
  const gone = host.fib.remove({
    table: s.table ?? TABLE_MAIN,
    dst: dst.address,
    prefixLen: dst.prefixLen,
    type: s.type,
    gateway: s.gateway,
    dev: s.dev,
    metric: s.metric,
    tos: s.tos,
  });
  if (!gone) throw rtnl('No such process');
  return ok();
}

// -------------------------------------------------------------------------------------------- show / flush

interface Selector {
  tables: 'all' | number;
  root?: InetPrefix;
  match?: InetPrefix;
  spec: RouteSpec;
}

function routeList(a: Args, flush: boolean): IpRun {
  const words = a.rest();
  if (flush && words.length === 0) throw fail(1, '"ip route flush" requires arguments.');
  if (flush && words.length === 1 && words[0] === 'cache') return () => ok(); // no route cache since Linux 3.6
  const sel: Selector = { tables: TABLE_MAIN, spec: {} };
  const rest: string[] = [];
  const b = new Args(words);
  while (!b.done) {
    const w = b.take();
    if (matches(w, 'table')) {
      const v = b.value();
      if (v === 'all') sel.tables = 'all';
      else if (v === 'cache') throw notModelled('the route cache (removed from Linux in 3.6)');
      else {
        const t = parseTable(v);
        if (t === undefined) throw invarg('table id value is invalid', v);
        sel.tables = t === 0 ? 'all' : t;
      }
    } else if (matches(w, 'root')) sel.root = parsePrefix(b.value());
    else if (matches(w, 'match')) sel.match = parsePrefix(b.value());
    else if (matches(w, 'exact')) {
      const p = parsePrefix(b.value());
      sel.root = p;
      sel.match = p;
    } else rest.push(w);
  }
  sel.spec = parseRouteSpec(new Args(rest), true);
  if (sel.spec.dst) {
    sel.root = sel.spec.dst;
    sel.match = sel.spec.dst;
  }
  return (host) => {
    if (sel.spec.dev !== undefined && !host.iface(sel.spec.dev)) throw nodev(sel.spec.dev);
    const picked = selectRoutes(host, sel);
    if (flush) {
      for (const r of picked) host.fib.removeWhere((x) => x === r);
      return ok();
    }
    return { exit: 0, output: text(picked.map((r) => formatRoute(host, r, sel.tables === 'all'))) };
  };
}

function selectRoutes(host: Host, sel: Selector): Route[] {
  const ids = sel.tables === 'all' ? host.fib.tableIds() : [sel.tables];
  const out: Route[] = [];
  const f = sel.spec;
  for (const id of ids) {
    for (const r of sortedTable(host, id)) {
      if (sel.root && !(r.prefixLen >= sel.root.prefixLen && inSubnet(r.dst, sel.root.address, sel.root.prefixLen))) continue;
      if (sel.match && !(r.prefixLen <= sel.match.prefixLen && inSubnet(sel.match.address, r.dst, r.prefixLen))) continue;
      if (f.dev !== undefined && r.dev !== f.dev) continue;
      if (f.gateway !== undefined && r.gateway !== f.gateway) continue;
      if (f.proto !== undefined && r.proto !== f.proto) continue;
      if (f.scope !== undefined && r.scope !== f.scope) continue;
      if (f.type !== undefined && r.type !== f.type) continue;
      if (f.tos !== undefined && r.tos !== f.tos) continue;
      if (f.src !== undefined && r.prefsrc !== f.src) continue;
      if (f.metric !== undefined && r.metric !== f.metric) continue;
      out.push(r);
    }
  }
  return out;
}

/**
 * A table in the order a netlink dump walks the trie: ascending destination, the longer prefix first for the
 * same destination, then higher TOS, then lower metric (fib_trie.c leaf and alias order).
 */
export function sortedTable(host: Host, id: number): Route[] {
  return [...host.fib.table(id)].sort((x, y) => x.dst - y.dst || y.prefixLen - x.prefixLen || y.tos - x.tos || x.metric - y.metric);
}

/** print_route: one line of `ip route show`. */
export function formatRoute(host: Host, r: Route, showTable: boolean): string {
  const f: string[] = [];
  if (r.type !== 'unicast') f.push(r.type);
  f.push(r.prefixLen === 0 && r.dst === 0 ? 'default' : formatPrefix(r.dst, r.prefixLen, formatIpv4));
  if (r.tos !== 0) f.push(`tos 0x${r.tos.toString(16).padStart(2, '0')}`);
  if (r.gateway !== undefined) f.push(`via ${formatIpv4(r.gateway)}`);
  if (r.dev !== undefined) f.push(`dev ${r.dev}`);
  if (showTable && r.table !== TABLE_MAIN) f.push(`table ${tableName(r.table)}`);
  if (r.proto !== 'boot') f.push(`proto ${r.proto}`);
  if (r.scope !== Scope.global) f.push(`scope ${scopeName(r.scope)}`);
  if (r.prefsrc !== undefined) f.push(`src ${formatIpv4(r.prefsrc)}`);
  if (r.metric !== 0) f.push(`metric ${r.metric}`);
  const dev = r.dev !== undefined ? host.iface(r.dev) : undefined;
  if (dev && r.type === 'unicast' && dev.up && !hasCarrier(dev)) f.push('linkdown');
  return f.join(' ');
}

// -------------------------------------------------------------------------------------------------- get

function routeGet(a: Args): IpRun {
  let dst: Ipv4Address | undefined;
  let src: Ipv4Address | undefined;
  let oif: string | undefined;
  let mark: number | undefined;
  let tos: number | undefined;
  while (!a.done) {
    const w = a.take();
    if (matches(w, 'from')) src = parseAddress(a.value());
    else if (w === 'oif' || w === 'dev') oif = a.value();
    else if (matches(w, 'mark')) {
      const v = a.value();
      const m = parseU32(v);
      if (m === undefined) throw invarg('invalid mark value', v);
      mark = m;
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) tos = parseTos(a.value());
    else if (w === 'iif' || matches(w, 'vrf') || w === 'ipproto' || w === 'sport' || w === 'dport' || w === 'connected' || w === 'fibmatch' || w === 'uid') {
      throw notModelled(`"ip route get ... ${w}"`);
    } else {
      const v = w === 'to' ? a.value() : w;
      if (dst !== undefined) throw duparg2('to', v);
      const p = parsePrefix(v);
      dst = p.address;
    }
  }
  if (dst === undefined) throw fail(255, ...USAGE);
  const target = dst;
  return (host) => {
    if (oif !== undefined && !host.iface(oif)) throw nodev(oif);
    const r = routeOutput(host, target, { src, oif, mark, tos });
    if (r.kind === 'error') {
      if (r.errno === 'ENODEV') throw nodev(oif ?? '');
      throw rtnl(
        r.errno === 'ENETUNREACH' ? 'Network is unreachable' : r.errno === 'EHOSTUNREACH' ? 'No route to host' : r.errno === 'EACCES' ? 'Permission denied' : 'Invalid argument',
      );
    }
    const f: string[] = [];
    if (r.local) f.push('local');
    else if (r.broadcast) f.push('broadcast');
    f.push(formatIpv4(target));
    if (src !== undefined) f.push(`from ${formatIpv4(src)}`);
    const redirected = !r.local && host.redirects.has(target);
    if (!r.local && !r.broadcast && r.nexthop !== target) f.push(`via ${formatIpv4(r.nexthop)}`);
    f.push(`dev ${r.outDev.name}`);
    if (src === undefined) f.push(`src ${formatIpv4(r.src)}`);
    if (mark) f.push(`mark 0x${mark.toString(16)}`);
    f.push('uid 0');
    const cache = r.local ? '    cache <local>' : r.broadcast ? '    cache <local,brd>' : redirected ? '    cache <redirected>' : '    cache';
    return { exit: 0, output: text([f.join(' '), cache]) };
  };
}
