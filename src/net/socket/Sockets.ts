import { formatIpv4, type IcmpEcho, type IcmpError, type Ipv4Address, type Ipv4Packet, type Payload, type TcpSegment, type UdpDatagram, IcmpType, IcmpUnreachCode } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import { icmpSend } from '../ipv4/icmpSend.ts';
import { ipLocalOut } from '../ipv4/ipOutput.ts';
import { routeOutput } from '../route/routeOutput.ts';
import type { Skb } from '../Skb.ts';
import type { RandomStream, Simulator } from '../../sim/index.ts';
import { resetFor, TcpEndpoint, type TcpCloseReason, type TcpEndpointCallbacks, type TcpEndpointEnv, type TcpState } from '../transport/TcpEndpoint.ts';

/** Linux's default ephemeral range (net.ipv4.ip_local_port_range). */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

export interface TcpConnection {
  readonly localAddr: Ipv4Address;
  readonly localPort: number;
  readonly remoteAddr: Ipv4Address;
  readonly remotePort: number;
  readonly endpoint: TcpEndpoint;
}

export interface TcpListener {
  readonly addr: Ipv4Address; // 0 = any
  readonly port: number;
  /** Called for each new connection; returns the callbacks that will receive its events. */
  accept(conn: TcpConnection): TcpEndpointCallbacks;
}

export interface UdpSocket {
  readonly addr: Ipv4Address;
  readonly port: number;
  /**
   * connect(2)ed: only datagrams from this peer reach the socket, and a hard ICMP error about a datagram to it
   * is reported (sk_err). An unconnected socket without IP_RECVERR never hears of ICMP errors.
   */
  readonly peer?: { readonly addr: Ipv4Address; readonly port: number };
  onDatagram(from: Ipv4Address, fromPort: number, to: Ipv4Address, payload: Payload): void;
  /** A connected socket's pending error, as the next recv(2) returns it (e.g. ECONNREFUSED). */
  onError?(errno: string, from: Ipv4Address): void;
}

/**
 * A raw IP socket (socket(AF_INET, SOCK_RAW, protocol)) as VRRP daemons open one: it receives every packet of
 * its protocol delivered to this host, and a multicast packet only for a group it joined on the arriving device
 * (IP_ADD_MEMBERSHIP). Sending goes through ipLocalOut.
 */
export interface RawSocket {
  readonly protocol: number;
  /** Joined multicast groups: group address and device name. */
  readonly groups: ReadonlyArray<{ readonly group: Ipv4Address; readonly dev: string }>;
  onPacket(packet: Ipv4Packet, dev: string | undefined): void;
}

export interface PingSocket {
  onEchoReply(from: Ipv4Address, m: IcmpEcho, ttl: number): void;
  onError(from: Ipv4Address, m: IcmpError): void;
}

/**
 * The socket layer of a host: the only way applications reach the network (smoltcp's socket/ vs iface/ split).
 * TCP demultiplexes by the 4-tuple, then to a listener; a segment that reaches neither is answered with RST
 * (tcp_v4_send_reset) and traced as `no-listener`. UDP to a closed port is answered with ICMP port unreachable.
 */
export class Sockets {
  private readonly tcpConns = new TcpTable();
  private readonly listeners: TcpListener[] = [];
  private readonly udp: UdpSocket[] = [];
  private readonly ping = new Map<number, PingSocket>();
  private readonly raw: RawSocket[] = [];
  private nextEphemeral = -1;

  constructor(readonly host: Host) {}

  // ------------------------------------------------------------ TCP

