import { ACCEPT, type Host, type HookState, type Skb, type Verdict } from '../net/index.ts';
import { icmpSend } from '../net/ipv4/icmpSend.ts';
import { loopback, neighOutput, sendRouted } from '../net/ipv4/ipOutput.ts';
import { routeOutput } from '../net/route/routeOutput.ts';
import { IcmpType, IcmpUnreachCode, IPV4_HEADER_LEN, formatIpv4, ipTotalLength, ipv4Rewritten, isIcmpError, withDestinationPort, withSourcePort, type IcmpError, type Ipv4Address, type Ipv4Packet } from '../wire/index.ts';
import type { Connection } from './Connection.ts';
import { packetPorts } from './packetPorts.ts';
import type { ConnectionTable } from './ConnectionTable.ts';
import type { Destination } from './Destination.ts';
import type { DirectorCpu } from './DirectorCpu.ts';
import { countPacket, type IpvsStats } from './Stats.ts';
import { outRoute, transmit } from './xmit.ts';

const STOLEN: Verdict = { kind: 'stolen' };
const IPPROTO_IPIP = 4;
/** ip_rt_min_pmtu (512 + 20 + 20): a smaller MTU from an ICMP is not believed (__ip_rt_update_pmtu). */
const MIN_PMTU = 552;
/**
 * How much of the offending datagram a Linux icmp_send quotes: 576 bytes less the new IP and ICMP headers. The
 * lab's errors quote 28 (wire/Packet.ts icmpQuoteLength); the director is modelled as reading what a Linux
 * router's quote would carry, which is what lets the kernel find the packet inside an IPIP packet.
 */
const LINUX_QUOTE = 576 - IPV4_HEADER_LEN - 8;

/** What the ICMP handling needs from the rest of the director's IPVS (IpvsCore and Ipvs). */
export interface IcmpRelatedDeps {
  readonly host: Host;
  readonly conns: ConnectionTable;
  readonly cpu: DirectorCpu;
  /** ipvs->tot_stats. */
  readonly totals: IpvsStats;
  /** ip_vs_find_tunnel for IPIP. */
  findTunnel(daddr: Ipv4Address): Destination | undefined;
  /** Hands a packet IPVS stole (for the CPU) back to local delivery. */
  continueLocal(skb: Skb): void;
}


/**
 * The errors IPVS looks into: destination unreachable, source quench and time exceeded. (The lab never sends
 * a source quench, and keeps one as an uninterpreted message, so in practice 3 and 11.) Anything else is not
 * "related" and goes on as any ICMP packet does.
 */
function relatedError(p: Ipv4Packet): IcmpError | undefined {
  const m = p.l4;
  if (m.proto !== 'icmp' || !isIcmpError(m)) return undefined;
  if (m.type !== IcmpType.destUnreachable && m.type !== IcmpType.timeExceeded) return undefined;
  return m;
}

/**
 * ICMP errors about IPVS connections (net/netfilter/ipvs/ip_vs_core.c, Linux 6.1): ip_vs_out_icmp for errors
 * a real server (or a router beyond it) sends toward the client, ip_vs_in_icmp for errors from the client's
 * side about what the director (or, with DR/TUN, a real server in the VIP's name) sent to the client, and the
 * IPIP case of ip_vs_in_icmp, an error about the director's own tunnel packet.
 *
 * What the kernel does and this model does not: checksum verification (the lab's packets are never corrupt),
 * fragment gathering (the lab has no fragments), GUE/GRE tunnels (the lab has IPIP only), `schedule_icmp`
 * (an error for no connection never makes one here: it goes on to the local stack, as with the default 0),
 * the IPv6 twins, and the route PMTU update (ipv4_update_pmtu): the lab keeps no PMTU cache, so after
 * answering a frag-needed about a tunnel packet the director does not remember the smaller MTU, and the next
 * client's oversized packet reaches the router again.
 *
 * An error neither lookup matches is left alone: it reaches the director's own stack, or is forwarded, as before.
 * Neither direction refreshes the connection's timer or moves its state (__ip_vs_conn_put, no ip_vs_set_state).
 */
export class IcmpRelated {
  constructor(private readonly d: IcmpRelatedDeps) {}

  /**
   * ip_vs_out_icmp → handle_response_icmp. The quoted packet is one the client sent, as the real server saw it
   * (client → real server); the connection is found as its reply would find it. For NAT the outer source and
   * the quoted destination become the virtual address and the quoted destination port the virtual port
   * (ip_vs_nat_icmp, in→out), whoever sent the error; DR/TUN errors are only counted.
   */
  outIcmp(skb: Skb, state: HookState): Verdict {
    const p = skb.packet;
    const m = relatedError(p);
    if (!m) return ACCEPT;
    const o = m.original;
    const q = packetPorts(o);
    if (!q || o.ip.fragOffset !== 0) return ACCEPT;
    const cp = this.d.conns.lookupOut(q.proto, o.ip.dst, q.dport, o.ip.src, q.sport);
    if (!cp) return ACCEPT;
    const bytes = ipTotalLength(p);
    if (cp.fwd !== 'masq') {
      count(this.d.totals, cp, 'output', bytes);
      skb.ipvsProperty = true;
      return ACCEPT;
    }
    return this.onCpu(skb, bytes, () => this.natOut(cp, skb, bytes, state));
  }

