import type { Host, Interface } from '../net/index.ts';

/**
 * The device state the tools display, derived the way the kernel reports it (net/core/dev.c dev_get_flags,
 * include/uapi/linux/if.h): IFF_RUNNING / IFF_LOWER_UP need carrier, which an Ethernet device has only while
 * its cable is plugged; loopback and IPIP devices always have it.
 */
export function hasCarrier(dev: Interface): boolean {
  if (dev.kind !== 'ether') return true;
  return dev.port?.carrier ?? false;
}

export function isRunning(dev: Interface): boolean {
  return dev.up && hasCarrier(dev);
}

/** net_device flag bits (include/uapi/linux/if.h). */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  RUNNING: 0x40,
  NOARP: 0x80,
  MULTICAST: 0x1000,
} as const;

/** The flags SIOCGIFFLAGS returns for a device (ifconfig's `flags=`). */
export function deviceFlags(dev: Interface): number {
  let f = 0;
  if (dev.up) f |= IFF.UP;
  if (dev.kind === 'ether') f |= IFF.BROADCAST | IFF.MULTICAST;
  if (dev.kind === 'loopback') f |= IFF.LOOPBACK;
  if (dev.kind === 'ipip' || dev.arpOff) f |= IFF.NOARP;
  if (isRunning(dev)) f |= IFF.RUNNING;
  return f;
}

/**
 * Sets or clears IFF_NOARP on an Ethernet device (dev_change_flags). When the flag changes, arp_netdev_event
 * (NETDEV_CHANGE with IFF_NOARP in flags_changed) calls neigh_changeaddr, which flushes every neighbour entry of
 * the device, PERMANENT ones included: later lookups build fresh entries, NOARP ones while the flag is set.
 */
export function setArp(host: Host, dev: Interface, on: boolean): void {
  if (dev.kind !== 'ether' || dev.arpOff === !on) return;
  dev.arpOff = !on;
  for (const n of host.neigh.all([dev])) host.neigh.delete(n);
}

/** Natural order as net-tools sorts interface names (nstrcmp): `eth2` before `eth10`, `eth0` before `eth0:1`. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
