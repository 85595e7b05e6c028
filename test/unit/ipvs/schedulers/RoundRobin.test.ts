import { describe, expect, it } from 'vitest';
import { Harness, serviceWith } from './harness.ts';

// ipvs-schedulers.md §1 and ip_vs_rr.c. Servers rsK are added in order, so the list is [.., rs2, rs1].
describe('rr', () => {
  it('walks the list from the head: the most recently added server first', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.order()).toEqual(['rs3', 'rs2', 'rs1']);
    expect(h.picks(7)).toBe('rs3 rs2 rs1 rs3 rs2 rs1 rs3');
  });

  it('ignores weights above zero', () => {
    const h = serviceWith('rr', [5, 1]);
    expect(h.picks(4)).toBe('rs2 rs1 rs2 rs1');
  });

  it('after the cursor is deleted, goes on with the server that followed it (worked example)', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.picks(2)).toBe('rs3 rs2');
    h.del('rs2');
    expect(h.picks(3)).toBe('rs1 rs3 rs1');
  });

  it('deleting the cursor at the end of the list steps back to its predecessor', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.picks(3)).toBe('rs3 rs2 rs1');
    h.del('rs1');
    expect(h.picks(4)).toBe('rs3 rs2 rs3 rs2');
  });

  it('deleting the cursor at the head of the list sends it back to the head', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.picks(1)).toBe('rs3');
    h.del('rs3');
    expect(h.picks(3)).toBe('rs2 rs1 rs2');
  });

  it("finds the cursor's predecessor through its successor, even after that successor was deleted", () => {
    const h = serviceWith('rr', [1, 1, 1, 1]); // [rs4 rs3 rs2 rs1]
    expect(h.picks(2)).toBe('rs4 rs3');
    h.del('rs2'); // the cursor's successor goes: rs3 is now followed by rs1
    h.del('rs3'); // the cursor goes: its predecessor is rs4
    expect(h.picks(3)).toBe('rs1 rs4 rs1');
  });

  it('an added server does not move the cursor and is met when the walk wraps', () => {
    const h = serviceWith('rr', [1, 1]); // [rs2 rs1]
    expect(h.picks(1)).toBe('rs2');
    h.add('rs3', 1); // [rs3 rs2 rs1], cursor still on rs2
    expect(h.picks(4)).toBe('rs1 rs3 rs2 rs1');
  });

  it('an add before deleting the cursor changes its predecessor', () => {
    const h = serviceWith('rr', [1, 1, 1]); // [rs3 rs2 rs1]
    expect(h.picks(1)).toBe('rs3');
    h.add('rs4', 1); // [rs4 rs3 rs2 rs1]
    h.del('rs3'); // predecessor is now rs4
    expect(h.picks(3)).toBe('rs2 rs1 rs4');
  });

  it('skips weight-0 and OVERLOADed servers without moving the cursor', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.picks(1)).toBe('rs3');
    h.weight('rs2', 0);
    expect(h.picks(3)).toBe('rs1 rs3 rs1');
    h.weight('rs2', 1);
    h.dest('rs3').overloaded = true;
    expect(h.picks(3)).toBe('rs2 rs1 rs2');
  });

  it('the cursor itself is the last candidate', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.picks(1)).toBe('rs3');
    h.weight('rs2', 0);
    h.weight('rs1', 0);
    expect(h.picks(2)).toBe('rs3 rs3');
  });

  it('with nothing eligible logs the kernel message, returns null and keeps the cursor', () => {
    const h = serviceWith('rr', [1, 1, 1]);
    expect(h.picks(1)).toBe('rs3');
    for (const n of ['rs1', 'rs2', 'rs3']) h.weight(n, 0);
    expect(h.pick()).toBeNull();
    expect(h.errors).toEqual(['IPVS: rr: TCP 10.0.0.100:80 - no destination available']);
    for (const n of ['rs1', 'rs2', 'rs3']) h.weight(n, 1);
    expect(h.picks(2)).toBe('rs2 rs1');
  });

  it('an empty service refuses', () => {
    const h = new Harness().bind('rr');
    expect(h.pick()).toBeNull();
    expect(h.errors).toHaveLength(1);
  });

  it('a service rebound to rr starts from the head', () => {
    const h = serviceWith('wrr', [1, 2, 3]);
    h.picks(2);
    h.bind('rr');
    expect(h.picks(3)).toBe('rs3 rs2 rs1');
  });
});
