import type { Simulator, SimTime } from '../../sim/index.ts';
import { frameLength, type Frame } from '../../wire/index.ts';

/**
 * Bytes on the wire besides the frame itself: preamble + start delimiter (8), FCS (4), inter-frame gap (12).
 * Serialisation time is computed over frame + overhead, so 1 Gbit/s carries 81,274 minimum frames per 100 ms.
 */
export const WIRE_OVERHEAD_BYTES = 24;

/**
 * One direction of a cable: a finite drop-tail queue, a serialiser at the cable's bit rate and a propagation
 * delay. `onStart` fires when an item begins to leave (the `tx` moment); `onArrive` when its last bit reaches
 * the far end. Items are frames with whatever the cable tracks beside them (its transmission number).
 *
 * Per frame this schedules two events (end of serialisation, arrival) through shared functions, so the hot
 * path allocates no closures; the waiting frames sit in a ring buffer.
 */
export class TxQueue<T extends { readonly frame: Frame }> {
  private ring: Array<T | undefined> = [];
  private head = 0;
  private size = 0;
  private busy = false;

  constructor(
    private readonly sim: Simulator,
    private readonly bitsPerSecond: number,
    private readonly latency: SimTime,
    private readonly limit: number,
    private readonly onStart: (item: T) => void,
    private readonly onArrive: (item: T) => void,
  ) {}

  /** Serialisation finished: the item propagates, and the next one starts. */
  private readonly serialised = (item: T): void => {
    this.sim.scheduleWith(this.latency, this.onArrive, item);
    this.startNext();
  };

  /** Items waiting (not counting the one being serialised). */
  get length(): number {
    return this.size;
  }

  /** Enqueues an item; false (and nothing queued) when `limit` items are already waiting. */
  enqueue(item: T): boolean {
    if (this.size >= this.limit) return false;
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = item;
    this.size++;
    if (!this.busy) this.startNext();
    return true;
  }

  /** Discards everything waiting; returns what was discarded, oldest first. */
  flush(): T[] {
    const gone: T[] = [];
    while (this.size > 0) gone.push(this.shift());
    return gone;
  }

  private startNext(): void {
    if (this.size === 0) {
      this.busy = false;
      return;
    }
    const item = this.shift();
    this.busy = true;
    this.onStart(item);
    const bits = (frameLength(item.frame) + WIRE_OVERHEAD_BYTES) * 8;
    const txTime = Math.ceil((bits * 1e9) / this.bitsPerSecond);
    this.sim.scheduleWith(txTime, this.serialised, item);
  }

  private shift(): T {
    const item = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return item;
  }

  /** Doubles the ring, unrolling it so the oldest item is first again. */
  private grow(): void {
    const old = this.ring;
    const next: Array<T | undefined> = new Array(Math.max(4, 2 * old.length)).fill(undefined);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) % old.length];
    this.ring = next;
    this.head = 0;
  }
}
