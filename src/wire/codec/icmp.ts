import { ICMP_HEADER_LEN, IcmpType, type IcmpEcho, type IcmpError, type IcmpOther } from '../Icmp.ts';
import { finishChecksum, foldSum, internetChecksum, sumHeaderAndData, sumWords } from './checksum.ts';
import { get16, get32, hex16, need, put16, put32 } from './bytes.ts';
import { putPayload, readPayload } from './payload.ts';
import { WireFormatError } from './WireFormatError.ts';

/**
 * ICMP (RFC 792): type, code, checksum over the whole message, then a 4-byte "rest of header" whose meaning
 * depends on the type: identifier and sequence for echo; unused + next-hop MTU for destination unreachable
 * (the MTU is used by code 4, RFC 1191 §4); the gateway address for redirect; unused for time exceeded.
 * Error bodies (the quoted datagram) are built and read by the IPv4 packet codec, which knows IPv4.
 */

export const ICMP_PROTOCOL = 1;

export interface IcmpFields {
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  /** Bytes 4..7 as one 32-bit number. */
  readonly rest: number;
}

export function readIcmpFields(bytes: Uint8Array, off = 0, end = bytes.length): IcmpFields {
  need(end, off, ICMP_HEADER_LEN, 'icmp', 'header');
  return { type: bytes[off], code: bytes[off + 1], checksum: get16(bytes, off + 2), rest: get32(bytes, off + 4) };
}

export function writeIcmpFields(buf: Uint8Array, off: number, f: IcmpFields): void {
  buf[off] = f.type;
  buf[off + 1] = f.code;
  put16(buf, off + 2, f.checksum);
  put32(buf, off + 4, f.rest);
}

/** The rest-of-header word of an error message. */
export function icmpErrorRest(m: IcmpError): number {
  switch (m.type) {
    case IcmpType.destUnreachable:
      return m.mtu & 0xffff;
    case IcmpType.redirect:
      return m.gateway >>> 0;
    default:
      return 0;
  }
}

/** Echo or any non-error message: header, data, checksum. Returns the end. */
export function emitIcmpInto(buf: Uint8Array, off: number, m: IcmpEcho | IcmpOther): number {
  const end = off + ICMP_HEADER_LEN + m.payload.length;
  buf[off] = m.type;
  buf[off + 1] = m.code;
  if ('ident' in m) {
    put16(buf, off + 4, m.ident);
    put16(buf, off + 6, m.sequence);
  } else {
    put32(buf, off + 4, m.rest);
  }
  putPayload(buf, off + ICMP_HEADER_LEN, m.payload);
  put16(buf, off + 2, finishChecksum(sumHeaderAndData(buf, off, off + ICMP_HEADER_LEN, end, m.payload.bytes === undefined)));
  return end;
}

/** An error message whose body is `quote` (the original's IP header and first payload bytes). */
export function emitIcmpErrorInto(buf: Uint8Array, off: number, m: IcmpError, quote: Uint8Array): number {
  const end = off + ICMP_HEADER_LEN + quote.length;
  buf[off] = m.type;
  buf[off + 1] = m.code;
  put32(buf, off + 4, icmpErrorRest(m));
  buf.set(quote, off + ICMP_HEADER_LEN);
  put16(buf, off + 2, internetChecksum(buf, off, end));
  return end;
}

/** Checks length and (optionally) the checksum of the message in [off, end); returns its header fields. */
export function checkIcmp(bytes: Uint8Array, off: number, end: number, verifyChecksum: boolean): IcmpFields {
  const f = readIcmpFields(bytes, off, end);
  if (verifyChecksum) {
    const sum = sumWords(bytes, off, end);
    if (foldSum(sum) !== 0xffff) {
      throw new WireFormatError('icmp', off, `bad checksum ${hex16(f.checksum)}, expected ${hex16(finishChecksum(sum - f.checksum))}`);
    }
  }
  return f;
}

/** Echo request/reply (types 0 and 8) become `IcmpEcho`; any type is readable as `IcmpOther`. */
export function icmpEchoOrOther(bytes: Uint8Array, off: number, end: number, f: IcmpFields): IcmpEcho | IcmpOther {
  const payload = readPayload(bytes, off + ICMP_HEADER_LEN, end);
  if (f.type === IcmpType.echoReply || f.type === IcmpType.echoRequest) {
    return { proto: 'icmp', type: f.type === IcmpType.echoRequest ? 8 : 0, code: f.code, ident: f.rest >>> 16, sequence: f.rest & 0xffff, payload };
  }
  return { proto: 'icmp', type: f.type, code: f.code, rest: f.rest, payload };
}
