import { Worker } from 'node:worker_threads';
import { type CaseFailure, failureOf, inputFor, runCase } from './runCase.ts';
import { TARGETS, targetNamed } from './targets.ts';

/**
 * `npm run fuzz -- --runs N [--seed S] [--target NAME] [--jobs J] [--timeout MS] [--index I]`
 *
 * Feeds every text entry point of lvs-lab generated and mutated inputs (test/fuzz/targets.ts) and checks each
 * ends in success or the project's structured error within `--timeout` ms (default 2000). Cases run in worker
 * threads: a synchronous infinite loop cannot be interrupted in-process, so the main thread watches the index
 * each worker is on and terminates one that stays on a case past the bound (a hang), or that dies (a crash),
 * and goes on from the next case. `--runs` is per target. Distinct failures (error type + top stack frame) are
 * printed with how to reproduce each; `--index I` re-runs one case in this thread and prints its input and stack.
 * Exit 0 when nothing failed, 1 otherwise.
 */

interface Args {
  runs: number;
  seed: number;
  targets: string[];
  jobs: number;
  timeoutMs: number;
  chunk: number;
  index?: number;
}

const USAGE = 'usage: npm run fuzz -- --runs N [--seed S] [--target NAME[,NAME]] [--jobs J] [--timeout MS] [--index I]';