  private natOut(cp: Connection, skb: Skb, bytes: number, state: HookState): void {
    const p = skb.packet;
    const m = p.l4 as IcmpError;
    const o = m.original;
    const quoted: Ipv4Packet = { ...o, ip: ipv4Rewritten(o.ip, o.ip.ttl, o.ip.src, cp.vaddr), l4: withDestinationPort(o.l4, cp.vport) };
    skb.packet = {
      kind: 'ipv4',
      id: this.d.host.ctx.packetId(),
      parentId: p.id,
      ip: ipv4Rewritten(p.ip, p.ip.ttl, cp.vaddr, p.ip.dst),
      l4: { ...m, original: quoted },
    };
    skb.ipvsProperty = true;
    count(this.d.totals, cp, 'output', bytes);
    this.sendOn(skb, state);
  }

  /**
   * The rest of the way for a rewritten error IPVS stole: at LOCAL_IN it is delivered here; otherwise it is
   * routed again from its new source (ip_vs_route_me_harder, as for a NAT reply) and goes through POSTROUTING.
   */
  private sendOn(skb: Skb, state: HookState): void {
    const host = this.d.host;
    if (state.hook === 'INPUT') return this.d.continueLocal(skb);
    const p = skb.packet;
    const r = routeOutput(host, p.ip.dst, { src: p.ip.src, mark: skb.mark, anySource: true });
    if (r.kind === 'error') return host.drop(skb, 'no-route', skb.inDev, `IPVS: cannot route the ICMP error to ${formatIpv4(p.ip.dst)}: ${r.errno}`);
    const v = host.hooks.run('POSTROUTING', skb, skb.inDev, r.outDev);
    if (v.kind === 'drop') return host.drop(skb, v.reason, r.outDev, v.detail);
    if (v.kind === 'stolen') return;
    if (r.local) return loopback(host, skb.packet, skb);
    neighOutput(host, r.outDev, r.nexthop, skb.packet, r.broadcast);
  }

  /**
   * ip_vs_in_icmp (from ip_vs_in_hook, and ip_vs_forward_icmp for errors passing through). The quoted packet is
   * one sent toward the client in the connection's name (virtual address → client); the connection is found
   * as the client's packets find it. It is counted as an incoming packet and forwarded to the real server by
   * the connection's method (ip_vs_icmp_xmit). An error about one of the director's IPIP packets is answered
   * to the client instead (tunnelError).
   */
  inIcmp(skb: Skb, state: HookState): Verdict {
    const p = skb.packet;
    const m = relatedError(p);
    if (!m) return ACCEPT;
    const o = m.original;
    if (o.l4.proto === 'ipip') return this.tunnelError(skb, m, state);
    // The kernel also looks inside UDP (GUE) and GRE packets for its tunnels: the lab has IPIP tunnels only.
    const q = packetPorts(o);
    if (!q || o.ip.fragOffset !== 0) return ACCEPT;
    const cp = this.d.conns.lookupIn(q.proto, o.ip.dst, q.dport, o.ip.src, q.sport);
    if (!cp) return ACCEPT;
    const bytes = ipTotalLength(p);
    return this.onCpu(skb, bytes, () => this.icmpXmit(cp, skb, bytes, state));
  }

  /** ip_vs_in_stats, then ip_vs_icmp_xmit. */
  private icmpXmit(cp: Connection, skb: Skb, bytes: number, state: HookState): void {
    count(this.d.totals, cp, 'input', bytes);
    if (cp.fwd !== 'masq') {
      // DR and TUN: the error goes to the real server as it is, by the connection's own transmitter (the real
      // server owns the virtual address the error is addressed to). Counted for sync, not synced.
      const v = transmit(this.d.host, cp, skb);
      cp.inPkts++;
      if (v.kind === 'accept') this.d.continueLocal(skb);
      return;
    }
    const host = this.d.host;
    const r = outRoute(host, cp, skb, 0);
    if (r === undefined) return;
    if (r.local && state.hook === 'FORWARD') {
      // __ip_vs_get_out_rt without IP_VS_RT_MODE_LOCAL: "LOCALNODE from FORWARD hook is not supported".
      return host.drop(skb, 'no-route', skb.inDev, `IPVS: the real server ${formatIpv4(cp.daddr)} is local, which an ICMP error in FORWARD cannot reach`);
    }
    const p = skb.packet;
    const m = p.l4 as IcmpError;
    const o = m.original;
    // ip_vs_nat_icmp, out→in: the outer destination and the quoted source become the real server's, and the
    // quoted source port the real server's port. The outer source (the client, or a router) stays.
    const quoted: Ipv4Packet = { ...o, ip: ipv4Rewritten(o.ip, o.ip.ttl, cp.daddr, o.ip.dst), l4: withSourcePort(o.l4, cp.dport) };
    skb.packet = {
      kind: 'ipv4',
      id: host.ctx.packetId(),
      parentId: p.id,
      ip: ipv4Rewritten(p.ip, r.local ? p.ip.ttl : p.ip.ttl - 1, p.ip.src, cp.daddr),
      l4: { ...m, original: quoted },
    };
    skb.ipvsProperty = true;
    if (r.local) return this.d.continueLocal(skb);
    sendRouted(host, skb, r.route.outDev, r.route.nexthop, false, false);
  }

