import { Worker } from 'node:worker_threads';
import type { RunFairness } from '../../../metrics/index.ts';
import type { PlannedRun } from './sweep.ts';
import { executeRun, type WorkerReply } from './worker.ts';

/**
 * Runs the planned runs on `jobs` worker threads (0: in this thread, one after another) and returns their rows
 * in plan order, whatever order they finished in. `progress` is called after each run.
 *
 * A worker is a fresh V8 isolate without the tsx loader the CLI started with, so it is started from a small
 * bootstrap that registers tsx and then imports worker.ts.
 */
export async function runPool(runs: readonly PlannedRun[], jobs: number, progress: (done: number) => void): Promise<RunFairness[]> {
  const rows = new Array<RunFairness>(runs.length);
  if (jobs <= 0 || runs.length === 0) {
    runs.forEach((r, i) => {
      rows[i] = executeRun(r);
      progress(i + 1);
    });
    return rows;
  }
  const url = new URL('./worker.ts', import.meta.url).href;
  // Resolved here, against this package: the worker's eval'd code would resolve a bare name against the cwd.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  const workers = Array.from({ length: Math.min(jobs, runs.length) }, () => new Worker(bootstrap, { eval: true }));
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next >= runs.length) return;
        const id = next++;
        w.postMessage({ id, run: runs[id] });
      };
      for (const w of workers) {
        w.on('message', (m: WorkerReply) => {
          if ('error' in m) {
            reject(new Error(`run ${runs[m.id].scheduler}/${runs[m.id].workload.name}/seed ${runs[m.id].seed} failed: ${m.error}`));
            return;
          }
          rows[m.id] = m.row;
          done++;
          progress(done);
          if (done === runs.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return rows;
}
