import { describe, expect, it } from 'vitest';
import { ArrivalProcess, type ArrivalSpec } from '../../../../src/apps/index.ts';
import { MS, RandomStreams, SECOND } from '../../../../src/sim/index.ts';

function arrivals(spec: ArrivalSpec, start: number, until: number): number[] {
  const p = new ArrivalProcess(spec, new RandomStreams(3).get('arrivals'), start);
  const out: number[] = [];
  for (let t = p.next(start, true); t < until; t = p.next(t)) out.push(t);
  return out;
}

describe('open-loop arrivals', () => {
  it('fixed: evenly spaced from the start', () => {
    expect(arrivals({ kind: 'fixed', interval: 250 * MS }, SECOND, 2 * SECOND)).toEqual([1000, 1250, 1500, 1750].map((x) => x * MS));
  });

  it('poisson: the count in a long window is close to rate × time, gaps are exponential', () => {
    const ts = arrivals({ kind: 'poisson', rate: 1000 }, 0, 20 * SECOND);
    expect(ts.length).toBeGreaterThan(19_400);
    expect(ts.length).toBeLessThan(20_600);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]);
    // P(gap > mean) = e^-1 for an exponential gap.
    const long = gaps.filter((g) => g > MS).length / gaps.length;
    expect(long).toBeGreaterThan(Math.exp(-1) - 0.02);
    expect(long).toBeLessThan(Math.exp(-1) + 0.02);
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1])).toBe(true);
  });

  it('on/off: nothing during the off periods, the rate during the on periods', () => {
    const start = 500 * MS;
    const ts = arrivals({ kind: 'on-off', rate: 2000, on: 200 * MS, off: 300 * MS }, start, start + 10 * SECOND);
    for (const t of ts) expect((t - start) % (500 * MS)).toBeLessThan(200 * MS);
    // 20 bursts of 200 ms at 2000/s: about 8000.
    expect(ts.length).toBeGreaterThan(7600);
    expect(ts.length).toBeLessThan(8400);
  });
});
