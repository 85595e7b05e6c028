/**
 * Application bytes carried by TCP, UDP or ICMP echo. Bulk transfers carry only a length (the bytes are
 * zeros on the wire); messages a person reads (a request line, a reply naming the server) carry their bytes.
 */
export interface Payload {
  readonly length: number;
  readonly bytes?: Uint8Array;
}

export const EMPTY_PAYLOAD: Payload = { length: 0 };

export function payloadOfLength(length: number): Payload {
  return length === 0 ? EMPTY_PAYLOAD : { length };
}

/** Latin-1 text to bytes; the core has no TextEncoder (its lib is plain ES2022). */
export function textPayload(text: string): Payload {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return { length: bytes.length, bytes };
}

export function payloadText(p: Payload): string {
  const b = p.bytes;
  if (!b) return '';
  // Whole runs of bytes at a time (each byte one Latin-1 character), bounded to keep the argument list short.
  let s = '';
  for (let i = 0; i < b.length; i += TEXT_CHUNK) s += String.fromCharCode.apply(null, b.subarray(i, i + TEXT_CHUNK) as unknown as number[]);
  return s;
}

const TEXT_CHUNK = 4096;

/** The slice [start, start+len) of a payload, keeping bytes when it has them. */
export function slicePayload(p: Payload, start: number, len: number): Payload {
  if (len <= 0) return EMPTY_PAYLOAD;
  if (!p.bytes) return { length: len };
  return { length: len, bytes: p.bytes.subarray(start, start + len) };
}
