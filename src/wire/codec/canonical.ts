import { isIcmpError, IcmpType, type IcmpMessage } from '../Icmp.ts';
import { icmpQuoteLength, protocolNumber, type Frame, type FrameBody, type Ipv4Packet, type L4 } from '../Packet.ts';
import { EMPTY_PAYLOAD, type Payload } from '../Payload.ts';
import { ETHERNET_MIN_FRAME, ETHERNET_HEADER_LEN } from '../Ethernet.ts';
import { parseIcmpQuote } from './icmpQuote.ts';
import { emitIpv4 } from './ipv4Packet.ts';
import { IPV4_HEADER_LEN } from '../Ipv4.ts';

/**
 * The normal form in which `parseFrame(emitFrame(f))` gives a frame back. Two frames with the same canonical
 * form emit the same bytes. Normalising:
 *
 * - ids are 0 and `parentId` is gone (identity is not on the wire);
 * - every non-empty payload carries exactly `length` bytes (zeros where it had none); empty payloads are
 *   `EMPTY_PAYLOAD`;
 * - numbers are cut to their field widths (ports and window 16 bits, seq/ack 32 bits unsigned, ...);
 * - `ip.protocol` is the number the L4 implies (`protocolNumber`);
 * - a fragment's L4 is raw bytes (the emitted transport bytes), since parse reads no transport header there;
 * - an ICMP error keeps only the rest-of-header field its type carries (MTU for type 3, gateway for type 5),
 *   and its original becomes the truncated packet rebuilt from the quote (see `parseIcmpQuote`);
 * - an `IcmpOther` of type 0 or 8 becomes an `IcmpEcho`;
 * - a raw frame body shorter than the Ethernet minimum gains its zero padding.
 *
 * Out of scope (these do not round-trip): an EtherType that disagrees with the body, a raw body under
 * EtherType 0x0800/0x0806, an `IcmpOther` of type 3, 5 or 11 whose data reads as a quote, and a raw L4
 * whose protocol number is 1, 4, 6 or 17 in a non-fragment (parse decodes those).
 */
export function canonicalFrame(f: Frame): Frame {
  return { eth: { dst: f.eth.dst, src: f.eth.src, etherType: f.eth.etherType & 0xffff }, body: canonicalBody(f.body) };
}

function canonicalBody(b: FrameBody): FrameBody {
  switch (b.kind) {
    case 'ipv4':
      return canonicalPacket(b);
    case 'arp': {
      const a = b.arp;
      return { kind: 'arp', id: 0, arp: { op: a.op & 0xffff, sha: a.sha, spa: a.spa >>> 0, tha: a.tha, tpa: a.tpa >>> 0 } };
    }
    case 'raw':
      return { kind: 'raw', id: 0, payload: materialise(b.payload, Math.max(b.payload.length, ETHERNET_MIN_FRAME - ETHERNET_HEADER_LEN)) };
  }
}

/** The normal form of a packet (see `canonicalFrame`). */
export function canonicalPacket(p: Ipv4Packet): Ipv4Packet {
  const h = p.ip;
  const ip = {
    tos: h.tos & 0xff,
    ident: h.ident & 0xffff,
    df: h.df,
    mf: h.mf,
    fragOffset: h.fragOffset & 0x1fff,
    ttl: h.ttl & 0xff,
    protocol: protocolNumber(p.l4, h) & 0xff,
    src: h.src >>> 0,
    dst: h.dst >>> 0,
  };
  if (ip.mf || ip.fragOffset !== 0) {
    const bytes = emitIpv4(p).subarray(IPV4_HEADER_LEN);
    return { kind: 'ipv4', id: 0, ip, l4: { proto: 'raw', payload: materialise({ length: bytes.length, bytes }, bytes.length) } };
  }
  return { kind: 'ipv4', id: 0, ip, l4: canonicalL4(p.l4) };
}

function canonicalL4(l4: L4): L4 {
  switch (l4.proto) {
    case 'tcp': {
      const s = {
        proto: 'tcp' as const,
        sport: l4.sport & 0xffff,
        dport: l4.dport & 0xffff,
        seq: l4.seq >>> 0,
        ack: l4.ack >>> 0,
        flags: l4.flags & 0xff,
        window: l4.window & 0xffff,
        payload: materialise(l4.payload, l4.payload.length),
      };
      return l4.mss === undefined ? s : { ...s, mss: l4.mss & 0xffff };
    }
    case 'udp':
      return { proto: 'udp', sport: l4.sport & 0xffff, dport: l4.dport & 0xffff, payload: materialise(l4.payload, l4.payload.length) };
    case 'icmp':
      return canonicalIcmp(l4);
    case 'ipip':
      return { proto: 'ipip', inner: canonicalPacket(l4.inner) };
    case 'raw':
      return { proto: 'raw', payload: materialise(l4.payload, l4.payload.length) };
  }
}

function canonicalIcmp(m: IcmpMessage): IcmpMessage {
  if (isIcmpError(m)) {
    const quote = emitIpv4(m.original).subarray(0, icmpQuoteLength(m.original));
    const rebuilt = parseIcmpQuote(quote, 0, quote.length);
    if (rebuilt === undefined) throw new Error('internal: an emitted ICMP quote did not read back');
    return {
      proto: 'icmp',
      type: m.type,
      code: m.code & 0xff,
      mtu: m.type === IcmpType.destUnreachable ? m.mtu & 0xffff : 0,
      gateway: m.type === IcmpType.redirect ? m.gateway >>> 0 : 0,
      original: canonicalPacket(rebuilt),
    };
  }
  const payload = materialise(m.payload, m.payload.length);
  if ('ident' in m) {
    return { proto: 'icmp', type: m.type, code: m.code & 0xff, ident: m.ident & 0xffff, sequence: m.sequence & 0xffff, payload };
  }
  const rest = m.rest >>> 0;
  if (m.type === IcmpType.echoReply || m.type === IcmpType.echoRequest) {
    return { proto: 'icmp', type: m.type, code: m.code & 0xff, ident: rest >>> 16, sequence: rest & 0xffff, payload };
  }
  return { proto: 'icmp', type: m.type & 0xff, code: m.code & 0xff, rest, payload };
}

/** `length` bytes: the payload's own bytes (cut or zero-extended), zeros where it has none. */
function materialise(p: Payload, length: number): Payload {
  if (length === 0) return EMPTY_PAYLOAD;
  const bytes = new Uint8Array(length);
  if (p.bytes !== undefined) bytes.set(p.bytes.subarray(0, Math.min(p.bytes.length, p.length, length)));
  return { length, bytes };
}
