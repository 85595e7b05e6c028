import { SECOND, type SimTime, type RandomStream } from '../../sim/index.ts';

/**
 * When an open-loop workload starts its next session. Open loop: arrivals do not wait for earlier requests to
 * finish, so an overloaded cluster sees the load keep coming (the way independent users on the Internet
 * behave) — unlike the closed loop of ClosedLoopWorkload, where a slow server slows its own users down.
 */
export type ArrivalSpec =
  /** Evenly spaced, `interval` apart: the lab's deterministic baseline. */
  | { readonly kind: 'fixed'; readonly interval: SimTime }
  /** A Poisson process of `rate` sessions per second: exponential gaps. */
  | { readonly kind: 'poisson'; readonly rate: number }
  /**
   * Bursty: Poisson at `rate` during `on`, silent during `off`, repeating from the start (an on/off source,
   * the simplest model of bursty traffic).
   */
  | { readonly kind: 'on-off'; readonly rate: number; readonly on: SimTime; readonly off: SimTime };

/** Generates arrival times after a start time, from one named stream. */
export class ArrivalProcess {
  constructor(
    private readonly spec: ArrivalSpec,
    private readonly stream: RandomStream,
    private readonly start: SimTime,
  ) {}

  /** The arrival after `t` (the previous arrival, or the start for the first call with `first`). */
  next(t: SimTime, first = false): SimTime {
    const s = this.spec;
    switch (s.kind) {
      case 'fixed':
        return first ? t : t + s.interval;
      case 'poisson':
        return t + this.gap(s.rate);
      case 'on-off':
        return this.onOff(t, s.rate, s.on, s.off);
    }
  }

  /** An exponential gap of mean 1/rate seconds, at least 1 ns so time always moves on. */
  private gap(rate: number): SimTime {
    return Math.max(1, Math.round(this.stream.exponential(SECOND / rate)));
  }

  /**
   * A Poisson process restricted to the on periods: draw the gap in "on time" and skip over the off periods it
   * crosses (memorylessness makes this exact).
   */
  private onOff(t: SimTime, rate: number, on: SimTime, off: SimTime): SimTime {
    const period = on + off;
    let rel = t - this.start;
    let gap = this.gap(rate);
    for (;;) {
      const phase = rel % period;
      if (phase >= on) {
        rel += period - phase; // in an off period: wait for the next on period
        continue;
      }
      const leftInOn = on - phase;
      if (gap < leftInOn) return this.start + rel + gap;
      gap -= leftInOn;
      rel += leftInOn;
    }
  }
}
