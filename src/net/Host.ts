import type { RandomStream } from '../sim/index.ts';
import { summarizeFrame, summarizePacket, type DropReason } from '../trace/index.ts';
import {
  EtherType,
  formatIpv4,
  IPV4_BROADCAST,
  isLoopback,
  isMulticastMac,
  MAC_BROADCAST,
  networkOf,
  broadcastOf,
  type ArpPacket,
  type Frame,
  type Ipv4Address,
  type Ipv4Packet,
  type MacAddress,
} from '../wire/index.ts';
import { Interface, Scope, type InterfaceAddress, type InterfaceKind } from './Interface.ts';
import type { Cable } from './link/Cable.ts';
import type { WireFrame } from './link/Switch.ts';
import type { NetContext } from './NetContext.ts';
import { NeighbourTable, type Neighbour } from './neigh/NeighbourTable.ts';
import type { GcRemoval } from './neigh/neighbourGc.ts';
import { Hooks } from './netfilter/Hooks.ts';
import { Fib } from './route/Fib.ts';
import { OutputRouteCache } from './route/routeOutput.ts';
import { TABLE_LOCAL, TABLE_MAIN, type Route } from './route/Route.ts';
import type { Skb } from './Skb.ts';
import { Sysctls } from './sysctl/Sysctls.ts';
import { arpInput, sendArpRequest, sendGratuitous } from './neigh/arp.ts';
import { ipRcv } from './ipv4/ipInput.ts';
import { IcmpLimiter } from './ipv4/icmpSend.ts';
import { Sockets } from './socket/Sockets.ts';
import { Iptables } from './netfilter/Iptables.ts';

export type HostRole = 'client' | 'router' | 'director' | 'real-server' | 'server';

/**
 * A Linux host (one network namespace): interfaces with addresses, the routing tables and rules, the neighbour
 * table, sysctls, netfilter hooks and sockets. The packet path itself lives in ipv4/, neigh/ and socket/ as
 * named steps over this state; this class holds the state and the control operations `ip`, `ifconfig`,
 * `route` and `sysctl` map onto.
 */
export class Host {
  readonly sysctls = new Sysctls();
  readonly fib = new Fib();
  readonly hooks = new Hooks();
  readonly interfaces: Interface[] = [];
  readonly neigh: NeighbourTable;
  readonly icmpLimiter: IcmpLimiter;
  readonly sockets: Sockets;
  readonly iptables: Iptables;
  /** Next-hop overrides learned from ICMP redirects (destination → gateway). */
  readonly redirects = new Map<Ipv4Address, Ipv4Address>();
  /**
   * Bumped by every change to what output routing reads besides the FIB: interfaces added, brought up or
   * down, addresses added or removed, redirect exceptions learned or forgotten (see `configChanged`).
   */
  configVersion = 0;
  /** Output routes already resolved (src/net/route/routeOutput.ts), checked against the versions. */
  readonly outputRoutes = new OutputRouteCache();
  private readonly redirectRate = new Map<Ipv4Address, { count: number; last: number }>();
  private nextIfIndex = 1;
  private ipIdent = 0;
  /** A crashed host neither sends nor receives. */
  alive = true;
  /**
   * Kernel state that lives outside this file and dies with the host (the IPVS connection table): each
   * listener forgets its part when the host crashes. net knows nothing of IPVS; IPVS registers here.
   */
  private readonly crashListeners: Array<() => void> = [];
  /**
   * Packet sockets listening to ARP (what `arping` opens): each sees every ARP frame a device accepts, before
   * the kernel's own ARP processing, which still happens.
   */
  readonly arpTaps: Array<(dev: Interface, frame: Frame, arp: ArpPacket) => void> = [];
  /**
   * Listeners to link changes, as a netlink RTM_NEWLINK subscriber hears them (keepalived's interface
   * tracking): told after an interface went administratively up or down, or its carrier came or went.
   */
  private readonly linkWatchers: Array<(dev: Interface) => void> = [];

