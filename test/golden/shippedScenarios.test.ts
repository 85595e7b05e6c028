import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';

/**
 * The rule for shipped scenarios (docs/scenario-format.md, "Exercises"): every scenario outside
 * scenarios/exercises/ says what happens in it with expectations — a lesson that shows a breakage asserts the
 * breakage — so `lvs-lab run` exits 0 on each. Every exercise fails its goal as shipped and meets it with its
 * model answer, scenarios/exercises/answers/NAME.txt.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = join(REPO, 'scenarios');
const EXERCISES = join(SCENARIOS, 'exercises');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const rel = (p: string): string => relative(REPO, p).split(sep).join('/');
const all = yamlFiles(SCENARIOS);
const exercises = all.filter((f) => f.startsWith(EXERCISES + sep));
const others = all.filter((f) => !f.startsWith(EXERCISES + sep));

function failures(lab: Lab, goal: boolean): string[] {
  return lab
    .expectations()
    .filter((e) => (e.goal === true) === goal && !e.pass)
    .map((e) => `line ${e.line}: expected ${e.expected}; actual ${e.actual}`);
}

describe('every scenario outside exercises/ runs green with expectations of its own', () => {
  it('finds them', () => {
    expect(others.length).toBeGreaterThanOrEqual(4);
  });
  for (const file of others) {
    it(rel(file), () => {
      const lab = Lab.fromText(readFileSync(file, 'utf8'), { file: rel(file) });
      expect(lab.spec.expect.length, 'a shipped scenario says what happens in it').toBeGreaterThan(0);
      expect(lab.spec.exercise, 'exercises live in scenarios/exercises/').toBeUndefined();
      lab.run();
      expect(failures(lab, false)).toEqual([]);
    });
  }
});

describe('shipped scenario names', () => {
  it('are unique by base name, so `?scenario=NAME` opens every one by its file name', () => {
    const bases = all.map((f) => f.slice(f.lastIndexOf(sep) + 1).replace(/\.ya?ml$/, ''));
    expect(bases.filter((b, i) => bases.indexOf(b) !== i)).toEqual([]);
  });
});

describe('every shipped scenario passes `lvs-lab check` (commands typed wrong on purpose say `fails: true`)', () => {
  for (const file of all) {
    it(rel(file), () => {
      expect(() => Lab.check(readFileSync(file, 'utf8'), rel(file))).not.toThrow();
    });
  }
});

describe('every exercise fails its goal as shipped and meets it with its model answer', () => {
  it('finds them', () => {
    expect(exercises.length).toBeGreaterThanOrEqual(2);
  });
  for (const file of exercises) {
    const name = relative(EXERCISES, file).replace(/\.ya?ml$/, '');
    const answerFile = join(EXERCISES, 'answers', `${name}.txt`);
    it(`${rel(file)} as shipped`, () => {
      const lab = Lab.fromText(readFileSync(file, 'utf8'), { file: rel(file) });
      expect(lab.spec.exercise, 'a file in scenarios/exercises/ is an exercise').toBeDefined();
      lab.run();
      expect(failures(lab, true).length, 'the unchanged setup must not meet the goal').toBeGreaterThan(0);
      expect(failures(lab, false), 'expect: entries of an exercise describe the broken setup').toEqual([]);
    });
    it(`${rel(file)} with ${rel(answerFile)}`, () => {
      expect(existsSync(answerFile), `the model answer ${rel(answerFile)}`).toBe(true);
      const lab = Lab.fromText(readFileSync(file, 'utf8'), { file: rel(file), answer: { text: readFileSync(answerFile, 'utf8'), file: rel(answerFile) } });
      lab.run();
      expect(lab.answerOutcomes().map((a) => `${a.host}: ${a.run} → ${a.result?.exit}`)).toEqual(lab.answerOutcomes().map((a) => `${a.host}: ${a.run} → 0`));
      expect(failures(lab, true)).toEqual([]);
    });
  }

  it('every model answer belongs to an exercise', () => {
    const answers = existsSync(join(EXERCISES, 'answers')) ? readdirSync(join(EXERCISES, 'answers')) : [];
    const names = new Set(exercises.map((f) => relative(EXERCISES, f).replace(/\.ya?ml$/, '')));
    expect(answers.filter((a) => !names.has(a.replace(/\.txt$/, '')))).toEqual([]);
  });
});
