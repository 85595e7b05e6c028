import type { WorkloadDefinition } from '../../../lab/index.ts';

/** One run of a sweep: its index in the full plan, and what to run. */
export interface PlannedRun {
  index: number;
  scheduler: string;
  workload: WorkloadDefinition;
  seed: number;
  seconds: number;
}

/** What a sweep covers; written into runs.json so slices can be checked against each other and merged. */
export interface SweepPlan {
  schedulers: string[];
  workloads: WorkloadDefinition[];
  seeds: number[];
  seconds: number;
}

export interface Shard {
  /** 0-based, as Kubernetes' JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

/**
 * The full plan in its canonical order — workload, then scheduler, then seed — and each run's index in it. A
 * slice takes the runs whose index is congruent to its shard index modulo the count: every slice gets a mix of
 * schedulers and workloads, so slices take about the same time.
 */
export function planRuns(plan: SweepPlan, shard?: Shard): PlannedRun[] {
  const out: PlannedRun[] = [];
  let index = 0;
  for (const workload of plan.workloads) {
    for (const scheduler of plan.schedulers) {
      for (const seed of plan.seeds) {
        if (shard === undefined || index % shard.count === shard.index) out.push({ index, scheduler, workload, seed, seconds: plan.seconds });
        index++;
      }
    }
  }
  return out;
}

/** `1-30`, `1,2,7`, `5`, or a mix (`1-3,10`): ascending, without repeats. */
export function parseSeeds(text: string): number[] | undefined {
  const seeds = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a || b - a > 100_000) return undefined;
    for (let s = a; s <= b; s++) seeds.add(s);
  }
  return [...seeds].sort((x, y) => x - y);
}

/** `I/N` with 0 ≤ I < N. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= 100_000 && index < count)) return undefined;
  return { index, count };
}

/**
 * The shard from a Kubernetes Indexed Job when `--shard` is not given: JOB_COMPLETION_INDEX (set by Kubernetes
 * in every pod of an Indexed Job) and JOB_COMPLETIONS (set in the manifest to the Job's `completions`; see
 * docs/benchmarks.md). Neither: undefined (the whole sweep). Only one, or nonsense: an error message.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>): Shard | string | undefined {
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.JOB_COMPLETIONS;
  if (index === undefined && count === undefined) return undefined;
  if (index === undefined || count === undefined) return 'JOB_COMPLETION_INDEX and JOB_COMPLETIONS must be set together (an Indexed Job sets the first; set the second to its completions)';
  const shard = parseShard(`${index}/${count}`);
  return shard ?? `JOB_COMPLETION_INDEX=${index} and JOB_COMPLETIONS=${count} do not make a shard (0 <= index < completions)`;
}
