import { formatIpv4, IcmpType, IcmpUnreachCode, isIcmpEcho, isIcmpError, type IcmpEcho, type Ipv4Packet } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Skb } from '../Skb.ts';
import { icmpSend } from './icmpSend.ts';
import { ipRcv } from './ipInput.ts';
import { ipLocalOut } from './ipOutput.ts';

/** ip_local_deliver: INPUT hook, then the protocol handler (ip_protocol_deliver_rcu). */
export function ipLocalDeliver(host: Host, skb: Skb): void {
  const v = host.hooks.run('INPUT', skb, skb.inDev);
  if (v.kind === 'drop') return host.drop(skb, v.reason, skb.inDev, v.detail);
  if (v.kind === 'stolen') return;
  ipLocalDeliverFinish(host, skb);
}

/**
 * ip_local_deliver_finish: the protocol handler for a packet that passed INPUT — also the way back in for a
 * packet a hook stole and finished with later (IPVS handing a local real server its packet).
 */
export function ipLocalDeliverFinish(host: Host, skb: Skb): void {
  const p = skb.packet;
  switch (p.l4.proto) {
    case 'tcp':
      return host.sockets.tcpInput(skb);
    case 'udp':
      return host.sockets.udpInput(skb);
    case 'icmp':
      return icmpInput(host, skb);
    case 'ipip':
      return ipipRcv(host, skb);
    case 'raw':
      // raw_local_deliver: raw sockets of the protocol get their copy; only when none took it does the
      // protocol count as unreachable. A group nobody here joined is not ours (ip_check_mc_rcu).
      if (host.sockets.rawInput(skb)) return;
      if (skb.pktType === 'multicast') return host.drop(skb, 'not-for-us', skb.inDev, `no member of group ${formatIpv4(p.ip.dst)} for IP protocol ${p.ip.protocol}`);
      icmpSend(host, p, IcmpType.destUnreachable, IcmpUnreachCode.protocol, { inDev: skb.inDev });
      return host.drop(skb, 'protocol-unreachable', skb.inDev, `IP protocol ${p.ip.protocol}`);
  }
}

/** icmp_rcv: answer echo requests, hand echo replies and errors to sockets, act on redirects. */
function icmpInput(host: Host, skb: Skb): void {
  const p = skb.packet;
  const m = p.l4;
  if (m.proto !== 'icmp') return;
  if (isIcmpEcho(m) && m.type === IcmpType.echoRequest) {
    if (skb.pktType === 'broadcast' || skb.pktType === 'multicast') return host.drop(skb, 'icmp-ignored', skb.inDev, 'icmp_echo_ignore_broadcasts');
    if (host.sysctls.global('net.ipv4.icmp_echo_ignore_all') === 1) return host.drop(skb, 'icmp-ignored', skb.inDev, 'icmp_echo_ignore_all');
    const reply: IcmpEcho = { proto: 'icmp', type: 0, code: 0, ident: m.ident, sequence: m.sequence, payload: m.payload };
    ipLocalOut(host, { dst: p.ip.src, src: p.ip.dst, protocol: 1, l4: reply, parentId: p.id, df: false });
    return;
  }
  if (isIcmpEcho(m) && m.type === IcmpType.echoReply) return host.sockets.icmpEchoReply(skb, m);
  if (isIcmpError(m)) {
    if (m.type === IcmpType.redirect) return icmpRedirect(host, skb, m.original, m.gateway);
    return host.sockets.icmpError(skb, m);
  }
  host.drop(skb, 'icmp-ignored', skb.inDev, `ICMP type ${m.type}`);
}

/**
 * ICMP redirect on a host (__ip_do_redirect): accepted only with accept_redirects, from the current gateway for
 * that destination, for a new gateway on-link; it then overrides the next hop for that destination.
 */
function icmpRedirect(host: Host, skb: Skb, original: Ipv4Packet, gateway: number): void {
  const dev = skb.inDev!;
  if (host.sysctls.confValue(dev.name, 'accept_redirects') === 0) return host.drop(skb, 'icmp-ignored', dev, 'redirect with accept_redirects off');
  const onLink = dev.addresses.some((a) => ((gateway ^ a.address) & (a.prefixLen === 0 ? 0 : (0xffffffff << (32 - a.prefixLen)) >>> 0)) >>> 0 === 0);
  if (!onLink) return host.drop(skb, 'icmp-ignored', dev, 'redirect to a gateway that is not on-link');
  host.redirects.set(original.ip.dst, gateway);
  host.configChanged();
}

/**
 * ipip_rcv / ip_tunnel_rcv (net/ipv4/ipip.c, ip_tunnel.c): an IP-in-IP packet for us is decapsulated on the
 * matching tunnel device — here the fallback `tunl0`, which must exist and be up — and the inner packet is
 * received again as if it arrived on that device (routing, rp_filter and INPUT run on it). The inner TTL is not
 * decremented. Reference §6.7.
 */
function ipipRcv(host: Host, skb: Skb): void {
  const p = skb.packet;
  if (p.l4.proto !== 'ipip') return;
  const tun = host.iface('tunl0');
  if (!tun || !tun.up) return host.drop(skb, 'tunnel-rejected', skb.inDev, tun ? 'tunl0 is down' : 'no IPIP tunnel device (tunl0) on this host');
  const inner: Ipv4Packet = { ...p.l4.inner, id: host.ctx.packetId(), parentId: p.id };
  ipRcv(host, { packet: inner, mark: 0, inDev: tun, pktType: 'host' });
}
