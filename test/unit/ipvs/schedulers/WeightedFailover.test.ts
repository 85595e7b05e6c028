import { describe, expect, it } from 'vitest';
import { serviceWith } from './harness.ts';

// ipvs-schedulers.md §7 and ip_vs_fo.c.
describe('fo', () => {
  it('always the highest weight, whatever the load', () => {
    const h = serviceWith('fo', [3, 2, 1]);
    expect(h.opens(4)).toBe('rs1 rs1 rs1 rs1');
  });

  it('fails over when the top server is quiesced, and ties go to the first in list order', () => {
    const h = serviceWith('fo', [3, 2, 1]); // [rs3 rs2 rs1]
    h.weight('rs1', 0);
    expect(h.opens(2)).toBe('rs2 rs2');
    h.weight('rs1', 2); // ties with rs2, which comes first in the list
    expect(h.opens(2)).toBe('rs2 rs2');
  });

  it('skips OVERLOADed; none: the message', () => {
    const h = serviceWith('fo', [3, 2]);
    h.dest('rs1').overloaded = true;
    expect(h.picks(1)).toBe('rs2');
    h.dest('rs2').overloaded = true;
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: fo: TCP 10.0.0.100:80 - no destination available']);
  });
});
