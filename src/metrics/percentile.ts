/**
 * The p-th percentile of a sample by the nearest-rank method: the smallest value with at least p % of the
 * sample at or below it (p in (0, 100]). Undefined for an empty sample. Nearest rank returns a value that
 * occurred, which is what a lesson's "p99 is 40 ms" should mean.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

export function sortNumbers(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
