import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/lab/index.ts';
import type { SoakSample } from '../../../src/bench/soakRun.ts';
import { heapSlope, judgeSoak, leastSquares, plateauChecks, plateauMargin, SLOPE_LIMIT } from '../../../src/bench/soakVerdict.ts';

const MB = 1024 * 1024;

/** Samples every 10^6 events, one simulated second each, with the given heap and table sizes. */
function samples(n: number, heap: (i: number) => number, table: (i: number) => number): SoakSample[] {
  return Array.from({ length: n }, (_, i) => ({
    events: (i + 1) * 1_000_000,
    simNs: (i + 1) * SECOND,
    wallSeconds: i,
    heapUsed: heap(i),
    arrayBuffers: 2 * MB,
    rss: 300 * MB,
    pendingEvents: table(i),
    queuedEvents: table(i) + 100,
    ipvsConnections: table(i),
    neighbours: 3000,
    agedNeighbours: 500,
    neighboursAll: 3010,
    tcpSockets: table(i),
    connectionsOpened: 200 * i,
    connectionsExpired: 150 * i,
    responses: 200 * i,
    failures: 0,
    drops: 0,
    neighbourChanges: 1000 * i,
  }));
}

/** A fixed zig-zag of +-1 MiB: collection noise without a trend. */
const noise = (i: number): number => [1, -1, 0.5, -0.5, 0][i % 5] * MB;

describe('soak verdict', () => {
  it('fits a least-squares line', () => {
    const fit = leastSquares([1, 2, 3, 4], [5, 8, 11, 14]);
    expect(fit.slope).toBeCloseTo(3, 12);
    expect(fit.intercept).toBeCloseTo(2, 12);
    expect(fit.stdError).toBeCloseTo(0, 12);
    expect(() => leastSquares([1], [1])).toThrow(RangeError);
  });

  it('passes a flat, noisy heap and fails one that grows by a leak of 2 bytes per event', () => {
    const flat = heapSlope(samples(100, (i) => 100 * MB + noise(i), () => 5000), 100e6, 0)!;
    expect(flat.samples).toBe(51); // the second half: from 5 x 10^7 events on
    expect(Math.abs(flat.bytesPerMillionEvents)).toBeLessThan(flat.limit);
    expect(flat.ok).toBe(true);
    const leak = heapSlope(samples(100, (i) => 100 * MB + noise(i) + 2 * (i + 1) * 1e6, () => 5000), 100e6, 0)!;
    expect(leak.bytesPerMillionEvents).toBeGreaterThan(1.9e6);
    expect(leak.limit).toBeCloseTo(SLOPE_LIMIT * leak.meanBytes, 6);
    expect(leak.ok).toBe(false);
  });

  it('fits the heap only after the memory warm-up, and not at all with too few samples', () => {
    const s = samples(100, (i) => 100 * MB + noise(i), () => 5000);
    expect(heapSlope(s, 100e6, 80 * SECOND)!.samples).toBe(21);
    expect(heapSlope(s, 100e6, 98 * SECOND)).toBeUndefined();
  });

  it('finds a table that keeps growing after warm-up, and lets a steady one vary within the margin', () => {
    const steady = plateauChecks(samples(40, () => 100 * MB, (i) => 5000 + ((i * 37) % 11) * 60), 10 * SECOND);
    expect(steady.every((c) => c.ok)).toBe(true);
    // One entry per connection never released: +200 per sample.
    const growing = plateauChecks(samples(40, () => 100 * MB, (i) => 5000 + 200 * i), 10 * SECOND);
    const ipvs = growing.find((c) => c.size === 'ipvsConnections')!;
    expect(ipvs.ok).toBe(false);
    expect(ipvs.bound).toBe(ipvs.firstHalfMax + plateauMargin(ipvs.firstHalfMax));
    expect(growing.find((c) => c.size === 'neighbours')!.ok).toBe(true);
    expect(plateauChecks(samples(3, () => 0, () => 1), 0)).toEqual([]);
  });

  it('gives a verdict with the reasons', () => {
    const good = judgeSoak(samples(60, (i) => 100 * MB + noise(i), () => 5000), 60e6, { tableWarmUpNs: 5 * SECOND, memoryWarmUpNs: 5 * SECOND }, true);
    expect(good).toMatchObject({ ok: true, problems: [] });
    const bad = judgeSoak(samples(60, (i) => 100 * MB + 3e6 * i, (i) => 5000 + 300 * i), 60e6, { tableWarmUpNs: 5 * SECOND, memoryWarmUpNs: 5 * SECOND }, true);
    expect(bad.ok).toBe(false);
    expect(bad.problems.some((p) => p.startsWith('retained memory grows'))).toBe(true);
    expect(bad.problems.some((p) => p.startsWith('ipvsConnections rose'))).toBe(true);
    const short = judgeSoak(samples(6, () => 100 * MB, () => 5000), 6e6, { tableWarmUpNs: 5 * SECOND, memoryWarmUpNs: 5 * SECOND }, true);
    expect(short.ok).toBe(false);
    expect(short.problems[0]).toMatch(/too few samples/);
  });
});
