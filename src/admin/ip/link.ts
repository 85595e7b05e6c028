import { ok, fail, text } from '../AdminCommand.ts';
import { hasCarrier, setArp } from '../deviceState.ts';
import type { Host, Interface } from '../../net/index.ts';
import { Args, device, duparg2, extack, matches, notModelled, unknownCommand, type IpOptions, type IpRun } from './common.ts';

/**
 * `ip link show|set` (iproute2 ip/iplink.c, ip/ipaddress.c print_linkinfo). Devices are created by the scenario
 * (Ethernet, lo) or by `modprobe ipip` (tunl0); `ip link add` is not modelled.
 */

/** print_link_flags: the `<...>` list in iproute2's order. */
export function linkFlags(dev: Interface): string {
  const f: string[] = [];
  const carrier = hasCarrier(dev);
  if (dev.up && !carrier) f.push('NO-CARRIER');
  if (dev.kind === 'loopback') f.push('LOOPBACK');
  if (dev.kind === 'ether') f.push('BROADCAST', 'MULTICAST');
  if (dev.kind === 'ipip' || dev.arpOff) f.push('NOARP');
  if (dev.up) {
    f.push('UP');
    if (carrier) f.push('LOWER_UP');
  }
  return `<${f.join(',')}>`;
}

/** RFC 2863 operstate as the kernel reports it: lo and tunnels have no carrier detection (UNKNOWN). */
function operState(dev: Interface): string {
  if (!dev.up) return 'DOWN';
  if (dev.kind !== 'ether') return 'UNKNOWN';
  return hasCarrier(dev) ? 'UP' : 'DOWN';
}

function qdisc(dev: Interface): string {
  if (dev.kind === 'loopback') return 'noqueue';
  if (dev.kind === 'ipip') return dev.up ? 'noqueue' : 'noop';
  return 'fq_codel';
}

/** The first line of a device in `ip link` (withMode) and `ip addr`. */
export function linkHeader(dev: Interface, withMode: boolean): string {
  const name = dev.kind === 'ipip' ? `${dev.name}@NONE` : dev.name;
  return `${dev.index}: ${name}: ${linkFlags(dev)} mtu ${dev.mtu} qdisc ${qdisc(dev)} state ${operState(dev)}${withMode ? ' mode DEFAULT' : ''} group default qlen 1000`;
}

export function linkLine(dev: Interface): string {
  if (dev.kind === 'loopback') return `    link/loopback ${dev.mac} brd 00:00:00:00:00:00`;
  if (dev.kind === 'ipip') return '    link/ipip 0.0.0.0 brd 0.0.0.0';
  return `    link/ether ${dev.mac} brd ff:ff:ff:ff:ff:ff`;
}

/** Keywords of `ip link set` the lab does not model (they are refused by name, not taken for a device). */
const UNMODELLED_SET = [
  'name', 'index', 'link', 'address', 'broadcast', 'brd', 'txqueuelen', 'qlen', 'txqlen', 'netns', 'multicast',
  'allmulticast', 'promisc', 'trailers', 'carrier', 'vf', 'master', 'nomaster', 'dynamic', 'type', 'alias',
  'group', 'mode', 'state', 'xdp', 'protodown', 'gso_max_size', 'gso_max_segs', 'numtxqueues', 'numrxqueues', 'addrgenmode',
];

export function ipLink(a: Args, opts: IpOptions): IpRun {
  const cmd = a.done ? 'show' : a.take();
  if (matches(cmd, 'add')) throw notModelled('"ip link add" (devices come from the scenario; "modprobe ipip" creates tunl0)');
  if (matches(cmd, 'change') || matches(cmd, 'set')) return linkSet(a);
  if (matches(cmd, 'replace') || matches(cmd, 'delete')) throw notModelled(`"ip link ${cmd}"`);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return linkShow(a, opts);
  throw unknownCommand(cmd, 'link');
}

function linkSet(a: Args): IpRun {
  let dev: string | undefined;
  let up: boolean | undefined;
  let mtu: number | undefined;
  let arp: boolean | undefined;
  while (!a.done) {
    const w = a.take();
    if (w === 'up') up = true;
    else if (w === 'arp') {
      // iplink.c: `arp on|off` clears or sets IFF_NOARP.
      const v = a.value();
      if (v !== 'on' && v !== 'off') throw fail(255, `Error: argument of "arp" must be "on" or "off", not "${v}"`);
      arp = v === 'on';
    }
    else if (w === 'down') up = false;
    else if (w === 'mtu') {
      const v = a.value();
      if (!/^\d+$/.test(v)) throw fail(255, `Error: argument "${v}" is wrong: Invalid "mtu" value`);
      mtu = Number(v);
    } else if (UNMODELLED_SET.includes(w)) {
      throw notModelled(`"ip link set ... ${w}"`);
    } else {
      const name = w === 'dev' ? a.value() : w;
      if (dev !== undefined) throw duparg2('dev', name);
      dev = name;
    }
  }
  if (dev === undefined) throw fail(255, 'Not enough information: "dev" argument is required.');
  const name = dev;
  return (host) => {
    const d = device(host, name);
    if (mtu !== undefined) {
      // dev_validate_mtu: Ethernet min 68; the lab's virtual NICs allow up to 65535 like veth.
      if (mtu < 68) throw extack('mtu less than device minimum');
      if (mtu > 65535) throw extack('mtu greater than device maximum');
      d.mtu = mtu;
    }
    if (arp !== undefined) setArp(host, d, arp);
    if (up !== undefined) host.setLinkUp(d, up);
    return ok();
  };
}

function linkShow(a: Args, _opts: IpOptions): IpRun {
  let dev: string | undefined;
  let onlyUp = false;
  while (!a.done) {
    const w = a.take();
    if (w === 'up') onlyUp = true;
    else {
      const name = w === 'dev' ? a.value() : w;
      if (dev !== undefined) throw duparg2('dev', name);
      dev = name;
    }
  }
  return (host: Host) => {
    let devs = host.interfaces;
    if (dev !== undefined) {
      const d = host.iface(dev);
      if (!d) throw fail(1, `Device "${dev}" does not exist.`);
      devs = [d];
    }
    const lines: string[] = [];
    for (const d of devs) {
      if (onlyUp && !d.up) continue;
      lines.push(linkHeader(d, true), linkLine(d));
    }
    return { exit: 0, output: text(lines) };
  };
}
