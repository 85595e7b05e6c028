import { ICMP_HEADER_LEN, IcmpType, isIcmpError, type IcmpMessage } from '../Icmp.ts';
import { IPV4_HEADER_LEN } from '../Ipv4.ts';
import { icmpQuoteLength, ipTotalLength, protocolNumber, type Ipv4Packet, type L4 } from '../Packet.ts';
import { checkIcmp, emitIcmpErrorInto, emitIcmpInto, ICMP_PROTOCOL, icmpEchoOrOther } from './icmp.ts';
import { parseIcmpQuote } from './icmpQuote.ts';
import { emitIpv4HeaderInto, parseIpv4Header } from './ipv4Header.ts';
import { putPayload, readPayload } from './payload.ts';
import { emitTcpInto, parseTcp, TCP_PROTOCOL } from './tcp.ts';
import { emitUdpInto, parseUdp, UDP_PROTOCOL } from './udp.ts';

/**
 * A whole IPv4 packet: header plus its payload by protocol — TCP, UDP, ICMP, IP-in-IP (protocol 4, RFC 2003:
 * the payload is a complete IPv4 packet) or raw bytes for anything else.
 */

export const IPIP_PROTOCOL = 4;

export interface ParseOptions {
  /** Reject bad IPv4, TCP, UDP and ICMP checksums (default true). */
  readonly verifyChecksums?: boolean;
}

/** The packet as bytes (no link-layer header). */
export function emitIpv4(p: Ipv4Packet): Uint8Array {
  const total = checkedTotalLength(p);
  const buf = new Uint8Array(total);
  writeIpv4(buf, 0, p, total);
  return buf;
}

/** Writes the packet at `off` into a zeroed region of `buf`; returns the end offset. */
export function emitIpv4Into(buf: Uint8Array, off: number, p: Ipv4Packet): number {
  const total = checkedTotalLength(p);
  writeIpv4(buf, off, p, total);
  return off + total;
}

function checkedTotalLength(p: Ipv4Packet): number {
  const total = ipTotalLength(p);
  if (total > 0xffff) throw new RangeError(`IPv4 packet of ${total} bytes exceeds the 65535-byte total length field`);
  return total;
}

function writeIpv4(buf: Uint8Array, off: number, p: Ipv4Packet, total: number): void {
  const h = p.ip;
  emitIpv4HeaderInto(buf, off, h, protocolNumber(p.l4, h), total);
  const l4off = off + IPV4_HEADER_LEN;
  const l4 = p.l4;
  switch (l4.proto) {
    case 'tcp':
      emitTcpInto(buf, l4off, l4, h.src, h.dst);
      break;
    case 'udp':
      emitUdpInto(buf, l4off, l4, h.src, h.dst);
      break;
    case 'icmp':
      if (isIcmpError(l4)) emitIcmpErrorInto(buf, l4off, l4, emitIpv4(l4.original).subarray(0, icmpQuoteLength(l4.original)));
      else emitIcmpInto(buf, l4off, l4);
      break;
    case 'ipip':
      writeIpv4(buf, l4off, l4.inner, total - IPV4_HEADER_LEN);
      break;
    case 'raw':
      putPayload(buf, l4off, l4.payload);
      break;
  }
}

/**
 * The IPv4 packet at `off`. Parsed packets have id 0 and no parent. Bytes after the total length (Ethernet
 * padding) are ignored. A fragment (MF set or a non-zero offset) keeps its payload as raw bytes: only a whole
 * datagram has a transport header and a checksum that can be checked.
 */
export function parseIpv4Packet(bytes: Uint8Array, off = 0, end = bytes.length, options: ParseOptions = {}): Ipv4Packet {
  const verify = options.verifyChecksums ?? true;
  const { header, headerLength, totalLength } = parseIpv4Header(bytes, off, end, verify);
  const start = off + headerLength;
  const stop = off + totalLength;
  const fragment = header.mf || header.fragOffset !== 0;
  let l4: L4;
  if (fragment) {
    l4 = { proto: 'raw', payload: readPayload(bytes, start, stop) };
  } else {
    switch (header.protocol) {
      case TCP_PROTOCOL:
        l4 = parseTcp(bytes, start, stop, header.src, header.dst, verify);
        break;
      case UDP_PROTOCOL:
        l4 = parseUdp(bytes, start, stop, header.src, header.dst, verify);
        break;
      case ICMP_PROTOCOL:
        l4 = parseIcmp(bytes, start, stop, verify);
        break;
      case IPIP_PROTOCOL:
        l4 = { proto: 'ipip', inner: parseIpv4Packet(bytes, start, stop, options) };
        break;
      default:
        l4 = { proto: 'raw', payload: readPayload(bytes, start, stop) };
    }
  }
  return { kind: 'ipv4', id: 0, ip: header, l4 };
}

function parseIcmp(bytes: Uint8Array, off: number, end: number, verify: boolean): IcmpMessage {
  const f = checkIcmp(bytes, off, end, verify);
  if (f.type === IcmpType.destUnreachable || f.type === IcmpType.redirect || f.type === IcmpType.timeExceeded) {
    // Unused rest-of-header bits must be zero, or re-emitting (which writes zeros) would not give these bytes.
    const restFits = f.type === IcmpType.redirect || (f.type === IcmpType.destUnreachable ? f.rest >>> 16 === 0 : f.rest === 0);
    const original = restFits ? parseIcmpQuote(bytes, off + ICMP_HEADER_LEN, end) : undefined;
    if (original !== undefined) {
      return {
        proto: 'icmp',
        type: f.type,
        code: f.code,
        mtu: f.type === IcmpType.destUnreachable ? f.rest & 0xffff : 0,
        gateway: f.type === IcmpType.redirect ? f.rest : 0,
        original,
      };
    }
  }
  return icmpEchoOrOther(bytes, off, end, f);
}
