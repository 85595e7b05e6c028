import { RandomStream } from '../../src/sim/Random.ts';

/**
 * The scenario generator's source of choices: one seeded stream per generated scenario (the core's own
 * seedrandom wrapper), so scenario #i is the same text whatever the corpus size, on every machine.
 */
export class Dice {
  private readonly stream: RandomStream;

  constructor(key: string) {
    this.stream = new RandomStream(key);
  }

  /** Uniform integer in [lo, hi], inclusive. */
  int(lo: number, hi: number): number {
    return this.stream.int(lo, hi);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.stream.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.stream.int(0, xs.length - 1)];
  }

  /** `n` distinct items of `xs` (n at most its length), in a random order. */
  sample<T>(xs: readonly T[], n: number): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(this.stream.int(0, pool.length - 1), 1)[0]);
    return out;
  }
}
