import { WireFormatError } from './WireFormatError.ts';

/**
 * Big-endian (network order) field access on a Uint8Array. Plain index arithmetic rather than a DataView:
 * emit writes into one freshly allocated buffer per frame and these inline well.
 */

export function get16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

export function get32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/** Writes a lower-case `aa:bb:cc:dd:ee:ff` MAC as six bytes. */
export function putMac(b: Uint8Array, off: number, mac: string): void {
  // Fixed positions: the repr keeps MACs in the one canonical text form (MacAddress.ts).
  for (let i = 0; i < 6; i++) b[off + i] = parseInt(mac.slice(i * 3, i * 3 + 2), 16) & 0xff;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function getMac(b: Uint8Array, off: number): string {
  return `${HEX[b[off]]}:${HEX[b[off + 1]]}:${HEX[b[off + 2]]}:${HEX[b[off + 3]]}:${HEX[b[off + 4]]}:${HEX[b[off + 5]]}`;
}

/** Throws unless `len` bytes are available at `off` (before `end`). */
export function need(end: number, off: number, len: number, layer: string, what: string): void {
  if (off + len > end) {
    throw new WireFormatError(layer, off, `${what} needs ${len} bytes, only ${Math.max(0, end - off)} left`);
  }
}

export function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}
