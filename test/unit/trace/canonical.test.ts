import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalLine, sha256Hex, toJsonl, type TraceEvent } from '../../../src/trace/index.ts';

describe('canonical JSONL', () => {
  it('keeps key order and refuses non-integers', () => {
    expect(canonicalLine({ t: 1, seq: 0, kind: 'x', host: 'a' })).toBe('{"t":1,"seq":0,"kind":"x","host":"a"}');
    expect(() => canonicalLine({ t: 1.5 })).toThrow(/not an integer/);
  });

  it('leaves out undefined fields', () => {
    const e = { t: 0, seq: 0, kind: 'drop', host: 'h', iface: undefined, reason: 'no-route' } as unknown as TraceEvent;
    expect(toJsonl([e])).toBe('{"t":0,"seq":0,"kind":"drop","host":"h","reason":"no-route"}\n');
  });
});

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with Node crypto on random text, multi-byte characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
  });
});
