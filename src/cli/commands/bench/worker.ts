import { parentPort } from 'node:worker_threads';
import { runFairness } from '../../../lab/index.ts';
import { runFairnessMetrics, type RunFairness } from '../../../metrics/index.ts';
import type { PlannedRun } from './sweep.ts';

/** One run: the full simulation, then the metrics of its observations. Used in workers and in-thread alike. */
export function executeRun(run: PlannedRun): RunFairness {
  const obs = runFairness({ scheduler: run.scheduler, workload: run.workload, seed: run.seed, seconds: run.seconds });
  return runFairnessMetrics(obs);
}

export type WorkerRequest = { id: number; run: PlannedRun };
export type WorkerReply = { id: number; row: RunFairness } | { id: number; error: string };

// In a worker thread: answer each request with the run's metrics.
if (parentPort !== null) {
  const port = parentPort;
  port.on('message', (msg: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = { id: msg.id, row: executeRun(msg.run) };
    } catch (err) {
      reply = { id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    port.postMessage(reply);
  });
}
