import { formatDuration } from '../sim/index.ts';
import type { TraceEvent } from '../trace/index.ts';
import type { OutputProbe } from './build.ts';
import type { ExpectSpec, ScenarioSpec } from './schema.ts';

export interface ExpectationResult {
  index: number;
  pass: boolean;
  /** One line: what was expected. */
  expected: string;
  /** One line: what happened. */
  actual: string;
  line: number;
}

/**
 * A count filter matches an event when every key it gives equals the event's value at the same path; nested
 * objects match by subset (docs/scenario-format.md). Values of different types compare as strings, so
 * `{ icmp: { type: 3 } }` and `port: "80"` match what the trace holds.
 */
export function matchesFilter(value: unknown, filter: unknown): boolean {
  if (filter !== null && typeof filter === 'object' && !Array.isArray(filter)) {
    if (value === null || typeof value !== 'object') return false;
    for (const [k, f] of Object.entries(filter as Record<string, unknown>)) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) return false;
      if (!matchesFilter((value as Record<string, unknown>)[k], f)) return false;
    }
    return true;
  }
  if (value === undefined) return false;
  if (typeof value === typeof filter) return value === filter;
  return String(value) === String(filter);
}

export function evaluateExpectations(spec: ScenarioSpec, events: readonly TraceEvent[], probes: readonly OutputProbe[]): ExpectationResult[] {
  return spec.expect.map((e, index) => evaluate(e, index, events, probes));
}

function evaluate(e: ExpectSpec, index: number, events: readonly TraceEvent[], probes: readonly OutputProbe[]): ExpectationResult {
  const line = e.pos.line;
  if (e.kind === 'count') {
    let n = 0;
    for (const ev of events) if (matchesFilter(ev, e.filter)) n++;
    const parts: string[] = [];
    let pass = true;
    if (e.equals !== undefined) {
      parts.push(`= ${e.equals}`);
      pass &&= n === e.equals;
    }
    if (e.atLeast !== undefined) {
      parts.push(`>= ${e.atLeast}`);
      pass &&= n >= e.atLeast;
    }
    if (e.atMost !== undefined) {
      parts.push(`<= ${e.atMost}`);
      pass &&= n <= e.atMost;
    }
    return { index, pass, line, expected: `count of ${JSON.stringify(e.filter)} ${parts.join(' and ')}`, actual: `${n}` };
  }
  const probe = probes.find((p) => p.index === index);
  const out = probe?.output;
  const what = e.output.contains !== undefined ? `contains ${JSON.stringify(e.output.contains)}` : e.output.equals !== undefined ? `equals ${JSON.stringify(e.output.equals)}` : `matches /${e.output.matches}/`;
  const expected = `\`${e.run}\` on ${e.host} at ${formatDuration(e.at)}: output ${what}`;
  if (!out) return { index, pass: false, line, expected, actual: 'the command had not finished when the run ended' };
  let pass: boolean;
  if (e.output.contains !== undefined) pass = out.output.includes(e.output.contains);
  else if (e.output.equals !== undefined) pass = out.output === e.output.equals || out.output.replace(/\n$/, '') === e.output.equals.replace(/\n$/, '');
  else pass = new RegExp(e.output.matches!, 'm').test(out.output);
  return { index, pass, line, expected, actual: `exit ${out.exit}, output ${JSON.stringify(out.output)}` };
}
