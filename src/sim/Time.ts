/**
 * Simulated time: an integer count of nanoseconds held in a `number`.
 *
 * Integers are exact up to 2^53 ns (about 104 days), far beyond any lesson or benchmark. Float time is
 * never used: every constructor rounds to whole nanoseconds and every check refuses a non-integer.
 */
export type SimTime = number;

export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;

export function ns(n: number): SimTime {
  return checkTime(Math.round(n));
}
export function us(n: number): SimTime {
  return checkTime(Math.round(n * US));
}
export function ms(n: number): SimTime {
  return checkTime(Math.round(n * MS));
}
export function seconds(n: number): SimTime {
  return checkTime(Math.round(n * SECOND));
}

/** Throws unless `t` is a non-negative safe integer: the one representation of time in the core. */
export function checkTime(t: number): SimTime {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`invalid simulated time ${t} (expected a non-negative integer of nanoseconds)`);
  return t;
}

/** `1.5s`, `250ms`, `40us`, `7ns`: the shortest exact unit, as scenario files write durations. */
export function formatDuration(t: SimTime): string {
  if (t === 0) return '0s';
  if (t % SECOND === 0) return `${t / SECOND}s`;
  if (t % MS === 0) return `${t / MS}ms`;
  if (t % US === 0) return `${t / US}us`;
  return `${t}ns`;
}

/** Seconds with nine decimals, as a packet list shows a timestamp (`1.000025000`). */
export function formatTimestamp(t: SimTime): string {
  const s = Math.floor(t / SECOND);
  const frac = String(t % SECOND).padStart(9, '0');
  return `${s}.${frac}`;
}
