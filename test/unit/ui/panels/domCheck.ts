import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab } from '../../../../src/lab/index.ts';
import { buildTopology, segmentLookup } from '../../../../src/ui/viewmodel/topology.ts';
import type { RunLesson } from '../lessonTraces.ts';

/** Hostile strings a scenario, a trace or a command output could carry; they must stay text. */
export const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

/** Elements that only an HTML parser could have made from HOSTILE. */
export function injectedElements(root: ParentNode): number {
  return root.querySelectorAll('img, script, [onerror]').length;
}


const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * A shipped scenario's text. (lessonTraces.ts resolves with `new URL`, which the happy-dom environment
 * replaces with its own; node:path does not depend on the environment.)
 */
export function scenarioFile(name: string): string {
  return readFileSync(resolve(ROOT, 'scenarios', `${name}.yaml`), 'utf8');
}

/** Runs a shipped scenario to its end (as lessonTraces.runScenario, for DOM tests). */
export function runLesson(name: string): RunLesson {
  const lab = Lab.fromText(scenarioFile(name), { file: `${name}.yaml` });
  lab.run();
  const topology = buildTopology(lab.spec);
  return { lab, events: lab.events, topology, segmentOf: segmentLookup(topology) };
}
