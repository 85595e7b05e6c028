/** Test helpers: byte fixtures written as hex with any whitespace, and back. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex fixture: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Concatenates byte arrays (fixtures are built layer by layer). */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Zero bytes, for Ethernet padding in fixtures. */
export function zeros(n: number): Uint8Array {
  return new Uint8Array(n);
}

/**
 * A second, deliberately different Internet checksum: one 16-bit word at a time with the end-around carry
 * applied at every step (RFC 1071 §4.1's loop), for cross-checking the codec's deferred-carry version.
 * `pseudo` optionally prefixes the TCP/UDP pseudo-header words.
 */
export function referenceChecksum(bytes: Uint8Array, pseudo?: { src: number; dst: number; protocol: number }): number {
  let sum = 0;
  const add = (word: number): void => {
    sum += word;
    if (sum > 0xffff) sum = (sum & 0xffff) + 1;
  };
  if (pseudo) {
    for (const w of [pseudo.src >>> 16, pseudo.src & 0xffff, pseudo.dst >>> 16, pseudo.dst & 0xffff, pseudo.protocol, bytes.length]) add(w);
  }
  for (let i = 0; i < bytes.length; i += 2) add((bytes[i] << 8) | (i + 1 < bytes.length ? bytes[i + 1] : 0));
  return ~sum & 0xffff;
}
