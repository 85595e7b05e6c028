import { describe, expect, it } from 'vitest';
import { hash32 } from '../../../../src/ipvs/schedulers/hash.ts';
import { isOverloaded, LocalityTable, type LocalityEntry } from '../../../../src/ipvs/schedulers/localityTable.ts';
import { connect, SECOND, serviceWith } from './harness.ts';

// The lblc/lblcr cache and its collector (ip_vs_lblc.c: 1024 buckets, max_size 16384, 60 s ticks).
const MIN = 60 * SECOND;

/** `n` entries used at time `t`, at addresses from `first` up. */
function fill(tbl: LocalityTable<LocalityEntry>, first: number, n: number, t: number): void {
  for (let a = first; a < first + n; a++) tbl.add({ addr: a, lastuse: t });
}

function bucketSizes(first: number, n: number): number[] {
  const sizes = new Array<number>(1024).fill(0);
  for (let a = first; a < first + n; a++) sizes[hash32(a, 10)]++;
  return sizes;
}

describe('locality table', () => {
  it('finds entries by address and counts them', () => {
    const tbl = new LocalityTable<LocalityEntry>(0, () => 86_400);
    fill(tbl, 100, 50, 0);
    expect(tbl.entries).toBe(50);
    expect(tbl.get(120)?.addr).toBe(120);
    expect(tbl.get(99)).toBeUndefined();
    tbl.remove(tbl.get(120)!);
    expect(tbl.get(120)).toBeUndefined();
    expect(tbl.entries).toBe(49);
  });

  it('below max_size only every 30th tick sweeps, dropping entries with now >= lastuse + expiration', () => {
    const tbl = new LocalityTable<LocalityEntry>(5 * SECOND, () => 100);
    fill(tbl, 1, 10, 0);
    tbl.catchUp(5 * SECOND + 29 * MIN);
    expect(tbl.entries).toBe(10);
    tbl.catchUp(5 * SECOND + 30 * MIN); // bound at 5 s: ticks at 5 s + k minutes
    expect(tbl.entries).toBe(0);
  });

  it('refuses new entries at 1.5 × max_size', () => {
    const tbl = new LocalityTable<LocalityEntry>(0, () => 86_400);
    fill(tbl, 1, 24_575, 0);
    expect(tbl.hasRoom()).toBe(true);
    fill(tbl, 100_000, 1, 0);
    expect(tbl.hasRoom()).toBe(false);
  });

  it('over max_size, each tick sweeps whole buckets of 6-minute-idle entries from the rover until the goal', () => {
    const tbl = new LocalityTable<LocalityEntry>(0, () => 86_400);
    const n = 16_384 + 3; // goal = 3 · 4 / 3 = 4
    fill(tbl, 1, n, 0);
    const sizes = bucketSizes(1, n);
    tbl.catchUp(5 * MIN); // ticks at 1..5 min: nothing is 6 minutes idle yet
    expect(tbl.entries).toBe(n);
    tbl.catchUp(6 * MIN); // bucket 1 goes whole (it holds more than the goal of 4)
    expect(sizes[1]).toBeGreaterThanOrEqual(4);
    expect(tbl.entries).toBe(n - sizes[1]);
    expect(tbl.entries).toBeLessThanOrEqual(16_384); // back under max_size: only counting from here
    tbl.catchUp(29 * MIN);
    expect(tbl.entries).toBe(n - sizes[1]);
  });

  it('the rover moves on: the next over-full tick starts after the last bucket swept', () => {
    const tbl = new LocalityTable<LocalityEntry>(0, () => 86_400);
    const n = 16_384 + 60; // goal 80, and still over max_size after one bucket
    fill(tbl, 1, n, 0);
    const sizes = bucketSizes(1, n);
    let swept = 0;
    let expectedLeft = n;
    let j = 0;
    for (let goal = 80; goal > 0; ) {
      j++;
      goal -= sizes[j];
      expectedLeft -= sizes[j];
      swept = j;
    }
    tbl.catchUp(6 * MIN);
    expect(tbl.entries).toBe(expectedLeft);
    if (expectedLeft > 16_384) {
      // next tick continues at bucket swept + 1 with a goal recomputed from the new count
      let goal = Math.trunc(((expectedLeft - 16_384) * 4) / 3);
      let k = swept;
      while (goal > 0) {
        k++;
        goal -= sizes[k];
        expectedLeft -= sizes[k];
      }
      tbl.catchUp(7 * MIN);
      expect(tbl.entries).toBe(expectedLeft);
    }
  });

  it('flush empties the table and marks it dead', () => {
    const tbl = new LocalityTable<LocalityEntry>(0, () => 86_400);
    fill(tbl, 1, 5, 0);
    tbl.flush();
    expect(tbl.entries).toBe(0);
    expect(tbl.dead).toBe(true);
    expect(tbl.get(1)).toBeUndefined();
  });

  it("lblc's overload: more active than weight, and somebody under half of theirs", () => {
    const h = serviceWith('lblc', [4, 2]); // [rs2(2) rs1(4)]
    const rs2 = h.dest('rs2');
    connect(rs2, 3);
    expect(isOverloaded(rs2, h.svc)).toBe(true); // rs1: 0 · 2 < 4
    connect(h.dest('rs1'), 2);
    expect(isOverloaded(rs2, h.svc)).toBe(false); // rs1: 2 · 2 = 4, rs2: 6 > 2
    h.dest('rs1').weight = 5;
    expect(isOverloaded(rs2, h.svc)).toBe(true);
  });
});
