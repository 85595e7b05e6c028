import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { SourcePos } from './ScenarioError.ts';
import { parseDuration, parseRate, parseSize, type UnitResult } from './units.ts';
import { childPath, describeNode, itemPath, keyText, type YamlSource } from './yamlSource.ts';
import type { SimTime } from '../sim/index.ts';

/**
 * Typed reads of one field of a checked YAML tree, each failing with a ScenarioError at the offending key or
 * value. `load.ts` says what a scenario is; this file says how a value of each kind is read and refused.
 */

/** One value with where it sits: under a key of a mapping, or as an item of a list. */
export interface Field {
  /** Null when the key has no value at all (`segment:`). */
  value: Node | null;
  path: string;
  /** The key's position (for a list item, the item's own). Errors about an empty value point here. */
  keyPos: SourcePos;
}

/** The keys of one mapping, in file order, after its unknown keys were refused. */
export class Fields {
  constructor(
    private readonly reader: FieldReader,
    readonly entries: ReadonlyMap<string, Field>,
    /** Where the mapping starts (or the key that holds an empty one): missing keys are reported here. */
    readonly pos: SourcePos,
    readonly path: string,
  ) {}

  get(key: string): Field | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Calls the reader of each key present, in file order, so when several values are bad the first one in the
   * file is the one reported. `K` names the keys a caller handles (the call fails to compile on a typo).
   */
  read<K extends string>(readers: { readonly [P in K]?: (v: Field) => void }): void {
    for (const [key, v] of this.entries) {
      if (Object.prototype.hasOwnProperty.call(readers, key)) readers[key as K]?.(v);
    }
  }

  require(key: string, expected: string): Field {
    const f = this.entries.get(key);
    if (f === undefined) throw this.reader.source.error(this.pos, childPath(this.path, key), expected, `no ${key}: key`);
    return f;
  }
}

export class FieldReader {
  constructor(readonly source: YamlSource) {}

  fail(f: Field, expected: string, got: string = describeNode(f.value)): never {
    throw this.source.error(this.valuePos(f), f.path, expected, got);
  }

  /** The value's position, or the key's when there is no value to point at. */
  valuePos(f: Field): SourcePos {
    const v = f.value;
    if (v === null || (isScalar(v) && v.value === null && (v.source ?? '') === '')) return f.keyPos;
    return this.source.posOf(v);
  }

  isEmpty(f: Field): boolean {
    return f.value === null || (isScalar(f.value) && f.value.value === null);
  }

  /**
   * A mapping whose keys must come from `allowed`; an empty value (`lan:`) reads as an empty mapping.
   * `allowedText` replaces the list in the message when the rule is better said in words.
   */
  fields(f: Field, allowed: readonly string[], expected: string, allowedText?: string): Fields {
    const entries = this.mapEntries(f, expected);
    for (const [key, entry] of entries) {
      if (!allowed.includes(key)) {
        throw this.source.error(entry.keyPos, entry.path, allowedText ?? `one of the keys ${allowed.join(', ')}`, JSON.stringify(key));
      }
    }
    return new Fields(this, entries, this.mapPos(f), f.path);
  }

  /** A mapping keyed by names the file chooses (hosts, segments, interfaces, sysctls), in file order. */
  mapEntries(f: Field, expected: string): Map<string, Field & { key: string }> {
    const out = new Map<string, Field & { key: string }>();
    if (this.isEmpty(f)) return out;
    const v = f.value;
    if (!isMap(v)) this.fail(f, expected);
    for (const pair of v.items) {
      // yamlSource's tree check made every key a non-empty, unique, non-reserved scalar.
      const keyNode = pair.key as Scalar;
      const key = keyText(keyNode);
      out.set(key, { key, value: (pair.value as Node | null) ?? null, path: childPath(f.path, key), keyPos: this.source.posOf(keyNode) });
    }
    return out;
  }

  /** A list; an empty value reads as an empty list. */
  items(f: Field, expected: string): Field[] {
    if (this.isEmpty(f)) return [];
    const v = f.value;
    if (!isSeq(v)) this.fail(f, expected);
    return v.items.map((item, i) => {
      const node = (item as Node | null) ?? null;
      return { value: node, path: itemPath(f.path, i), keyPos: node === null ? this.valuePos(f) : this.source.posOf(node) };
    });
  }

  /** Text as the file wrote it; a number or boolean reads as its text (`1.0` stays `1.0`). */
  text(f: Field, expected: string, opts: { allowEmpty?: boolean; singleLine?: boolean } = {}): string {
    const v = f.value;
    if (!isScalar(v) || v.value === null) this.fail(f, expected);
    const text = typeof v.source === 'string' ? v.source : String(v.value);
    if (!opts.allowEmpty && text.trim() === '') this.fail(f, expected, 'empty text');
    if (opts.singleLine && /[\r\n]/.test(text)) this.fail(f, expected, 'text of several lines');
    return text;
  }

  /** A YAML number that is a safe integer within [min, max]. */
  integer(f: Field, min: number, max: number, expected: string): number {
    const v = f.value;
    if (!isScalar(v) || typeof v.value !== 'number' || !Number.isSafeInteger(v.value) || v.value < min || v.value > max) this.fail(f, expected);
    return v.value;
  }

  /** A YAML number, any finite value. */
  number(f: Field, expected: string): number {
    const v = f.value;
    if (!isScalar(v) || typeof v.value !== 'number' || !Number.isFinite(v.value)) this.fail(f, expected);
    return v.value;
  }

  /** A YAML boolean, `true` or `false` (not a string that looks like one). */
  boolean(f: Field, expected: string): boolean {
    const v = f.value;
    if (!isScalar(v) || typeof v.value !== 'boolean') this.fail(f, expected);
    return v.value as boolean;
  }

  oneOf<T extends string>(f: Field, options: readonly T[], expected: string): T {
    const v = f.value;
    if (!isScalar(v) || typeof v.value !== 'string' || !(options as readonly string[]).includes(v.value)) this.fail(f, expected);
    return v.value as T;
  }

  duration(f: Field, opts: { positive?: boolean } = {}): SimTime {
    const t = this.quantity(f, parseDuration);
    if (opts.positive && t === 0) this.fail(f, 'a duration above zero');
    return t;
  }

  /** Rates and sizes are never zero: a zero-rate cable or an empty request means nothing. */
  rate(f: Field): number {
    const r = this.quantity(f, parseRate);
    if (r === 0) this.fail(f, 'a rate above zero');
    return r;
  }

  /** A size in bytes above zero; with `max`, at most that (requests are written out as text: 16 MiB at most). */
  size(f: Field, max?: number): number {
    const s = this.quantity(f, parseSize);
    if (s === 0) this.fail(f, 'a size above zero');
    if (max !== undefined && s > max) this.fail(f, `a size of at most ${max} bytes (a request is written out byte for byte)`);
    return s;
  }

  private quantity(f: Field, parse: (text: string) => UnitResult): number {
    const v = f.value;
    // Only text carries a unit: a YAML number (`latency: 10`) parses as '' so the message names the units.
    const text = isScalar(v) && typeof v.value === 'string' ? v.value : '';
    const r = parse(text);
    if (!r.ok) this.fail(f, r.expected);
    return r.value;
  }

  private mapPos(f: Field): SourcePos {
    return this.isEmpty(f) ? f.keyPos : this.source.posOf(f.value as Node);
  }
}
