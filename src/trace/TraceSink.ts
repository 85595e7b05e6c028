import type { TraceEvent } from './TraceEvent.ts';

export interface TraceSink {
  write(ev: TraceEvent): void;
  /**
   * The kinds this sink reads; absent: every kind. A sink that names its kinds gets only those, and when no
   * attached sink wants the packet-level kinds (`tx`, `rx`, `route`) the model skips building them (the
   * tracer's `packets` fast path), which is most of the cost of tracing.
   */
  readonly kinds?: ReadonlySet<TraceEvent['kind']>;
}

/** Keeps every event in memory, in order. */
export class MemorySink implements TraceSink {
  readonly events: TraceEvent[] = [];
  write(ev: TraceEvent): void {
    this.events.push(ev);
  }
}

/** Calls a function per event (the browser's live panels, the CLI's streaming writer). */
export class CallbackSink implements TraceSink {
  constructor(
    private readonly fn: (ev: TraceEvent) => void,
    readonly kinds?: ReadonlySet<TraceEvent['kind']>,
  ) {}
  write(ev: TraceEvent): void {
    this.fn(ev);
  }
}
