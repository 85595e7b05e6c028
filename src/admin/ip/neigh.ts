import { fail, ok, text } from '../AdminCommand.ts';
import type { Host, Interface, Neighbour, NudState } from '../../net/index.ts';
import { formatIpv4, inSubnet, parseMac, type MacAddress } from '../../wire/index.ts';
import { Args, device, duparg2, invarg, matches, notModelled, parsePrefix, rtnl, unknownCommand, type InetPrefix, type IpOptions, type IpRun } from './common.ts';

/**
 * `ip neigh add|del|change|replace|show|flush` (iproute2 ip/ipneigh.c; kernel net/core/neighbour.c neigh_add,
 * neigh_delete). Administrative changes go through NeighbourTable.update with the ADMIN and OVERRIDE flags, as
 * netlink requests do; deleting first moves the entry to FAILED (which fails its queued packets) and then
 * removes it, as neigh_delete does.
 */
export function ipNeigh(a: Args, _opts: IpOptions): IpRun {
  const cmd = a.done ? 'show' : a.take();
  if (matches(cmd, 'add')) return neighModify(a, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return neighModify(a, 'change');
  if (matches(cmd, 'replace')) return neighModify(a, 'replace');
  if (matches(cmd, 'delete')) return neighModify(a, 'del');
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return neighShow(a, false);
  if (matches(cmd, 'flush')) return neighShow(a, true);
  if (matches(cmd, 'get')) throw notModelled('"ip neigh get"');
  throw unknownCommand(cmd, 'neigh');
}

/** nud_state_a2n names the lab accepts for administrative entries. */
const ADMIN_NUD: Record<string, NudState> = { permanent: 'PERMANENT', reachable: 'REACHABLE', stale: 'STALE', noarp: 'NOARP' };
const ALL_NUD: Record<string, NudState | 'all'> = {
  ...ADMIN_NUD,
  delay: 'DELAY',
  probe: 'PROBE',
  incomplete: 'INCOMPLETE',
  failed: 'FAILED',
  none: 'NONE',
  all: 'all',
};

type Mode = 'add' | 'change' | 'replace' | 'del';

function neighModify(a: Args, mode: Mode): IpRun {
  let dst: InetPrefix | undefined;
  let lladdr: MacAddress | undefined;
  let nud: NudState | undefined;
  let dev: string | undefined;
  while (!a.done) {
    const w = a.take();
    if (matches(w, 'lladdr')) {
      const v = a.value();
      const m = parseMac(v);
      if (!m) throw fail(1, `"${v}" is invalid lladdr.`);
      lladdr = m;
    } else if (w === 'nud') {
      const v = a.value();
      if (!(v in ALL_NUD) || v === 'all') throw invarg('nud state is bad', v);
      if (!(v in ADMIN_NUD)) throw notModelled(`"nud ${v}" on an administrative entry (permanent, reachable, stale and noarp are)`);
      nud = ADMIN_NUD[v];
    } else if (w === 'dev') dev = a.value();
    else if (w === 'proxy' || w === 'router' || w === 'extern_learn' || w === 'use' || w === 'managed' || matches(w, 'protocol')) {
      throw notModelled(`"ip neigh ... ${w}"`);
    } else {
      const v = w === 'to' ? a.value() : w;
      if (dst) throw duparg2('to', v);
      dst = parsePrefix(v);
    }
  }
  if (dev === undefined || !dst) throw fail(255, 'Device and destination are required arguments.');
  const key = dst.address;
  const devName = dev;
  const state: NudState = nud ?? 'PERMANENT';
  return (host) => {
    const d = device(host, devName);
    const n = host.neigh.lookup(key, d);
    if (mode === 'del') {
      if (!n) throw rtnl('No such file or directory');
      deleteNeighbour(host, n);
      return ok();
    }
    if (mode === 'add' && n) throw rtnl('File exists');
    if (mode === 'change' && !n) throw rtnl('No such file or directory');
    if (lladdr === undefined && !(n && n.mac !== undefined && isValidState(n.state)) && !d.noArp) {
      throw fail(2, 'Error: No link layer address given.');
    }
    // neigh_add: an entry created PERMANENT stays out of the garbage collector's count; any other may find the
    // table full (neigh_alloc: ENOBUFS).
    const entry = n ?? host.neigh.create(key, d, { permanent: state === 'PERMANENT' });
    if (!entry) throw rtnl('No buffer space available');
    host.neigh.update(entry, lladdr, state, { admin: true, override: true });
    return ok();
  };
}

function isValidState(s: NudState): boolean {
  return s === 'PERMANENT' || s === 'NOARP' || s === 'REACHABLE' || s === 'PROBE' || s === 'STALE' || s === 'DELAY';
}

/** neigh_delete / arp_invalidate: FAILED first (queued packets fail), then the entry goes. */
export function deleteNeighbour(host: Host, n: Neighbour): void {
  host.neigh.update(n, undefined, 'FAILED', { admin: true, override: true });
  host.neigh.delete(n);
}

function neighShow(a: Args, flush: boolean): IpRun {
  let dev: string | undefined;
  let to: InetPrefix | undefined;
  let states: Set<NudState> | undefined;
  let any = false;
  while (!a.done) {
    const w = a.take();
    any = true;
    if (w === 'dev') dev = a.value();
    else if (w === 'nud') {
      const v = a.value();
      const s = ALL_NUD[v];
      if (s === undefined) throw invarg('nud state is bad', v);
      states ??= new Set();
      if (s === 'all') {
        for (const x of Object.values(ALL_NUD)) if (x !== 'all') states.add(x);
      } else {
        states.add(s);
      }
    } else if (w === 'proxy' || w === 'unused' || w === 'vrf' || w === 'master') throw notModelled(`"ip neigh show ${w}"`);
    else if (w === 'all') to = { address: 0, prefixLen: 0, lenGiven: true };
    else {
      const v = w === 'to' ? a.value() : w;
      if (to) throw duparg2('to', v);
      to = parsePrefix(v);
    }
  }
  if (flush && !any) throw fail(1, 'Flush requires arguments.');
  // Default filter: everything but NOARP (and NONE); a flush also spares PERMANENT entries.
  const shown =
    states ??
    new Set<NudState>(flush ? ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED'] : ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'PERMANENT']);
  return (host) => {
    let devs: readonly Interface[] = host.interfaces;
    if (dev !== undefined) devs = [device(host, dev)];
    const picked = host.neigh.all(devs).filter((n) => shown.has(n.state) && (!to || inSubnet(n.key, to.address, to.prefixLen)));
    if (flush) {
      for (const n of picked) deleteNeighbour(host, n);
      return ok();
    }
    return { exit: 0, output: text(picked.map((n) => formatNeighbour(n, dev === undefined))) };
  };
}

/** print_neigh: `ADDR [dev DEV] [lladdr MAC] STATE`; `dev` is left out when the listing is for one device. */
export function formatNeighbour(n: Neighbour, withDev: boolean): string {
  let line = formatIpv4(n.key);
  if (withDev) line += ` dev ${n.dev.name}`;
  if (n.mac !== undefined && isValidState(n.state)) line += ` lladdr ${n.mac}`;
  return `${line} ${n.state}`;
}
