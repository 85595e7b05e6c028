/**
 * Share links: an edited scenario travels in the URL fragment, so a link carries it to another browser without
 * a server (the fragment is never sent to one). `#s=` + base64url(deflate-raw(UTF-8 text)), compressed with the
 * browser's CompressionStream; `#u=` + base64url(UTF-8 text) where there is none.
 *
 * Decoding is hostile-input parsing: a link can come from anyone. It only ever produces a string that is then
 * handed to the scenario loader like a file; it evaluates nothing, and it rejects with a ShareError (a message
 * for the student) anything that is not exactly that: another fragment syntax, characters outside base64url,
 * corrupt or oversized compressed data (a decompression bomb stops at the limit), invalid UTF-8, or characters
 * a YAML file cannot contain (control characters, unpaired surrogates). Bytes after the end of the deflate
 * stream are refused by Chromium's inflater and ignored by Node's; either way they never reach the text.
 */

/** Longest fragment accepted or produced (characters after `#`): long links break in mail and chat. */
export const MAX_FRAGMENT_CHARS = 16_384;

/** Largest scenario (UTF-8 bytes) a link may carry, checked while decompressing. */
export const MAX_SHARED_TEXT_BYTES = 256 * 1024;

export class ShareError extends Error {
  override readonly name = 'ShareError';
}

/** Does this `location.hash` look like a share link (whether or not it decodes)? */
export function isShareFragment(hash: string): boolean {
  return /^#?[su]=/.test(hash);
}

/**
 * `#s=...` for `text` (`#u=...` when `compress` is false or the browser has no CompressionStream). Throws a
 * ShareError when the text is empty, is not something a YAML file can hold, or is too large for a link.
 */
export async function encodeShareFragment(text: string, options: { compress?: boolean } = {}): Promise<string> {
  checkScenarioText(text);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_SHARED_TEXT_BYTES) throw new ShareError(`This scenario is too large to share in a link: ${bytes.length} bytes, at most ${MAX_SHARED_TEXT_BYTES}.`);
  const compress = (options.compress ?? true) && typeof globalThis.CompressionStream === 'function';
  const payload = compress ? await transform(bytes, new CompressionStream('deflate-raw'), Infinity) : bytes;
  const fragment = `${compress ? 's' : 'u'}=${toBase64Url(payload)}`;
  if (fragment.length > MAX_FRAGMENT_CHARS) {
    throw new ShareError(`This scenario is too large to share in a link: it needs ${fragment.length} characters, at most ${MAX_FRAGMENT_CHARS} fit. Shorten it, or share the file itself.`);
  }
  return `#${fragment}`;
}

/** The scenario text a fragment carries (with or without its `#`). Throws a ShareError saying what is wrong. */
export async function decodeShareFragment(fragment: string): Promise<string> {
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (body.length > MAX_FRAGMENT_CHARS) throw new ShareError(`This share link is too long: ${body.length} characters, at most ${MAX_FRAGMENT_CHARS}.`);
  const m = /^([su])=([A-Za-z0-9_-]*)$/.exec(body);
  if (!m) throw new ShareError('This is not a share link: it should be #s= followed by letters, digits, - and _ only.');
  const [, kind, data] = m;
  const raw = fromBase64Url(data);
  let bytes: Uint8Array;
  if (kind === 'u') {
    if (raw.length > MAX_SHARED_TEXT_BYTES) throw tooLarge();
    bytes = raw;
  } else {
    if (typeof globalThis.DecompressionStream !== 'function') throw new ShareError('This browser cannot open compressed share links (it has no DecompressionStream).');
    bytes = await transform(raw, new DecompressionStream('deflate-raw'), MAX_SHARED_TEXT_BYTES).catch((err: unknown) => {
      if (err instanceof ShareError) throw err;
      throw new ShareError('This share link is damaged: its data does not decompress (was it cut short?).');
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ShareError('This share link is damaged: it does not hold UTF-8 text.');
  }
  checkScenarioText(text);
  return text;
}

function tooLarge(): ShareError {
  return new ShareError(`This share link holds more than ${MAX_SHARED_TEXT_BYTES} bytes of text, more than a scenario may.`);
}

/**
 * The text must be something a YAML file can hold: YAML 1.2's printable characters (tab, LF, CR, U+0020–U+007E,
 * U+0085, U+00A0–U+D7FF, U+E000–U+FFFD, U+10000 and up); no other control character, no unpaired surrogate.
 */
export function checkScenarioText(text: string): void {
  if (text.length === 0) throw new ShareError('There is no scenario text to share.');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    const code = c.toString(16).toUpperCase().padStart(4, '0');
    throw new ShareError(`The scenario text holds a character a YAML file cannot contain (U+${code} at position ${i + 1}).`);
  }
}

/** Pushes `input` through a (de)compression stream, stopping with a ShareError past `limit` output bytes. */
async function transform(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // A corrupt input rejects these too; the reader reports it, so they must not become unhandled rejections.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** The inverse of toBase64Url; refuses a length no encoding has and non-zero padding bits (one text, one link). */
export function fromBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new ShareError('This share link is damaged: its data has an impossible length (was it cut short?).');
  const value = (k: number) => {
    const v = ALPHABET.indexOf(text[k]);
    if (v < 0) throw new ShareError('This is not a share link: it holds characters other than letters, digits, - and _.');
    return v;
  };
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const left = Math.min(4, text.length - i);
    let n = 0;
    for (let k = 0; k < 4; k++) n = (n << 6) | (k < left ? value(i + k) : 0);
    out[o++] = (n >> 16) & 255;
    if (left > 2) out[o++] = (n >> 8) & 255;
    if (left > 3) out[o++] = n & 255;
    if ((left === 2 && (n & 0xffff) !== 0) || (left === 3 && (n & 0xff) !== 0)) throw new ShareError('This share link is damaged: its data does not end cleanly.');
  }
  return out;
}
