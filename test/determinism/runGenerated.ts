import { Lab } from '../../src/lab/index.ts';
import type { GeneratedScenario } from './scenarioGenerator.ts';

/**
 * Running a generated scenario in a fresh Lab, as the CLI and the page do (`Lab.fromText(text).run()` with the
 * scenario's own seed), or in slices (`runUntil` at uneven times, as the page's playback does) — a run that is
 * cut anywhere must give the same trace. A generated scenario takes a few thousand simulator events: the
 * lowered limit turns a generator that produces a runaway into a LimitError instead of a slow suite.
 */

export const GENERATED_MAX_EVENTS = 500_000;

export function runGenerated(s: GeneratedScenario, slices = 1): Lab {
  const lab = Lab.fromText(s.text, { file: s.file, maxEvents: GENERATED_MAX_EVENTS });
  for (let j = 1; j < slices; j++) lab.runUntil(Math.floor((lab.duration * j) / slices) + j * 7919);
  lab.run();
  return lab;
}
