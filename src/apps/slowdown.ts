import type { Host } from '../net/index.ts';

/**
 * How much slower than its own speed a host's servers work right now: the hook a scenario timeline's
 * `slow:` event sets and the servers' capacity model reads when it sizes a request's work (work × factor).
 * 1 is the server's normal speed; 4 means every request takes four times its work. The factor belongs to the
 * host, not to a world: it is kept beside the Host object (a WeakMap, never iterated), so two worlds never
 * see each other's factors and a dropped world takes its factors with it.
 */
const factors = new WeakMap<Host, number>();

export function slowdownOf(host: Host): number {
  return factors.get(host) ?? 1;
}

/** Sets the factor (≥ 1 slows down; 1 is normal speed again). */
export function setSlowdown(host: Host, factor: number): void {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`slow-down factor must be a positive number, got ${factor}`);
  if (factor === 1) factors.delete(host);
  else factors.set(host, factor);
}
