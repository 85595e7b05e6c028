import type { Simulator, SimTime } from '../../sim/index.ts';
import { frameLength, type Frame } from '../../wire/index.ts';

/**
 * Bytes on the wire besides the frame itself: preamble + start delimiter (8), FCS (4), inter-frame gap (12).
 * Serialisation time is computed over frame + overhead, so 1 Gbit/s carries 81,274 minimum frames per 100 ms.
 */
export const WIRE_OVERHEAD_BYTES = 24;

/**
 * One direction of a cable: a finite drop-tail queue, a serialiser at the cable's bit rate and a propagation
 * delay. `onStart` fires when a frame begins to leave (the `tx` moment); `onArrive` when its last bit reaches
 * the far end.
 */
export class TxQueue {
  private readonly queue: Frame[] = [];
  private head = 0;
  private busy = false;

  constructor(
    private readonly sim: Simulator,
    private readonly bitsPerSecond: number,
    private readonly latency: SimTime,
    private readonly limit: number,
    private readonly onStart: (f: Frame) => void,
    private readonly onArrive: (f: Frame) => void,
  ) {}

  get length(): number {
    return this.queue.length - this.head;
  }

  /** Enqueues a frame; false (and nothing queued) when `limit` frames are already waiting. */
  enqueue(f: Frame): boolean {
    if (this.length >= this.limit) return false;
    this.queue.push(f);
    if (!this.busy) this.startNext();
    return true;
  }

  /** Discards everything waiting (the cable was unplugged); returns what was discarded. */
  flush(): Frame[] {
    const gone = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    return gone;
  }

  private startNext(): void {
    if (this.head >= this.queue.length) {
      this.busy = false;
      this.queue.length = 0;
      this.head = 0;
      return;
    }
    const f = this.queue[this.head++];
    this.busy = true;
    this.onStart(f);
    const bits = (frameLength(f) + WIRE_OVERHEAD_BYTES) * 8;
    const txTime = Math.ceil((bits * 1e9) / this.bitsPerSecond);
    this.sim.schedule(txTime, () => {
      this.sim.schedule(this.latency, () => this.onArrive(f));
      this.startNext();
    });
  }
}
