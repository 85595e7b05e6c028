import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkScenarioText, decodeShareFragment, encodeShareFragment, fromBase64Url, isShareFragment, MAX_FRAGMENT_CHARS, MAX_SHARED_TEXT_BYTES, ShareError, toBase64Url } from '../../../src/ui/share.ts';
import { scenarioText } from './lessonTraces.ts';

/** YAML's printable set (what a fragment may carry), written independently of share.ts. */
const printable = (s: string) => s.length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** deflate-raw of arbitrary bytes, bypassing encodeShareFragment's checks (what a hostile link could hold). */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function rejection(p: Promise<unknown>): Promise<ShareError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ShareError);
    return err as ShareError;
  }
  throw new Error('expected a ShareError');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('share links round-trip scenario text', () => {
  it('carries every shipped lesson compressed, in base64url only', async () => {
    for (const name of ['lessons/nat-bottleneck', 'lessons/arp-problem', 'exercises/arp-problem-exercise']) {
      const text = scenarioText(name);
      const fragment = await encodeShareFragment(text);
      expect(fragment).toMatch(/^#s=[A-Za-z0-9_-]+$/);
      expect(fragment.length).toBeLessThan(text.length / 2);
      expect(await decodeShareFragment(fragment)).toBe(text);
      expect(await decodeShareFragment(fragment.slice(1))).toBe(text);
      expect(isShareFragment(fragment)).toBe(true);
    }
  });

  it('round-trips any unicode text a YAML file can hold, and nothing else (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme-ascii', maxLength: 300 })), async (text) => {
        if (!printable(text)) {
          await rejection(encodeShareFragment(text));
          return;
        }
        const fragment = await encodeShareFragment(text);
        expect(fragment).toMatch(/^#s=[A-Za-z0-9_-]*$/);
        expect(await decodeShareFragment(fragment)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips hostile-looking text unchanged, as text', async () => {
    const hostile = [
      '<script>alert(1)</script>',
      'name: "<img src=x onerror=alert(1)>"\ndescription: javascript:alert(1)\n',
      '#s=AAAA&u=x?scenario=../../etc/passwd',
      '\u202eevil\u202c \ufeffBOM 𝕏 ☃ é\r\n\tend',
      '"; DROP TABLE x; --',
    ];
    for (const text of hostile) {
      const fragment = await encodeShareFragment(text);
      expect(fragment).toMatch(/^#s=[A-Za-z0-9_-]+$/);
      expect(await decodeShareFragment(fragment)).toBe(text);
    }
  });

  it('falls back to an uncompressed #u= link without CompressionStream, and reads it back', async () => {
    const text = 'name: ünïcode\nhosts: {}\n';
    const plain = await encodeShareFragment(text, { compress: false });
    expect(plain).toMatch(/^#u=[A-Za-z0-9_-]+$/);
    expect(await decodeShareFragment(plain)).toBe(text);
    vi.stubGlobal('CompressionStream', undefined);
    expect(await encodeShareFragment(text)).toBe(plain);
  });
});

describe('share links refuse what is not scenario text', () => {
  it('rejects other fragment syntaxes and characters outside base64url', async () => {
    const good = (await encodeShareFragment('name: x\n')).slice(3);
    for (const bad of ['', '#', '#x=abc', `#s=${good}&run=1`, `#s=${good}#x`, '#javascript:alert(1)', '#s=<script>', '#s=ab+/', '#s=abc=', '# s=abc', `#S=${good}`, '#s=%41%41']) {
      const err = await rejection(decodeShareFragment(bad));
      expect(err.message).toMatch(/not a share link|damaged/);
    }
  });

  it('rejects corrupt, truncated and trailing-garbage data with a message', async () => {
    const fragment = await encodeShareFragment(scenarioText('lessons/nat-basic'));
    // Cut by a multiple of 4 characters, so the base64url stays well-formed and the inflater finds the damage.
    expect((await rejection(decodeShareFragment(fragment.slice(0, fragment.length - 40)))).message).toMatch(/does not decompress/);
    expect((await rejection(decodeShareFragment(`#s=${toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff]))}`))).message).toMatch(/does not decompress/);
    const valid = fromBase64Url(fragment.slice(3));
    const trailing = `#s=${toBase64Url(new Uint8Array([...valid, 1, 2, 3]))}`;
    // Bytes after the end of the deflate stream: Chromium's inflater refuses them, Node's ignores them; either
    // way they never reach the text.
    const after = await decodeShareFragment(trailing).catch((err: unknown) => {
      expect(err).toBeInstanceOf(ShareError);
      return 'refused';
    });
    expect(['refused', scenarioText('lessons/nat-basic')]).toContain(after);
    expect((await rejection(decodeShareFragment(`#s=${'A'.repeat(41)}`))).message).toMatch(/impossible length/);
  });

  it('rejects control characters and invalid UTF-8 smuggled into a link', async () => {
    const enc = new TextEncoder();
    const nul = `#s=${toBase64Url(await deflate(enc.encode('name: x\u0000\n')))}`;
    expect((await rejection(decodeShareFragment(nul))).message).toMatch(/U\+0000/);
    const esc = `#u=${toBase64Url(enc.encode('\u001b[2J'))}`;
    expect((await rejection(decodeShareFragment(esc))).message).toMatch(/U\+001B/);
    const latin1 = `#s=${toBase64Url(await deflate(new Uint8Array([0x6e, 0xe9, 0xff])))}`;
    expect((await rejection(decodeShareFragment(latin1))).message).toMatch(/UTF-8/);
    expect((await rejection(decodeShareFragment(`#u=`))).message).toMatch(/no scenario/);
  });

  it('stops a decompression bomb at the size limit', async () => {
    const bomb = `#s=${toBase64Url(await deflate(new Uint8Array(MAX_SHARED_TEXT_BYTES * 8).fill(0x61)))}`;
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    expect((await rejection(decodeShareFragment(bomb))).message).toMatch(/more than \d+ bytes/);
  });

  it('refuses to make or read a link that is too long, saying so', async () => {
    // Text that does not compress: random-looking printable characters.
    let x = 1;
    const noisy = Array.from({ length: 30_000 }, () => String.fromCharCode(0x21 + ((x = (x * 48271) % 2147483647) % 94))).join('');
    const err = await rejection(encodeShareFragment(noisy));
    expect(err.message).toMatch(/too large to share in a link: it needs \d+ characters, at most 16384/);
    expect((await rejection(decodeShareFragment(`#s=${'A'.repeat(MAX_FRAGMENT_CHARS)}`))).message).toMatch(/too long/);
    expect((await rejection(encodeShareFragment('a'.repeat(MAX_SHARED_TEXT_BYTES + 1)))).message).toMatch(/too large/);
  });

  it('says so when the browser cannot decompress', async () => {
    const fragment = await encodeShareFragment('name: x\n');
    vi.stubGlobal('DecompressionStream', undefined);
    expect((await rejection(decodeShareFragment(fragment))).message).toMatch(/cannot open compressed/);
  });

  it('only ever returns scenario text or throws a ShareError, whatever the fragment (fast-check)', async () => {
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(b64.map((s) => `#s=${s}`), b64.map((s) => `#u=${s}`), fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => `#s=${toBase64Url(b)}`)), async (fragment) => {
        try {
          const text = await decodeShareFragment(fragment);
          expect(typeof text).toBe('string');
          expect(printable(text)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ShareError);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('base64url', () => {
  it('round-trips bytes and has one spelling per byte string (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const s = toBase64Url(bytes);
        expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(s).toBe(Buffer.from(bytes).toString('base64url'));
        expect([...fromBase64Url(s)]).toEqual([...bytes]);
      }),
    );
    expect(() => fromBase64Url('AB')).toThrow(ShareError); // non-zero padding bits: 'AA' is the spelling of [0]
    expect(() => fromBase64Url('A')).toThrow(/impossible length/);
  });

  it('checkScenarioText accepts a paired surrogate and refuses a lone one', () => {
    expect(() => checkScenarioText('𝕏')).not.toThrow();
    expect(() => checkScenarioText('a\ud835b')).toThrow(/U\+D835 at position 2/);
    expect(() => checkScenarioText('\udc00')).toThrow(ShareError);
  });
});
