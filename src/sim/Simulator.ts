import { EventQueue, type ScheduledEvent } from './EventQueue.ts';
import { checkTime, type SimTime } from './Time.ts';

/**
 * Priority bands for events at the same instant. Lower runs first; within a band, scheduling order.
 * Administrative actions (a command typed at time t) precede the packet events of that instant, as a person
 * at a console acts "between" kernel events.
 */
export const Priority = {
  admin: 0,
  normal: 10,
} as const;

export type EventHandle = ScheduledEvent;

/**
 * The discrete-event engine of one world: a clock and the pending-event set. Nothing in it is global, so two
 * worlds can run side by side (a before/after comparison, parallel tests).
 */
export class Simulator {
  private readonly queue = new EventQueue();
  private clock: SimTime = 0;
  private dispatched = 0;

  now(): SimTime {
    return this.clock;
  }

  /** Events run so far: a measure of work for benchmarks and runaway limits. */
  get eventsDispatched(): number {
    return this.dispatched;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Runs `action` after `delay` ns (0 = later at this same instant, after what is already scheduled). */
  schedule(delay: SimTime, action: () => void, priority: number = Priority.normal): EventHandle {
    if (!Number.isSafeInteger(delay) || delay < 0) throw new RangeError(`cannot schedule with delay ${delay}: expected a non-negative integer of ns`);
    return this.queue.push(this.clock + delay, priority, action);
  }

  /** Runs `action` at absolute time `time`, which must not be in the past. */
  scheduleAt(time: SimTime, action: () => void, priority: number = Priority.normal): EventHandle {
    checkTime(time);
    if (time < this.clock) throw new RangeError(`cannot schedule at ${time} ns: the clock is already at ${this.clock} ns`);
    return this.queue.push(time, priority, action);
  }

  cancel(handle: EventHandle | undefined): void {
    if (handle) this.queue.cancel(handle);
  }

  /** Time of the next pending event, or undefined when the queue is empty. */
  peek(): SimTime | undefined {
    return this.queue.peek()?.time;
  }

  /** Runs exactly one event. Returns false when none was pending. */
  step(): boolean {
    const ev = this.queue.pop();
    if (!ev) return false;
    this.clock = ev.time;
    this.dispatched++;
    ev.action();
    return true;
  }

  /**
   * Runs every event with time ≤ `until`, then sets the clock to `until`. `maxEvents` bounds the work (a runaway
   * guard); the return value says whether the run reached `until`.
   */
  runUntil(until: SimTime, maxEvents: number = Number.MAX_SAFE_INTEGER): boolean {
    checkTime(until);
    if (until < this.clock) throw new RangeError(`cannot run until ${until} ns: the clock is already at ${this.clock} ns`);
    let budget = maxEvents;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.time > until) break;
      if (budget-- <= 0) return false;
      this.step();
    }
    this.clock = until;
    return true;
  }

  /** Runs until no event is pending (or `maxEvents` have run). */
  run(maxEvents: number = Number.MAX_SAFE_INTEGER): boolean {
    let budget = maxEvents;
    while (this.queue.peek() !== undefined) {
      if (budget-- <= 0) return false;
      this.step();
    }
    return true;
  }
}
