import { CommandError, defineCommand, fail, sync, text, type AdminCommand, type CommandResult } from './AdminCommand.ts';
import { deviceFlags, IFF, naturalCompare, setArp } from './deviceState.ts';
import { Scope, type Host, type Interface, type InterfaceAddress } from '../net/index.ts';
import { broadcastOf, formatIpv4, isMulticast, maskToPrefix, parseIpv4, prefixMask, type Ipv4Address } from '../wire/index.ts';

/**
 * net-tools `ifconfig` (ifconfig.c, lib/interface.c) over the kernel's ioctl path (net/ipv4/devinet.c
 * devinet_ioctl). An alias `eth0:110` is not a device: it is the first address labelled `eth0:110` on eth0.
 * Each argument is one ioctl, applied in order as ifconfig does: SIOCSIFADDR gives a new address the classful
 * prefix and broadcast (inet_abc_len) and scope global (host only for 127/8, inet_set_ifa); `netmask` and
 * `broadcast` then replace it (delete and re-insert, as the kernel does). Setting an address on a device (not an
 * alias) also brings it up. Counters (RX/TX packets) are not shown: the lab does not keep them per device.
 */

type Op =
  | { kind: 'address'; value: Ipv4Address }
  | { kind: 'netmask'; value: Ipv4Address }
  | { kind: 'broadcast'; value: Ipv4Address }
  | { kind: 'up' }
  | { kind: 'down' }
  | { kind: 'arp'; on: boolean }
  | { kind: 'mtu'; value: number };

const UNMODELLED = [
  'trailers', '-trailers', 'promisc', '-promisc', 'multicast', '-multicast', 'allmulti', '-allmulti',
  'dynamic', '-dynamic', 'metric', 'pointopoint', '-pointopoint', 'dstaddr', 'hw', '-broadcast', 'add', 'del',
  'tunnel', 'outfill', 'keepalive', 'io_addr', 'irq', 'mem_start', 'media', 'txqueuelen', 'address',
];

function unknownHost(arg: string): CommandError {
  return fail(1, `${arg}: Unknown host`, "ifconfig: `--help' gives usage information.");
}

function parseIfconfig(args: string[]) {
  let all = false;
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    const o = args[i];
    if (o === '-a') all = true;
    else if (o === '-v') {
      // verbose: nothing more to say in the lab
    } else throw fail(1, `ifconfig: option "${o}" is not modelled by lvs-lab`);
    i++;
  }
  const name = args[i];
  if (name === undefined) return sync((host) => display(host, all, undefined));
  const ops: Op[] = [];
  for (let j = i + 1; j < args.length; j++) {
    const w = args[j];
    const next = (): string => {
      const v = args[++j];
      if (v === undefined) throw fail(1, "ifconfig: `--help' gives usage information.");
      return v;
    };
    if (w === 'up') ops.push({ kind: 'up' });
    else if (w === 'down') ops.push({ kind: 'down' });
    else if (w === 'arp' || w === '-arp') ops.push({ kind: 'arp', on: w === 'arp' });
    else if (w === 'netmask') {
      const v = next();
      const m = parseIpv4(v);
      if (m === undefined) throw unknownHost(v);
      ops.push({ kind: 'netmask', value: m });
    } else if (w === 'broadcast') {
      const v = next();
      const b = parseIpv4(v);
      if (b === undefined) throw unknownHost(v);
      ops.push({ kind: 'broadcast', value: b });
    } else if (w === 'mtu') {
      const v = next();
      if (!/^\d+$/.test(v)) throw fail(1, "ifconfig: `--help' gives usage information.");
      ops.push({ kind: 'mtu', value: Number(v) });
    } else if (UNMODELLED.includes(w)) {
      throw fail(1, `ifconfig: "${w}" is not modelled by lvs-lab`);
    } else {
      const addr = parseIpv4(w);
      if (addr === undefined) throw unknownHost(w);
      ops.push({ kind: 'address', value: addr });
    }
  }
  if (ops.length === 0) return sync((host) => display(host, true, name));
  return sync((host) => configure(host, name, ops));
}

