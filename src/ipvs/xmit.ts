import { ACCEPT, type Host, type Interface, type Skb, type Verdict } from '../net/index.ts';
import { icmpSend } from '../net/ipv4/icmpSend.ts';
import { sendRouted } from '../net/ipv4/ipOutput.ts';
import { routeOutput } from '../net/route/routeOutput.ts';
import { IcmpType, IcmpUnreachCode, IPV4_HEADER_LEN, formatIpv4, ipTotalLength, ipv4Rewritten, withDestinationPort, type Ipv4Packet } from '../wire/index.ts';
import type { Connection } from './Connection.ts';

const STOLEN: Verdict = { kind: 'stolen' };
const IPPROTO_IPIP = 4;

/**
 * The three forwarding methods (net/netfilter/ipvs/ip_vs_xmit.c): route toward the real server, refuse what
 * the kernel refuses (no route, TTL, MTU with DF), rewrite, and send the packet on through LOCAL_OUT and
 * POSTROUTING marked as IPVS's own, so IPVS's hooks leave it alone. A real server that is a local address
 * gets the packet on this host's own stack.
 */
export function transmit(host: Host, cp: Connection, skb: Skb): Verdict {
  switch (cp.fwd) {
    case 'masq':
      return natXmit(host, cp, skb);
    case 'tunnel':
      return tunnelXmit(host, cp, skb);
    case 'route':
      return drXmit(host, cp, skb);
  }
}

/** ip_vs_nat_xmit: destination address and port become the real server's. */
function natXmit(host: Host, cp: Connection, skb: Skb): Verdict {
  const r = outRoute(host, cp, skb, 0);
  if (r === undefined) return STOLEN;
  const p = skb.packet;
  // Forwarded (not local): the TTL is one less, as outRoute's copy has it; built in one step.
  const rewritten: Ipv4Packet = {
    kind: 'ipv4',
    id: host.ctx.packetId(),
    parentId: p.id,
    ip: ipv4Rewritten(p.ip, r.local ? p.ip.ttl : p.ip.ttl - 1, p.ip.src, cp.daddr),
    l4: withDestinationPort(p.l4, cp.dport),
  };
  skb.packet = rewritten;
  skb.ipvsProperty = true;
  if (r.local) return ACCEPT;
  sendRouted(host, skb, r.route.outDev, r.route.nexthop, false, false);
  return STOLEN;
}

/** ip_vs_tunnel_xmit (IPIP): the packet, TTL decremented, inside a new header from this host to the real server. */
function tunnelXmit(host: Host, cp: Connection, skb: Skb): Verdict {
  const r = outRoute(host, cp, skb, IPV4_HEADER_LEN);
  if (r === undefined) return STOLEN;
  if (r.local) {
    skb.ipvsProperty = true;
    return ACCEPT;
  }
  const inner = ttlDecremented(skb.packet);
  const pmtuDisc = host.sysctls.global('net.ipv4.vs.pmtu_disc') !== 0;
  const outer: Ipv4Packet = {
    kind: 'ipv4',
    id: host.ctx.packetId(),
    parentId: inner.id,
    ip: {
      // DSCP copied; ECN copied except CE, which becomes ECT(0) (ip_vs_prepare_tunneled_skb / INET_ECN_encapsulate).
      tos: (inner.ip.tos & 3) === 3 ? (inner.ip.tos & ~3) | 2 : inner.ip.tos,
      ident: host.nextIpIdent(),
      df: pmtuDisc ? inner.ip.df : false,
      mf: false,
      fragOffset: 0,
      ttl: inner.ip.ttl,
      protocol: IPPROTO_IPIP,
      src: r.route.src,
      dst: cp.daddr,
    },
    l4: { proto: 'ipip', inner },
  };
  skb.packet = outer;
  skb.ipvsProperty = true;
  sendRouted(host, skb, r.route.outDev, r.route.nexthop, false, false);
  return STOLEN;
}

/** ip_vs_dr_xmit: the packet unchanged but for its TTL, sent to the real server's MAC (the route's next hop). */
function drXmit(host: Host, cp: Connection, skb: Skb): Verdict {
  const r = outRoute(host, cp, skb, 0);
  if (r === undefined) return STOLEN;
  skb.ipvsProperty = true;
  if (r.local) return ACCEPT;
  skb.packet = ttlDecremented(skb.packet);
  sendRouted(host, skb, r.route.outDev, r.route.nexthop, false, false);
  return STOLEN;
}

export type OutRoute = { readonly local: true } | { readonly local: false; readonly route: { readonly outDev: Interface; readonly nexthop: number; readonly src: number } };

const LOCAL_ROUTE: OutRoute = { local: true };

/** The packet one hop further: the same packet (same id) with its TTL decremented. */
function ttlDecremented(p: Ipv4Packet): Ipv4Packet {
  return { kind: 'ipv4', id: p.id, parentId: p.parentId, ip: ipv4Rewritten(p.ip, p.ip.ttl - 1, p.ip.src, p.ip.dst), l4: p.l4 };
}

/**
 * __ip_vs_get_out_rt: the route to the real server; a local one means "deliver here". Otherwise the TTL is
 * decremented (time exceeded at 1) and the MTU checked — the route's, less `overhead` for a tunnel header —
 * answering an oversized DF packet with fragmentation-needed. Undefined when the packet was dropped. (The
 * kernel skips the MTU check for an ICMP error it forwards, ensure_mtu_is_adequate; the lab's errors are at
 * most 56 bytes, so the check never stops one, and icmpRelated.ts calls this as it is.)
 */
export function outRoute(host: Host, cp: Connection, skb: Skb, overhead: number): OutRoute | undefined {
  const p = skb.packet;
  const r = routeOutput(host, cp.daddr, {});
  if (r.kind === 'error') {
    // dst_link_failure: the client hears "host unreachable".
    icmpSend(host, p, IcmpType.destUnreachable, IcmpUnreachCode.host, { inDev: skb.inDev });
    host.drop(skb, 'no-route', skb.inDev, `IPVS: no route to real server ${formatIpv4(cp.daddr)}: ${r.errno}`);
    return undefined;
  }
  if (r.local) return LOCAL_ROUTE;
  if (p.ip.ttl <= 1) {
    icmpSend(host, p, IcmpType.timeExceeded, 0, { inDev: skb.inDev });
    host.drop(skb, 'ttl-exceeded', skb.inDev, 'IPVS: TTL expired on the way to the real server');
    return undefined;
  }
  const mtu = r.outDev.mtu - overhead;
  if (overhead > 0 && mtu < 68) {
    host.drop(skb, 'frag-needed', skb.inDev, `IPVS: tunnel MTU ${mtu} below 68`);
    return undefined;
  }
  const checkDf = overhead === 0 || host.sysctls.global('net.ipv4.vs.pmtu_disc') !== 0;
  const len = ipTotalLength(p);
  if (checkDf && p.ip.df && len > mtu) {
    icmpSend(host, p, IcmpType.destUnreachable, IcmpUnreachCode.fragNeeded, { inDev: skb.inDev, mtu });
    host.drop(skb, 'frag-needed', skb.inDev, `IPVS: length ${len} > mtu ${mtu} toward ${formatIpv4(cp.daddr)} with DF`);
    return undefined;
  }
  // The caller decrements the TTL as it builds what it sends (ip_decrease_ttl in __ip_vs_get_out_rt).
  return { local: false, route: r };
}
