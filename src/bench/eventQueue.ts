import { Simulator } from '../lab/index.ts';
import { delays, median, timeSeconds } from './clock.ts';

/** Spread of the batch's event times: 1 ms of simulated time, so many events share a heap level. */
const BATCH_SPREAD_NS = 1_000_000;
/** The hold model's delays: up to 10 us, like the link and ARP timers of a busy lab. */
const HOLD_SPREAD_NS = 10_000;

export interface BatchFigures {
  events: number;
  /** Events scheduled per second while the queue grows from 0 to `events`. */
  schedulePerSecond: number;
  /** Events dispatched per second while it drains back to 0. */
  dispatchPerSecond: number;
  /** Events scheduled and dispatched per second, both phases together: the headline figure. */
  perSecond: number;
}

/**
 * Bare engine throughput, phase by phase: schedule `events` no-op events at pseudo-random times, then run them
 * all. The action is one shared function, so the figure is the queue's cost (heap push/pop, sequence numbers,
 * the clock), not closure allocation. Median of `repeats` runs after one warm-up run for the JIT.
 */
export function benchBatch(events: number, repeats: number): BatchFigures {
  const once = (): { schedule: number; dispatch: number } => {
    const sim = new Simulator();
    const next = delays(0x5eed);
    let ran = 0;
    const action = (): void => {
      ran++;
    };
    const schedule = timeSeconds(() => {
      for (let i = 0; i < events; i++) sim.schedule(next() % BATCH_SPREAD_NS, action);
    });
    const dispatch = timeSeconds(() => sim.run());
    if (ran !== events) throw new Error(`event queue benchmark ran ${ran} of ${events} events`);
    return { schedule, dispatch };
  };
  once();
  const runs = Array.from({ length: repeats }, once);
  const schedule = median(runs.map((r) => r.schedule));
  const dispatch = median(runs.map((r) => r.dispatch));
  const total = median(runs.map((r) => r.schedule + r.dispatch));
  return { events, schedulePerSecond: events / schedule, dispatchPerSecond: events / dispatch, perSecond: events / total };
}

export interface HoldFigures {
  /** Events pending at every moment. */
  pending: number;
  events: number;
  /** Dispatches per second, each scheduling its successor. */
  perSecond: number;
}

/**
 * The classic "hold" model of event-set benchmarks: `pending` events in the queue; each one, when it runs,
 * schedules the next at a pseudo-random delay, so the queue size stays constant as a simulation's does.
 * Counts `events` dispatches (each with one schedule). Median of `repeats` runs after a warm-up.
 */
export function benchHold(pending: number, events: number, repeats: number): HoldFigures {
  const once = (): number => {
    const sim = new Simulator();
    const next = delays(0x401d);
    const action = (): void => {
      sim.schedule(next() % HOLD_SPREAD_NS, action);
    };
    for (let i = 0; i < pending; i++) sim.schedule(next() % HOLD_SPREAD_NS, action);
    const before = sim.eventsDispatched;
    const seconds = timeSeconds(() => sim.run(events));
    if (sim.eventsDispatched - before !== events || sim.pending !== pending) throw new Error('hold benchmark lost events');
    return seconds;
  };
  once();
  const seconds = median(Array.from({ length: repeats }, once));
  return { pending, events, perSecond: events / seconds };
}
