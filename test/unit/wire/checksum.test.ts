import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { finishChecksum, foldSum, internetChecksum, pseudoHeaderSum, sumWords, transportChecksum } from '../../../src/wire/index.ts';
import { hex, referenceChecksum } from './hex.ts';

describe('Internet checksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 §3', () => {
    // Bytes 00 01 f2 03 f4 f5 f6 f7: words 0001 + f203 + f4f5 + f6f7 = 0x2ddf0; fold: ddf0 + 2 = ddf2.
    const b = hex('0001 f203 f4f5 f6f7');
    expect(foldSum(sumWords(b, 0, b.length))).toBe(0xddf2);
    expect(internetChecksum(b)).toBe(0x220d); // ~0xddf2
  });

  it('pads an odd last byte with zero on the right', () => {
    // 0x0102 + 0x0300 = 0x0402 → checksum 0xfbfd
    expect(internetChecksum(hex('010203'))).toBe(0xfbfd);
  });

  it('computes a known IPv4 header checksum by hand', () => {
    // 4500 0073 0000 4000 4011 [0000] c0a8 0001 c0a8 00c7:
    // 4500+0073=4573, +0000, +4000=8573, +4011=c584, +c0a8=1862c, +0001=1862d, +c0a8=246d5, +00c7=2479c
    // fold: 479c + 2 = 479e; complement: b861.
    const header = hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
    expect(internetChecksum(header)).toBe(0xb861);
    // A header carrying its checksum sums to 0xffff (checks to zero).
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(foldSum(sumWords(header, 0, header.length))).toBe(0xffff);
    expect(internetChecksum(header)).toBe(0);
  });

  it('sums the TCP/UDP pseudo-header: addresses, protocol and length', () => {
    // 192.168.1.254 > 192.168.1.110, TCP, 24 bytes: c0a8+01fe+c0a8+016e+0006+0018 = 0x184da
    expect(pseudoHeaderSum(0xc0a801fe, 0xc0a8016e, 6, 24)).toBe(0x184da);
    const seg = hex('9c40 0050 0000 03e8 0000 0000 6002 faf0 0000 0000 0204 05b4');
    expect(transportChecksum(seg, 0, seg.length, 0xc0a801fe, 0xc0a8016e, 6)).toBe(0x7800);
  });

  it('agrees with an independent word-at-a-time implementation on random data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => {
        expect(internetChecksum(b)).toBe(referenceChecksum(b));
      }),
    );
  });

  it('agrees with the reference on worst-case all-ones data (deferred carries do not overflow)', () => {
    const b = new Uint8Array(65535).fill(0xff);
    expect(internetChecksum(b)).toBe(referenceChecksum(b));
    expect(finishChecksum(sumWords(b, 0, b.length))).toBe(referenceChecksum(b));
  });
});
