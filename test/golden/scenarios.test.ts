import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';
import { sha256Hex } from '../../src/trace/index.ts';

/**
 * Golden traces: every scenario under scenarios/ (found by walking the folder, so a new file is picked up),
 * run with seed 1, must give the canonical JSONL trace committed under test/golden/traces/, at the same
 * relative path (scenarios/lessons/arp-problem.yaml → traces/lessons/arp-problem.jsonl).
 *
 * A trace larger than GOLDEN_FULL_LIMIT bytes is not committed whole: its SHA-256 digest and line count go
 * to NAME.digest and its first HEAD_LINES lines to NAME.head.jsonl (the readable part of a diff).
 *
 * Exercises (scenarios/exercises/) are traced as shipped, the broken setup a student starts from: their goal
 * fails, which is not this test's concern (shippedScenarios.test.ts checks the goals, with and without the model
 * answers; the answers themselves are .txt files, not scenarios, and have no golden trace).
 *
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the files from the current model. Do that only for a
 * change that is meant to alter traces, and read the diff.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = join(REPO, 'scenarios');
const TRACES = join(REPO, 'test', 'golden', 'traces');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN_FULL_LIMIT = 256 * 1024;
const HEAD_LINES = 200;
const SEED = 1;

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...scenarioFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** `lessons/arp-problem`: the scenario's path under scenarios/, without the extension, with `/`. */
function goldenName(file: string): string {
  return relative(SCENARIOS, file).split(sep).join('/').replace(/\.ya?ml$/, '');
}

function runScenario(file: string): string {
  const lab = Lab.fromText(readFileSync(file, 'utf8'), { file: relative(REPO, file), seed: SEED });
  lab.run();
  return lab.traceJsonl();
}

interface Golden {
  /** The whole trace, when it was small enough to commit. */
  full?: string;
  /** Digest and line count, and the first lines, of a large trace. */
  digest?: { sha256: string; lines: number };
  head?: string;
}

const paths = (name: string) => ({
  full: join(TRACES, `${name}.jsonl`),
  digest: join(TRACES, `${name}.digest`),
  head: join(TRACES, `${name}.head.jsonl`),
});

function headOf(jsonl: string): string {
  const lines = jsonl.split('\n');
  return lines.slice(0, HEAD_LINES).join('\n') + (lines.length > HEAD_LINES ? '\n' : '');
}

function lineCount(jsonl: string): number {
  return jsonl === '' ? 0 : jsonl.split('\n').length - 1;
}

function readGolden(name: string): Golden | undefined {
  const p = paths(name);
  if (existsSync(p.full)) return { full: readFileSync(p.full, 'utf8') };
  if (existsSync(p.digest) && existsSync(p.head)) {
    const text = readFileSync(p.digest, 'utf8');
    const sha256 = /^sha256 ([0-9a-f]{64})$/m.exec(text)?.[1];
    const lines = Number(/^lines (\d+)$/m.exec(text)?.[1]);
    if (sha256 === undefined || !Number.isInteger(lines)) throw new Error(`${p.digest}: expected "sha256 HEX" and "lines N"`);
    return { digest: { sha256, lines }, head: readFileSync(p.head, 'utf8') };
  }
  return undefined;
}

function writeGolden(name: string, jsonl: string): void {
  const p = paths(name);
  mkdirSync(dirname(p.full), { recursive: true });
  for (const f of [p.full, p.digest, p.head]) rmSync(f, { force: true });
  if (jsonl.length <= GOLDEN_FULL_LIMIT) {
    writeFileSync(p.full, jsonl);
  } else {
    writeFileSync(p.digest, `sha256 ${sha256Hex(jsonl)}\nlines ${lineCount(jsonl)}\n`);
    writeFileSync(p.head, headOf(jsonl));
  }
}

/** The first line where two JSONL texts differ, with both versions: a readable failure instead of a wall of text. */
function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return `line ${i + 1} differs\n  golden: ${e[i] ?? '(end of trace)'}\n  now:    ${a[i] ?? '(end of trace)'}`;
  }
  return 'traces differ';
}

const files = scenarioFiles(SCENARIOS);

describe('golden traces (seed 1)', () => {
  it('finds the shipped scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    const name = goldenName(file);
    it(name, () => {
      const jsonl = runScenario(file);
      if (UPDATE) {
        writeGolden(name, jsonl);
        return;
      }
      const golden = readGolden(name);
      if (!golden) throw new Error(`no golden trace for ${name}: run UPDATE_GOLDEN=1 npx vitest run test/golden, then read and commit test/golden/traces/${name}.*`);
      if (golden.full !== undefined) {
        const diff = firstDifference(golden.full, jsonl);
        expect(diff, `${name}: the trace is not the golden one`).toBeUndefined();
      } else {
        const diff = firstDifference(golden.head!, headOf(jsonl));
        expect(diff, `${name}: the first ${HEAD_LINES} lines are not the golden ones`).toBeUndefined();
        expect({ sha256: sha256Hex(jsonl), lines: lineCount(jsonl) }, `${name}: the trace's digest is not the golden one`).toEqual(golden.digest);
      }
    });
  }

  it('has no golden file without its scenario', () => {
    const names = new Set(files.map(goldenName));
    const orphans: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else {
          const n = relative(TRACES, p).split(sep).join('/').replace(/(\.head)?\.jsonl$|\.digest$/, '');
          if (!names.has(n)) orphans.push(relative(REPO, p));
        }
      }
    };
    walk(TRACES);
    if (UPDATE) for (const o of orphans) rmSync(join(REPO, o));
    else expect(orphans, 'golden files whose scenario is gone (UPDATE_GOLDEN=1 removes them)').toEqual([]);
  });
});
