/**
 * Where two canonical JSONL traces (Lab.traceJsonl) first differ: the line index, the simulated time there, both
 * lines, and both lengths in lines. A digest mismatch says only that two runs differ; this says where, which is
 * what finding the cause needs (the first diverging event is nearly always next to it).
 */

export interface Divergence {
  /** Index of the first differing line (0-based); equals the shorter length when one trace is a prefix of the other. */
  index: number;
  /** Simulated time (ns) of the first differing event: the `t` of either side's line, the first one present. */
  t: number | undefined;
  /** The line of each trace there; undefined on the side that ended. */
  a: string | undefined;
  b: string | undefined;
  /** Lines in each trace. */
  linesA: number;
  linesB: number;
}

function lines(jsonl: string): string[] {
  if (jsonl === '') return [];
  const out = jsonl.split('\n');
  // Every canonical line ends in a newline: the last split piece is empty.
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** The `t` of a canonical line (its first key), without parsing the rest. */
function timeOf(line: string | undefined): number | undefined {
  const m = line === undefined ? null : /^\{"t":(\d+)/.exec(line);
  return m === null ? undefined : Number(m[1]);
}

/** Undefined when the traces are equal. */
export function firstDivergence(a: string, b: string): Divergence | undefined {
  if (a === b) return undefined;
  const la = lines(a);
  const lb = lines(b);
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  // Equal lines but unequal texts: only the final newline differs; report it past the last line.
  return { index: i, t: timeOf(la[i]) ?? timeOf(lb[i]), a: la[i], b: lb[i], linesA: la.length, linesB: lb.length };
}

/** A readable report, for a test failure message. */
export function describeDivergence(d: Divergence, nameA = 'A', nameB = 'B'): string {
  return [
    `first diverging event: line ${d.index}${d.t === undefined ? '' : ` at t=${d.t} ns`} (${nameA} has ${d.linesA} lines, ${nameB} has ${d.linesB})`,
    `  ${nameA}: ${d.a ?? '(trace ended)'}`,
    `  ${nameB}: ${d.b ?? '(trace ended)'}`,
  ].join('\n');
}
