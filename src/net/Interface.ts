import { broadcastOf, inSubnet, isLoopback, type Ipv4Address, type MacAddress } from '../wire/index.ts';
import type { Port } from './link/Port.ts';

/** Route/address scopes (include/uapi/linux/rtnetlink.h): a larger number is narrower. */
export const Scope = {
  global: 0,
  site: 200,
  link: 253,
  host: 254,
  nowhere: 255,
} as const;

export function scopeName(s: number): string {
  switch (s) {
    case 0:
      return 'global';
    case 200:
      return 'site';
    case 253:
      return 'link';
    case 254:
      return 'host';
    case 255:
      return 'nowhere';
    default:
      return String(s);
  }
}

/** One IPv4 address on an interface (struct in_ifaddr). */
export interface InterfaceAddress {
  readonly address: Ipv4Address;
  readonly prefixLen: number;
  readonly broadcast?: Ipv4Address;
  readonly scope: number;
  /** `eth0`, or an alias label such as `eth0:0` / `eth0:110` (ifconfig aliases are labels, not devices). */
  readonly label: string;
  secondary: boolean;
}

export type InterfaceKind = 'ether' | 'loopback' | 'ipip';

/**
 * A network device of a host: MAC, MTU, administrative state, its addresses in the kernel's list order, and for
 * Ethernet devices the port of the cable into its segment's switch.
 */
export class Interface {
  readonly addresses: InterfaceAddress[] = [];
  up: boolean;
  port: Port | undefined;
  /**
   * IFF_NOARP set by the administrator (`ip link set DEV arp off`, `ifconfig DEV -arp`) on an Ethernet device:
   * arp_rcv discards every ARP frame it receives, arp_constructor makes its neighbour entries NOARP (no
   * solicitation; the kernel copies the device's own address into them), and arp_send_dst sends nothing on it.
   */
  arpOff = false;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly kind: InterfaceKind,
    public mac: MacAddress,
    public mtu: number,
  ) {
    // lo is up from boot; Ethernet devices in a scenario start up (the scenario describes a configured host);
    // tunl0 starts down like a freshly loaded ipip module's fallback device.
    this.up = kind !== 'ipip';
  }

  /** NOARP devices never resolve neighbours and ignore ARP (loopback, IPIP, and Ethernet with `arp off`). */
  get noArp(): boolean {
    return this.kind !== 'ether' || this.arpOff;
  }

  /** Primary addresses in list order (what inet_select_addr walks). */
  primaries(): InterfaceAddress[] {
    return this.addresses.filter((a) => !a.secondary);
  }

  hasAddress(a: Ipv4Address): boolean {
    return this.addressCounts.has(a);
  }

  /**
   * How many entries of `addresses` hold each address, kept by insertAddress and removeAddress (the only
   * writers of the list): `hasAddress` runs for every packet a host receives (source validation), and a host
   * standing for a client population holds thousands of addresses.
   */
  private readonly addressCounts = new Map<Ipv4Address, number>();

  private counted(a: Ipv4Address, delta: 1 | -1): void {
    const n = (this.addressCounts.get(a) ?? 0) + delta;
    if (n > 0) this.addressCounts.set(a, n);
    else this.addressCounts.delete(a);
  }

  findAddress(a: Ipv4Address): InterfaceAddress | undefined {
    return this.addresses.find((x) => x.address === a);
  }

  /**
   * Inserts an address with the kernel's primary/secondary rule (__inet_insert_ifa): an address inside the
   * subnet of an existing address with the same prefix length becomes secondary and goes last; a new primary is
   * placed after the last primary of equal or wider scope... returns an errno-style error.
   */
  insertAddress(spec: Omit<InterfaceAddress, 'secondary'>): 'EEXIST' | 'EINVAL' | InterfaceAddress {
    // inet_set_ifa forces host scope only for 127/8 (linux-arp-routing.md §2.2), before the insert compares scopes.
    const scope = isLoopback(spec.address) && spec.scope === 0 ? 254 : spec.scope;
    let secondary = false;
    // A /32 shares a subnet only with itself: unless the address is already here, nothing below can match
    // (the shortcut keeps a population of thousands of /32s from costing a scan per address).
    const alone = spec.prefixLen === 32 && !this.addressCounts.has(spec.address);
    if (!alone) for (const x of this.addresses) {
      if (x.prefixLen === spec.prefixLen && inSubnet(spec.address, x.address, x.prefixLen)) {
        if (x.address === spec.address) return 'EEXIST';
        if (x.scope !== scope) return 'EINVAL';
        secondary = true;
      }
    }
    const entry: InterfaceAddress = { ...spec, scope, secondary };
    this.counted(entry.address, 1);
    if (secondary) {
      this.addresses.push(entry);
    } else {
      // After the last primary of equal or wider scope: searched from the end, where it usually is.
      let at = this.addresses.length;
      while (at > 0 && !(!this.addresses[at - 1].secondary && this.addresses[at - 1].scope >= entry.scope)) at--;
      this.addresses.splice(at, 0, entry);
    }
    return entry;
  }

  /** Removes an address; removing a primary removes its secondaries unless promotion is on. */
  removeAddress(a: Ipv4Address, prefixLen: number | undefined, promote: boolean): InterfaceAddress[] | undefined {
    const i = this.addresses.findIndex((x) => x.address === a && (prefixLen === undefined || x.prefixLen === prefixLen));
    if (i < 0) return undefined;
    const [gone] = this.addresses.splice(i, 1);
    this.counted(gone.address, -1);
    const removed = [gone];
    if (!gone.secondary) {
      const subs = this.addresses.filter((x) => x.secondary && x.prefixLen === gone.prefixLen && inSubnet(x.address, gone.address, gone.prefixLen));
      if (promote && subs.length > 0) {
        subs[0].secondary = false;
      } else {
        for (const s of subs) {
          this.addresses.splice(this.addresses.indexOf(s), 1);
          this.counted(s.address, -1);
          removed.push(s);
        }
      }
    }
    return removed;
  }

  /** Default broadcast for `ip addr add ... brd +`. */
  static defaultBroadcast(address: Ipv4Address, prefixLen: number): Ipv4Address | undefined {
    return prefixLen >= 31 ? undefined : broadcastOf(address, prefixLen);
  }
}