  constructor(
    readonly ctx: NetContext,
    readonly name: string,
    readonly role?: HostRole,
  ) {
    this.neigh = new NeighbourTable({
      sim: ctx.sim,
      param: (dev, p) => this.sysctls.neighValue(dev, p),
      tableParam: (p) => this.sysctls.neighValue('default', p),
      stream: (dev) => ctx.streams.get(`host:${name}/neigh:${dev}`),
      solicit: (n, unicast, trigger) => sendArpRequest(this, n, unicast, trigger),
      changed: (n) => this.traceNeigh(n),
      collected: (n, why) => this.traceNeigh(n, why),
      tableFull: (key, dev) => {
        const t = this.ctx.tracer;
        if (t.enabled) t.emit({ kind: 'neigh', host: this.name, iface: dev.name, address: formatIpv4(key), state: 'NONE', event: 'table-full' });
      },
    });
    this.sysctls.onNeighChange(() => this.neigh.paramsChanged());
    this.icmpLimiter = new IcmpLimiter(ctx.sim);
    this.sockets = new Sockets(this);
    this.iptables = new Iptables(this);
    const lo = this.addInterface('lo', 'loopback', '00:00:00:00:00:00', 65536);
    this.addAddress(lo, { address: 0x7f000001, prefixLen: 8, scope: Scope.host, label: 'lo' });
  }

  /** The host's named random stream for `purpose` (`tcp-isn`, `app:web`, ...). */
  stream(purpose: string): RandomStream {
    return this.ctx.streams.get(`host:${this.name}/${purpose}`);
  }

  // ---------------------------------------------------------------- interfaces

  addInterface(name: string, kind: InterfaceKind, mac: MacAddress, mtu: number): Interface {
    const dev = new Interface(name, this.nextIfIndex++, kind, mac, mtu);
    this.interfaces.push(dev);
    this.configChanged();
    this.sysctls.addInterface(name);
    return dev;
  }

  /** The `tunl0` fallback device of the ipip module, created on first use (ipip_init_net). */
  ensureTunl0(): Interface {
    return this.iface('tunl0') ?? this.addInterface('tunl0', 'ipip', '00:00:00:00:00:00', 1480);
  }

  iface(name: string): Interface | undefined {
    return this.interfaces.find((d) => d.name === name);
  }

  get loopback(): Interface {
    return this.interfaces[0];
  }

  /** Connects an Ethernet interface to a cable into its segment's switch. */
  plug(dev: Interface, cable: Cable): void {
    dev.port = cable;
    cable.onTx = (f, fid) => {
      const t = this.ctx.tracer;
      if (t.packets) t.frame('tx', this.name, dev.name, fid, summarizeFrame(f));
    };
    cable.onRx = (wf) => this.frameArrived(dev, wf);
    cable.onDrop = (wf, reason) => {
      const t = this.ctx.tracer;
      if (t.enabled) t.emit({ kind: 'drop', host: this.name, iface: dev.name, frame: wf.fid, pkt: summarizeFrame(wf.frame), reason });
    };
  }

