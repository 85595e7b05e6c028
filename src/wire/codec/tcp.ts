import { TCP_HEADER_LEN, tcpHeaderLength, type TcpSegment } from '../Tcp.ts';
import { finishChecksum, foldSum, pseudoHeaderSum, sumHeaderAndData, sumWords } from './checksum.ts';
import { get16, get32, hex16, need, put16, put32 } from './bytes.ts';
import { putPayload, readPayload } from './payload.ts';
import { WireFormatError } from './WireFormatError.ts';

/**
 * TCP header (RFC 9293 §3.1) with the Maximum Segment Size option (kind 2, length 4, RFC 9293 §3.2). The lab
 * emits the MSS option whenever the segment has `mss` (TCP sends it on SYN and SYN-ACK only) and no other
 * option; the urgent pointer and the reserved bits are always zero.
 */

export const TCP_PROTOCOL = 6;
const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;

/** Every field of the header, as on the wire; `options` is a view of the option bytes. */
export interface TcpFields {
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  /** Header length in 32-bit words. */
  readonly dataOffset: number;
  /** The 8 flag bits of byte 13 (CWR..FIN). */
  readonly flags: number;
  readonly window: number;
  readonly checksum: number;
  readonly urgent: number;
  readonly options: Uint8Array;
}

export function readTcpFields(bytes: Uint8Array, off = 0, end = bytes.length): TcpFields {
  need(end, off, TCP_HEADER_LEN, 'tcp', 'header');
  const dataOffset = bytes[off + 12] >>> 4;
  const optEnd = Math.min(end, off + Math.max(TCP_HEADER_LEN, dataOffset * 4));
  return {
    sport: get16(bytes, off),
    dport: get16(bytes, off + 2),
    seq: get32(bytes, off + 4),
    ack: get32(bytes, off + 8),
    dataOffset,
    flags: bytes[off + 13],
    window: get16(bytes, off + 14),
    checksum: get16(bytes, off + 16),
    urgent: get16(bytes, off + 18),
    options: bytes.subarray(off + TCP_HEADER_LEN, optEnd),
  };
}

/** Writes the header exactly as given (checksum included) followed by the option bytes. */
export function writeTcpFields(buf: Uint8Array, off: number, f: TcpFields): void {
  put16(buf, off, f.sport);
  put16(buf, off + 2, f.dport);
  put32(buf, off + 4, f.seq);
  put32(buf, off + 8, f.ack);
  buf[off + 12] = (f.dataOffset & 0xf) << 4;
  buf[off + 13] = f.flags;
  put16(buf, off + 14, f.window);
  put16(buf, off + 16, f.checksum);
  put16(buf, off + 18, f.urgent);
  buf.set(f.options, off + TCP_HEADER_LEN);
}

/** Emits header, MSS option and payload at `off`, with the checksum over the pseudo-header; returns the end. */
export function emitTcpInto(buf: Uint8Array, off: number, s: TcpSegment, src: number, dst: number): number {
  const hlen = tcpHeaderLength(s);
  const end = off + hlen + s.payload.length;
  put16(buf, off, s.sport);
  put16(buf, off + 2, s.dport);
  put32(buf, off + 4, s.seq);
  put32(buf, off + 8, s.ack);
  buf[off + 12] = (hlen / 4) << 4;
  buf[off + 13] = s.flags;
  put16(buf, off + 14, s.window);
  if (s.mss !== undefined) {
    buf[off + 20] = OPT_MSS;
    buf[off + 21] = 4;
    put16(buf, off + 22, s.mss);
  }
  putPayload(buf, off + hlen, s.payload);
  const sum = sumHeaderAndData(buf, off, off + hlen, end, s.payload.bytes === undefined, pseudoHeaderSum(src, dst, TCP_PROTOCOL, end - off));
  put16(buf, off + 16, finishChecksum(sum));
  return end;
}

/**
 * The segment in [off, end). Options other than MSS (NOP, window scale, SACK, timestamps, ...) are skipped,
 * as are the urgent pointer and reserved bits; a malformed option list or data offset is an error.
 */
export function parseTcp(bytes: Uint8Array, off: number, end: number, src: number, dst: number, verifyChecksum: boolean): TcpSegment {
  const f = readTcpFields(bytes, off, end);
  const hlen = f.dataOffset * 4;
  if (hlen < TCP_HEADER_LEN) throw new WireFormatError('tcp', off, `data offset ${f.dataOffset} is below the minimum 5`);
  if (off + hlen > end) throw new WireFormatError('tcp', off, `header length ${hlen} runs past the segment (${end - off} bytes)`);
  if (verifyChecksum) {
    const sum = sumWords(bytes, off, end, pseudoHeaderSum(src, dst, TCP_PROTOCOL, end - off));
    if (foldSum(sum) !== 0xffff) {
      throw new WireFormatError('tcp', off, `bad checksum ${hex16(f.checksum)}, expected ${hex16(finishChecksum(sum - f.checksum))}`);
    }
  }
  let mss: number | undefined;
  const opts = f.options;
  for (let i = 0; i < opts.length; ) {
    const kind = opts[i];
    if (kind === OPT_EOL) break;
    if (kind === OPT_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= opts.length || opts[i + 1] < 2 || i + opts[i + 1] > opts.length) {
      throw new WireFormatError('tcp', off + TCP_HEADER_LEN + i, `malformed option of kind ${kind}`);
    }
    const len = opts[i + 1];
    if (kind === OPT_MSS && len === 4) mss = get16(opts, i + 2);
    i += len;
  }
  const seg: TcpSegment = {
    proto: 'tcp',
    sport: f.sport,
    dport: f.dport,
    seq: f.seq,
    ack: f.ack,
    flags: f.flags,
    window: f.window,
    payload: readPayload(bytes, off + hlen, end),
  };
  return mss === undefined ? seg : { ...seg, mss };
}
