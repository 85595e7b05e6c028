import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The full sweep of issue 7 / docs/benchmarks.md: 14 schedulers × 11 workloads × 30 seeds. */
export const FULL_SWEEP_RUNS = 14 * 11 * 30;

export interface SweepRateFigures {
  /** Runs measured: one seed of every scheduler × workload, the slice `shard` of them. */
  runs: number;
  shard: string;
  jobs: number;
  wallSeconds: number;
  runsPerMinute: number;
  /** FULL_SWEEP_RUNS at this rate, in minutes. */
  fullSweepMinutes: number;
}

const CLI = fileURLToPath(new URL('../../bin/lvs-lab.js', import.meta.url));

/**
 * A sweep's runs per minute, measured with the real command a researcher runs (`lvs-lab bench fairness`, worker
 * threads on `jobs` cores, default run size), in a child process so the figure includes what a sweep pays:
 * worker start-up, scenario building, the simulations and writing the results. One seed of every scheduler and
 * workload, sliced with `--shard` so it takes well under a minute; the slice interleaves schedulers and workloads
 * (run i goes to shard i mod N), so it is a fair sample of the full sweep.
 */
export function benchSweepRate(jobs: number, shard = '0/2'): SweepRateFigures {
  const out = mkdtempSync(join(tmpdir(), 'lvs-lab-sweep-'));
  try {
    const args = [CLI, 'bench', 'fairness', '--schedulers', 'all', '--workload', 'all', '--seeds', '1', '--shard', shard, '--jobs', String(jobs), '--out', out];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`lvs-lab bench fairness exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
    // runs.csv: a header line, then one line per run.
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trimEnd().split('\n').length - 1;
    const runsPerMinute = (runs / wallSeconds) * 60;
    return { runs, shard, jobs, wallSeconds, runsPerMinute, fullSweepMinutes: FULL_SWEEP_RUNS / runsPerMinute };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
