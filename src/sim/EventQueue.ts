import type { SimTime } from './Time.ts';

/**
 * The pending-event set: a binary min-heap ordered by (time, priority, sequence).
 *
 * The sequence number is assigned at scheduling time and is unique, so the order is total: two events at the
 * same time and priority run in the order they were scheduled, whatever the heap's internal layout. Cancelling
 * marks the entry; it is discarded when it reaches the top (lazy deletion keeps cancel O(1)).
 */
export interface ScheduledEvent {
  readonly time: SimTime;
  readonly priority: number;
  readonly seq: number;
  readonly action: () => void;
  cancelled: boolean;
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

export class EventQueue {
  private heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  private live = 0;

  /** Number of events that are scheduled and not cancelled. */
  get size(): number {
    return this.live;
  }

  push(time: SimTime, priority: number, action: () => void): ScheduledEvent {
    const ev: ScheduledEvent = { time, priority, seq: this.nextSeq++, action, cancelled: false };
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    // sift up
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!before(ev, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
    this.live++;
    return ev;
  }

  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.live--;
  }

  /** The next live event without removing it, or undefined. */
  peek(): ScheduledEvent | undefined {
    this.discardCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the next live event, or undefined when none is left. */
  pop(): ScheduledEvent | undefined {
    this.discardCancelledTop();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    // Mark as consumed so a late cancel() of a handle that already ran does not corrupt the live count.
    top.cancelled = true;
    return top;
  }

  private discardCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    // sift down
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[c], last)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }
}
