import { Lab, type ExpectationResult, type RunSummary } from '../lab/index.ts';
import type { TraceEvent } from '../trace/index.ts';

/** What the page shows after a run: everything comes from the Lab's public API. */
export interface RunResult {
  name: string;
  description?: string;
  seed: number;
  /** Simulated time the run covered, ns. */
  duration: number;
  summary: RunSummary;
  expectations: ExpectationResult[];
  digest: string;
  events: readonly TraceEvent[];
  /** The canonical JSONL the digest is computed from (Lab.traceJsonl), made on demand. */
  traceJsonl(): string;
}

/**
 * Runs a scenario text to its duration with the real core, exactly as the CLI does (`Lab.fromText(...).run()`),
 * so the digest here equals the one Node computes for the same text and seed. `seed` undefined means the
 * scenario's own seed. Throws ScenarioError for a bad file.
 */
export function runScenarioText(text: string, file: string, seed?: number): RunResult {
  const lab = Lab.fromText(text, { file, seed });
  lab.run();
  return {
    name: lab.name,
    description: lab.spec.description,
    seed: lab.seed,
    duration: lab.duration,
    summary: lab.summary(),
    expectations: lab.expectations(),
    digest: lab.digest(),
    events: lab.events,
    traceJsonl: () => lab.traceJsonl(),
  };
}
