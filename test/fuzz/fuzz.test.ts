import { describe, expect, it } from 'vitest';
import { runInProcess } from './runCase.ts';

/**
 * The fuzzer's CI slice (issue 8): a few thousand generated and mutated inputs through every text entry point,
 * in this thread, with a fixed seed so a failure reproduces with `npm run fuzz -- --target T --seed 8 --index I`.
 * Each case must end in success or the project's structured error within 2 s (checked after the case; a case
 * that never returns is caught by the test timeout here, and by the worker watchdog of `npm run fuzz`).
 */

const SEED = 8;
const CASES: Array<[string, number]> = [
  ['shell', 1200],
  ['scenario', 400],
  ['import', 400],
  ['scenario-run', 150],
  ['replay', 150],
];

describe('fuzz (CI slice)', () => {
  for (const [target, runs] of CASES) {
    it(`${target}: ${runs} cases end in success or a structured error`, () => {
      const { ran, failures } = runInProcess(target, SEED, 0, runs, 2000);
      expect(ran).toBe(runs);
      const shown = failures.slice(0, 3).map((f) => `#${f.index} ${f.name}: ${f.message}\n${f.input.slice(0, 300)}`);
      expect(shown, `reproduce with npm run fuzz -- --target ${target} --seed ${SEED} --index I`).toEqual([]);
    });
  }
});
