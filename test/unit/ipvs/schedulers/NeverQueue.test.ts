import { describe, expect, it } from 'vitest';
import { connect, finish, serviceWith } from './harness.ts';

// ipvs-schedulers.md §6 and ip_vs_nq.c.
describe('nq', () => {
  it('takes the first idle server in list order whatever the weights, then the least (active+1)/weight', () => {
    const h = serviceWith('nq', [3, 2, 1]); // [rs3(1) rs2(2) rs1(3)]
    // idle: rs3, rs2, rs1 | then 2/1, 2/2, 2/3 → rs1 | 2/1, 2/2, 3/3 tie → rs2 | 2/1, 3/2, 3/3 → rs1
    expect(h.opens(6)).toBe('rs3 rs2 rs1 rs1 rs2 rs1');
  });

  it('a server with only inactive connections is idle', () => {
    const h = serviceWith('nq', [1, 5]); // [rs2(5) rs1(1)]
    connect(h.dest('rs2'));
    connect(h.dest('rs1'), 9);
    finish(h.dest('rs1'), 9);
    expect(h.picks(1)).toBe('rs1');
  });

  it('skips weight 0 and OVERLOADed even when idle; none: the message', () => {
    const h = serviceWith('nq', [1, 1, 0]);
    h.dest('rs2').overloaded = true;
    expect(h.opens(2)).toBe('rs1 rs1');
    h.weight('rs1', 0);
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: nq: TCP 10.0.0.100:80 - no destination available']);
  });
});
