import type { TraceEvent } from './TraceEvent.ts';

export interface TraceSink {
  write(ev: TraceEvent): void;
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
  constructor(private readonly fn: (ev: TraceEvent) => void) {}
  write(ev: TraceEvent): void {
    this.fn(ev);
  }
}
