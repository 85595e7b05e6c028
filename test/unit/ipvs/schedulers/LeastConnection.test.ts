import { describe, expect, it } from 'vitest';
import { connect, finish, serviceWith } from './harness.ts';

// ipvs-schedulers.md §3 and ip_vs_lc.c.
describe('lc', () => {
  it('spreads held connections evenly, ties to the first in list order', () => {
    const h = serviceWith('lc', [1, 1, 1]);
    expect(h.opens(6)).toBe('rs3 rs2 rs1 rs3 rs2 rs1');
  });

  it('ignores the size of the weight', () => {
    const h = serviceWith('lc', [10, 1]);
    expect(h.opens(4)).toBe('rs2 rs1 rs2 rs1');
  });

  it('counts an active connection as 257 and an inactive one as 1 (activeconns << 8 + totalconns)', () => {
    const h = serviceWith('lc', [1, 1]); // [rs2 rs1]
    connect(h.dest('rs2')); // overhead 257
    connect(h.dest('rs1'), 256);
    finish(h.dest('rs1'), 256); // 256 inactive: overhead 256
    expect(h.picks(1)).toBe('rs1');
    connect(h.dest('rs1'));
    finish(h.dest('rs1')); // 257: a tie, the first in list order wins
    expect(h.picks(1)).toBe('rs2');
  });

  it('skips weight-0 and OVERLOADed servers; none left: the kernel message', () => {
    const h = serviceWith('lc', [1, 1, 1]);
    h.weight('rs3', 0);
    h.dest('rs2').overloaded = true;
    expect(h.opens(2)).toBe('rs1 rs1');
    h.weight('rs1', 0);
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: lc: TCP 10.0.0.100:80 - no destination available']);
  });
});
