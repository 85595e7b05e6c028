import { describe, expect, it } from 'vitest';
import { connect, finish, serviceWith } from './harness.ts';

// ipvs-schedulers.md §4 and ip_vs_wlc.c; overhead = 257 × active + inactive.
describe('wlc', () => {
  it('with no connections the first in list order wins, not the heaviest', () => {
    expect(serviceWith('wlc', [1, 5]).picks(1)).toBe('rs2');
    expect(serviceWith('wlc', [5, 1]).picks(1)).toBe('rs2');
  });

  it('weights 1 and 5, connections held: replaced only when strictly less loaded', () => {
    const h = serviceWith('wlc', [1, 5]); // [rs2(5) rs1(1)]
    // rs2 0 | rs1 0 < 257/5 | rs2 257·1 ≤ 257·5 ... until 1285·1 = 257·5 is a tie (rs2 stays), then 1542 > 1285
    expect(h.opens(8)).toBe('rs2 rs1 rs2 rs2 rs2 rs2 rs2 rs1');
  });

  it('equal weights, held connections: round the list, the newest first', () => {
    const h = serviceWith('wlc', [1, 1, 1]);
    expect(h.opens(6)).toBe('rs3 rs2 rs1 rs3 rs2 rs1');
  });

  it('inactive connections count 1, active 257', () => {
    const h = serviceWith('wlc', [2, 1]); // [rs2(1) rs1(2)]
    connect(h.dest('rs1'), 3);
    finish(h.dest('rs1'), 3); // rs1: 3 inactive → 3/2
    connect(h.dest('rs2'), 2);
    finish(h.dest('rs2'), 2); // rs2: 2 inactive → 2/1
    expect(h.picks(1)).toBe('rs1'); // 2·2 > 3·1
    connect(h.dest('rs2'), 1);
    finish(h.dest('rs2'), 1); // 3/1 vs 3/2
    expect(h.picks(1)).toBe('rs1');
  });

  it('weight 0 can never win the comparison; OVERLOADed servers are skipped; none: the message', () => {
    const h = serviceWith('wlc', [1, 0, 1]); // [rs3 rs2(0) rs1]
    expect(h.opens(4)).toBe('rs3 rs1 rs3 rs1');
    h.dest('rs3').overloaded = true;
    expect(h.opens(2)).toBe('rs1 rs1');
    h.dest('rs1').overloaded = true;
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: wlc: TCP 10.0.0.100:80 - no destination available']);
  });
});
