import { describe, expect, it } from 'vitest';
import { connect, finish, serviceWith } from './harness.ts';

// ipvs-schedulers.md §5 and ip_vs_sed.c: minimise (active + 1) / weight.
describe('sed', () => {
  it('weights 4,2,1 with connections held', () => {
    const h = serviceWith('sed', [4, 2, 1]); // [rs3(1) rs2(2) rs1(4)]
    // 1/4 | 2/4 vs 1/2 tie → rs2 | 2/4 | 3/4 | 4/4 vs 1/1 tie → rs3 | 2/2 vs 2/1 → rs2 ... | 5/4? no: 4/4 → rs1
    expect(h.opens(7)).toBe('rs1 rs2 rs1 rs1 rs3 rs2 rs1');
  });

  it('ignores inactive connections', () => {
    const h = serviceWith('sed', [1, 1]); // [rs2 rs1]
    connect(h.dest('rs2'), 50);
    finish(h.dest('rs2'), 50);
    connect(h.dest('rs1'));
    expect(h.picks(1)).toBe('rs2');
  });

  it('skips weight 0 and OVERLOADed; none: the message', () => {
    const h = serviceWith('sed', [1, 0]);
    expect(h.opens(2)).toBe('rs1 rs1');
    h.dest('rs1').overloaded = true;
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: sed: TCP 10.0.0.100:80 - no destination available']);
  });
});
