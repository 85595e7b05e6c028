import type { SimTime } from '../sim/Time.ts';
import type { PacketSummary } from './packetSummary.ts';
import type { IpvsEvent, TraceEvent, TraceEventInput } from './TraceEvent.ts';
import type { TraceSink } from './TraceSink.ts';

/**
 * The trace source of one world: stamps time and a global sequence number on each event and hands it to every
 * attached sink. With no sink attached, `enabled` is false and emitters skip building events at all (the
 * benchmarks' fast path); counting still happens in the model's own counters.
 */
export class Tracer {
  private readonly sinks: TraceSink[] = [];
  private seq = 0;
  private packetSinks = 0;
  /** Sinks that read every kind, and the kinds the others name (recomputed on attach and detach). */
  private everyKindSinks = 0;
  private namedKinds = new Set<TraceEvent['kind']>();

  constructor(private readonly clock: () => SimTime) {}

  get enabled(): boolean {
    return this.sinks.length > 0;
  }

  /**
   * Whether some sink reads the packet-level kinds (`tx`, `rx`, `route`): emitters of those check this instead
   * of `enabled`, so a run whose only listeners want a few kinds (sweeps, daemons watching faults) does not
   * summarise every frame.
   */
  get packets(): boolean {
    return this.packetSinks > 0;
  }

  /** Whether some attached sink reads events of this kind. */
  wants(kind: TraceEvent['kind']): boolean {
    return this.everyKindSinks > 0 || this.namedKinds.has(kind);
  }

  /**
   * For an emitter about to build an event of `kind`: true when some sink reads that kind (then it must call
   * `emit` once). Otherwise the event is not built, but it still uses up its sequence number, so the events
   * sinks do get are numbered as if every event had been built.
   */
  emitting(kind: TraceEvent['kind']): boolean {
    if (this.sinks.length === 0) return false;
    if (this.everyKindSinks > 0 || this.namedKinds.has(kind)) return true;
    this.seq++;
    return false;
  }

  /** Events emitted so far. */
  get count(): number {
    return this.seq;
  }

  attach(sink: TraceSink): void {
    this.sinks.push(sink);
    if (readsPackets(sink)) this.packetSinks++;
    this.indexKinds();
  }

  detach(sink: TraceSink): void {
    const i = this.sinks.indexOf(sink);
    if (i < 0) return;
    this.sinks.splice(i, 1);
    if (readsPackets(sink)) this.packetSinks--;
    this.indexKinds();
  }

  private indexKinds(): void {
    this.everyKindSinks = 0;
    this.namedKinds = new Set();
    for (const s of this.sinks) {
      if (s.kinds === undefined) this.everyKindSinks++;
      else for (const k of s.kinds) this.namedKinds.add(k);
    }
  }

  emit(input: TraceEventInput): void {
    if (this.sinks.length === 0) return;
    if (this.everyKindSinks === 0 && !this.namedKinds.has(input.kind)) {
      // No sink reads this kind: nothing to build or deliver, but the number is used up (see `emitting`).
      this.seq++;
      return;
    }
    // Key order: t, seq, kind first; the rest in the order the emitter built them.
    this.deliver({ t: this.clock(), seq: this.seq++, ...input } as TraceEvent);
  }

  /**
   * A `tx` or `rx` event: the same as `emit` with those fields, built in one step. These two are most of any
   * trace (every frame, every hop), so they skip the intermediate input object and the copy.
   */
  frame(kind: 'tx' | 'rx', host: string, iface: string, frame: number, pkt: PacketSummary): void {
    if (this.sinks.length === 0) return;
    this.deliver({ t: this.clock(), seq: this.seq++, kind, host, iface, frame, pkt });
  }

  /** A `route` event, built in one step like `frame` (absent fields are left undefined, which the JSONL omits). */
  route(
    host: string,
    iface: string,
    pkt: PacketSummary,
    decision: 'forward' | 'local' | 'output',
    via: string | undefined,
    oif: string | undefined,
    table: number | undefined,
  ): void {
    if (this.sinks.length === 0) return;
    this.deliver({ t: this.clock(), seq: this.seq++, kind: 'route', host, iface, pkt, decision, via, oif, table });
  }

  /**
   * An `ipvs` event about a connection entry, built in one step like `frame` (an entry has several: scheduled,
   * each state change, expiry; a sweep reads them all, and a spread over the many event shapes is slow). The
   * caller has asked `emitting('ipvs')` first; fields left undefined are omitted by the JSONL, as with `emit`.
   */
  ipvsEntry(
    host: string,
    event: IpvsEvent['event'],
    service: string | undefined,
    proto: string,
    client: string,
    virtual: string,
    dest: string,
    fwd: string,
    state: string,
    detail: string | undefined,
  ): void {
    if (this.sinks.length === 0) return;
    this.deliver({ t: this.clock(), seq: this.seq++, kind: 'ipvs', host, event, service, proto, client, virtual, dest, fwd, state, detail });
  }

  private deliver(ev: TraceEvent): void {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) {
      const s = sinks[i];
      if (s.kinds === undefined || s.kinds.has(ev.kind)) s.write(ev);
    }
  }
}

function readsPackets(sink: TraceSink): boolean {
  const k = sink.kinds;
  return k === undefined || k.has('tx') || k.has('rx') || k.has('route');
}
