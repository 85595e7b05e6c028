/**
 * The playback speeds offered, as simulated seconds per wall second. A frame crosses a cable in tens of
 * microseconds, so watching one move needs 10⁻⁵ (10 µs of simulated time per second); a lesson of forty
 * simulated seconds needs fast-forward. Labels say how much simulated time a second of watching covers.
 */
export interface Speed {
  readonly value: number;
  readonly label: string;
}

export const SPEEDS: readonly Speed[] = [
  { value: 1e-5, label: 'slowest: 10 µs per second' },
  { value: 1e-4, label: 'slow motion: 100 µs per second' },
  { value: 1e-3, label: '1 ms per second' },
  { value: 1e-2, label: '10 ms per second' },
  { value: 1e-1, label: '100 ms per second' },
  { value: 1, label: 'real time' },
  { value: 10, label: 'fast-forward ×10' },
  { value: 100, label: 'fast-forward ×100' },
];

export const MIN_SPEED = SPEEDS[0].value;
export const MAX_SPEED = SPEEDS[SPEEDS.length - 1].value;
/** Slow enough that a frame is seen crossing its cable (about a quarter of a second per cable). */
export const DEFAULT_SPEED = 1e-4;

/** The offered speed nearest to `value` (on a log scale). */
export function nearestSpeed(value: number): Speed {
  let best = SPEEDS[0];
  for (const s of SPEEDS) if (Math.abs(Math.log10(s.value) - Math.log10(value)) < Math.abs(Math.log10(best.value) - Math.log10(value))) best = s;
  return best;
}

/**
 * How long (simulated ns) a drop stays marked on the stage at a speed: about a second and a half of watching,
 * never less than the stage's default 200 µs and never more than half a simulated second.
 */
export function dropLingerFor(speed: number): number {
  return Math.round(Math.min(500_000_000, Math.max(200_000, speed * 1.5e9)));
}
