import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  fairnessScenario,
  KERNEL_MH_TABLE,
  Lab,
  maglevFill,
  maglevRemoval,
  parseWorkloadDefinitions,
  schedulerNames,
  schedulerRemoval,
  supermarket,
  WorkloadDefinitionError,
  workloadsByName,
  type WorkloadDefinition,
} from '../../../lab/index.ts';
import type { RunFairness } from '../../../metrics/index.ts';
import type { CliIo } from '../../CliIo.ts';
import { EXIT_OK } from '../../exitCodes.ts';
import { fsReason, reportError, UserInputError } from '../../userInput.ts';
import { runPool } from './pool.ts';
import { sweepFiles, type RunsFile } from './results.ts';
import { parseSeeds, parseShard, planRuns, shardFromEnvironment, type Shard, type SweepPlan } from './sweep.ts';

export interface FairnessOptions {
  schedulers: string;
  workload: string;
  seeds: string;
  out: string;
  shard?: string;
  jobs?: number;
  seconds?: number;
  workloadFile?: string;
}

/** Where a long command reports progress: stderr, redrawn in place on a terminal, a line per tenth otherwise. */
export interface ProgressSink {
  write: (text: string) => void;
  tty: boolean;
  now: () => number;
}

function readDefinitions(file: string | undefined): WorkloadDefinition[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot read ${file}: ${fsReason(err)}`);
  }
  try {
    const defs = parseWorkloadDefinitions(text, file);
    // Check each definition's scenario once (values inside flows are the scenario loader's to judge).
    for (const d of defs) {
      try {
        Lab.check(fairnessScenario({ scheduler: 'rr', workload: d, seed: 1, seconds: 1 }), `${file} (workload ${d.name})`);
      } catch (err) {
        throw new UserInputError(`lvs-lab: ${file}: workload ${d.name} does not make a valid scenario: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return defs;
  } catch (err) {
    if (err instanceof WorkloadDefinitionError) throw new UserInputError(`lvs-lab: ${err.message}`);
    throw err;
  }
}

/** The sweep's plan from the options; every problem is a UserInputError naming the option. */
export function sweepPlan(o: FairnessOptions): SweepPlan {
  const known = schedulerNames();
  const schedulers = o.schedulers === 'all' ? [...known] : o.schedulers.split(',').map((s) => s.trim());
  for (const s of schedulers) if (!known.includes(s)) throw new UserInputError(`lvs-lab: --schedulers: no scheduler ${JSON.stringify(s)} (known: ${known.join(', ')}, or all)`);
  if (new Set(schedulers).size !== schedulers.length) throw new UserInputError('lvs-lab: --schedulers: a scheduler is named twice');
  const library = workloadsByName(readDefinitions(o.workloadFile));
  const names = o.workload === 'all' ? [...library.keys()] : o.workload.split(',').map((s) => s.trim());
  const workloads = names.map((n) => {
    const w = library.get(n);
    if (w === undefined) throw new UserInputError(`lvs-lab: --workload: no workload ${JSON.stringify(n)} (see lvs-lab bench workloads)`);
    return w;
  });
  if (new Set(names).size !== names.length) throw new UserInputError('lvs-lab: --workload: a workload is named twice');
  const seeds = parseSeeds(o.seeds);
  if (seeds === undefined || seeds.length === 0) throw new UserInputError(`lvs-lab: --seeds: expected seeds like 1-30 or 1,2,5, got ${JSON.stringify(o.seeds)}`);
  const seconds = o.seconds ?? 10;
  return { schedulers, workloads, seeds, seconds };
}

function resolveShard(text: string | undefined, env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  if (text !== undefined) {
    const s = parseShard(text);
    if (s === undefined) throw new UserInputError(`lvs-lab: --shard: expected I/N with 0 <= I < N, got ${JSON.stringify(text)}`);
    return s;
  }
  const fromEnv = shardFromEnvironment(env);
  if (typeof fromEnv === 'string') throw new UserInputError(`lvs-lab: ${fromEnv}`);
  return fromEnv;
}

