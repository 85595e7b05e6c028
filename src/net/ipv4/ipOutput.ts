import { ipText, summarizePacket } from '../../trace/index.ts';
import { DEFAULT_TTL, IcmpType, IcmpUnreachCode, MAC_BROADCAST, formatIpv4, ipv4MulticastMac, isMulticast, type Ipv4Address, type Ipv4Packet, type L4, type PacketId } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Interface } from '../Interface.ts';
import { routeOutput } from '../route/routeOutput.ts';
import type { Skb } from '../Skb.ts';
import { icmpSend } from './icmpSend.ts';
import { ipRcv } from './ipInput.ts';

export interface LocalOutRequest {
  dst: Ipv4Address;
  /** Source address; chosen by routing when absent (a socket bound to an address passes it). */
  src?: Ipv4Address;
  protocol: number;
  l4: L4;
  ttl?: number;
  df?: boolean;
  tos?: number;
  oif?: string;
  mark?: number;
  parentId?: PacketId;
  /**
   * The source need not be the host's: a raw socket writing its own IP header (IP_HDRINCL, as keepalived's VRRP
   * socket does) sends from any address; routing then only picks the way out.
   */
  anySource?: boolean;
}

export type LocalOutResult = { ok: true; packet: Ipv4Packet } | { ok: false; errno: string; detail: string };

/**
 * ip_queue_xmit / ip_local_out for a locally generated packet: route it (choosing the source address), build the
 * header, run OUTPUT and POSTROUTING, and hand it to the neighbour layer — or loop it back when the
 * destination is local.
 */
export function ipLocalOut(host: Host, req: LocalOutRequest): LocalOutResult {
  const r = routeOutput(host, req.dst, { src: req.src, oif: req.oif, mark: req.mark, tos: req.tos, anySource: req.anySource });
  if (r.kind === 'error') {
    const t = host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'drop', host: host.name, reason: 'no-route', detail: `${r.errno}: ${r.detail} (to ${formatIpv4(req.dst)})` });
    return { ok: false, errno: r.errno, detail: r.detail };
  }
  const packet: Ipv4Packet = {
    kind: 'ipv4',
    id: host.ctx.packetId(),
    parentId: req.parentId,
    ip: {
      tos: req.tos ?? 0,
      ident: host.nextIpIdent(),
      df: req.df ?? true,
      mf: false,
      fragOffset: 0,
      ttl: req.ttl ?? (host.sysctls.global('net.ipv4.ip_default_ttl') || DEFAULT_TTL),
      protocol: req.protocol,
      src: r.src,
      dst: req.dst,
    },
    l4: req.l4,
  };
  const skb: Skb = { packet, mark: req.mark ?? 0, pktType: 'local' };
  sendRouted(host, skb, r.outDev, r.nexthop, r.local, r.broadcast);
  return { ok: true, packet: skb.packet };
}

/** OUTPUT → POSTROUTING → neighbour output, for a packet already routed. */
export function sendRouted(host: Host, skb: Skb, outDev: Interface, nexthop: Ipv4Address, local: boolean, broadcast: boolean): void {
  const t = host.ctx.tracer;
  const before = skb.packet;
  const markBefore = skb.mark;
  const v = host.hooks.run('OUTPUT', skb, undefined, outDev);
  if (v.kind === 'drop') return host.drop(skb, v.reason, outDev, v.detail);
  if (v.kind === 'stolen') return;
  if (skb.packet.ip.dst !== before.ip.dst || skb.mark !== markBefore) {
    // A hook rewrote the destination (nat OUTPUT) or the mark (mangle OUTPUT): route again (ip_route_me_harder).
    const r = routeOutput(host, skb.packet.ip.dst, { src: skb.packet.ip.src, mark: skb.mark });
    if (r.kind === 'error') return host.drop(skb, 'no-route', undefined, r.detail);
    outDev = r.outDev;
    nexthop = r.nexthop;
    local = r.local;
    broadcast = r.broadcast;
  }
  if (t.packets) t.route(host.name, outDev.name, summarizePacket(skb.packet), 'output', ipText(nexthop), outDev.name, undefined);
  const v2 = host.hooks.run('POSTROUTING', skb, undefined, outDev);
  if (v2.kind === 'drop') return host.drop(skb, v2.reason, outDev, v2.detail);
  if (v2.kind === 'stolen') return;
  if (local) return loopback(host, skb.packet, skb);
  neighOutput(host, outDev, nexthop, skb.packet, broadcast);
}

/**
 * Loopback transmit: the packet is received again on `lo` at the same instant, after what is already queued.
 * loopback_xmit does not scrub the skb, so the mark and the conntrack entry travel with it.
 */
export function loopback(host: Host, packet: Ipv4Packet, from?: Skb): void {
  const mark = from?.mark ?? 0;
  const ct = from?.ct;
  host.ctx.sim.schedule(0, () => {
    if (!host.alive) return host.drop(packet, 'host-down', host.loopback);
    ipRcv(host, { packet, mark, ct, inDev: host.loopback, pktType: 'host' });
  });
}

/**
 * ip_finish_output2 → neigh_output: resolve the next hop on `dev` and transmit, queueing while ARP resolves.
 * On resolution failure each queued packet is reported with ICMP host unreachable to its source
 * (ipv4_link_failure) and dropped with reason `arp-failed`.
 */
export function neighOutput(host: Host, dev: Interface, nexthop: Ipv4Address, packet: Ipv4Packet, broadcast: boolean): void {
  if (dev.kind === 'loopback') return loopback(host, packet);
  if (dev.kind === 'ipip') return host.drop(packet, 'no-route', dev, `${dev.name} has no remote endpoint: nothing to encapsulate to`);
  // ip_finish_output2 → neigh for a multicast group: the MAC is computed (ip_eth_mc_map), never resolved.
  if (isMulticast(nexthop)) return host.transmitFrame(dev, ipv4MulticastMac(nexthop), packet);
  if (broadcast) return host.transmitFrame(dev, MAC_BROADCAST, packet);
  const n = host.neigh.lookup(nexthop, dev) ?? host.neigh.create(nexthop, dev);
  // ip_finish_output2: no entry could be made (the table is full): the packet is freed, no ICMP is sent.
  if (!n) return host.drop(packet, 'neigh-table-full', dev, `neighbour table full: no entry for ${formatIpv4(nexthop)}`);
  const mac = host.neigh.usableMac(n);
  if (mac !== undefined) return host.transmitFrame(dev, mac, packet);
  host.neigh.output(n, {
    packet,
    send: (mac) => host.transmitFrame(dev, mac, packet),
    fail: (reason) => {
      if (reason === 'arp-failed') icmpSend(host, packet, IcmpType.destUnreachable, IcmpUnreachCode.host, {});
      const why = reason === 'link-down' ? `${dev.name} went down while resolving ${formatIpv4(nexthop)}` : `no ARP answer for ${formatIpv4(nexthop)}`;
      host.drop(packet, reason, dev, why);
    },
  });
}
