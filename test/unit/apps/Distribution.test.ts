import { describe, expect, it } from 'vitest';
import { exponential, fixed, meanOf, pareto, sample } from '../../../src/apps/index.ts';
import { RandomStreams } from '../../../src/sim/index.ts';

const draws = (d: Parameters<typeof sample>[0], n: number, name = 'd') => {
  const s = new RandomStreams(7).get(name);
  return Array.from({ length: n }, () => sample(d, s));
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('request and service distributions', () => {
  it('fixed is always its value', () => {
    expect(new Set(draws(fixed(512), 100))).toEqual(new Set([512]));
  });

  it('exponential: mean close to its parameter, memoryless tail P(X > 2m) ≈ e^-2', () => {
    const xs = draws(exponential(1000), 40_000);
    expect(mean(xs)).toBeGreaterThan(970);
    expect(mean(xs)).toBeLessThan(1030);
    const tail = xs.filter((x) => x > 2000).length / xs.length;
    expect(tail).toBeGreaterThan(Math.exp(-2) - 0.01);
    expect(tail).toBeLessThan(Math.exp(-2) + 0.01);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it('pareto: never below its minimum nor above its bound; heavy tail P(X > 10·min) ≈ 10^-shape', () => {
    const d = pareto(1000, 1.5, 100_000);
    const xs = draws(d, 40_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...xs)).toBe(100_000); // the mass beyond the bound lands on it
    const tail = xs.filter((x) => x > 10_000).length / xs.length;
    expect(tail).toBeGreaterThan(0.0316 - 0.004);
    expect(tail).toBeLessThan(0.0316 + 0.004);
    // The truncated mean: 3·min·(1 − 0.1) + 100000·0.001 = 2800 (the untruncated one would be 3000).
    expect(meanOf(d)).toBeCloseTo(2800, 6);
    expect(Math.abs(mean(xs) - meanOf(d)) / meanOf(d)).toBeLessThan(0.04);
  });

  it('the same seed and stream name give the same draws; another name other draws', () => {
    expect(draws(exponential(10), 50, 'a')).toEqual(draws(exponential(10), 50, 'a'));
    expect(draws(exponential(10), 50, 'a')).not.toEqual(draws(exponential(10), 50, 'b'));
  });
});
