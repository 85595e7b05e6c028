import type { SimTime } from '../sim/Time.ts';
import type { TraceEvent, TraceEventInput } from './TraceEvent.ts';
import type { TraceSink } from './TraceSink.ts';

/**
 * The trace source of one world: stamps time and a global sequence number on each event and hands it to every
 * attached sink. With no sink attached, `enabled` is false and emitters skip building events at all (the
 * benchmarks' fast path); counting still happens in the model's own counters.
 */
export class Tracer {
  private readonly sinks: TraceSink[] = [];
  private seq = 0;

  constructor(private readonly clock: () => SimTime) {}

  get enabled(): boolean {
    return this.sinks.length > 0;
  }

  /** Events emitted so far. */
  get count(): number {
    return this.seq;
  }

  attach(sink: TraceSink): void {
    this.sinks.push(sink);
  }

  detach(sink: TraceSink): void {
    const i = this.sinks.indexOf(sink);
    if (i >= 0) this.sinks.splice(i, 1);
  }

  emit(input: TraceEventInput): void {
    if (this.sinks.length === 0) return;
    // Key order: t, seq, kind first; the rest in the order the emitter built them.
    const ev = { t: this.clock(), seq: this.seq++, ...input } as TraceEvent;
    for (const s of this.sinks) s.write(ev);
  }
}
