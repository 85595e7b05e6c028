import { describe, expect, it } from 'vitest';
import { formatResults } from '../../../src/bench/report.ts';
import { benchResults } from './benchResultsFixture.ts';
import { benchSweepRate, FULL_SWEEP_RUNS } from '../../../src/bench/sweepRate.ts';

// A tiny slice: this checks that the sweep-rate benchmark runs the real command and counts what it ran, not how
// fast it is.
describe('fairness sweep rate benchmark', () => {
  it('runs a slice of the sweep through `lvs-lab bench fairness` and counts its runs', () => {
    // 14 schedulers x 12 workloads x seed 1 = 168 runs; slice 5 of 84 holds runs 5 and 89.
    const f = benchSweepRate(1, '5/84');
    expect(f.runs).toBe(2);
    expect(f.jobs).toBe(1);
    expect(f.wallSeconds).toBeGreaterThan(0);
    expect(f.runsPerMinute).toBeCloseTo((2 / f.wallSeconds) * 60, 6);
    expect(f.fullSweepMinutes).toBeCloseTo(FULL_SWEEP_RUNS / f.runsPerMinute, 6);
  }, 120_000);

  it('prints its figure among the others', () => {
    const r = benchResults({ sweep: { runs: 77, shard: '0/2', jobs: 2, wallSeconds: 28, runsPerMinute: 165, fullSweepMinutes: 28 } });
    expect(formatResults(r)).toMatch(/fairness sweep \(lvs-lab bench fairness\)\s+165\.0 runs\/min\s+77 runs \(seed 1, shard 0\/2\), 2 worker threads, 28\.0 s; full 14 x 11 x 30 sweep ~ 28\.0 min\n/);
  });
});
