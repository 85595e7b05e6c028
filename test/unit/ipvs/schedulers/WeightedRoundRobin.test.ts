import { describe, expect, it } from 'vitest';
import { Harness, serviceWith } from './harness.ts';

// ipvs-schedulers.md §2 and ip_vs_wrr.c; the oracle's "3 2 1 | 1 | 2 1 | ..." for 4,3,2.
describe('wrr', () => {
  it('weights 4,3,2 added in order: the adds leave cw at 1, so a weight-1 pass comes first', () => {
    const h = serviceWith('wrr', [4, 3, 2]);
    expect(h.picks(3)).toBe('rs3 rs2 rs1');
    // then cw = 4: rs1 | 3: rs2 rs1 | 2: rs3 rs2 rs1 | 1: rs3 rs2 rs1, and round again
    const cycle = 'rs1 rs2 rs1 rs3 rs2 rs1 rs3 rs2 rs1';
    expect(h.picks(18)).toBe(`${cycle} ${cycle}`);
  });

  it('weights 5,1,1 added in order: 3 2 1 1 1 1 1, repeated', () => {
    const h = serviceWith('wrr', [5, 1, 1]);
    const cycle = 'rs3 rs2 rs1 rs1 rs1 rs1 rs1';
    expect(h.picks(14)).toBe(`${cycle} ${cycle}`);
  });

  it('bound when the servers already exist, it starts at the maximum weight', () => {
    const h = new Harness().bind('rr');
    h.add('rs1', 4);
    h.add('rs2', 3);
    h.add('rs3', 2);
    h.bind('wrr');
    expect(h.picks(9)).toBe('rs1 rs2 rs1 rs3 rs2 rs1 rs3 rs2 rs1');
  });

  it('list [4,3,2] from the head: A A B A B C A B C', () => {
    const h = new Harness().bind('rr');
    h.add('rs3', 2);
    h.add('rs2', 3);
    h.add('rs1', 4);
    h.bind('wrr');
    expect(h.picks(9)).toBe('rs1 rs1 rs2 rs1 rs2 rs3 rs1 rs2 rs3');
  });

  it('a gcd above 1 steps cw by the gcd: weights 4 then 2 give B A | A | B A | A', () => {
    const h = serviceWith('wrr', [4, 2]);
    expect(h.picks(6)).toBe('rs2 rs1 rs1 rs2 rs1 rs1');
  });

  it('an edit sends the cursor back to the head but keeps cw', () => {
    const h = serviceWith('wrr', [4, 3, 2]);
    expect(h.picks(5)).toBe('rs3 rs2 rs1 rs1 rs2'); // cw = 3, cursor on rs2
    h.weight('rs3', 2); // same weight: only the reset shows
    expect(h.picks(5)).toBe('rs2 rs1 rs3 rs2 rs1'); // cw 3 from the head, then cw 2
  });

  it('an edit that lowers the maximum below cw resets cw to the new maximum', () => {
    const h = serviceWith('wrr', [4, 3, 2]);
    expect(h.picks(4)).toBe('rs3 rs2 rs1 rs1'); // cw = 4
    h.weight('rs1', 1); // weights 1,3,2: mw = 3 < 4
    expect(h.picks(6)).toBe('rs2 rs3 rs2 rs3 rs2 rs1');
  });

  it('weight 0 and OVERLOADed servers are skipped', () => {
    const h = serviceWith('wrr', [1, 1, 1]);
    h.weight('rs2', 0);
    expect(h.picks(4)).toBe('rs3 rs1 rs3 rs1');
    h.dest('rs1').overloaded = true;
    expect(h.picks(2)).toBe('rs3 rs3');
  });

  it('all weights 0: the plain message', () => {
    const h = serviceWith('wrr', [0, 0]);
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: wrr: TCP 10.0.0.100:80 - no destination available']);
  });

  it('all OVERLOADed: the overloaded message, from the head and from mid-list; the cursor survives', () => {
    const h = serviceWith('wrr', [1, 1, 1]);
    for (const n of ['rs1', 'rs2', 'rs3']) h.dest(n).overloaded = true;
    expect(h.pick()).toBeNull(); // from the head: one pass per cw, then give up
    h.dest('rs3').overloaded = false;
    expect(h.picks(1)).toBe('rs3');
    h.dest('rs3').overloaded = true;
    expect(h.pick()).toBeNull(); // from mid-list: stops back at rs3
    expect(h.errors).toEqual([
      'IPVS: wrr: TCP 10.0.0.100:80 - no destination available: all destinations are overloaded',
      'IPVS: wrr: TCP 10.0.0.100:80 - no destination available: all destinations are overloaded',
    ]);
    h.dest('rs2').overloaded = false;
    expect(h.picks(2)).toBe('rs2 rs2');
  });

  it('the cursor alone left eligible is found on the final pass', () => {
    const h = serviceWith('wrr', [1, 1, 1]);
    expect(h.picks(1)).toBe('rs3');
    h.dest('rs2').overloaded = true;
    h.dest('rs1').overloaded = true;
    expect(h.picks(2)).toBe('rs3 rs3');
  });

  it('a delete recomputes gcd and maximum', () => {
    const h = serviceWith('wrr', [4, 2, 3]); // [rs3(3) rs2(2) rs1(4)]
    h.del('rs3'); // weights 4, 2: di = 2, mw = 3
    // cw was 1 from the adds: stays 1 → (1 div 2)*2+1 = 1
    expect(h.picks(6)).toBe('rs2 rs1 rs1 rs2 rs1 rs1');
  });
});