export const ifconfigCommand: AdminCommand = defineCommand('ifconfig', parseIfconfig);

// ------------------------------------------------------------------------------------------- configure

/** inet_abc_len: the classful prefix SIOCSIFADDR gives a new address; undefined for class E (EINVAL). */
function classfulPrefix(a: Ipv4Address): number | undefined {
  if (a === 0 || a === 0xffffffff) return 0;
  const top = a >>> 24;
  if (top < 128) return 8;
  if (top < 192) return 16;
  if (top < 224) return 24;
  if (isMulticast(a)) return 4;
  return undefined;
}

function configure(host: Host, name: string, ops: Op[]): CommandResult {
  const colon = name.indexOf(':');
  const alias = colon >= 0;
  const dev = host.iface(alias ? name.slice(0, colon) : name);
  const out: string[] = [];
  let failed = false;
  const err = (line: string) => {
    out.push(line);
    failed = true;
  };
  /** The address the ioctls act on: the first one labelled with the name typed (devinet_ioctl). */
  const current = (): InterfaceAddress | undefined => dev?.addresses.find((x) => x.label === name);
  const hasBroadcast = dev !== undefined && (deviceFlags(dev) & IFF.BROADCAST) !== 0;

  const reinsert = (ioctl: string, old: InterfaceAddress, change: Partial<Pick<InterfaceAddress, 'prefixLen' | 'broadcast'>>) => {
    host.delAddress(dev!, old.address, old.prefixLen);
    const r = host.addAddress(dev!, {
      address: old.address,
      prefixLen: change.prefixLen ?? old.prefixLen,
      broadcast: 'broadcast' in change ? change.broadcast : old.broadcast,
      scope: old.scope,
      label: old.label,
    });
    if (r === 'EEXIST') err(`${ioctl}: File exists`);
    else if (r === 'EINVAL') err(`${ioctl}: Invalid argument`);
  };

  for (const op of ops) {
    if (!dev) {
      if (op.kind === 'address') err('SIOCSIFADDR: No such device');
      else if (op.kind === 'netmask') err('SIOCSIFNETMASK: No such device');
      else if (op.kind === 'broadcast') err('SIOCSIFBRDADDR: No such device');
      else if (op.kind === 'mtu') err('SIOCSIFMTU: No such device');
      if (op.kind === 'address' || op.kind === 'up' || op.kind === 'down' || op.kind === 'arp') err(`${name}: ERROR while getting interface flags: No such device`);
      continue;
    }
    switch (op.kind) {
      case 'address': {
        const prefixLen = classfulPrefix(op.value);
        if (prefixLen === undefined) {
          err('SIOCSIFADDR: Invalid argument');
          break;
        }
        const old = current();
        if (old && old.address === op.value) break;
        if (old) host.delAddress(dev, old.address, old.prefixLen);
        // inet_set_ifa: address 0.0.0.0 only removes what was there.
        if (op.value !== 0) {
          const broadcast = hasBroadcast && prefixLen < 31 ? broadcastOf(op.value, prefixLen) : undefined;
          const r = host.addAddress(dev, { address: op.value, prefixLen, broadcast, scope: Scope.global, label: name });
          if (r === 'EEXIST') err('SIOCSIFADDR: File exists');
          else if (r === 'EINVAL') err('SIOCSIFADDR: Invalid argument');
        }
        // ifconfig then sets IFF_UP|IFF_RUNNING on the name; on an alias that changes nothing.
        if (!alias) host.setLinkUp(dev, true);
        break;
      }
      case 'netmask': {
        const old = current();
        if (!old) {
          err('SIOCSIFNETMASK: Cannot assign requested address');
          break;
        }
        const len = maskToPrefix(op.value);
        if (len === undefined) {
          err('SIOCSIFNETMASK: Invalid argument');
          break;
        }
        if (len === old.prefixLen) break;
        // The broadcast follows the mask only while it was the default one for the old mask.
        const wasDefault = old.broadcast !== undefined && old.broadcast === broadcastOf(old.address, old.prefixLen);
        const broadcast = hasBroadcast && len < 31 && wasDefault ? broadcastOf(old.address, len) : old.broadcast;
        reinsert('SIOCSIFNETMASK', old, { prefixLen: len, broadcast });
        break;
      }
      case 'broadcast': {
        const old = current();
        if (!old) {
          err('SIOCSIFBRDADDR: Cannot assign requested address');
          break;
        }
        if (old.broadcast !== op.value) reinsert('SIOCSIFBRDADDR', old, { broadcast: op.value });
        break;
      }
      case 'arp':
        // devinet_ioctl SIOCSIFFLAGS: on the device itself dev_change_flags sets or clears IFF_NOARP; on an alias
        // label only IFF_UP matters, so the flag is left alone.
        if (!alias) setArp(host, dev, op.on);
        break;
      case 'mtu':
        if (op.value < 68 || op.value > 65535) err('SIOCSIFMTU: Invalid argument');
        else dev.mtu = op.value;
        break;
      case 'up':
      case 'down': {
        if (!alias) {
          host.setLinkUp(dev, op.kind === 'up');
          break;
        }
        const old = current();
        if (!old) {
          err(`${name}: ERROR while getting interface flags: Cannot assign requested address`);
          break;
        }
        // SIOCSIFFLAGS on an alias without IFF_UP deletes that address (devinet_ioctl).
        if (op.kind === 'down') host.delAddress(dev, old.address, old.prefixLen);
        break;
      }
    }
  }
  return { exit: failed ? 1 : 0, output: text(out) };
}

