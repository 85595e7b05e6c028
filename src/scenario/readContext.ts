import { isMap, isScalar } from 'yaml';
import { DROP_REASONS } from '../trace/index.ts';
import type { SimTime } from '../sim/index.ts';
import type { Field, FieldReader, Fields } from './fields.ts';
import type { TraceFilter } from './schema.ts';
import type { YamlSource } from './yamlSource.ts';

/**
 * What the readers of the top-level lists (timeline, expect, narration, exercise) share with the scenario
 * reader in load.ts: typed field reads, and cross references recorded now and checked once every host and
 * interface is known.
 */
export interface ReadContext {
  readonly r: FieldReader;
  readonly source: YamlSource;
  /** A host name; checked against `hosts:` at the end. */
  hostRef(f: Field): string;
  /** `HOST/IFACE`; checked against the hosts' declared interfaces at the end (`cable`: not `lo`). */
  ifaceRef(f: Field, opts: { cable: boolean }): { host: string; iface: string };
}

const FILTER_EXPECTED = 'a filter: a mapping of trace-event fields to values, e.g. { kind: tx, host: rs1 }';

/**
 * A trace-event filter: a mapping of field names to values or nested filters, copied into null-prototype
 * objects so no key can reach a prototype (yamlSource already refuses the prototype names as keys). A
 * `reason:` next to `kind: drop` must be a drop reason the trace can carry, so a typo cannot count zero.
 */
export function readFilter(ctx: ReadContext, f: Field): TraceFilter {
  if (!isMap(f.value)) ctx.r.fail(f, FILTER_EXPECTED);
  const out = filterObject(ctx, f);
  const entries = ctx.r.mapEntries(f, FILTER_EXPECTED);
  const kind = entries.get('kind');
  if (kind !== undefined && !(isScalar(kind.value) && typeof kind.value.value === 'string')) {
    ctx.r.fail(kind, 'an event kind as text (tx, rx, drop, neigh, command, ...)');
  }
  const reason = entries.get('reason');
  if (reason !== undefined && out['kind'] === 'drop' && !(DROP_REASONS as readonly string[]).includes(String(out['reason']))) {
    ctx.r.fail(reason, `a drop reason: ${DROP_REASONS.join(', ')}`);
  }
  return out;
}

function filterObject(ctx: ReadContext, f: Field): TraceFilter {
  const out = Object.create(null) as TraceFilter;
  for (const [key, v] of ctx.r.mapEntries(f, 'a filter mapping')) {
    const node = v.value;
    if (isMap(node)) {
      out[key] = filterObject(ctx, v);
    } else if (isScalar(node) && node.value !== null && ['string', 'number', 'boolean'].includes(typeof node.value)) {
      out[key] = node.value;
    } else {
      ctx.r.fail(v, 'a value to match (text, a number, true/false) or a nested filter mapping');
    }
  }
  return out;
}

/** A filter's `host:`, when it names one, is a cross reference like any other. */
export function filterHostRef(ctx: ReadContext, filterField: Field, filter: TraceFilter): void {
  if (typeof filter['host'] === 'string') ctx.hostRef(ctx.r.mapEntries(filterField, 'a filter').get('host') ?? filterField);
}

/**
 * The moment of a timeline entry or a narration step: exactly one of `at: DURATION` and `when: FILTER`.
 * Returns the time (0 with `when`) and the condition.
 */
export function readMoment(ctx: ReadContext, e: Fields, what: string): { at: SimTime; when?: TraceFilter } {
  const at = e.get('at');
  const when = e.get('when');
  if (at !== undefined && when !== undefined) {
    const second = at.keyPos.line > when.keyPos.line || (at.keyPos.line === when.keyPos.line && at.keyPos.column > when.keyPos.column) ? at : when;
    throw ctx.source.error(second.keyPos, second.path, `one of at: (a time) and when: (a trace condition) for ${what}, not both`, 'both');
  }
  if (at !== undefined) return { at: ctx.r.duration(at) };
  if (when !== undefined) {
    const filter = readFilter(ctx, when);
    filterHostRef(ctx, when, filter);
    return { at: 0, when: filter };
  }
  e.require('at', `an at: key with the time of ${what} (or when: with a trace condition)`);
  return { at: 0 };
}
