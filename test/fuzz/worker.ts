import { parentPort, workerData } from 'node:worker_threads';
import { runCase } from './runCase.ts';
import { targetNamed } from './targets.ts';

/**
 * A fuzz worker: runs the chunks of cases the main thread sends, writing the index it is on into shared memory
 * before each case, so the main thread can tell a hang (the index stops moving) and terminate the worker.
 */
interface Chunk {
  target: string;
  seed: number;
  from: number;
  to: number;
  timeoutMs: number;
}

const progress = new Int32Array(workerData.progress as SharedArrayBuffer);
const port = parentPort!;

port.on('message', (c: Chunk) => {
  const target = targetNamed(c.target);
  if (!target) throw new Error(`no fuzz target ${c.target}`);
  // A chunk that does not start a batch starts from a fresh state all the same.
  if (target.batch !== undefined && c.from % target.batch !== 0) target.reset?.();
  for (let i = c.from; i < c.to; i++) {
    Atomics.store(progress, 0, i);
    Atomics.add(progress, 1, 1);
    const f = runCase(target, c.seed, i, c.timeoutMs);
    if (f) port.postMessage({ failure: { ...f, stack: undefined } });
  }
  port.postMessage({ done: c.to });
});