  listen(l: TcpListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Active open; returns the connection or an errno when no route or source address exists. */
  connect(dst: Ipv4Address, dport: number, cb: TcpEndpointCallbacks, opts: { src?: Ipv4Address; sport?: number } = {}): TcpConnection | { errno: string } {
    const r = routeOutput(this.host, dst, { src: opts.src });
    if (r.kind === 'error') return { errno: r.errno };
    const src = r.src;
    const sport = opts.sport ?? this.ephemeralPort(src, dst, dport);
    // connect(2): EADDRNOTAVAIL when every port of the ephemeral range is in use towards this destination.
    if (sport === undefined) return { errno: 'EADDRNOTAVAIL' };
    const glue = new SocketGlue(this, src, sport, dst, dport, r.outDev.mtu - 40, cb);
    const endpoint = TcpEndpoint.connect(glue, glue, sport, dport);
    const conn: TcpConnection = { localAddr: src, localPort: sport, remoteAddr: dst, remotePort: dport, endpoint };
    this.tcpConns.set(src, sport, dst, dport, conn);
    return conn;
  }

  /**
   * bind(2) to port 0 for a listening socket on `addr`: the next port of the ephemeral range (the allocator
   * connect uses) that no listener and no connection of that address holds; undefined when none is free.
   */
  ephemeralListenPort(addr: Ipv4Address): number | undefined {
    const used = new Set<number>();
    for (const l of this.listeners) if (l.addr === 0 || l.addr === addr) used.add(l.port);
    for (const c of this.tcpConns.values()) if (c.localAddr === addr) used.add(c.localPort);
    return this.nextFreePort((port) => !used.has(port));
  }

  tcpConnections(): TcpConnection[] {
    return this.tcpConns.values();
  }

  tcpInput(skb: Skb): void {
    const p = skb.packet;
    const seg = p.l4 as TcpSegment;
    const conn = this.tcpConns.get(p.ip.dst, seg.dport, p.ip.src, seg.sport);
    if (conn) {
      conn.endpoint.receive(seg);
      return;
    }
    const SYN = 0x02, ACK = 0x10, RST = 0x04;
    if ((seg.flags & (SYN | ACK | RST)) === SYN) {
      const l = this.listeners.find((x) => x.port === seg.dport && (x.addr === 0 || x.addr === p.ip.dst));
      if (l) {
        // The MSS we advertise comes from the route back to the peer (dst_metric_advmss), not from the device
        // the SYN came in on: a real server behind an IPIP tunnel answers through eth0, not tunl0.
        const back = routeOutput(this.host, p.ip.src, { src: p.ip.dst });
        const mtu = back.kind === 'ok' ? back.outDev.mtu : skb.inDev ? skb.inDev.mtu : 1500;
        // The application's callbacks are known only after accept() below: until then the glue has none.
        const glue = new SocketGlue(this, p.ip.dst, seg.dport, p.ip.src, seg.sport, mtu - 40, NO_CALLBACKS);
        const endpoint = TcpEndpoint.accept(glue, glue, seg);
        const c: TcpConnection = { localAddr: p.ip.dst, localPort: seg.dport, remoteAddr: p.ip.src, remotePort: seg.sport, endpoint };
        this.tcpConns.set(p.ip.dst, seg.dport, p.ip.src, seg.sport, c);
        glue.app = l.accept(c);
        return;
      }
    }
    const rst = resetFor(seg);
    if (rst) ipLocalOut(this.host, { dst: p.ip.src, src: p.ip.dst, protocol: 6, l4: rst, parentId: p.id });
    this.host.drop(skb, 'no-listener', skb.inDev, `no socket for TCP port ${seg.dport}`);
  }

  /** Glue callbacks: the endpoint of this 4-tuple is gone. */
  forget(la: Ipv4Address, lp: number, ra: Ipv4Address, rp: number): void {
    this.tcpConns.delete(la, lp, ra, rp);
  }

  /** The host's `tcp-isn` stream (looked up once: the name is the same for every connection). */
  isnStream(): RandomStream {
    this.isns ??= this.host.stream('tcp-isn');
    return this.isns;
  }

  private isns: RandomStream | undefined;

  private ephemeralPort(src: Ipv4Address, dst: Ipv4Address, dport: number): number | undefined {
    return this.nextFreePort((port) => this.tcpConns.get(src, port, dst, dport) === undefined);
  }

  /**
   * The ephemeral allocator both connect and bind-to-0 use: from where the last search stopped (first placed by
   * the host's `ephemeral-port` stream), the next port of the range that `free` accepts.
   */
  private nextFreePort(free: (port: number) => boolean): number | undefined {
    const span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
    if (this.nextEphemeral < 0) this.nextEphemeral = this.host.stream('ephemeral-port').int(0, span - 1);
    for (let i = 0; i < span; i++) {
      const port = EPHEMERAL_LOW + ((this.nextEphemeral + i) % span);
      if (free(port)) {
        this.nextEphemeral = (this.nextEphemeral + i + 1) % span;
        return port;
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------ UDP

  bindUdp(s: UdpSocket): () => void {
    this.udp.push(s);
    return () => {
      const i = this.udp.indexOf(s);
      if (i >= 0) this.udp.splice(i, 1);
    };
  }

  sendUdp(dst: Ipv4Address, dport: number, sport: number, payload: Payload, src?: Ipv4Address): boolean {
    const d: UdpDatagram = { proto: 'udp', sport, dport, payload };
    return ipLocalOut(this.host, { dst, src, protocol: 17, l4: d, df: false }).ok;
  }

  udpInput(skb: Skb): void {
    const p = skb.packet;
    const d = p.l4 as UdpDatagram;
    const s = this.udp.find((x) => x.port === d.dport && (x.addr === 0 || x.addr === p.ip.dst) && (!x.peer || (x.peer.addr === p.ip.src && x.peer.port === d.sport)));
    if (s) return s.onDatagram(p.ip.src, d.sport, p.ip.dst, d.payload);
    // A group no socket here joined is not ours (ip_check_mc_rcu), as for raw sockets.
    if (skb.pktType === 'multicast') return this.host.drop(skb, 'not-for-us', skb.inDev, `no member of group ${formatIpv4(p.ip.dst)} for UDP port ${d.dport}`);
    if (skb.pktType === 'host' || skb.pktType === 'local') icmpSend(this.host, p, IcmpType.destUnreachable, IcmpUnreachCode.port, { inDev: skb.inDev });
    this.host.drop(skb, 'no-listener', skb.inDev, `no socket for UDP port ${d.dport}`);
  }

  // ------------------------------------------------------------ raw IP sockets

  openRaw(s: RawSocket): () => void {
    this.raw.push(s);
    return () => {
      const i = this.raw.indexOf(s);
      if (i >= 0) this.raw.splice(i, 1);
    };
  }

  /** raw_local_deliver: hands a copy to every matching raw socket, in opening order; true when one took it. */
  rawInput(skb: Skb): boolean {
    const p = skb.packet;
    const dev = skb.inDev?.name;
    let taken = false;
    for (const s of [...this.raw]) {
      if (s.protocol !== p.ip.protocol) continue;
      if (skb.pktType === 'multicast' && !s.groups.some((g) => g.group === p.ip.dst && g.dev === dev)) continue;
      taken = true;
      s.onPacket(p, dev);
    }
    return taken;
  }

  // ------------------------------------------------------------ ICMP (ping sockets)

  openPing(ident: number, s: PingSocket): () => void {
    this.ping.set(ident, s);
    return () => this.ping.delete(ident);
  }

  icmpEchoReply(skb: Skb, m: IcmpEcho): void {
    const s = this.ping.get(m.ident);
    if (!s) return this.host.drop(skb, 'no-listener', skb.inDev, `no ping socket for id ${m.ident}`);
    s.onEchoReply(skb.packet.ip.src, m, skb.packet.ip.ttl);
  }

  /** An ICMP error about a packet we sent: tell the socket that sent it. */
  icmpError(skb: Skb, m: IcmpError): void {
    const o = m.original;
    if (o.l4.proto === 'icmp' && 'ident' in o.l4) {
      const s = this.ping.get(o.l4.ident);
      if (s) return s.onError(skb.packet.ip.src, m);
    }
    if (o.l4.proto === 'tcp') {
      const c = this.tcpConns.get(o.ip.src, o.l4.sport, o.ip.dst, o.l4.dport);
      if (c) {
        // tcp_v4_err: protocol and port unreachable are fatal while connecting; everything else is soft.
        const fatal = m.type === 3 && (m.code === 2 || m.code === 3);
        if (fatal) c.endpoint.icmpHardError();
        else if (m.type === 3 && m.code === 4 && m.mtu > 0) c.endpoint.pmtuReduced(m.mtu);
        return;
      }
    }
    if (o.l4.proto === 'udp') {
      const l4 = o.l4;
      // __udp4_lib_err: the socket that sent the datagram; a connected one hears of a hard error.
      const s = this.udp.find((x) => x.port === l4.sport && (x.addr === 0 || x.addr === o.ip.src) && x.peer !== undefined && x.peer.addr === o.ip.dst && x.peer.port === l4.dport);
      const errno = hardUdpError(m);
      if (s && errno !== undefined && s.onError) return s.onError(errno, skb.packet.ip.src);
    }
    this.host.drop(skb, 'icmp-ignored', skb.inDev, `ICMP type ${m.type} code ${m.code} for no socket`);
  }
}

/**
 * The errno of an ICMP error that __udp4_lib_err reports to a connected socket (icmp_err_convert's fatal
 * entries), or undefined for a soft one (net or host unreachable, time exceeded) it keeps quiet about.
 * Fragmentation-needed is soft here too: the lab's UDP sends without DF (IP_PMTUDISC_DONT).
 */
function hardUdpError(m: IcmpError): string | undefined {
  if (m.type !== IcmpType.destUnreachable) return undefined;
  return UDP_HARD_UNREACH.get(m.code);
}

const UDP_HARD_UNREACH: ReadonlyMap<number, string> = new Map([
  [2, 'ENOPROTOOPT'],
  [3, 'ECONNREFUSED'],
  [6, 'ENETUNREACH'],
  [7, 'EHOSTDOWN'],
  [8, 'ENONET'],
  [9, 'ENETUNREACH'],
  [10, 'EHOSTUNREACH'],
  [13, 'EHOSTUNREACH'],
  [14, 'EHOSTUNREACH'],
  [15, 'EHOSTUNREACH'],
]);

const NO_CALLBACKS: TcpEndpointCallbacks = {};

/**
 * What joins one TCP endpoint to its host: the endpoint's environment (transmit through IP with the
 * connection's addresses, the state-change trace) and its callbacks (passed on to the application's, then the
 * 4-tuple leaves the table when the endpoint is gone). One object with methods rather than a closure per
 * callback: a host makes one per connection.
 */
class SocketGlue implements TcpEndpointEnv, TcpEndpointCallbacks {
  readonly sim: Simulator;
  readonly isn: number;

  constructor(
    private readonly sockets: Sockets,
    private readonly localAddr: Ipv4Address,
    private readonly localPort: number,
    private readonly remoteAddr: Ipv4Address,
    private readonly remotePort: number,
    readonly mss: number,
    /** The application's callbacks (set after accept() for a passive open). */
    public app: TcpEndpointCallbacks,
  ) {
    const host = sockets.host;
    this.sim = host.ctx.sim;
    this.isn = sockets.isnStream().uint32();
  }

  transmit(seg: TcpSegment): void {
    ipLocalOut(this.sockets.host, { dst: this.remoteAddr, src: this.localAddr, protocol: 6, l4: seg });
  }

  onStateChange(from: TcpState, to: TcpState): void {
    const host = this.sockets.host;
    const t = host.ctx.tracer;
    if (t.emitting('tcp')) t.emit({ kind: 'tcp', host: host.name, local: `${formatIpv4(this.localAddr)}:${this.localPort}`, remote: `${formatIpv4(this.remoteAddr)}:${this.remotePort}`, from, to });
  }

  onEstablished(): void {
    this.app.onEstablished?.();
  }

  onData(d: Payload): void {
    this.app.onData?.(d);
  }

  onRemoteClose(): void {
    this.app.onRemoteClose?.();
  }

  onClosed(reason: TcpCloseReason): void {
    this.sockets.forget(this.localAddr, this.localPort, this.remoteAddr, this.remotePort);
    this.app.onClosed?.(reason);
  }
}

/** A table entry: one 4-tuple (local address and port, remote address and port) and its connection. */
interface TcpSlot {
  readonly la: Ipv4Address;
  readonly lp: number;
  readonly ra: Ipv4Address;
  readonly rp: number;
  conn: TcpConnection;
  next: TcpSlot | undefined;
}

/**
 * The TCP connections of a host by 4-tuple: a chained hash table (no key string per segment), and the slots
 * in insertion order for listing. Like a Map, setting a 4-tuple that is present replaces its connection in
 * place, and listing order is the order in which 4-tuples were first added.
 */
class TcpTable {
  private buckets: Array<TcpSlot | undefined> = new Array<TcpSlot | undefined>(64).fill(undefined);
  private readonly order = new Set<TcpSlot>();

  get(la: Ipv4Address, lp: number, ra: Ipv4Address, rp: number): TcpConnection | undefined {
    for (let s = this.buckets[this.bucket(la, lp, ra, rp)]; s !== undefined; s = s.next) {
      if (s.lp === lp && s.rp === rp && s.ra === ra && s.la === la) return s.conn;
    }
    return undefined;
  }

  set(la: Ipv4Address, lp: number, ra: Ipv4Address, rp: number, conn: TcpConnection): void {
    const b = this.bucket(la, lp, ra, rp);
    for (let s = this.buckets[b]; s !== undefined; s = s.next) {
      if (s.lp === lp && s.rp === rp && s.ra === ra && s.la === la) {
        s.conn = conn;
        return;
      }
    }
    const slot: TcpSlot = { la, lp, ra, rp, conn, next: this.buckets[b] };
    this.buckets[b] = slot;
    this.order.add(slot);
    if (this.order.size > 2 * this.buckets.length) this.grow();
  }

  delete(la: Ipv4Address, lp: number, ra: Ipv4Address, rp: number): void {
    const b = this.bucket(la, lp, ra, rp);
    let prev: TcpSlot | undefined;
    for (let s = this.buckets[b]; s !== undefined; prev = s, s = s.next) {
      if (s.lp === lp && s.rp === rp && s.ra === ra && s.la === la) {
        if (prev === undefined) this.buckets[b] = s.next;
        else prev.next = s.next;
        this.order.delete(s);
        return;
      }
    }
  }

  values(): TcpConnection[] {
    const out: TcpConnection[] = [];
    for (const s of this.order) out.push(s.conn);
    return out;
  }

  private bucket(la: Ipv4Address, lp: number, ra: Ipv4Address, rp: number): number {
    let h = Math.imul(la | 0, 0x9e3779b1) ^ Math.imul(ra | 0, 0x85ebca77) ^ Math.imul((lp << 16) ^ rp, 0xc2b2ae3d);
    h ^= h >>> 15;
    return h & (this.buckets.length - 1);
  }

  private grow(): void {
    this.buckets = new Array<TcpSlot | undefined>(2 * this.buckets.length).fill(undefined);
    // Chains are rebuilt in listing order; the order within a chain does not matter (4-tuples are unique).
    for (const s of this.order) {
      const b = this.bucket(s.la, s.lp, s.ra, s.rp);
      s.next = this.buckets[b];
      this.buckets[b] = s;
    }
  }
}
