import type { RandomStreams, Simulator } from '../sim/index.ts';
import type { Tracer } from '../trace/index.ts';
import type { PacketId } from '../wire/index.ts';

/**
 * What every network object of one world shares: the engine, the named random streams, the trace source and
 * the packet-id counter. Passed in, never global, so two worlds can run side by side.
 */
export class NetContext {
  private nextId = 1;

  constructor(
    readonly sim: Simulator,
    readonly streams: RandomStreams,
    readonly tracer: Tracer,
  ) {}

  /** A fresh packet identity (lineage across rewrites is carried by parentId). */
  packetId(): PacketId {
    return this.nextId++;
  }
}
