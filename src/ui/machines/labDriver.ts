import { Lab, LimitError, type CommandResult, type LabOptions } from '../../lab/index.ts';
import type { TraceEvent } from '../../trace/index.ts';
import type { PlaybackDriver } from './playbackMachine.ts';

/** A command the student typed, and when. */
export interface JournalEntry {
  readonly t: number;
  readonly host: string;
  readonly line: string;
}

/**
 * The playback machine's simulation: a Lab built from a scenario text and seed, which can be thrown away and
 * built again to go back in time. Going back is a deterministic re-simulation: the same text, the same seed,
 * and the commands the student typed, each replayed at the simulated time it was typed, give the same trace
 * event for event (the Lab's contract: no wall clock, no unseeded randomness).
 *
 * A command is only ever run on a settled clock (every event at the current time already run), so that the
 * replay, which runs to that time and then types the command, finds the simulation in the same state.
 * Commands typed after going back are added in time order; the ones typed later in the first run stay in the
 * journal and happen again when their time comes (the history is the student's, the page may clear it).
 */
export class LabDriver implements PlaybackDriver {
  private lab: Lab;
  private readonly entries: JournalEntry[] = [];
  /** How many journal entries the current lab has run. */
  private applied = 0;

  constructor(
    private readonly text: string,
    private readonly options: LabOptions = {},
  ) {
    this.lab = Lab.fromText(text, options);
  }

  /** The current run, for the panels' read-only queries. Replaced by `restart`. */
  get current(): Lab {
    return this.lab;
  }

  get duration(): number {
    return this.lab.duration;
  }

  get journal(): readonly JournalEntry[] {
    return this.entries;
  }

  events(): readonly TraceEvent[] {
    return this.lab.events;
  }

  now(): number {
    return this.lab.now();
  }

  /**
   * Why the run stopped before its end: a runaway scenario reached a resource limit (Lab's LimitError). The
   * run's trace so far stays readable; the page says so instead of freezing or failing.
   */
  get stoppedBy(): LimitError | undefined {
    return this.lab.stoppedBy;
  }

  runTo(t: number): void {
    this.guard(() => {
      while (this.applied < this.entries.length && this.entries[this.applied].t <= t) {
        const e = this.entries[this.applied++];
        this.lab.runUntil(e.t);
        this.lab.runCommand(e.host, e.line);
      }
      this.lab.runUntil(t);
    });
  }

  runToNextEvent(): boolean {
    let more = false;
    this.guard(() => (more = this.nextEvent()));
    return more;
  }

  /** Runs `work` unless the run has stopped at a limit; a limit reached now stops it quietly (stoppedBy). */
  private guard(work: () => void): void {
    if (this.lab.stoppedBy !== undefined) return;
    try {
      work();
    } catch (e) {
      if (!(e instanceof LimitError)) throw e;
    }
  }

  private nextEvent(): boolean {
    const events = this.lab.events;
    const before = events.length;
    while (events.length === before) {
      const next = this.lab.nextEventTime();
      const due = this.applied < this.entries.length ? this.entries[this.applied].t : undefined;
      if (due !== undefined && (next === undefined || due <= next)) {
        this.runTo(due);
        continue;
      }
      if (next === undefined || next > this.duration) return false;
      this.lab.step();
    }
    return true;
  }

  restart(): void {
    this.lab = Lab.fromText(this.text, this.options);
    this.applied = 0;
  }

  /** Types a command on a host now, as the console does; it is journalled for re-simulation. */
  runCommand(host: string, line: string, done?: (r: CommandResult) => void): void {
    const t = this.lab.now();
    this.runTo(t);
    this.entries.splice(this.applied, 0, { t, host, line });
    this.applied++;
    this.lab.runCommand(host, line, done);
  }
}