// --------------------------------------------------------------------------------------------- display

interface Entry {
  name: string;
  dev: Interface;
  addr?: InterfaceAddress;
}

function entries(host: Host): Entry[] {
  const out: Entry[] = [];
  for (const dev of host.interfaces) {
    out.push({ name: dev.name, dev, addr: dev.addresses.find((x) => x.label === dev.name) });
    const seen = new Set<string>();
    for (const x of dev.addresses) {
      if (x.label === dev.name || seen.has(x.label)) continue;
      seen.add(x.label);
      out.push({ name: x.label, dev, addr: x });
    }
  }
  return out.sort((a, b) => naturalCompare(a.name, b.name));
}

const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [IFF.UP, 'UP'],
  [IFF.BROADCAST, 'BROADCAST'],
  [IFF.LOOPBACK, 'LOOPBACK'],
  [IFF.POINTOPOINT, 'POINTOPOINT'],
  [IFF.RUNNING, 'RUNNING'],
  [IFF.NOARP, 'NOARP'],
  [IFF.MULTICAST, 'MULTICAST'],
];

function block(e: Entry): string[] {
  const flags = deviceFlags(e.dev);
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  const lines = [`${e.name}: flags=${flags}<${names.join(',')}>  mtu ${e.dev.mtu}`];
  if (e.addr) {
    let l = `        inet ${formatIpv4(e.addr.address)}  netmask ${formatIpv4(prefixMask(e.addr.prefixLen))}`;
    if (flags & IFF.BROADCAST) l += `  broadcast ${formatIpv4(e.addr.broadcast ?? 0)}`;
    lines.push(l);
  }
  if (e.dev.kind === 'loopback') lines.push('        loop  txqueuelen 1000  (Local Loopback)');
  else if (e.dev.kind === 'ipip') lines.push('        tunnel   txqueuelen 1000  (IPIP Tunnel)');
  else lines.push(`        ether ${e.dev.mac}  txqueuelen 1000  (Ethernet)`);
  lines.push('');
  return lines;
}

function display(host: Host, all: boolean, only: string | undefined): CommandResult {
  const list = entries(host);
  if (only !== undefined) {
    const e = list.find((x) => x.name === only);
    if (!e) throw fail(1, `${only}: error fetching interface information: Device not found`);
    return { exit: 0, output: text(block(e)) };
  }
  const lines: string[] = [];
  for (const e of list) if (all || e.dev.up) lines.push(...block(e));
  return { exit: 0, output: text(lines) };
}
