import { describe, expect, it } from 'vitest';
import { finish, serviceWith } from './harness.ts';

// ipvs-schedulers.md §8 and ip_vs_ovf.c: a server is skipped once activeConns > weight.
describe('ovf', () => {
  it('fills the heaviest server to weight + 1, then the next, then refuses', () => {
    const h = serviceWith('ovf', [3, 2, 1]);
    expect(h.opens(10)).toBe('rs1 rs1 rs1 rs1 rs2 rs2 rs2 rs3 rs3 -');
    expect(h.errors).toEqual(['IPVS: ovf: TCP 10.0.0.100:80 - no destination available']);
  });

  it('a close makes room again on the heaviest server', () => {
    const h = serviceWith('ovf', [3, 2, 1]);
    h.opens(9);
    finish(h.dest('rs1'));
    expect(h.opens(2)).toBe('rs1 -');
  });

  it('equal weights: the first in list order; weight 0 and OVERLOADed are skipped', () => {
    const h = serviceWith('ovf', [2, 2, 0]); // [rs3(0) rs2 rs1]
    expect(h.opens(4)).toBe('rs2 rs2 rs2 rs1');
    h.dest('rs1').overloaded = true;
    expect(h.pick()).toBeNull();
  });
});
