import { MS, NS, SECOND, US } from '../sim/index.ts';

/**
 * The quantities of a scenario file: durations, link rates and byte sizes, each an integer or decimal followed
 * directly by a unit (`250ms`, `1.5s`, `1Gbit`, `1KiB`). The arithmetic is exact (decimal digits scaled with
 * BigInt, never a float product), and a value that does not come out as a whole number of the base unit
 * (nanoseconds, bit/s, bytes) is refused rather than rounded: `0.5ns` is a mistake, not half a nanosecond.
 */

export type UnitResult = { ok: true; value: number } | { ok: false; expected: string };

export const DURATION_UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', NS],
  ['us', US],
  ['ms', MS],
  ['s', SECOND],
  ['m', 60 * SECOND],
]);

/** 1000-based, as tc and link speeds count. */
export const RATE_UNITS: ReadonlyMap<string, number> = new Map([
  ['bit', 1],
  ['Kbit', 1_000],
  ['Mbit', 1_000_000],
  ['Gbit', 1_000_000_000],
]);

export const SIZE_UNITS: ReadonlyMap<string, number> = new Map([
  ['B', 1],
  ['KB', 1_000],
  ['KiB', 1_024],
  ['MB', 1_000_000],
  ['MiB', 1_048_576],
]);

/** More digits than this cannot be a sensible quantity; refusing them keeps BigInt work bounded. */
const MAX_DIGITS = 30;

const QUANTITY = /^(\d+)(?:\.(\d+))?([A-Za-z]+)$/;

export const DURATION_EXPECTED = 'a duration: an integer or decimal with a unit ns, us, ms, s or m (e.g. 250ms, 1.5s)';
export const RATE_EXPECTED = 'a rate: an integer or decimal with a unit bit, Kbit, Mbit or Gbit (e.g. 100Mbit, 1Gbit)';
export const SIZE_EXPECTED = 'a size: an integer or decimal with a unit B, KB, KiB, MB or MiB (e.g. 512B, 1.5KB)';

/** `250ms` → 250000000 ns. A bare number is refused: a scenario always says which unit it means. */
export function parseDuration(text: string): UnitResult {
  return parseQuantity(text, DURATION_UNITS, DURATION_EXPECTED, 'a whole number of nanoseconds');
}

/** `1Gbit` → 1e9 bit/s. */
export function parseRate(text: string): UnitResult {
  return parseQuantity(text, RATE_UNITS, RATE_EXPECTED, 'a whole number of bit/s');
}

/** `1KiB` → 1024 bytes. */
export function parseSize(text: string): UnitResult {
  return parseQuantity(text, SIZE_UNITS, SIZE_EXPECTED, 'a whole number of bytes');
}

function parseQuantity(text: string, units: ReadonlyMap<string, number>, expected: string, whole: string): UnitResult {
  const m = QUANTITY.exec(text);
  if (m === null) return { ok: false, expected };
  const [, intDigits, fracDigits = '', unit] = m;
  const scale = units.get(unit);
  if (scale === undefined) return { ok: false, expected };
  if (intDigits.length + fracDigits.length > MAX_DIGITS) return { ok: false, expected: `${expected}, of at most ${MAX_DIGITS} digits` };
  const numerator = BigInt(intDigits + fracDigits) * BigInt(scale);
  const denominator = 10n ** BigInt(fracDigits.length);
  if (numerator % denominator !== 0n) return { ok: false, expected: `${expected} that is ${whole}` };
  const value = numerator / denominator;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, expected: `${expected} below ${Number.MAX_SAFE_INTEGER} in the base unit` };
  return { ok: true, value: Number(value) };
}
