import { ICMP_HEADER_LEN, IcmpType } from '../Icmp.ts';
import { IPV4_HEADER_LEN, type Ipv4Header } from '../Ipv4.ts';
import type { L4, Ipv4Packet } from '../Packet.ts';
import { EMPTY_PAYLOAD, payloadOfLength, type Payload } from '../Payload.ts';
import { TCP_HEADER_LEN } from '../Tcp.ts';
import { UDP_HEADER_LEN } from '../Udp.ts';
import { foldSum, pseudoHeaderSum, sumWords } from './checksum.ts';
import { get16, get32 } from './bytes.ts';
import { emitIcmpInto, ICMP_PROTOCOL } from './icmp.ts';
import { parseIpv4Header } from './ipv4Header.ts';
import { emitTcpInto, TCP_PROTOCOL } from './tcp.ts';
import { emitUdpInto, UDP_PROTOCOL } from './udp.ts';

/**
 * Reading the datagram an ICMP error quotes (RFC 792; RFC 1812 §4.3.2.3). The lab's errors quote the original
 * IP header and the first 8 bytes of its payload (`icmpQuoteLength`), and the quoted header keeps the
 * original total length, so a quote says how long the original was but not what most of it held.
 *
 * The original is rebuilt as a *truncated packet*: its IP header exactly as quoted, and an L4 that emits the
 * same leading bytes and has the quoted length. What the quote cannot tell is filled with zeros:
 *
 * - TCP (sport, dport, seq quoted): ack, flags and window 0, no MSS option, payload of the remaining length.
 * - UDP (whole header quoted) and ICMP echo or other (type, code, checksum, rest quoted): the payload is
 *   zeros except its first two bytes, which are chosen so the transport checksum comes out as quoted. The
 *   original's data is lost either way; this keeps re-emitting the packet byte-exact.
 * - anything else (another protocol, IPIP, a fragment, a quote too short for the header, a checksum no choice
 *   of bytes reproduces): a raw L4 whose payload is the quoted bytes followed by zeros.
 *
 * Only a quote the lab could have emitted is read this way: a quote of another shape (longer, as Linux sends
 * up to 576 bytes; IP options; a bad quoted header checksum) answers undefined and the caller keeps the whole
 * message as an uninterpreted `IcmpOther`.
 */
export function parseIcmpQuote(bytes: Uint8Array, start: number, end: number): Ipv4Packet | undefined {
  if (end - start < IPV4_HEADER_LEN) return undefined;
  if (bytes[start] !== 0x45) return undefined; // version 4, no options
  if ((bytes[start + 6] & 0x80) !== 0) return undefined; // the reserved flag would not survive the repr
  const totalLength = get16(bytes, start + 2);
  if (totalLength < IPV4_HEADER_LEN) return undefined;
  const l4Len = totalLength - IPV4_HEADER_LEN;
  const quoted = Math.min(8, l4Len);
  if (end - start !== IPV4_HEADER_LEN + quoted) return undefined;
  // The quoted header claims the full original length, so only its first 20 bytes exist here: validate the
  // checksum on those and widen `end` so the total-length check accepts the claim.
  if (foldSum(sumWords(bytes, start, start + IPV4_HEADER_LEN)) !== 0xffff) return undefined;
  const { header } = parseIpv4Header(bytes, start, start + totalLength, false);
  const q = bytes.subarray(start + IPV4_HEADER_LEN, end);
  return { kind: 'ipv4', id: 0, ip: header, l4: quotedL4(header, q, l4Len) };
}

function quotedL4(h: Ipv4Header, q: Uint8Array, l4Len: number): L4 {
  const fragment = h.mf || h.fragOffset !== 0;
  if (!fragment && q.length === 8) {
    const l4 = structuredL4(h, q, l4Len);
    if (l4 !== undefined && emitsQuote(l4, h, q, l4Len)) return l4;
  }
  const bytes = new Uint8Array(l4Len);
  bytes.set(q);
  return { proto: 'raw', payload: l4Len === 0 ? EMPTY_PAYLOAD : { length: l4Len, bytes } };
}

function structuredL4(h: Ipv4Header, q: Uint8Array, l4Len: number): L4 | undefined {
  switch (h.protocol) {
    case TCP_PROTOCOL:
      if (l4Len < TCP_HEADER_LEN) return undefined;
      return {
        proto: 'tcp',
        sport: get16(q, 0),
        dport: get16(q, 2),
        seq: get32(q, 4),
        ack: 0,
        flags: 0,
        window: 0,
        payload: payloadOfLength(l4Len - TCP_HEADER_LEN),
      };
    case UDP_PROTOCOL: {
      if (get16(q, 4) !== l4Len || get16(q, 6) === 0) return undefined;
      const n = l4Len - UDP_HEADER_LEN;
      // Sum of everything the checksum covers except the payload, the checksum field counted as zero.
      const base = pseudoHeaderSum(h.src, h.dst, UDP_PROTOCOL, l4Len) + get16(q, 0) + get16(q, 2) + l4Len;
      // A transmitted 0xffff stands for a computed 0 (RFC 768), i.e. a folded sum of 0xffff.
      const target = ~get16(q, 6) & 0xffff || 0xffff;
      return { proto: 'udp', sport: get16(q, 0), dport: get16(q, 2), payload: compensatingPayload(n, base, target) };
    }
    case ICMP_PROTOCOL: {
      const n = l4Len - ICMP_HEADER_LEN;
      const type = q[0];
      const code = q[1];
      const rest = get32(q, 4);
      const base = ((type << 8) | code) + (rest >>> 16) + (rest & 0xffff);
      const payload = compensatingPayload(n, base, ~get16(q, 2) & 0xffff);
      if (type === IcmpType.echoRequest || type === IcmpType.echoReply) {
        return { proto: 'icmp', type: type === IcmpType.echoRequest ? 8 : 0, code, ident: rest >>> 16, sequence: rest & 0xffff, payload };
      }
      return { proto: 'icmp', type, code, rest, payload };
    }
    default:
      return undefined;
  }
}

/**
 * `n` zero bytes except the first 16-bit word, chosen so that the ones' complement sum of `base` plus the
 * payload folds to `target`. With one byte only its high half can be set; with none the caller's check fails.
 */
function compensatingPayload(n: number, base: number, target: number): Payload {
  if (n <= 0) return EMPTY_PAYLOAD;
  // x + word ≡ target (mod 0xffff)  ⇒  word = target − x = target + ~x in ones' complement.
  let word = foldSum(target + (~foldSum(base) & 0xffff));
  if (word === 0xffff) word = 0; // negative zero: the same sum, and zeros read better
  const bytes = new Uint8Array(n);
  bytes[0] = word >>> 8;
  if (n >= 2) bytes[1] = word & 0xff;
  if (bytes[0] === 0 && (n < 2 || bytes[1] === 0)) return payloadOfLength(n);
  return { length: n, bytes };
}

/** Whether `l4` emitted under `h` starts with exactly the quoted bytes. */
function emitsQuote(l4: L4, h: Ipv4Header, q: Uint8Array, l4Len: number): boolean {
  const buf = new Uint8Array(l4Len);
  switch (l4.proto) {
    case 'tcp':
      emitTcpInto(buf, 0, l4, h.src, h.dst);
      break;
    case 'udp':
      emitUdpInto(buf, 0, l4, h.src, h.dst);
      break;
    case 'icmp':
      if ('original' in l4) return false;
      emitIcmpInto(buf, 0, l4);
      break;
    default:
      return false;
  }
  for (let i = 0; i < q.length; i++) if (buf[i] !== q[i]) return false;
  return true;
}
