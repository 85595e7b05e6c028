import type { TraceEvent } from './TraceEvent.ts';
import { sha256Hex } from './sha256.ts';

/**
 * Byte-stable JSON lines. Keys keep the order in which the event was built (`t`, `seq`, `kind`, then the
 * fields in the order the emitter declares them), every number must be a safe integer, and `undefined`
 * fields are left out, so the same events give the same bytes in Node and in browsers.
 */
export function canonicalLine(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      throw new TypeError(`trace field ${key} is not an integer: ${v}`);
    }
    return v;
  });
}

export function toJsonl(events: readonly TraceEvent[]): string {
  let out = '';
  for (const e of events) out += canonicalLine(e) + '\n';
  return out;
}

/** SHA-256 of the canonical JSONL: the golden tests' and the browser/Node comparison's digest. */
export function traceDigest(events: readonly TraceEvent[]): string {
  return sha256Hex(toJsonl(events));
}
