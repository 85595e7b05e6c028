import { formatDuration, type SimTime } from '../sim/index.ts';
import type { TraceEvent } from '../trace/index.ts';
import type { OutputProbe } from './build.ts';
import type { CountExpectSpec, ExpectSpec, NeighExpectSpec, OutputExpectSpec, ResponseTimeExpectSpec, ScenarioSpec, ShareExpectSpec } from './schema.ts';

export interface ExpectationResult {
  /** Position in `expect:` followed by `exercise.goal` (the probes' numbering). */
  index: number;
  pass: boolean;
  /** One line: what was expected. */
  expected: string;
  /** One line: what happened. */
  actual: string;
  line: number;
  /** Set for an expectation of an exercise's goal. */
  goal?: true;
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

/** Every expectation of `expect:`, then every one of `exercise.goal`, in file order. */
export function allExpectations(spec: ScenarioSpec): Array<{ spec: ExpectSpec; goal: boolean }> {
  return [...spec.expect.map((e) => ({ spec: e, goal: false })), ...(spec.exercise?.goal ?? []).map((e) => ({ spec: e, goal: true }))];
}

export function evaluateExpectations(spec: ScenarioSpec, events: readonly TraceEvent[], probes: readonly OutputProbe[]): ExpectationResult[] {
  return allExpectations(spec).map(({ spec: e, goal }, index) => {
    const r = evaluate(e, index, events, probes);
    return goal ? { ...r, goal: true } : r;
  });
}

function evaluate(e: ExpectSpec, index: number, events: readonly TraceEvent[], probes: readonly OutputProbe[]): ExpectationResult {
  const line = e.pos.line;
  const r = ((): { pass: boolean; expected: string; actual: string } => {
    switch (e.kind) {
      case 'count':
        return count(e, events);
      case 'share':
        return share(e, events);
      case 'neigh':
        return neigh(e, events);
      case 'responseTime':
        return responseTime(e, events);
      case 'output':
        return output(e, probes.find((p) => p.index === index));
    }
  })();
  return { index, line, ...r };
}

/** Events up to `at` (all of them without it): `at` is inclusive, as a command run at `at` sees them. */
function upTo(events: readonly TraceEvent[], at: SimTime | undefined): readonly TraceEvent[] {
  if (at === undefined) return events;
  let n = 0;
  while (n < events.length && events[n].t <= at) n++;
  return events.slice(0, n);
}

const atText = (at: SimTime | undefined): string => (at === undefined ? '' : ` by ${formatDuration(at)}`);

function count(e: CountExpectSpec, events: readonly TraceEvent[]) {
  let n = 0;
  for (const ev of upTo(events, e.at)) if (matchesFilter(ev, e.filter)) n++;
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
  return { pass, expected: `count of ${JSON.stringify(e.filter)}${atText(e.at)} ${parts.join(' and ')}`, actual: `${n}` };
}

function share(e: ShareExpectSpec, events: readonly TraceEvent[]) {
  const perDest = new Map<string, number>();
  let total = 0;
  for (const ev of upTo(events, e.at)) {
    if (ev.kind !== 'ipvs' || ev.event !== 'conn' || !matchesFilter(ev, e.filter)) continue;
    total++;
    const d = ev.dest ?? '?';
    perDest.set(d, (perDest.get(d) ?? 0) + 1);
  }
  const hits = perDest.get(e.dest) ?? 0;
  const filter = Object.keys(e.filter).length > 0 ? ` among ${JSON.stringify(e.filter)}` : '';
  const expected = `share of new IPVS connections to ${e.dest}${filter}${atText(e.at)} between ${fixed(e.min)} and ${fixed(e.max)}`;
  if (total === 0) return { pass: false, expected, actual: 'no new IPVS connection matched' };
  const s = hits / total;
  // Compared in integers (hits/total against min and max) so 1/3 between 0.3 and 0.4 never hinges on rounding.
  const pass = hits >= e.min * total - 1e-9 && hits <= e.max * total + 1e-9;
  const breakdown = [...perDest.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([d, n]) => `${d} ${n}`).join(', ');
  return { pass, expected, actual: `${fixed(s)} (${hits} of ${total}; ${breakdown})` };
}

function fixed(x: number): string {
  return x.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * The neighbour entry as the trace last described it at `at`: `neigh` events set it; the interface going down
 * (not a cable) and the host crashing clear its non-permanent entries, as the model does.
 */
export function neighEntriesAt(events: readonly TraceEvent[], host: string, address: string, at: SimTime | undefined, iface?: string): Map<string, { state: string; lladdr?: string }> {
  const entries = new Map<string, { state: string; lladdr?: string }>();
  const volatile = (s: string): boolean => s !== 'PERMANENT' && s !== 'NOARP';
  for (const ev of upTo(events, at)) {
    if (ev.host !== host) continue;
    if (ev.kind === 'neigh' && ev.address === address && (iface === undefined || ev.iface === iface)) {
      // Removed by the garbage collector: gone; refused as the table was full: nothing was made.
      if (ev.event === 'forced-gc' || ev.event === 'periodic-gc') entries.delete(ev.iface ?? '');
      else if (ev.event !== 'table-full') entries.set(ev.iface ?? '', { state: ev.state, lladdr: ev.lladdr });
    } else if (ev.kind === 'link' && ev.state === 'down' && !ev.cable) {
      const en = entries.get(ev.iface ?? '');
      if (en && volatile(en.state)) entries.delete(ev.iface ?? '');
    } else if (ev.kind === 'fault' && ev.fault === 'crash') {
      for (const [k, en] of [...entries]) if (volatile(en.state)) entries.delete(k);
    }
  }
  return entries;
}

function neigh(e: NeighExpectSpec, events: readonly TraceEvent[]) {
  const entries = neighEntriesAt(events, e.host, e.address, e.at, e.iface);
  const where = `${e.host}'s neighbour entry for ${e.address}${e.iface !== undefined ? ` on ${e.iface}` : ''}${e.at === undefined ? ' at the end' : ` at ${formatDuration(e.at)}`}`;
  let want: string;
  let pass: boolean;
  const list = [...entries.values()];
  if (e.absent) {
    want = 'absent';
    pass = list.length === 0;
  } else {
    const parts: string[] = [];
    if (e.lladdr !== undefined) parts.push(`lladdr ${e.lladdr}`);
    if (e.state !== undefined) parts.push(e.state);
    want = parts.join(' ');
    pass = list.some(
      (en) =>
        (e.lladdr === undefined || (en.lladdr === e.lladdr && en.state !== 'FAILED' && en.state !== 'INCOMPLETE')) && (e.state === undefined || en.state === e.state),
    );
  }
  const actual = list.length === 0 ? 'no entry' : [...entries.entries()].map(([dev, en]) => `${dev}: ${en.lladdr !== undefined ? `lladdr ${en.lladdr} ` : ''}${en.state}`).join('; ');
  return { pass, expected: `${where}: ${want}`, actual };
}

/** `#3 from rs1 in 1234567ns`: how the `traffic:` client (src/apps/workload/RequestClient.ts) words the time. */
const RESPONSE_TIME = /\bin (\d+)ns\b/;

/**
 * The response times of `app` `response` events matching the filter, in ns, in trace order: the event's
 * `latency` field (the workload clients' outcomes), else the time its `detail` gives.
 */
export function responseTimes(events: readonly TraceEvent[], filter: Record<string, unknown>, at?: SimTime): number[] {
  const out: number[] = [];
  for (const ev of upTo(events, at)) {
    if (ev.kind !== 'app' || ev.event !== 'response' || !matchesFilter(ev, filter)) continue;
    if (ev.latency !== undefined) {
      out.push(ev.latency);
      continue;
    }
    const m = RESPONSE_TIME.exec(ev.detail ?? '');
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function responseTime(e: ResponseTimeExpectSpec, events: readonly TraceEvent[]) {
  const times = responseTimes(events, e.filter, e.at);
  const bounds: string[] = [];
  if (e.atLeast !== undefined) bounds.push(`>= ${formatDuration(e.atLeast)}`);
  if (e.atMost !== undefined) bounds.push(`<= ${formatDuration(e.atMost)}`);
  const filter = Object.keys(e.filter).length > 0 ? ` of ${JSON.stringify(e.filter)}` : '';
  const expected = `p${e.percentile} response time${filter}${atText(e.at)} ${bounds.join(' and ')}`;
  if (times.length === 0) return { pass: false, expected, actual: 'no response matched' };
  const v = percentile(times, e.percentile);
  const pass = (e.atLeast === undefined || v >= e.atLeast) && (e.atMost === undefined || v <= e.atMost);
  return { pass, expected, actual: `${formatDuration(v)} (over ${times.length} responses; min ${formatDuration(Math.min(...times))}, max ${formatDuration(Math.max(...times))})` };
}

function output(e: OutputExpectSpec, probe: OutputProbe | undefined) {
  const o = e.output;
  const what =
    o.contains !== undefined ? `contains ${JSON.stringify(o.contains)}` : o.equals !== undefined ? `equals ${JSON.stringify(o.equals)}` : o.line !== undefined ? `has the line ${JSON.stringify(o.line)}` : `matches /${o.matches}/`;
  const expected = `\`${e.run}\` on ${e.host} at ${formatDuration(e.at)}: output ${what}`;
  const out = probe?.output;
  if (!out) return { pass: false, expected, actual: 'the command had not finished when the run ended' };
  let pass: boolean;
  if (o.contains !== undefined) pass = out.output.includes(o.contains);
  else if (o.equals !== undefined) pass = out.output === o.equals || out.output.replace(/\n$/, '') === o.equals.replace(/\n$/, '');
  else if (o.line !== undefined) {
    const want = o.line.replace(/\s+$/, '');
    pass = out.output.split('\n').some((l) => l.replace(/\s+$/, '') === want);
  } else pass = new RegExp(o.matches!, 'm').test(out.output);
  return { pass, expected, actual: `exit ${out.exit}, output ${JSON.stringify(out.output)}` };
}
