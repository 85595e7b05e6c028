import { UDP_HEADER_LEN, type UdpDatagram } from '../Udp.ts';
import { finishChecksum, foldSum, pseudoHeaderSum, sumHeaderAndData, sumWords, transportChecksum } from './checksum.ts';
import { get16, hex16, need, put16 } from './bytes.ts';
import { putPayload, readPayload } from './payload.ts';
import { WireFormatError } from './WireFormatError.ts';

/**
 * UDP header (RFC 768). The checksum is always computed on emit; a computed zero is sent as 0xffff because
 * zero on the wire means "no checksum", which parse accepts without verifying.
 */

export const UDP_PROTOCOL = 17;

export interface UdpFields {
  readonly sport: number;
  readonly dport: number;
  readonly length: number;
  readonly checksum: number;
}

export function readUdpFields(bytes: Uint8Array, off = 0, end = bytes.length): UdpFields {
  need(end, off, UDP_HEADER_LEN, 'udp', 'header');
  return { sport: get16(bytes, off), dport: get16(bytes, off + 2), length: get16(bytes, off + 4), checksum: get16(bytes, off + 6) };
}

export function writeUdpFields(buf: Uint8Array, off: number, f: UdpFields): void {
  put16(buf, off, f.sport);
  put16(buf, off + 2, f.dport);
  put16(buf, off + 4, f.length);
  put16(buf, off + 6, f.checksum);
}

/** The UDP checksum of [off, end) with its field zeroed, in its on-wire form (0 becomes 0xffff). */
export function udpChecksum(buf: Uint8Array, off: number, end: number, src: number, dst: number): number {
  return transportChecksum(buf, off, end, src, dst, UDP_PROTOCOL) || 0xffff;
}

function udpChecksumOf(buf: Uint8Array, off: number, end: number, src: number, dst: number, dataIsZero: boolean): number {
  const pseudo = pseudoHeaderSum(src, dst, UDP_PROTOCOL, end - off);
  return finishChecksum(sumHeaderAndData(buf, off, off + UDP_HEADER_LEN, end, dataIsZero, pseudo)) || 0xffff;
}

export function emitUdpInto(buf: Uint8Array, off: number, d: UdpDatagram, src: number, dst: number): number {
  const end = off + UDP_HEADER_LEN + d.payload.length;
  put16(buf, off, d.sport);
  put16(buf, off + 2, d.dport);
  put16(buf, off + 4, end - off);
  putPayload(buf, off + UDP_HEADER_LEN, d.payload);
  put16(buf, off + 6, udpChecksumOf(buf, off, end, src, dst, d.payload.bytes === undefined));
  return end;
}

/** The datagram in [off, end); bytes after the UDP length field's end are ignored. */
export function parseUdp(bytes: Uint8Array, off: number, end: number, src: number, dst: number, verifyChecksum: boolean): UdpDatagram {
  const f = readUdpFields(bytes, off, end);
  if (f.length < UDP_HEADER_LEN) throw new WireFormatError('udp', off, `length ${f.length} is below the header size 8`);
  if (off + f.length > end) throw new WireFormatError('udp', off, `length ${f.length} runs past the IP payload (${end - off} bytes)`);
  const udpEnd = off + f.length;
  if (verifyChecksum && f.checksum !== 0) {
    const sum = sumWords(bytes, off, udpEnd, pseudoHeaderSum(src, dst, UDP_PROTOCOL, f.length));
    if (foldSum(sum) !== 0xffff) {
      const expected = finishChecksum(sum - f.checksum) || 0xffff;
      throw new WireFormatError('udp', off, `bad checksum ${hex16(f.checksum)}, expected ${hex16(expected)}`);
    }
  }
  return { proto: 'udp', sport: f.sport, dport: f.dport, payload: readPayload(bytes, off + UDP_HEADER_LEN, udpEnd) };
}
