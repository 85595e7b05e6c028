import seedrandom from 'seedrandom';

/**
 * Named, seeded random streams (ns-3's idea without its creation-order numbering).
 *
 * Every consumer asks for a stream by a stable name (`"host:r1/neigh:eth0"`, `"client:c1/arrivals"`); the
 * stream's generator is seeded from (root seed, run number, name), so adding a consumer never shifts the
 * numbers another consumer sees. seedrandom's ARC4 generator underneath gives the same sequence in Node and
 * in browsers.
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(
    readonly seed: number,
    readonly run: number = 0,
  ) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    if (!Number.isSafeInteger(run) || run < 0) throw new RangeError(`run must be a non-negative integer, got ${run}`);
  }

  /** The stream of this name; the same object on every call. */
  get(name: string): RandomStream {
    let s = this.streams.get(name);
    if (!s) {
      s = new RandomStream(`lvs-lab:${this.seed}:${this.run}:${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}

export class RandomStream {
  private readonly prng: seedrandom.PRNG;

  constructor(key: string) {
    this.prng = seedrandom(key);
  }

  /** Uniform in [0, 1), 32 bits of randomness. */
  next(): number {
    return this.prng();
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.prng.int32() >>> 0;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`empty range [${lo}, ${hi}]`);
    return lo + Math.floor(this.prng() * (hi - lo + 1));
  }

  /** Exponentially distributed with the given mean (same unit as the mean). */
  exponential(mean: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -mean * Math.log(1 - this.prng());
  }

  /** Pareto with shape `alpha` and scale (minimum) `xm`. */
  pareto(alpha: number, xm: number): number {
    return xm / Math.pow(1 - this.prng(), 1 / alpha);
  }
}