function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of files) writeFileSync(join(dir, name), text);
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot write to ${dir}: ${fsReason(err)}`);
  }
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
}

/** A progress bar with an ETA from the mean time per run so far. Never on stdout. */
export function progressBar(total: number, sink: ProgressSink): { update: (done: number) => void; finish: () => number } {
  const start = sink.now();
  let lastTenth = -1;
  const update = (done: number) => {
    const elapsed = (sink.now() - start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} runs, ${duration(elapsed)} elapsed, ETA ${done === total ? '0s' : duration(eta)}`;
    if (sink.tty) sink.write(`\r${line}`);
    else {
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        sink.write(`${line}\n`);
      }
    }
  };
  return {
    update,
    finish: () => {
      if (sink.tty) sink.write('\n');
      return (sink.now() - start) / 1000;
    },
  };
}

/** `lvs-lab bench fairness`. Results go to files; stdout gets nothing; stderr the progress and a last line. */
export async function fairnessCommand(o: FairnessOptions, io: CliIo, progress: ProgressSink, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  try {
    const plan = sweepPlan(o);
    const shard = resolveShard(o.shard, env);
    const runs = planRuns(plan, shard);
    const jobs = o.jobs ?? availableParallelism();
    const bar = progressBar(runs.length, progress);
    const rows = await runPool(runs, jobs, bar.update);
    const wall = bar.finish();
    const indexed = runs.map((r, i) => ({ index: r.index, row: rows[i] }));
    writeFiles(o.out, sweepFiles(plan, shard ?? null, indexed));
    const slice = shard !== undefined ? ` (slice ${shard.index}/${shard.count})` : '';
    progress.write(`lvs-lab: ${runs.length} runs${slice} in ${wall.toFixed(1)} s wall on ${jobs <= 0 ? 'this thread' : `${Math.min(jobs, runs.length)} worker(s)`} (${wall > 0 ? ((runs.length / wall) * 60).toFixed(1) : '?'} runs/min); results in ${o.out}\n`);
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}

function readRunsFile(dir: string): RunsFile {
  const file = join(dir, 'runs.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot read ${file}: ${fsReason(err)}`);
  }
  let doc: RunsFile;
  try {
    // runs.json writes NaN (a percentile of no responses) as null; read it back as NaN.
    doc = JSON.parse(text, (k, v: unknown) => (v === null && k !== 'shard' ? NaN : v)) as RunsFile;
  } catch (err) {
    throw new UserInputError(`lvs-lab: ${file}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc?.format !== 'lvs-lab-fairness-runs' || doc.version !== 1 || !Array.isArray(doc.runs)) throw new UserInputError(`lvs-lab: ${file}: not a runs.json written by lvs-lab bench fairness`);
  return doc;
}

/**
 * `lvs-lab bench merge DIR... --out DIR`: joins slices (or any result directories of the same sweep) into the
 * complete set of outputs. The plans must be identical, a run present twice must be identical, and every run of
 * the plan must be present: the merged files are then byte for byte those of one unsharded run.
 */
export function mergeCommand(dirs: readonly string[], o: { out: string }, io: CliIo): number {
  try {
    if (dirs.length === 0) throw new UserInputError('lvs-lab: bench merge: name at least one result directory');
    const docs = dirs.map(readRunsFile);
    const plan = docs[0].plan;
    const planText = JSON.stringify(plan);
    docs.forEach((d, i) => {
      if (JSON.stringify(d.plan) !== planText) throw new UserInputError(`lvs-lab: ${dirs[i]} is a different sweep from ${dirs[0]} (schedulers, workloads, seeds or run length differ)`);
    });
    const byIndex = new Map<number, RunFairness>();
    const texts = new Map<number, string>();
    for (const [i, d] of docs.entries()) {
      for (const r of d.runs) {
        const t = JSON.stringify(r.row);
        const seen = texts.get(r.index);
        if (seen !== undefined && seen !== t) throw new UserInputError(`lvs-lab: run ${r.index} differs between slices (${dirs[i]}): the slices were not made by the same lvs-lab`);
        texts.set(r.index, t);
        byIndex.set(r.index, r.row);
      }
    }
    const total = plan.workloads.length * plan.schedulers.length * plan.seeds.length;
    const missing = total - byIndex.size;
    if (missing > 0) throw new UserInputError(`lvs-lab: bench merge: ${missing} of ${total} runs are missing (merge every slice)`);
    const indexed = [...byIndex.entries()].map(([index, row]) => ({ index, row }));
    writeFiles(o.out, sweepFiles(plan, null, indexed));
    io.err(`lvs-lab: merged ${byIndex.size} of ${total} runs from ${dirs.length} director${dirs.length === 1 ? 'y' : 'ies'} into ${o.out}\n`);
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}

/** `lvs-lab bench workloads [--file F]`: the library (and a file's definitions), one per line. */
export function workloadsCommand(o: { file?: string }, io: CliIo): number {
  try {
    const lib = workloadsByName(readDefinitions(o.file));
    const width = Math.max(...[...lib.keys()].map((k) => k.length));
    for (const w of lib.values()) io.out(`${w.name.padEnd(width)}  ${w.description}\n`);
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}

/** `lvs-lab bench published`: the published-result checks, as a table and one JSON line each with --json. */
export function publishedCommand(o: { json?: boolean; quick?: boolean }, io: CliIo): number {
  const fill = maglevFill(65537, 1000);
  const fillKernel = maglevFill(KERNEL_MH_TABLE, 8);
  const removal = maglevRemoval(65537, 1000);
  const removalKernel = maglevRemoval(KERNEL_MH_TABLE, 8);
  const mh = schedulerRemoval('mh', 8, 100_000);
  const sh = schedulerRemoval('sh', 8, 100_000);
  // Two choices mix fast: many servers, short time. One choice at load 0.99 relaxes over ~10^4 time units per
  // queue: few servers, long time. --quick: a smaller run of each, for a smoke test.
  const twos = o.quick ? supermarket('twos', 100, 0.99, 3000) : supermarket('twos', 1000, 0.99, 2000);
  const random = o.quick ? supermarket('random', 20, 0.99, 50_000) : supermarket('random', 20, 0.99, 500_000);
  const rr = o.quick ? supermarket('rr', 20, 0.99, 50_000) : supermarket('rr', 20, 0.99, 500_000);
  if (o.json) {
    for (const x of [fill, fillKernel, removal, removalKernel, mh, sh, twos, random, rr]) io.out(`${JSON.stringify(x)}\n`);
    return EXIT_OK;
  }
  const p = (x: number) => `${(x * 100).toFixed(2)} %`;
  io.out(`Maglev table fill (Eisenbud et al. 2016), lvs-lab's mh table code:\n`);
  io.out(`  M = ${fill.size}, N = ${fill.backends}: ${fill.min}..${fill.max} slots each, max/mean ${fill.maxOverMean.toFixed(4)} (paper: 65 or 66, <= 1.0071)\n`);
  io.out(`  M = ${fillKernel.size} (kernel default), N = ${fillKernel.backends}: ${fillKernel.min}..${fillKernel.max} slots each, max/mean ${fillKernel.maxOverMean.toFixed(4)}\n`);
  io.out(`Removing one backend (slots = uniformly hashed flows):\n`);
  io.out(`  M = ${removal.size}, N = ${removal.backends}: ${p(removal.moved)} of slots change backend; ${p(removal.necessary)} had to (1/N = ${p(1 / removal.backends)})\n`);
  io.out(`  M = ${removalKernel.size}, N = ${removalKernel.backends}: ${p(removalKernel.moved)} change; ${p(removalKernel.necessary)} had to (1/N = ${p(1 / removalKernel.backends)})\n`);
  io.out(`  through the schedulers, 8 servers, ${mh.clients} clients: mh moves ${p(mh.moved)} (${p(mh.necessary)} had to), sh moves ${p(sh.moved)} (${p(sh.necessary)} had to)\n`);
  io.out(`Supermarket model at load 0.99 (Mitzenmacher 2001), mean time in system (service mean 1):\n`);
  io.out(`  twos (lab scheduler), ${twos.servers} servers: ${twos.meanTimeInSystem.toFixed(2)} (n -> infinity: ${twos.theory!.toFixed(2)})\n`);
  io.out(`  one random choice, ${random.servers} servers: ${random.meanTimeInSystem.toFixed(1)} (theory: ${random.theory!.toFixed(0)})\n`);
  io.out(`  rr (lab scheduler), ${rr.servers} servers: ${rr.meanTimeInSystem.toFixed(1)}\n`);
  return EXIT_OK;
}

