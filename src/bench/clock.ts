/** Wall-clock seconds of `work()` (monotonic, nanosecond source). Benchmarks only: the core never reads clocks. */
export function timeSeconds(work: () => void): number {
  const t0 = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * A small deterministic generator (xorshift32) for event delays, so every run of the benchmark schedules the
 * same times and the figures differ only by the machine.
 */
export function delays(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
