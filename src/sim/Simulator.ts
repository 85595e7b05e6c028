import { EventQueue, type EventAction, type EventHandle } from './EventQueue.ts';
import { checkTime, type SimTime } from './Time.ts';

export type { EventHandle };

/**
 * Priority bands for events at the same instant. Lower runs first; within a band, scheduling order.
 * Administrative actions (a command typed at time t) precede the packet events of that instant, as a person
 * at a console acts "between" kernel events.
 */
export const Priority = {
  admin: 0,
  normal: 10,
} as const;

/**
 * The discrete-event engine of one world: a clock and the pending-event set. Nothing in it is global, so two
 * worlds can run side by side (a before/after comparison, parallel tests).
 *
 * `schedule`/`scheduleAt` take a closure; `scheduleWith`/`scheduleAtWith` take a shared function and its
 * argument, so a hot path (a frame leaving a queue, a frame arriving) schedules without allocating a closure.
 * Both kinds run in one order: (time, priority, scheduling order).
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

  /** Entries of the event queue, cancelled events not yet discarded included (the queue deletes lazily). */
  get queued(): number {
    return this.queue.entries;
  }

  /** Runs `action` after `delay` ns (0 = later at this same instant, after what is already scheduled). */
  schedule(delay: SimTime, action: () => void, priority: number = Priority.normal): EventHandle {
    return this.queue.push(this.after(delay), priority, action);
  }

  /** Runs `action(arg)` after `delay` ns: `schedule` without a closure per event. */
  scheduleWith<T>(delay: SimTime, action: EventAction<T>, arg: T, priority: number = Priority.normal): EventHandle {
    return this.queue.push(this.after(delay), priority, action, arg);
  }

  /** Runs `action` at absolute time `time`, which must not be in the past. */
  scheduleAt(time: SimTime, action: () => void, priority: number = Priority.normal): EventHandle {
    return this.queue.push(this.at(time), priority, action);
  }

  /** Runs `action(arg)` at absolute time `time`: `scheduleAt` without a closure per event. */
  scheduleAtWith<T>(time: SimTime, action: EventAction<T>, arg: T, priority: number = Priority.normal): EventHandle {
    return this.queue.push(this.at(time), priority, action, arg);
  }

  /** Cancels a pending event; a handle whose event already ran (or undefined) is ignored. */
  cancel(handle: EventHandle | undefined): void {
    if (handle !== undefined) this.queue.cancel(handle);
  }

  /** Time of the next pending event, or undefined when the queue is empty. */
  peek(): SimTime | undefined {
    const t = this.queue.nextTime();
    return t < 0 ? undefined : t;
  }

  /** Runs exactly one event. Returns false when none was pending. */
  step(): boolean {
    return this.dispatchNext(Number.MAX_SAFE_INTEGER);
  }

  /**
   * Runs every event with time ≤ `until`, then sets the clock to `until`. `maxEvents` bounds the work (a runaway
   * guard); the return value says whether the run reached `until`.
   */
  runUntil(until: SimTime, maxEvents: number = Number.MAX_SAFE_INTEGER): boolean {
    checkTime(until);
    if (until < this.clock) throw new RangeError(`cannot run until ${until} ns: the clock is already at ${this.clock} ns`);
    if (!this.drain(until, maxEvents)) return false;
    this.clock = until;
    return true;
  }

  /** Runs until no event is pending (or `maxEvents` have run). */
  run(maxEvents: number = Number.MAX_SAFE_INTEGER): boolean {
    return this.drain(Number.MAX_SAFE_INTEGER, maxEvents);
  }

  /** Dispatches events due by `until`; false when `maxEvents` ran out with one still due. */
  private drain(until: SimTime, maxEvents: number): boolean {
    let budget = maxEvents;
    while (budget > 0) {
      if (!this.dispatchNext(until)) return true;
      budget--;
    }
    return this.queue.nextTime() < 0 || this.queue.nextTime() > until;
  }

  /** Runs the next event if it is due by `until`. */
  private dispatchNext(until: SimTime): boolean {
    const q = this.queue;
    if (!q.take(until)) return false;
    this.clock = q.takenTime;
    this.dispatched++;
    const action = q.takenAction;
    const arg = q.takenArg;
    q.takenArg = undefined;
    action(arg);
    return true;
  }

  private after(delay: SimTime): SimTime {
    const t = this.clock + delay;
    // One range test covers negative delays and sums beyond 2^53; the integer test the rest.
    if (!(delay >= 0 && t <= Number.MAX_SAFE_INTEGER && Number.isInteger(delay))) {
      throw new RangeError(`cannot schedule with delay ${delay}: expected a non-negative integer of ns`);
    }
    return t;
  }

  private at(time: SimTime): SimTime {
    checkTime(time);
    if (time < this.clock) throw new RangeError(`cannot schedule at ${time} ns: the clock is already at ${this.clock} ns`);
    return time;
  }
}
