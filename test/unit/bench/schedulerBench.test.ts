import { describe, expect, it } from 'vitest';
import { formatResults } from '../../../src/bench/report.ts';
import { benchResults } from './benchResultsFixture.ts';
import { benchSchedulers, SchedulerWorkload } from '../../../src/bench/schedulers.ts';
import { schedulerNames } from '../../../src/lab/index.ts';

// Small sizes: these check that the scheduler benchmark measures what it says, not how fast it is.
describe('scheduler benchmark', () => {
  it('measures every registered scheduler at every size, without refusals', () => {
    const f = benchSchedulers(0.002, 1, [2, 16]);
    expect(f.dests).toEqual([2, 16]);
    expect(f.rows.map((r) => r.scheduler)).toEqual([...schedulerNames()]);
    for (const r of f.rows) {
      expect(r.perSecond).toHaveLength(2);
      for (const x of r.perSecond) expect(x).toBeGreaterThan(0);
    }
  });

  it('keeps 2 × dests connections active and as many closing, so counters stay bounded and moving', () => {
    for (const name of ['lc', 'wlc', 'rr']) {
      const w = new SchedulerWorkload(name, 16);
      w.run(10_000);
      const active = w.svc.destinations.reduce((a, d) => a + d.activeConns, 0);
      const total = w.svc.destinations.reduce((a, d) => a + d.totalConns, 0);
      expect(active).toBe(32);
      expect(total).toBe(64);
      expect(w.refusals).toBe(0);
      expect(w.decisions).toBe(10_000);
      // the least-connection family spreads the load over every server
      if (name !== 'rr') expect(w.svc.destinations.every((d) => d.totalConns > 0)).toBe(true);
    }
  });

  it('prints one row per scheduler with a column per size', () => {
    const schedulers = { dests: [2, 64], rows: [{ scheduler: 'rr', perSecond: [12_345_678.4, 1_000] }] };
    const r = benchResults({ schedulers });
    const text = formatResults(r);
    expect(text).toMatch(/scheduler decisions\/s\s+2 dests\s+64 dests\n/);
    expect(text).toMatch(/\nrr\s+12,345,678\s+1,000\n/);
  });
});
