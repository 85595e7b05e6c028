import { defineCommand, fail, sync, text, type AdminCommand, type CommandResult } from './AdminCommand.ts';
import { deleteNeighbour } from './ip/neigh.ts';
import { Scope, type Host, type Interface, type Neighbour } from '../net/index.ts';
import { formatIpv4, parseIpv4, parseMac, type Ipv4Address, type MacAddress } from '../wire/index.ts';

/**
 * net-tools `arp` (arp.c) over /proc/net/arp and the SIOCSARP/SIOCDARP ioctls (net/ipv4/arp.c arp_req_set,
 * arp_req_delete). /proc/net/arp leaves out NOARP entries; an entry is "complete" (flag C) when its state is
 * valid and "permanent" (M) when PERMANENT. `arp -s` adds a PERMANENT entry (REACHABLE with `temp`) on the
 * device of the on-link route to the address, unless -i names one.
 */
interface ArpArgs {
  bsd: boolean;
  dev?: string;
  set?: { address: Ipv4Address; mac: MacAddress; temp: boolean };
  del?: Ipv4Address;
  filter?: Ipv4Address;
}

function resolve(name: string): Ipv4Address {
  const a = parseIpv4(name);
  if (a === undefined) throw fail(255, `${name}: Unknown host`);
  return a;
}

function parseArp(args: string[]) {
  const p: ArpArgs = { bsd: false };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-i' || a === '--device') {
      p.dev = args[++i];
      if (p.dev === undefined) throw fail(255, 'arp: option requires an argument -- \'i\'');
    } else if (a === '-H' || a === '-t' || a === '--hw-type') {
      if (args[++i] !== 'ether') throw fail(255, `arp: hardware type "${args[i] ?? ''}" is not modelled by lvs-lab (ether is)`);
    } else if (a === '-s' || a === '--set') {
      const host = args[++i];
      const hw = args[++i];
      if (host === undefined || hw === undefined) throw fail(255, 'arp: need host name');
      const mac = parseMac(hw);
      if (!mac) throw fail(255, 'arp: invalid hardware address');
      let temp = false;
      while (i + 1 < args.length && !args[i + 1].startsWith('-')) {
        const w = args[++i];
        if (w === 'temp') temp = true;
        else if (w === 'pub' || w === 'netmask' || w === 'dontpub' || w === 'trail') throw fail(255, `arp: "${w}" (proxy entries) is not modelled by lvs-lab`);
        else throw fail(255, `arp: unknown option "${w}"`);
      }
      p.set = { address: resolve(host), mac, temp };
    } else if (a === '-d' || a === '--delete') {
      const host = args[++i];
      if (host === undefined) throw fail(255, 'arp: need host name');
      p.del = resolve(host);
    } else if (/^-[aenv]+$/.test(a)) {
      if (a.includes('a')) p.bsd = true;
    } else if (a === '-f' || a === '-D' || a === '--file' || a === '--use-device') {
      throw fail(255, `arp: option "${a}" is not modelled by lvs-lab`);
    } else if (a.startsWith('-')) {
      throw fail(255, `arp: invalid option -- '${a.slice(1)}'`);
    } else rest.push(a);
  }
  if (rest.length > 1) throw fail(255, `arp: unknown argument "${rest[1]}"`);
  if (rest.length === 1) p.filter = resolve(rest[0]);
  return sync((host) => (p.set ? arpSet(host, p) : p.del !== undefined ? arpDel(host, p, p.del) : arpShow(host, p)));
}

export const arpCommand: AdminCommand = defineCommand('arp', parseArp);

/** arp_req_set's device: the one named, else the device of the on-link route (RTO_ONLINK) to the address. */
function deviceFor(host: Host, name: string | undefined, address: Ipv4Address, ioctl: string): Interface {
  if (name !== undefined) {
    const d = host.iface(name);
    if (!d) throw fail(255, `${ioctl}: No such device`);
    return d;
  }
  const r = host.fib.lookup({ dst: address, src: 0, mark: 0, tos: 0 }, Scope.link);
  const d = r.kind === 'route' && r.route.dev !== undefined ? host.iface(r.route.dev) : undefined;
  if (!d) throw fail(255, `${ioctl}: Network is unreachable`);
  return d;
}

function arpSet(host: Host, p: ArpArgs): CommandResult {
  const s = p.set!;
  const dev = deviceFor(host, p.dev, s.address, 'SIOCSARP');
  // arp_req_set creates the entry the ordinary way (counted, so it can find the table full: ENOBUFS); made
  // PERMANENT, it then leaves the garbage collector's list.
  const n = host.neigh.lookup(s.address, dev) ?? host.neigh.create(s.address, dev);
  if (!n) throw fail(255, 'SIOCSARP: No buffer space available');
  host.neigh.update(n, s.mac, s.temp ? 'REACHABLE' : 'PERMANENT', { admin: true, override: true });
  return { exit: 0, output: '' };
}

function arpDel(host: Host, p: ArpArgs, address: Ipv4Address): CommandResult {
  const devs = p.dev !== undefined ? host.interfaces.filter((d) => d.name === p.dev) : host.interfaces;
  const n = host.neigh.all(devs).find((x) => x.key === address && x.state !== 'NOARP');
  if (!n) throw fail(255, `No ARP entry for ${formatIpv4(address)}`);
  deleteNeighbour(host, n);
  return { exit: 0, output: '' };
}

function isComplete(n: Neighbour): boolean {
  return n.mac !== undefined && ['PERMANENT', 'REACHABLE', 'PROBE', 'STALE', 'DELAY'].includes(n.state);
}

function arpShow(host: Host, p: ArpArgs): CommandResult {
  const devs = p.dev !== undefined ? host.interfaces.filter((d) => d.name === p.dev) : host.interfaces;
  const all = host.neigh.all(host.interfaces).filter((n) => n.state !== 'NOARP');
  const shown = host.neigh.all(devs).filter((n) => n.state !== 'NOARP' && (p.filter === undefined || n.key === p.filter));
  const lines: string[] = [];
  if (!p.bsd && shown.length > 0) lines.push('Address                  HWtype  HWaddress           Flags Mask            Iface');
  for (const n of shown) {
    const ip = formatIpv4(n.key);
    const complete = isComplete(n);
    const flags = (complete ? 'C' : '') + (n.state === 'PERMANENT' ? 'M' : '');
    if (p.bsd) {
      const hw = complete ? `${n.mac} [ether] ` : '<incomplete> ';
      lines.push(`? (${ip}) at ${hw}${n.state === 'PERMANENT' ? 'PERM ' : ''}on ${n.dev.name}`);
    } else {
      const hw = complete ? 'ether'.padEnd(8) + n.mac!.padEnd(20) : ''.padEnd(8) + '(incomplete)'.padEnd(20);
      lines.push(`${ip.padEnd(23)}  ${hw}${flags.padEnd(6)}${''.padEnd(15)} ${n.dev.name}`);
    }
  }
  if (shown.length === 0 && p.filter !== undefined) {
    lines.push(`${formatIpv4(p.filter)} (${formatIpv4(p.filter)}) -- no entry`);
  } else if (shown.length === 0 && p.dev !== undefined) {
    lines.push(`arp: in ${all.length} entries no match found.`);
  }
  return { exit: 0, output: text(lines) };
}
