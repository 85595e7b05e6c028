import type { ArpPacket } from './Arp.ts';
import type { EthernetHeader } from './Ethernet.ts';
import { IPV4_HEADER_LEN, type Ipv4Header } from './Ipv4.ts';
import { ICMP_HEADER_LEN, type IcmpMessage, isIcmpError } from './Icmp.ts';
import type { Payload } from './Payload.ts';
import { tcpHeaderLength, tcpWithPorts, type TcpSegment } from './Tcp.ts';
import { UDP_HEADER_LEN, type UdpDatagram } from './Udp.ts';

/**
 * The packet in flight: immutable layered headers plus an identity.
 *
 * `id` names one packet across its hops (TTL decrement keeps the id); a rewrite that makes a new packet out of
 * an old one — NAT, encapsulation, decapsulation, an ICMP error quoting it — gives the new packet a new id and
 * the old one as `parentId`, so the inspector can follow lineage. Bytes exist only in `wire/codec`.
 */
export type PacketId = number;

/** IP-in-IP (RFC 2003): the payload of protocol 4 is a whole IPv4 packet. */
export interface IpipPayload {
  readonly proto: 'ipip';
  readonly inner: Ipv4Packet;
}

/** An IP payload of a protocol the lab does not model, kept with its number and length. */
export interface RawIpPayload {
  readonly proto: 'raw';
  readonly payload: Payload;
}

export type L4 = TcpSegment | UdpDatagram | IcmpMessage | IpipPayload | RawIpPayload;

export interface Ipv4Packet {
  readonly kind: 'ipv4';
  readonly id: PacketId;
  readonly parentId?: PacketId;
  readonly ip: Ipv4Header;
  readonly l4: L4;
}

export interface ArpBody {
  readonly kind: 'arp';
  readonly id: PacketId;
  readonly arp: ArpPacket;
}

/** A frame whose EtherType the lab does not model. */
export interface RawBody {
  readonly kind: 'raw';
  readonly id: PacketId;
  readonly payload: Payload;
}

export type FrameBody = Ipv4Packet | ArpBody | RawBody;

export interface Frame {
  readonly eth: EthernetHeader;
  readonly body: FrameBody;
}

/** The transport header with another source port (NAT): TCP and UDP get a copy, any other payload is returned as it is. */
export function withSourcePort(l4: L4, port: number): L4 {
  if (l4.proto === 'tcp') return tcpWithPorts(l4, port, l4.dport);
  if (l4.proto === 'udp') return { proto: 'udp', sport: port, dport: l4.dport, payload: l4.payload };
  return l4;
}

/** The transport header with another destination port (NAT), as `withSourcePort`. */
export function withDestinationPort(l4: L4, port: number): L4 {
  if (l4.proto === 'tcp') return tcpWithPorts(l4, l4.sport, port);
  if (l4.proto === 'udp') return { proto: 'udp', sport: l4.sport, dport: port, payload: l4.payload };
  return l4;
}

/** Bytes of the IP payload (transport header + data). */
export function l4Length(l4: L4): number {
  switch (l4.proto) {
    case 'tcp':
      return tcpHeaderLength(l4) + l4.payload.length;
    case 'udp':
      return UDP_HEADER_LEN + l4.payload.length;
    case 'icmp':
      return ICMP_HEADER_LEN + (isIcmpError(l4) ? icmpQuoteLength(l4.original) : l4.payload.length);
    case 'ipip':
      return ipTotalLength(l4.inner);
    case 'raw':
      return l4.payload.length;
  }
}

/** An ICMP error quotes the offending IP header and the first 8 bytes of its payload (RFC 792). */
export function icmpQuoteLength(original: Ipv4Packet): number {
  return IPV4_HEADER_LEN + Math.min(8, l4Length(original.l4));
}

/** The IPv4 total-length field. */
export function ipTotalLength(p: Ipv4Packet): number {
  return IPV4_HEADER_LEN + l4Length(p.l4);
}

/** Bytes the frame occupies on the wire without preamble/FCS, padded to Ethernet's minimum. */
export function frameLength(f: Frame): number {
  let body: number;
  switch (f.body.kind) {
    case 'ipv4':
      body = ipTotalLength(f.body);
      break;
    case 'arp':
      body = 28;
      break;
    case 'raw':
      body = f.body.payload.length;
      break;
  }
  return Math.max(60, 14 + body);
}

/** The IP protocol number of a packet's payload. */
export function protocolNumber(l4: L4, header: Ipv4Header): number {
  switch (l4.proto) {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return 1;
    case 'ipip':
      return 4;
    case 'raw':
      return header.protocol;
  }
}
