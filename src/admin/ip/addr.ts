import { fail, ok, text } from '../AdminCommand.ts';
import { Interface, Scope, scopeName, type Host, type InterfaceAddress } from '../../net/index.ts';
import { formatIpv4, inSubnet, isLoopback, networkOf, type Ipv4Address } from '../../wire/index.ts';
import {
  Args,
  device,
  duparg2,
  invarg,
  matches,
  notModelled,
  parseAddress,
  parsePrefix,
  parseScope,
  rtnl,
  unknownCommand,
  type InetPrefix,
  type IpOptions,
  type IpRun,
} from './common.ts';
import { linkHeader, linkLine } from './link.ts';

/**
 * `ip address add|del|replace|change|show|flush` (iproute2 ip/ipaddress.c ipaddr_modify /
 * ipaddr_list_flush_or_save; kernel net/ipv4/devinet.c inet_rtm_newaddr / inet_rtm_deladdr). Adding an address
 * goes through Host.addAddress, which applies the primary/secondary rule and adds the local, broadcast and prefix
 * routes (linux-arp-routing.md §2).
 */
export function ipAddr(a: Args, opts: IpOptions): IpRun {
  const cmd = a.done ? 'show' : a.take();
  if (matches(cmd, 'add')) return addrModify(a, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return addrModify(a, 'change');
  if (matches(cmd, 'replace')) return addrModify(a, 'replace');
  if (matches(cmd, 'delete')) return addrModify(a, 'del');
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return addrShow(a, opts, false);
  if (matches(cmd, 'flush')) return addrShow(a, opts, true);
  if (matches(cmd, 'save') || matches(cmd, 'showdump') || matches(cmd, 'restore')) throw notModelled(`"ip address ${cmd}"`);
  throw unknownCommand(cmd, 'address');
}

type Mode = 'add' | 'change' | 'replace' | 'del';

const UNMODELLED_FLAGS = ['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'optimistic', 'anycast', 'metric', 'priority', 'preference'];

function addrModify(a: Args, mode: Mode): IpRun {
  let local: InetPrefix | undefined;
  let dev: string | undefined;
  let label: string | undefined;
  let scope: number | undefined;
  let brd: Ipv4Address | '+' | '-' | undefined;
  while (!a.done) {
    const w = a.take();
    if (matches(w, 'peer') || matches(w, 'remote')) throw notModelled('"peer" addresses (point-to-point links)');
    else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.value();
      if (brd !== undefined) throw fail(255, `Error: duplicate "broadcast": "${v}" is the second value.`);
      brd = v === '+' || v === '-' ? v : parseAddress(v);
    } else if (w === 'scope') {
      const v = a.value();
      const s = parseScope(v);
      if (s === undefined) throw invarg('invalid scope value.', v);
      scope = s;
    } else if (w === 'dev') {
      dev = a.value();
    } else if (w === 'label') {
      label = a.value();
    } else if (w === 'valid_lft' || w === 'preferred_lft') {
      const v = a.value();
      if (v !== 'forever') throw notModelled(`address lifetimes ("${w} ${v}"); only "forever" is`);
    } else if (UNMODELLED_FLAGS.includes(w)) {
      throw notModelled(`"${w}" on addresses`);
    } else {
      const v = matches(w, 'local') ? a.value() : w;
      if (local) throw duparg2('local', v);
      local = parsePrefix(v);
    }
  }
  if (dev === undefined) throw fail(1, 'Not enough information: "dev" argument is required.');
  if (label !== undefined && label !== dev && !label.startsWith(`${dev}:`)) {
    throw fail(1, `"label" (${label}) must match "dev" (${dev}) or be prefixed by "dev" with a colon.`);
  }
  const devName = dev;
  const spec = { local, label, scope, brd };
  return (host) => {
    const d = device(host, devName);
    if (mode === 'del') return addrDel(host, d, spec.local, spec.label);
    if (!spec.local) throw rtnl('Invalid argument');
    const { address, prefixLen } = spec.local;
    const existing = d.addresses.find((x) => x.address === address && x.prefixLen === prefixLen);
    if (mode === 'change' && !existing) throw rtnl('No such file or directory');
    // NLM_F_REPLACE keeps an existing address (the kernel only refreshes its lifetimes).
    if (existing && mode !== 'add') return ok();
    let broadcast: Ipv4Address | undefined;
    if (typeof spec.brd === 'number') broadcast = spec.brd;
    else if (spec.brd === '+') broadcast = Interface.defaultBroadcast(address, prefixLen);
    else if (spec.brd === '-' && prefixLen <= 30) broadcast = networkOf(address, prefixLen);
    // iproute2's default_scope: host for 127/8, global otherwise.
    const sc = spec.scope ?? (isLoopback(address) ? Scope.host : Scope.global);
    const r = host.addAddress(d, { address, prefixLen, broadcast, scope: sc, label: spec.label ?? d.name });
    if (r === 'EEXIST') throw rtnl('File exists');
    if (r === 'EINVAL') throw rtnl('Invalid argument');
    return ok();
  };
}

/** inet_rtm_deladdr: the first address matching every attribute given (no address at all matches the first). */
function addrDel(host: Host, d: Interface, local: InetPrefix | undefined, label: string | undefined) {
  const victim = d.addresses.find(
    (x) =>
      (local === undefined || (x.address === local.address && (!local.lenGiven || x.prefixLen === local.prefixLen))) &&
      (label === undefined || x.label === label),
  );
  if (!victim) throw rtnl('Cannot assign requested address');
  host.delAddress(d, victim.address, victim.prefixLen);
  return ok();
}

interface AddrFilter {
  dev?: string;
  label?: RegExp;
  scope?: number;
  to?: InetPrefix;
  onlyUp: boolean;
  primary?: boolean;
}

function addrShow(a: Args, opts: IpOptions, flush: boolean): IpRun {
  const f: AddrFilter = { onlyUp: false };
  let any = false;
  while (!a.done) {
    const w = a.take();
    any = true;
    if (w === 'to') f.to = parsePrefix(a.value());
    else if (w === 'scope') {
      const v = a.value();
      const s = v === 'all' ? undefined : parseScope(v);
      if (s === undefined && v !== 'all') throw invarg('invalid "scope"', v);
      f.scope = s;
    } else if (w === 'up') f.onlyUp = true;
    else if (w === 'label') f.label = globToRegExp(a.value());
    else if (w === 'primary') f.primary = true;
    else if (w === 'secondary') f.primary = false;
    else if (w === 'permanent') {
      // Every lab address is permanent (no DHCP/SLAAC lifetimes): the filter keeps them all.
    } else if (['dynamic', 'tentative', 'deprecated', 'dadfailed', 'temporary', 'group', 'master', 'vrf', 'type', 'nomaster'].includes(w)) {
      throw notModelled(`"ip address show ${w}"`);
    } else {
      const name = w === 'dev' ? a.value() : w;
      if (f.dev !== undefined) throw duparg2('dev', name);
      f.dev = name;
    }
  }
  if (flush && !any) throw fail(1, 'Flush requires arguments.');
  const addressFilter = opts.inet || f.label !== undefined || f.scope !== undefined || f.to !== undefined || f.primary !== undefined;
  return (host) => {
    let devs: readonly Interface[] = host.interfaces;
    if (f.dev !== undefined) {
      const d = host.iface(f.dev);
      if (!d) throw fail(1, `Device "${f.dev}" does not exist.`);
      devs = [d];
    }
    const keep = (x: InterfaceAddress) =>
      (f.label === undefined || f.label.test(x.label)) &&
      (f.scope === undefined || x.scope === f.scope) &&
      // ipaddr_filter: the address itself must lie in the `to` prefix; its own prefix length plays no part.
      (f.to === undefined || inSubnet(x.address, f.to.address, f.to.prefixLen)) &&
      (f.primary === undefined || x.secondary !== f.primary);
    if (flush) {
      for (const d of devs) {
        if (f.onlyUp && !d.up) continue;
        // Removing a primary may take its secondaries with it; the dump was taken before, so skip those.
        for (const x of d.addresses.filter(keep)) if (d.addresses.includes(x)) host.delAddress(d, x.address, x.prefixLen);
      }
      return ok();
    }
    const lines: string[] = [];
    for (const d of devs) {
      if (f.onlyUp && !d.up) continue;
      const shown = d.addresses.filter(keep);
      if (addressFilter && shown.length === 0) continue;
      lines.push(linkHeader(d, false));
      if (!opts.inet) lines.push(linkLine(d));
      for (const x of shown) lines.push(...addressLines(x));
    }
    return { exit: 0, output: text(lines) };
  };
}

/** print_addrinfo for one IPv4 address. */
export function addressLines(x: InterfaceAddress): string[] {
  const brd = x.broadcast !== undefined ? ` brd ${formatIpv4(x.broadcast)}` : '';
  const sec = x.secondary ? ' secondary' : '';
  return [`    inet ${formatIpv4(x.address)}/${x.prefixLen}${brd} scope ${scopeName(x.scope)}${sec} ${x.label}`, '       valid_lft forever preferred_lft forever'];
}

/** fnmatch(3) for `label PATTERN`: `*`, `?` and literal characters. */
function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const c of glob) re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(re + '$');
}