/** A bad command line: printed as one line with the usage, exit 2 (not a stack trace). */
class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { runs: 1000, seed: Date.now() % 2 ** 31, targets: TARGETS.map((t) => t.name), jobs: 1, timeoutMs: 2000, chunk: 500 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') throw new UsageError(USAGE);
    const value = argv[++i];
    const n = Number(value);
    const int = () => {
      if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag}: expected a non-negative integer, got ${value}`);
      return n;
    };
    if (flag === '--runs') a.runs = int();
    else if (flag === '--seed') a.seed = int();
    else if (flag === '--jobs') a.jobs = Math.max(1, int());
    else if (flag === '--timeout') a.timeoutMs = int();
    else if (flag === '--chunk') a.chunk = Math.max(1, int());
    else if (flag === '--index') a.index = int();
    else if (flag === '--target') {
      const names = value.split(',');
      for (const t of names) if (!targetNamed(t)) throw new UsageError(`--target: no target ${t} (targets: ${TARGETS.map((x) => x.name).join(', ')})`);
      a.targets = names;
    } else throw new UsageError(`unknown option ${flag}; ${USAGE}`);
  }
  return a;
}

/** Runs cases [0, runs) of one target on `jobs` workers; returns the failures. */
async function fuzzTarget(name: string, args: Args, onProgress: (ran: number) => void): Promise<CaseFailure[]> {
  const failures: CaseFailure[] = [];
  const pending: Array<[number, number]> = [];
  for (let from = 0; from < args.runs; from += args.chunk) pending.push([from, Math.min(args.runs, from + args.chunk)]);
  const url = new URL('./worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  let ran = 0;

  const lane = () =>
    new Promise<void>((resolve) => {
      let chunk: [number, number] | undefined;
      let worker: Worker;
      let progress: Int32Array;
      let lastIndex = -1;
      let lastCount = -1;
      let since = Date.now();
      let timer: NodeJS.Timeout;

      const start = () => {
        const sab = new SharedArrayBuffer(8);
        progress = new Int32Array(sab);
        worker = new Worker(bootstrap, { eval: true, workerData: { progress: sab }, resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 4 } });
        const w = worker;
        // Events of a worker already replaced (its exit after terminate()) are not about the current chunk.
        w.on('message', (m: { failure?: CaseFailure; done?: number }) => {
          if (w !== worker) return;
          if (m.failure) failures.push(m.failure);
          if (m.done !== undefined) {
            ran += chunk![1] - chunk![0];
            onProgress(ran);
            next();
          }
        });
        w.on('error', (err: unknown) => {
          if (w === worker) abandon('Crash', err instanceof Error ? err : new Error(String(err)));
        });
        w.on('exit', (code) => {
          if (w === worker && chunk && code !== 0) abandon('Crash', new Error(`worker exited with code ${code}`));
        });
      };
      /** The worker died or hung on the case it was on: record it, go on from the next case in a new worker. */
      const abandon = (kind: 'Hang' | 'Crash', err: Error) => {
        if (!chunk) return;
        const index = Math.max(chunk[0], Atomics.load(progress, 0));
        const failed = chunk;
        chunk = undefined;
        const target = targetNamed(name)!;
        err.name = kind;
        const f = failureOf(target, index, inputFor(target, args.seed, index), err, kind === 'Hang' ? Date.now() - since : 0);
        failures.push({ ...f, key: `${kind}: ${name}`, frame: '', stack: undefined });
        void worker.terminate();
        const doneInChunk = index - failed[0] + 1;
        ran += doneInChunk;
        start();
        if (index + 1 < failed[1]) pending.unshift([index + 1, failed[1]]);
        next();
      };
      const next = () => {
        chunk = pending.shift();
        if (!chunk) {
          clearInterval(timer);
          void worker.terminate();
          resolve();
          return;
        }
        lastIndex = -1;
        since = Date.now();
        // -1 until the worker begins the chunk: loading a fresh worker (tsx, the corpus) is not a hang.
        Atomics.store(progress, 0, -1);
        worker.postMessage({ target: name, seed: args.seed, from: chunk[0], to: chunk[1], timeoutMs: args.timeoutMs });
      };
      timer = setInterval(() => {
        if (!chunk) return;
        const i = Atomics.load(progress, 0);
        const c = Atomics.load(progress, 1);
        if (i === -1) {
          if (Date.now() - since > 120_000) abandon('Crash', new Error('the worker did not start within 120 s'));
          return;
        }
        if (i !== lastIndex || c !== lastCount) {
          lastIndex = i;
          lastCount = c;
          since = Date.now();
        } else if (Date.now() - since > args.timeoutMs * 2) {
          // Twice the bound: the case is stuck (a finished-but-slow case is reported by the worker as Slow).
          abandon('Hang', new Error(`no progress for ${Date.now() - since} ms`));
        }
      }, 200);
      start();
      next();
    });

  await Promise.all(Array.from({ length: Math.min(args.jobs, pending.length) }, lane));
  return failures;
}

function report(all: CaseFailure[], args: Args): void {
  const distinct = new Map<string, { first: CaseFailure; count: number }>();
  for (const f of all) {
    const d = distinct.get(`${f.target} ${f.key}`);
    if (d) {
      d.count++;
      if (f.index < d.first.index) d.first = f;
    } else distinct.set(`${f.target} ${f.key}`, { first: f, count: 1 });
  }
  console.log(`\n${distinct.size} distinct failure(s) in ${all.length} failing case(s)`);
  for (const { first: f, count } of distinct.values()) {
    console.log(`\n[${f.target}] ${f.key}  (${count} case(s))`);
    console.log(`  ${f.name}: ${f.message.split('\n')[0]}`);
    console.log(`  reproduce: npm run fuzz -- --target ${f.target} --seed ${args.seed} --index ${f.index}`);
    console.log(`  input: ${f.input.slice(0, 600).replace(/\n/g, '\n         ')}`);
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.index !== undefined) {
    // One case, in this thread, with its whole input and stack.
    for (const name of args.targets) {
      const target = targetNamed(name)!;
      const from = target.batch !== undefined ? args.index - (args.index % target.batch) : args.index;
      target.reset?.();
      let f: CaseFailure | undefined;
      for (let i = from; i <= args.index; i++) f = runCase(target, args.seed, i, args.timeoutMs);
      console.log(`--- ${name} #${args.index} (seed ${args.seed}) input:\n${target.show(inputFor(target, args.seed, args.index) as never)}\n---`);
      console.log(f ? `${f.name}: ${f.message}\n${f.stack ?? ''}` : 'ok');
    }
    return 0;
  }
  console.log(`fuzz: seed ${args.seed}, ${args.runs} cases per target (${args.targets.join(', ')}), ${args.jobs} worker(s), ${args.timeoutMs} ms per case`);
  const all: CaseFailure[] = [];
  let total = 0;
  const t0 = performance.now();
  for (const name of args.targets) {
    const t1 = performance.now();
    let last = 0;
    const failures = await fuzzTarget(name, args, (ran) => {
      if (process.stderr.isTTY && performance.now() - last > 500) {
        last = performance.now();
        process.stderr.write(`\r  ${name}: ${ran}/${args.runs}`);
      }
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    total += args.runs;
    all.push(...failures);
    console.log(`  ${name}: ${args.runs} cases in ${((performance.now() - t1) / 1000).toFixed(1)} s, ${failures.length} failing`);
  }
  console.log(`total: ${total} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  report(all, args);
  return all.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  console.error(`fuzz: ${e.message}`);
  process.exitCode = 2;
}
