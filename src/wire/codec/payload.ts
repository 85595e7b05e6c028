import { EMPTY_PAYLOAD, type Payload } from '../Payload.ts';

/**
 * Payload bytes on the wire. A payload that carries only a length is zeros (Payload.ts); one whose `bytes`
 * are shorter than `length` is zero-filled after them, and longer `bytes` are cut at `length`.
 * Writers assume the target region is still zero, which holds because every emit allocates a fresh buffer.
 */
export function putPayload(buf: Uint8Array, off: number, p: Payload): void {
  const b = p.bytes;
  if (b === undefined || p.length === 0) return;
  buf.set(b.length > p.length ? b.subarray(0, p.length) : b, off);
}

/** Parsed payloads always carry their bytes, copied so the result does not alias the input buffer. */
export function readPayload(bytes: Uint8Array, start: number, end: number): Payload {
  if (end <= start) return EMPTY_PAYLOAD;
  return { length: end - start, bytes: bytes.slice(start, end) };
}
