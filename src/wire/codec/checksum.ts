/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of the data taken
 * as big-endian 16-bit words, an odd last byte padded with a zero byte. TCP and UDP also sum a pseudo-header
 * (RFC 793 §3.1, RFC 768): source, destination, zero, protocol, transport length.
 *
 * Sums are accumulated in a plain `number` and folded once at the end: 32768 words of at most 0xffff stay far
 * below 2^53, so no per-word carry handling is needed (RFC 1071 §4.1 "deferred carries").
 */

/** The unfolded sum of bytes [start, end) as 16-bit words, added to `acc`. */
export function sumWords(b: Uint8Array, start: number, end: number, acc = 0): number {
  let s = acc;
  let i = start;
  const even = end - ((end - start) & 1);
  for (; i < even; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  return s;
}

/** Folds carries back into the low 16 bits (end-around carry). */
export function foldSum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** The checksum field value: the complement of the folded sum. */
export function finishChecksum(sum: number): number {
  return ~foldSum(sum) & 0xffff;
}

/** The Internet checksum of bytes [start, end). A buffer holding its own correct checksum sums to 0. */
export function internetChecksum(b: Uint8Array, start = 0, end = b.length): number {
  return finishChecksum(sumWords(b, start, end));
}

/** The unfolded sum of the IPv4 pseudo-header used by TCP and UDP. */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

/**
 * The unfolded sum of a header at [start, dataStart) followed by data up to `end`. When the data is known to
 * be all zeros (a length-only payload) it adds nothing, so only the header is summed: bulk transfers are
 * length-only, and this keeps emitting them cheap. `dataStart - start` must be even.
 */
export function sumHeaderAndData(b: Uint8Array, start: number, dataStart: number, end: number, dataIsZero: boolean, acc = 0): number {
  const s = sumWords(b, start, dataStart, acc);
  return dataIsZero ? s : sumWords(b, dataStart, end, s);
}

/** The TCP or UDP checksum of the transport bytes [start, end) (checksum field already zeroed). */
export function transportChecksum(b: Uint8Array, start: number, end: number, src: number, dst: number, protocol: number): number {
  return finishChecksum(sumWords(b, start, end, pseudoHeaderSum(src, dst, protocol, end - start)));
}
