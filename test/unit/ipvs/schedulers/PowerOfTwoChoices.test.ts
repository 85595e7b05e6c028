import { describe, expect, it } from 'vitest';
import { connect, finish, serviceWith } from './harness.ts';

// ip_vs_twos.c (in the 6.1 source the oracle ran); ipvs-schedulers.md §9.
describe('twos', () => {
  it('maps r in 0..T to servers: the first in list order has weight + 1 values', () => {
    // [rs3(1) rs2(2) rs1(3)], T = 6, r drawn from 0..6
    const expected = ['rs3', 'rs3', 'rs2', 'rs2', 'rs1', 'rs1', 'rs1'];
    for (let r = 0; r <= 6; r++) {
      const h = serviceWith('twos', [3, 2, 1]);
      h.randoms.push(r, r);
      expect(h.picks(1), `r = ${r}`).toBe(expected[r]);
      expect(h.randomBounds).toEqual([7, 7]);
    }
  });

  it('of the two choices, the second wins only when strictly less loaded per weight', () => {
    const h = serviceWith('twos', [3, 2, 1]);
    h.randoms.push(0, 6); // choice 1 = rs3 (w 1), choice 2 = rs1 (w 3); both idle: choice 1
    expect(h.picks(1)).toBe('rs3');
    connect(h.dest('rs3'));
    h.randoms.push(0, 6); // 3 · 257 > 1 · 0: choice 2
    expect(h.picks(1)).toBe('rs1');
    connect(h.dest('rs1'), 3);
    h.randoms.push(0, 6); // 3 · 257 > 1 · 771? no: choice 1
    expect(h.picks(1)).toBe('rs3');
  });

  it('compares in 32-bit int arithmetic, as the kernel does', () => {
    const h = serviceWith('twos', [3, 1]); // [rs2(1) rs1(3)]
    const busy = h.dest('rs2');
    connect(busy, 2 ** 30);
    finish(busy, 2 ** 30); // overhead 2^30 on choice 1
    h.randoms.push(0, 4); // choice 1 = rs2, choice 2 = rs1 (idle)
    // 3 · 2^30 wraps to -2^30 in an int, so the idle server does not win
    expect(h.picks(1)).toBe('rs2');
  });

  it('skips weight 0 and OVERLOADed; none: the message, and no random number drawn', () => {
    const h = serviceWith('twos', [1, 0, 1]);
    h.dest('rs3').overloaded = true;
    h.randoms.push(1, 0); // T = 1 (rs1 alone): both choices rs1
    expect(h.picks(1)).toBe('rs1');
    expect(h.randomBounds).toEqual([2, 2]);
    h.weight('rs1', 0);
    expect(h.pick()).toBeNull();
    expect(h.randomBounds).toHaveLength(2);
    expect(h.errors).toEqual(['IPVS: twos: TCP 10.0.0.100:80 - no destination available']);
  });
});