  /**
   * The IPIP case of ip_vs_in_icmp: an error (from a router on the way, or the director's own neighbour layer)
   * about a tunnel packet this director sent to a known IPIP real server, delivered here. The client's packet
   * inside finds the connection; the error is not forwarded but answered: the same type and code go to the
   * client about its own packet (icmp_send, so from the virtual address). For fragmentation-needed the MTU
   * the client is told is the path's, less the tunnel header — and nothing at all when the client's packet
   * did not ask for path MTU discovery (the tunnel header carries its DF bit). Counted as an outgoing packet.
   */
  private tunnelError(skb: Skb, m: IcmpError, state: HookState): Verdict {
    const host = this.d.host;
    const outer = m.original;
    if (outer.l4.proto !== 'ipip' || outer.ip.fragOffset !== 0) return ACCEPT;
    // "Error for our IPIP must arrive at LOCAL_IN": addressed to this host, not passing through.
    if (state.hook === 'FORWARD' || !host.isLocalAddress(skb.packet.ip.dst)) return ACCEPT;
    const tunnel = this.d.findTunnel(outer.ip.dst);
    if (!tunnel) return ACCEPT;
    const inner = outer.l4.inner;
    const q = packetPorts(inner);
    if (!q || inner.ip.fragOffset !== 0) return ACCEPT;
    const cp = this.d.conns.lookupIn(q.proto, inner.ip.src, q.sport, inner.ip.dst, q.dport);
    if (!cp) return ACCEPT;
    if (m.type === IcmpType.destUnreachable && m.code === IcmpUnreachCode.fragNeeded) {
      if (!outer.ip.df) {
        host.drop(skb, 'icmp-ignored', skb.inDev, 'IPVS: fragmentation needed for a tunnel packet whose client does not do path MTU discovery (no DF)');
        return STOLEN;
      }
      const mtu = this.tunnelPathMtu(cp, m.mtu);
      icmpSend(host, inner, IcmpType.destUnreachable, IcmpUnreachCode.fragNeeded, { inDev: skb.inDev, mtu });
    } else {
      icmpSend(host, inner, m.type, m.code, { inDev: skb.inDev });
    }
    // "ICMP can be shorter but anyways, account it": what is left of the error once the outer IP, ICMP and IPIP
    // headers are pulled off — of a Linux-sized quote.
    count(this.d.totals, cp, 'output', Math.min(ipTotalLength(outer), LINUX_QUOTE) - IPV4_HEADER_LEN);
    return STOLEN;
  }

  /**
   * The MTU told to the client: the route's MTU toward the real server as ipv4_update_pmtu would leave it after
   * this error (lowered to what the router said, never below 552), less the IPIP header while above 88.
   */
  private tunnelPathMtu(cp: Connection, reported: number): number {
    const r = routeOutput(this.d.host, cp.daddr, {});
    let mtu = reported;
    if (r.kind === 'ok') mtu = Math.min(r.outDev.mtu, Math.max(reported, MIN_PMTU));
    return mtu > 68 + IPV4_HEADER_LEN ? mtu - IPV4_HEADER_LEN : mtu;
  }

  /** The director's CPU takes the packet first, as for any packet IPVS rewrites or forwards. */
  private onCpu(skb: Skb, bytes: number, work: () => void): Verdict {
    const cpu = this.d.cpu;
    if (cpu.takesAtOnce(bytes)) {
      work();
      return STOLEN;
    }
    if (!cpu.submit(bytes, work)) this.d.host.drop(skb, 'cpu-backlog', skb.inDev, `IPVS backlog of ${cpu.cost.backlog} packets is full`);
    return STOLEN;
  }
}

/** ip_vs_in_stats / ip_vs_out_stats: the error counts for its destination, service and host while the destination is available. */
function count(totals: IpvsStats, cp: Connection, dir: 'input' | 'output', bytes: number): void {
  const d = cp.dest;
  if (!d || !d.available) return;
  countPacket(d.stats, dir, bytes);
  countPacket(d.service.stats, dir, bytes);
  countPacket(totals, dir, bytes);
}
