import { describe, expect, it } from 'vitest';
import { hash32, hsiphash32, hsipKey, hsipKey64, sourcePortOf } from '../../../../src/ipvs/schedulers/hash.ts';
import { ip } from './harness.ts';

describe('scheduler hashes', () => {
  it('hash_32 matches the reference vectors (ipvs-schedulers.md §15)', () => {
    expect(hash32(ip('10.0.0.1'), 8)).toBe(39);
    expect(hash32(ip('10.0.0.1'), 10)).toBe(159);
    expect(hash32(ip('192.168.1.10'), 8)).toBe(248);
    expect(hash32(ip('192.168.1.10'), 10)).toBe(995);
    expect(hash32(ip('172.16.0.5'), 8)).toBe(1);
    expect(hash32(ip('172.16.0.5'), 10)).toBe(5);
    expect(hash32(ip('10.0.0.1') + 80, 8)).toBe(182);
  });

  it('hash_32 keeps the top bits of a 32-bit product', () => {
    expect(hash32(0, 8)).toBe(0);
    expect(hash32(1, 32)).toBe(0x61c88647);
    expect(hash32(2, 32)).toBe((0x61c88647 * 2) % 2 ** 32);
    expect(hash32(0xffffffff, 32)).toBe(2 ** 32 - 0x61c88647);
  });

  it('hsiphash (64-bit kernels: SipHash-1-3, low 32 bits) matches the kunit vector', () => {
    const key = hsipKey64(0x0706050403020100n, 0x0f0e0d0c0b0a0908n);
    expect(hsiphash32(key, 0x03020100)).toBe(0x88d38328); // message bytes 00 01 02 03
  });

  it('hsiphash under ip_vs_mh.c\'s fixed keys matches the reference table', () => {
    const h1 = hsipKey(2654435761, 2654435761);
    const h2 = hsipKey(2654446892, 2654446892);
    expect(hsiphash32(h1, ip('10.0.0.1'))).toBe(50859236);
    expect(hsiphash32(h2, ip('10.0.0.1'))).toBe(1224331457);
    expect(hsiphash32(h1, ip('10.0.0.1') + 80)).toBe(1134300350);
    expect(hsiphash32(h2, ip('10.0.0.1') + 80)).toBe(2545146951);
    expect(hsiphash32(h1, ip('192.168.1.10'))).toBe(3588839862);
    expect(hsiphash32(h2, ip('192.168.1.10'))).toBe(3723439405);
  });

  it('ports count for TCP, UDP and SCTP only', () => {
    expect([6, 17, 132, 1, 50].map((p) => sourcePortOf(p, 1234))).toEqual([1234, 1234, 1234, 0, 0]);
  });
});
