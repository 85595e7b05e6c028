import { describe, expect, it } from 'vitest';
import type { FairnessObservations } from '../../../src/lab/index.ts';
import { coefficientOfVariation, flowDisruption, jainIndex, meanCi, runFairnessMetrics, summarizeFairness, tQuantile975 } from '../../../src/metrics/index.ts';

function obs(over: Partial<FairnessObservations> = {}): FairnessObservations {
  return {
    scheduler: 'rr',
    workload: 'w',
    seed: 1,
    seconds: 1,
    servers: ['rs1', 'rs2', 'rs3', 'rs4'],
    weights: [1, 1, 1, 1],
    ideal: [0.25, 0.25, 0.25, 0.25],
    connections: [25, 25, 25, 25],
    bytes: [100, 100, 100, 100],
    responses: [25, 25, 25, 25],
    flows: { t: [], client: [], destination: [], server: [] },
    latencies: Array.from({ length: 100 }, (_, i) => (i + 1) * 1_000_000),
    refused: 0,
    errors: 0,
    drops: 0,
    unscheduled: 0,
    ...over,
  };
}

describe('fairness indices', () => {
  it("Jain's index: 1 for equal loads, 1/n when one server takes all, (Σx)²/(nΣx²) between", () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1);
    expect(jainIndex([10, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([1, 2, 3])).toBeCloseTo(36 / (3 * 14), 12);
    expect(jainIndex([0, 0])).toBe(1);
  });

  it('coefficient of variation is the population sd over the mean', () => {
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2 / 5, 12);
    expect(coefficientOfVariation([3, 3, 3])).toBe(0);
  });

  it('95 % intervals use Student t: t(0.975, 1) = 12.706, t(0.975, 29) = 2.045, t → 1.96', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(29)).toBe(2.045);
    expect(tQuantile975(60)).toBeCloseTo(2.0, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
    // Mean 3, sample sd 1.5811 over 5 values: half-width 2.776 × 1.5811 / √5 = 1.963.
    const m = meanCi([1, 2, 3, 4, 5]);
    expect(m.mean).toBe(3);
    expect(m.half).toBeCloseTo(1.963, 3);
    expect(meanCi([7]).half).toBeNaN();
    expect(meanCi([NaN, 1, 3]).n).toBe(2);
  });
});

describe('one run', () => {
  it('shares against weight-ideal shares: weighted Jain 1 when connections follow the weights, plain Jain not', () => {
    const r = runFairnessMetrics(obs({ weights: [1, 1, 2, 4], ideal: [0.125, 0.125, 0.25, 0.5], connections: [10, 10, 20, 40], bytes: [1, 1, 2, 4] }));
    expect(r.connShare).toEqual([0.125, 0.125, 0.25, 0.5]);
    expect(r.jainWeighted).toBeCloseTo(1, 12);
    expect(r.jainWork).toBeCloseTo(1, 12);
    expect(r.maxMean).toBeCloseTo(1, 12);
    expect(r.cov).toBeCloseTo(0, 12);
    expect(r.jain).toBeCloseTo(6400 / (4 * 2200), 12);
  });

  it('an imbalance: max/mean and CoV of share over ideal; percentiles by nearest rank in ms', () => {
    const r = runFairnessMetrics(obs({ connections: [40, 20, 20, 20] }));
    // Normalised loads 1.6, 0.8, 0.8, 0.8: mean 1, max 1.6, sd 0.3464.
    expect(r.maxMean).toBeCloseTo(1.6, 12);
    expect(r.cov).toBeCloseTo(Math.sqrt(0.48 / 4), 12);
    expect(r.p50).toBe(50);
    expect(r.p95).toBe(95);
    expect(r.p99).toBe(99);
    expect(r.cdf[0]).toBe(1);
    expect(r.cdf[r.cdf.length - 1]).toBe(100);
    expect(r.disruption).toBeUndefined();
  });

  it('flow disruption: clients seen on both sides of the change, moved versus had to move', () => {
    const s = 1_000_000_000;
    const flows = {
      // a stays on 0; b moves 1 → 0 though 1 survives; c was on the removed server 3 and moves to 2; d only before.
      t: [1, 2, 3, 4, 2 * s, 2 * s + 1, 2 * s + 2, s + 50_000_000],
      client: ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'e'],
      destination: Array<string>(8).fill('vip'),
      server: [0, 1, 3, 2, 0, 0, 2, 1],
    };
    const d = flowDisruption({ change: { t: s, server: 3, kind: 'remove' }, flows })!;
    expect(d.flows).toBe(3);
    expect(d.moved).toBeCloseTo(2 / 3, 12);
    expect(d.necessary).toBeCloseTo(1 / 3, 12);
    // The same flows read as an addition of server 0: the clients it took (a, b) had to move; a did not.
    const add = flowDisruption({ change: { t: s, server: 0, kind: 'add' }, flows })!;
    expect(add.necessary).toBeCloseTo(2 / 3, 12);
  });

  it('flow disruption with many destinations: a flow is a client and a destination, so moves by destination count', () => {
    const s = 1_000_000_000;
    // One client, three destinations, as dh schedules them: d1 and d2 keep their servers, d3's server 3 is removed
    // and d3 moves to 1. Keyed by client alone this would be one flow (its last server 3, its first after 0).
    const flows = {
      t: [1, 2, 3, 2 * s, 2 * s + 1, 2 * s + 2],
      client: ['c', 'c', 'c', 'c', 'c', 'c'],
      destination: ['d1', 'd2', 'd3', 'd1', 'd2', 'd3'],
      server: [0, 2, 3, 0, 2, 1],
    };
    const d = flowDisruption({ change: { t: s, server: 3, kind: 'remove' }, flows })!;
    expect(d.flows).toBe(3);
    expect(d.moved).toBeCloseTo(1 / 3, 12);
    expect(d.necessary).toBeCloseTo(1 / 3, 12);
  });

  it('aggregation over seeds: per-server shares and indices with intervals, disruption only where measured', () => {
    const runs = [1, 2, 3].map((seed) => runFairnessMetrics(obs({ seed, connections: [25 + seed, 25, 25, 25 - seed] })));
    const s = summarizeFairness(runs);
    expect(s.seeds).toBe(3);
    expect(s.connShare[0].mean).toBeCloseTo((26 + 27 + 28) / 300, 12);
    expect(s.connShare[0].half).toBeGreaterThan(0);
    expect(s.jainWeighted.mean).toBeLessThan(1);
    expect(s.moved).toBeUndefined();
    expect(s.cdf[49]).toBe(50);
  });
});
