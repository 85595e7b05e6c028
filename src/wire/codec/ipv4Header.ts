import { IPV4_HEADER_LEN, type Ipv4Header } from '../Ipv4.ts';
import { finishChecksum, foldSum, internetChecksum, sumWords } from './checksum.ts';
import { get16, get32, hex16, need, put16, put32 } from './bytes.ts';
import { WireFormatError } from './WireFormatError.ts';

/**
 * The IPv4 header (RFC 791 §3.1). The lab emits the 20-byte form only (no options). Flags are the 3 bits
 * `reserved | DF | MF`; `fragOffset` is the 13-bit field as carried, in units of 8 octets.
 */

export const IP_FLAG_DF = 0x2;
export const IP_FLAG_MF = 0x1;
export const IP_FLAG_RESERVED = 0x4;

/** Every field of the fixed header, as on the wire. */
export interface Ipv4Fields {
  readonly version: number;
  /** Header length in 32-bit words. */
  readonly ihl: number;
  readonly tos: number;
  readonly totalLength: number;
  readonly ident: number;
  readonly flags: number;
  readonly fragOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  readonly src: number;
  readonly dst: number;
}

export function readIpv4Fields(bytes: Uint8Array, off = 0, end = bytes.length): Ipv4Fields {
  need(end, off, IPV4_HEADER_LEN, 'ipv4', 'header');
  const ff = get16(bytes, off + 6);
  return {
    version: bytes[off] >>> 4,
    ihl: bytes[off] & 0xf,
    tos: bytes[off + 1],
    totalLength: get16(bytes, off + 2),
    ident: get16(bytes, off + 4),
    flags: ff >>> 13,
    fragOffset: ff & 0x1fff,
    ttl: bytes[off + 8],
    protocol: bytes[off + 9],
    checksum: get16(bytes, off + 10),
    src: get32(bytes, off + 12),
    dst: get32(bytes, off + 16),
  };
}

/** Writes the 20 fixed bytes exactly as given (the checksum too: this is the low-level view). */
export function writeIpv4Fields(buf: Uint8Array, off: number, f: Ipv4Fields): void {
  buf[off] = ((f.version & 0xf) << 4) | (f.ihl & 0xf);
  buf[off + 1] = f.tos;
  put16(buf, off + 2, f.totalLength);
  put16(buf, off + 4, f.ident);
  put16(buf, off + 6, ((f.flags & 0x7) << 13) | (f.fragOffset & 0x1fff));
  buf[off + 8] = f.ttl;
  buf[off + 9] = f.protocol;
  put16(buf, off + 10, f.checksum);
  put32(buf, off + 12, f.src);
  put32(buf, off + 16, f.dst);
}

/** Writes a 20-byte header for `h` with the given protocol and total length, and its checksum. */
export function emitIpv4HeaderInto(buf: Uint8Array, off: number, h: Ipv4Header, protocol: number, totalLength: number): void {
  buf[off] = 0x45;
  buf[off + 1] = h.tos;
  put16(buf, off + 2, totalLength);
  put16(buf, off + 4, h.ident);
  put16(buf, off + 6, (h.df ? 0x4000 : 0) | (h.mf ? 0x2000 : 0) | (h.fragOffset & 0x1fff));
  buf[off + 8] = h.ttl;
  buf[off + 9] = protocol;
  put16(buf, off + 10, 0);
  put32(buf, off + 12, h.src);
  put32(buf, off + 16, h.dst);
  put16(buf, off + 10, internetChecksum(buf, off, off + IPV4_HEADER_LEN));
}

export interface ParsedIpv4Header {
  readonly header: Ipv4Header;
  readonly headerLength: number;
  readonly totalLength: number;
}

/**
 * Reads and validates the header at `off`: version 4, IHL ≥ 5, total length within the bytes, and (when
 * `verifyChecksum`) a header checksum that sums to zero. Options are skipped (the repr has none) and the
 * reserved flag bit is dropped.
 */
export function parseIpv4Header(bytes: Uint8Array, off: number, end: number, verifyChecksum: boolean): ParsedIpv4Header {
  const f = readIpv4Fields(bytes, off, end);
  if (f.version !== 4) throw new WireFormatError('ipv4', off, `version ${f.version}, expected 4`);
  if (f.ihl < 5) throw new WireFormatError('ipv4', off, `header length ${f.ihl * 4} bytes is below the minimum 20`);
  const headerLength = f.ihl * 4;
  if (f.totalLength < headerLength) {
    throw new WireFormatError('ipv4', off, `total length ${f.totalLength} is shorter than the header (${headerLength})`);
  }
  if (off + f.totalLength > end) {
    throw new WireFormatError('ipv4', off, `total length ${f.totalLength} runs past the end of the data (${end - off} bytes)`);
  }
  if (verifyChecksum) {
    const sum = sumWords(bytes, off, off + headerLength);
    if (foldSum(sum) !== 0xffff) {
      throw new WireFormatError('ipv4', off, `bad header checksum ${hex16(f.checksum)}, expected ${hex16(finishChecksum(sum - f.checksum))}`);
    }
  }
  const header: Ipv4Header = {
    tos: f.tos,
    ident: f.ident,
    df: (f.flags & IP_FLAG_DF) !== 0,
    mf: (f.flags & IP_FLAG_MF) !== 0,
    fragOffset: f.fragOffset,
    ttl: f.ttl,
    protocol: f.protocol,
    src: f.src,
    dst: f.dst,
  };
  return { header, headerLength, totalLength: f.totalLength };
}
