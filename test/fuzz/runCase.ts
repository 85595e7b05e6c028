import fc from 'fast-check';
import { type Target, targetNamed } from './targets.ts';

/**
 * One fuzz case: input `index` of target `name` under `seed`, generated on its own (so any case reproduces
 * without the ones before it, except a batched target's state, rebuilt at each batch start) and run once.
 */

export interface CaseFailure {
  target: string;
  index: number;
  /** Error type + top stack frame: what makes two failures the same one. */
  key: string;
  name: string;
  message: string;
  frame: string;
  input: string;
  ms: number;
  stack?: string;
}

const inputs = new Map<string, fc.Arbitrary<unknown>>();

/** A 32-bit seed per case, mixed from the run's seed, the target and the index (FNV-1a, then a finaliser). */
export function caseSeed(seed: number, target: string, index: number): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const c of `${target}/${index}/${Math.floor(seed / 2 ** 32)}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

export function inputFor(target: Target<unknown>, seed: number, index: number): unknown {
  let arb = inputs.get(target.name);
  if (!arb) inputs.set(target.name, (arb = target.input));
  return fc.sample(arb, { seed: caseSeed(seed, target.name, index), numRuns: 1 })[0];
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** The first stack frame, relative to the project, without columns (so a frame survives small edits nearby). */
export function topFrame(err: unknown): string {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const frame = stack.split('\n').find((l) => /^\s+at /.test(l));
  if (!frame) return '(no stack)';
  return frame.trim().replace(/^at /, '').replaceAll(`file://${ROOT}`, '').replaceAll(ROOT, '').replace(/:\d+\)?$/, ')').replace(/\($/, '');
}

export function failureOf(target: Target<unknown>, index: number, input: unknown, err: unknown, ms: number): CaseFailure {
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  const frame = topFrame(err);
  // A violated property is told apart by what it says (its frame is always the checker's); numbers vary.
  const key = name === 'PropertyViolation' ? `${name}: ${message.replace(/\d+/g, 'N').slice(0, 60)}` : `${name} at ${frame}`;
  const shown = target.show(input as never);
  return { target: target.name, index, key, name, message: message.slice(0, 300), frame, input: shown.length > 4000 ? `${shown.slice(0, 4000)}…` : shown, ms, stack: err instanceof Error ? err.stack : undefined };
}

/** Runs case `index`; undefined when it ended as it should. `timeoutMs` also fails a case that finished too late. */
export function runCase(target: Target<unknown>, seed: number, index: number, timeoutMs: number): CaseFailure | undefined {
  if (target.batch !== undefined && target.batch > 1 && index % target.batch === 0) target.reset?.();
  const input = inputFor(target, seed, index);
  const start = performance.now();
  try {
    target.run(input);
  } catch (err) {
    return failureOf(target, index, input, err, performance.now() - start);
  }
  const ms = performance.now() - start;
  if (ms > timeoutMs) {
    const err = new Error(`took ${Math.round(ms)} ms, over the ${timeoutMs} ms bound`);
    err.name = 'Slow';
    return { ...failureOf(target, index, input, err, ms), key: `Slow: ${target.name}`, frame: '' };
  }
  return undefined;
}

/** Runs cases [from, to) in this thread: for the CI test (a hang there is caught by the test's own timeout). */
export function runInProcess(name: string, seed: number, from: number, to: number, timeoutMs: number): { ran: number; failures: CaseFailure[] } {
  const target = targetNamed(name);
  if (!target) throw new Error(`no fuzz target ${name}`);
  const failures: CaseFailure[] = [];
  if (target.batch !== undefined && from % target.batch !== 0) target.reset?.();
  for (let i = from; i < to; i++) {
    const f = runCase(target, seed, i, timeoutMs);
    if (f) failures.push(f);
  }
  return { ran: to - from, failures };
}