  /** `ip link set DEV up|down`. Bringing a device up adds its prefix routes; down removes them. */
  setLinkUp(dev: Interface, up: boolean): void {
    if (dev.up === up) return;
    dev.up = up;
    this.configChanged();
    if (up) {
      for (const a of dev.addresses) this.addAddressRoutes(dev, a);
      // arp_send_dst sends nothing on a NOARP device (IFF_NOARP: lo, tunl0, `arp off`).
      if (!dev.noArp && this.sysctls.confValue(dev.name, 'arp_notify')) {
        // inetdev_send_gratuitous_arp: every address on the device, secondaries included, in list order.
        for (const a of dev.addresses) sendGratuitous(this, dev, a.address);
      }
    } else {
      this.fib.removeWhere((r) => r.dev === dev.name && !(r.table === TABLE_LOCAL && r.type === 'local'));
      for (const n of this.neigh.all([dev])) if (n.state !== 'PERMANENT') this.neigh.delete(n);
    }
    const t = this.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'link', host: this.name, iface: dev.name, state: up ? 'up' : 'down' });
    this.linkChanged(dev);
  }

  /** Subscribes to link changes (RTM_NEWLINK); returns the unsubscribe. */
  watchLinks(fn: (dev: Interface) => void): () => void {
    this.linkWatchers.push(fn);
    return () => {
      const i = this.linkWatchers.indexOf(fn);
      if (i >= 0) this.linkWatchers.splice(i, 1);
    };
  }

  /**
   * The device's administrative state or carrier changed (`setLinkUp`, or its cable unplugged or plugged in —
   * the carrier is the cable's, so whoever changes the cable calls this): the kernel's RTM_NEWLINK.
   */
  linkChanged(dev: Interface): void {
    for (const fn of [...this.linkWatchers]) fn(dev);
  }

  // ---------------------------------------------------------------- power

  /**
   * The host stops (a kernel panic, the power cord): from now on it neither sends nor receives, every frame
   * arriving or leaving is dropped as `host-down`. Its TCP connections die with it: each endpoint is aborted
   * now, so no timer of a dead host fires later; the RST an abort would send never leaves (it is traced as a
   * `host-down` drop, the last thing the dying stack tried). The memory a reboot forgets goes now too, so no
   * neighbour timer of a dead host fires: learned neighbour entries (packets waiting on one are dropped) and
   * ICMP-redirect routes. Returns false when the host was already down.
   */
  crash(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    for (const c of this.sockets.tcpConnections()) c.endpoint.abort();
    for (const n of this.neigh.all(this.interfaces)) if (n.state !== 'PERMANENT' && n.state !== 'NOARP') this.neigh.delete(n);
    this.redirects.clear();
    this.redirectRate.clear();
    this.configChanged();
    for (const forget of this.crashListeners) forget();
    return true;
  }

  /** `forget` runs when the host crashes, after its own memory is gone (see crashListeners). */
  onCrash(forget: () => void): void {
    this.crashListeners.push(forget);
  }

  /**
   * The host boots again with its configuration (addresses, routes, rules, sysctls, static neighbour entries:
   * what its boot scripts would set again); what it forgot at the crash stays forgotten. Listening services
   * run again. Returns false when the host was running.
   */
  restart(): boolean {
    if (this.alive) return false;
    this.alive = true;
    return true;
  }

  // ---------------------------------------------------------------- addresses

  addAddress(dev: Interface, spec: Omit<InterfaceAddress, 'secondary'>): 'EEXIST' | 'EINVAL' | InterfaceAddress {
    const r = dev.insertAddress(spec);
    if (typeof r === 'string') return r;
    this.configChanged();
    this.addAddressRoutes(dev, r);
    return r;
  }

  delAddress(dev: Interface, address: Ipv4Address, prefixLen: number | undefined): InterfaceAddress[] | undefined {
    const promote = this.sysctls.confValue(dev.name, 'promote_secondaries') === 1;
    const gone = dev.removeAddress(address, prefixLen, promote);
    if (!gone) return undefined;
    this.configChanged();
    for (const a of gone) {
      this.fib.removeWhere((r) => r.dev === dev.name && r.proto === 'kernel' && (r.prefsrc === a.address || (r.type === 'local' && r.dst === a.address)));
    }
    // Routes whose gateway is no longer reachable on-link disappear too (fib_sync_down_addr, simplified).
    for (const a of dev.addresses) this.addAddressRoutes(dev, a);
    return gone;
  }

  /** fib_add_ifaddr: the local, broadcast and prefix routes an address brings (reference §2.3). */
  private addAddressRoutes(dev: Interface, a: InterfaceAddress): void {
    const prim = a.secondary ? this.primaryFor(dev, a)?.address ?? a.address : a.address;
    const name = dev.name;
    // Written out rather than spread from a shared base: a client population adds thousands of these.
    this.fib.add(kernelRoute(name, TABLE_LOCAL, 'local', a.address, 32, Scope.host, prim));
    if (!dev.up) return;
    if (a.broadcast !== undefined && a.broadcast !== IPV4_BROADCAST && a.broadcast !== 0) {
      this.fib.add(kernelRoute(name, TABLE_LOCAL, 'broadcast', a.broadcast, 32, Scope.link, prim));
    }
    const prefix = networkOf(a.address, a.prefixLen);
    if (!a.secondary && prefix >>> 24 !== 0 && (prefix !== a.address || a.prefixLen < 32)) {
      if (dev.kind === 'loopback') {
        this.fib.add(kernelRoute(name, TABLE_LOCAL, 'local', prefix, a.prefixLen, Scope.host, prim));
      } else {
        this.fib.add(kernelRoute(name, TABLE_MAIN, 'unicast', prefix, a.prefixLen, Scope.link, prim));
      }
      if (a.prefixLen < 31 && dev.kind !== 'loopback') {
        this.fib.add(kernelRoute(name, TABLE_LOCAL, 'broadcast', broadcastOf(a.address, a.prefixLen), 32, Scope.link, prim));
      }
    }
  }

  private primaryFor(dev: Interface, a: InterfaceAddress): InterfaceAddress | undefined {
    return dev.addresses.find((x) => !x.secondary && x.prefixLen === a.prefixLen && networkOf(x.address, x.prefixLen) === networkOf(a.address, a.prefixLen));
  }

  /** inet_addr_type == RTN_LOCAL: the local table says the address is ours. */
  isLocalAddress(a: Ipv4Address): boolean {
    const r = this.fib.lookupTable(TABLE_LOCAL, a, 0, undefined);
    return r !== undefined && r.type === 'local';
  }

  /** Something output routing reads changed (see `configVersion`); callers that change `redirects` call it. */
  configChanged(): void {
    this.configVersion++;
  }

  /** An address configured on some interface of this host. */
  ownsAddress(a: Ipv4Address): boolean {
    for (const d of this.interfaces) if (d.hasAddress(a)) return true;
    return false;
  }

  // ---------------------------------------------------------------- routes

  /** Adds a route, checking that the gateway is reachable on-link (fib_check_nh). */
  addRoute(r: Route, replace = false): 'EEXIST' | 'ENETUNREACH' | 'ENODEV' | undefined {
    if (r.dev !== undefined && !this.iface(r.dev)) return 'ENODEV';
    let route = r;
    if (r.gateway !== undefined && r.type === 'unicast') {
      const via = this.fib.lookup({ dst: r.gateway, src: 0, mark: 0, tos: 0, oif: r.dev }, Scope.link);
      if (via.kind !== 'route' || via.route.type !== 'unicast' || via.route.gateway !== undefined) return 'ENETUNREACH';
      if (r.dev === undefined) route = { ...r, dev: via.route.dev };
    }
    if (r.type === 'local' && r.proto !== 'kernel') this.fib.customLocalRoutes = true;
    if (replace) {
      this.fib.replace(route);
      return undefined;
    }
    return this.fib.add(route);
  }

  // ---------------------------------------------------------------- receive and transmit

  private frameArrived(dev: Interface, wf: WireFrame): void {
    const f = wf.frame;
    const t = this.ctx.tracer;
    if (!this.alive) {
      if (t.enabled) t.emit({ kind: 'drop', host: this.name, iface: dev.name, frame: wf.fid, pkt: summarizeFrame(f), reason: 'host-down' });
      return;
    }
    if (!dev.up) {
      if (t.enabled) t.emit({ kind: 'drop', host: this.name, iface: dev.name, frame: wf.fid, pkt: summarizeFrame(f), reason: 'link-down' });
      return;
    }
    const dst = f.eth.dst;
    const bcast = dst === MAC_BROADCAST;
    const mcast = !bcast && isMulticastMac(dst);
    if (!bcast && !mcast && dst !== dev.mac) {
      if (t.enabled) t.emit({ kind: 'drop', host: this.name, iface: dev.name, frame: wf.fid, pkt: summarizeFrame(f), reason: 'not-for-us' });
      return;
    }
    if (t.packets) t.frame('rx', this.name, dev.name, wf.fid, summarizeFrame(f));
    const body = f.body;
    if (body.kind === 'arp') arpInput(this, dev, f, body.arp);
    else if (body.kind === 'ipv4') ipRcv(this, { packet: body, mark: 0, inDev: dev, pktType: bcast ? 'broadcast' : mcast ? 'multicast' : 'host' });
    else this.drop(undefined, 'unsupported', dev, `EtherType 0x${f.eth.etherType.toString(16)}`);
  }

  /** Puts a frame on an Ethernet interface's cable; traces the drop when it cannot. */
  transmitFrame(dev: Interface, dstMac: MacAddress, body: Frame['body']): void {
    const etherType = body.kind === 'arp' ? EtherType.arp : body.kind === 'ipv4' ? EtherType.ipv4 : 0;
    const frame: Frame = { eth: { dst: dstMac, src: dev.mac, etherType }, body };
    const port = dev.port;
    if (!this.alive || !dev.up || !port || !port.carrier) {
      this.dropFrame(frame, this.alive ? 'link-down' : 'host-down', dev);
      return;
    }
    if (!port.send(frame)) this.dropFrame(frame, 'link-queue-full', dev);
  }

  /** Per-source redirect rate-limit state (ip_rt_send_redirect's inet_peer fields). */
  redirectState(src: Ipv4Address): { count: number; last: number } {
    let st = this.redirectRate.get(src);
    if (!st) {
      st = { count: 0, last: 0 };
      this.redirectRate.set(src, st);
    }
    return st;
  }

  /** A fresh IP identification value (one counter per host; Linux uses per-destination generators). */
  nextIpIdent(): number {
    this.ipIdent = (this.ipIdent + 1) & 0xffff;
    return this.ipIdent;
  }

  // ---------------------------------------------------------------- trace helpers

  drop(skbOrPacket: Skb | Ipv4Packet | undefined, reason: DropReason, dev?: Interface, detail?: string): void {
    const t = this.ctx.tracer;
    if (!t.enabled) return;
    const p = skbOrPacket === undefined ? undefined : 'packet' in skbOrPacket ? skbOrPacket.packet : skbOrPacket;
    t.emit({ kind: 'drop', host: this.name, iface: dev?.name, pkt: p ? summarizePacket(p) : undefined, reason, detail });
  }

  dropFrame(frame: Frame, reason: DropReason, dev?: Interface, detail?: string): void {
    const t = this.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'drop', host: this.name, iface: dev?.name, pkt: summarizeFrame(frame), reason, detail });
  }

  private traceNeigh(n: Neighbour, removedBy?: GcRemoval): void {
    const t = this.ctx.tracer;
    if (!t.enabled) return;
    if (removedBy === undefined) t.emit({ kind: 'neigh', host: this.name, iface: n.dev.name, address: formatIpv4(n.key), state: n.state, lladdr: n.mac });
    else t.emit({ kind: 'neigh', host: this.name, iface: n.dev.name, address: formatIpv4(n.key), state: n.state, lladdr: n.mac, event: removedBy });
  }

  /** Loopback devices and 127/8 never leave the host. */
  isLoopbackDst(a: Ipv4Address): boolean {
    return isLoopback(a);
  }
}

/** A route the kernel adds for an address (proto kernel, metric 0, TOS 0), keys in the order routes always had. */
function kernelRoute(dev: string, table: number, type: Route['type'], dst: Ipv4Address, prefixLen: number, scope: number, prefsrc: Ipv4Address): Route {
  return { tos: 0, metric: 0, proto: 'kernel', dev, table, type, dst, prefixLen, scope, prefsrc };
}
