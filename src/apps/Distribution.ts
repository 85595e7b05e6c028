import type { RandomStream } from '../sim/index.ts';

/**
 * A non-negative quantity drawn per request: a size in bytes, a service or think time in ns. Fixed, exponential
 * (memoryless: the classic open-loop model) or Pareto (heavy-tailed: a few huge objects carry much of the
 * load, as web object sizes do), bounded above by `max` so one draw cannot outlast the run.
 */
export type Distribution =
  | { readonly kind: 'fixed'; readonly value: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'pareto'; readonly min: number; readonly shape: number; readonly max: number };

export function fixed(value: number): Distribution {
  return { kind: 'fixed', value };
}

export function exponential(mean: number): Distribution {
  return { kind: 'exponential', mean };
}

/** Pareto with scale `min` and shape `shape` (> 1 for a finite mean), truncated at `max` (default 100 × min). */
export function pareto(min: number, shape: number, max = 100 * min): Distribution {
  return { kind: 'pareto', min, shape, max };
}

/**
 * One draw, rounded to a whole number (bytes and nanoseconds are integers in the lab). A truncated Pareto draw
 * above `max` is clipped to `max` (the mass beyond it lands on the bound, like a server's size limit).
 */
export function sample(d: Distribution, stream: RandomStream): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'exponential':
      return Math.round(stream.exponential(d.mean));
    case 'pareto':
      return Math.min(d.max, Math.round(stream.pareto(d.shape, d.min)));
  }
}

/** The distribution's mean as drawn by `sample` (the clipped Pareto's, not the untruncated one's). */
export function meanOf(d: Distribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'exponential':
      return d.mean;
    case 'pareto': {
      // E[min(X, M)] for X ~ Pareto(xm, a): xm·a/(a−1) · (1 − (xm/M)^(a−1)) + M·(xm/M)^a, with a = 1 the
      // limit xm·(1 + ln(M/xm)).
      const { min: xm, shape: a, max: m } = d;
      if (m <= xm) return m;
      if (a === 1) return xm * (1 + Math.log(m / xm));
      return ((xm * a) / (a - 1)) * (1 - Math.pow(xm / m, a - 1)) + m * Math.pow(xm / m, a);
    }
  }
}

/** `1KB`, `exp(1KB)`, `pareto(1KB, 1.5, max 100KB)`: for reports; `unit` formats one value. */
export function describeDistribution(d: Distribution, unit: (v: number) => string): string {
  switch (d.kind) {
    case 'fixed':
      return unit(d.value);
    case 'exponential':
      return `exponential(mean ${unit(d.mean)})`;
    case 'pareto':
      return `pareto(min ${unit(d.min)}, shape ${d.shape}, max ${unit(d.max)})`;
  }
}
