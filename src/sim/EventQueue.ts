import type { SimTime } from './Time.ts';

/**
 * A pending event's identity, for cancelling it: an opaque number (a slot of the queue and that slot's
 * generation), never reused, so cancelling an event that already ran or was already cancelled does nothing.
 */
export type EventHandle = number;

/** An action with its argument: scheduling a shared function plus an argument allocates no closure. */
export type EventAction<T> = (arg: T) => void;

/** One event as `pop()` and `peek()` describe it (tests, tools); the simulator's own path allocates none. */
export interface ScheduledEvent {
  readonly time: SimTime;
  readonly priority: number;
  readonly seq: number;
  readonly action: () => void;
}

/** Priorities are small non-negative integers (Simulator's bands are 0 and 10); the bound is 2^k - 1. */
export const MAX_PRIORITY = 1023;
/** The order key is priority × 2^43 + sequence: exact in a double while the sequence stays below 2^43. */
const PRIORITY_UNIT = 2 ** 43;
/** Slots per queue (pending events at once) and generations per slot, packed into one safe-integer handle. */
const SLOT_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 27;
const INITIAL_CAPACITY = 64;

// Marks a slot whose event was cancelled; it is released when it reaches the top (lazy deletion).
const CANCELLED: EventAction<unknown> = () => {};

/**
 * The pending-event set: a binary min-heap ordered by (time, priority, sequence).
 *
 * The sequence number is assigned at scheduling time and is unique, so the order is total: two events at the
 * same time and priority run in the order they were scheduled, whatever the heap's internal layout.
 *
 * Layout, for speed (the queue is the innermost loop of every run, and a big queue does not fit in cache):
 * - The heap is one Float64Array of (time, slot) pairs in heap order, 1-based, so the two children of entry
 *   k (2k and 2k + 1) are 32 contiguous bytes and its four grandchildren 64: a sift compares children without
 *   following a pointer and touches about one cache line per level.
 * - An event's action, argument, order key (priority and sequence in one double) and generation live in
 *   slots, which stay put while heap entries move: a handle is slot + generation, and the order key is only
 *   read when two times tie.
 * - Cancelling marks the slot; its entry is discarded when it reaches the top (lazy deletion keeps cancel
 *   O(1)). Removing the top uses Floyd's bottom-up sift: the hole goes down to a leaf along the smaller
 *   children (one comparison per level), then the last entry sifts up from there, rarely more than a level
 *   or two since it came from the bottom.
 */
export class EventQueue {
  private heap = new Float64Array(2 * (INITIAL_CAPACITY + 1));
  private count = 0; // heap entries, cancelled ones included
  // Per slot, side by side so dispatching touches one cache line: action (null when free), argument, generation.
  private slotData: unknown[] = [];
  private slotCount = 0;
  private orders = new Float64Array(INITIAL_CAPACITY);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private nextSeq = 0;
  private live = 0;
  /** The event `take()` removed last, for the simulator to run. */
  takenTime: SimTime = 0;
  takenAction: EventAction<unknown> = CANCELLED;
  takenArg: unknown = undefined;

  /** Number of events that are scheduled and not cancelled. */
  get size(): number {
    return this.live;
  }

  /** Heap entries, cancelled events still waiting for lazy removal included: what the queue holds in memory. */
  get entries(): number {
    return this.count;
  }

  push(time: SimTime, priority: number, action: () => void): EventHandle;
  push<T>(time: SimTime, priority: number, action: EventAction<T>, arg: T): EventHandle;
  push(time: SimTime, priority: number, action: EventAction<unknown>, arg?: unknown): EventHandle {
    // One test for "integer in [0, MAX_PRIORITY]": the mask changes anything else (fractions, NaN, negatives).
    if ((priority & MAX_PRIORITY) !== priority) {
      throw new RangeError(`event priority must be an integer in [0, ${MAX_PRIORITY}], got ${priority}`);
    }
    const seq = this.nextSeq++;
    if (seq >= PRIORITY_UNIT) throw new RangeError('event sequence numbers exhausted');
    const order = priority * PRIORITY_UNIT + seq;
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.newSlot();
    const data = this.slotData;
    data[3 * slot] = action;
    data[3 * slot + 1] = arg;
    this.orders[slot] = order;
    if (2 * (this.count + 1) >= this.heap.length) this.growHeap();
    const heap = this.heap;
    const orders = this.orders;
    let i = ++this.count;
    while (i > 1) {
      const parent = i >> 1;
      const pt = heap[2 * parent];
      if (pt < time || (pt === time && orders[heap[2 * parent + 1]] < order)) break;
      heap[2 * i] = pt;
      heap[2 * i + 1] = heap[2 * parent + 1];
      i = parent;
    }
    heap[2 * i] = time;
    heap[2 * i + 1] = slot;
    this.live++;
    return (data[3 * slot + 2] as number) * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event; a handle whose event already ran or was cancelled is ignored. */
  cancel(handle: EventHandle): void {
    const generation = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - generation * SLOT_LIMIT;
    const data = this.slotData;
    if (!(slot >= 0 && slot < this.slotCount) || data[3 * slot + 2] !== generation) return;
    const a = data[3 * slot];
    if (a === null || a === CANCELLED) return;
    data[3 * slot] = CANCELLED;
    data[3 * slot + 1] = undefined;
    this.live--;
  }

  /** Time of the next live event, or -1 when none is pending. */
  nextTime(): SimTime {
    this.discardCancelledTop();
    return this.count > 0 ? this.heap[2] : -1;
  }

  /**
   * Removes the next live event if its time is at most `until`, into `takenTime`/`takenAction`/`takenArg` (no
   * allocation); false when none is pending that early. The caller clears `takenArg` once it has read it.
   */
  take(until: SimTime): boolean {
    this.discardCancelledTop();
    if (this.count === 0 || this.heap[2] > until) return false;
    const slot = this.heap[3];
    this.takenTime = this.heap[2];
    this.takenAction = this.slotData[3 * slot] as EventAction<unknown>;
    this.takenArg = this.slotData[3 * slot + 1];
    this.removeTop();
    this.releaseSlot(slot);
    this.live--;
    return true;
  }

  /** The next live event without removing it, or undefined. */
  peek(): ScheduledEvent | undefined {
    this.discardCancelledTop();
    if (this.count === 0) return undefined;
    return this.describeTop();
  }

  /** Removes and describes the next live event, or undefined when none is left. Its action is not run. */
  pop(): ScheduledEvent | undefined {
    this.discardCancelledTop();
    if (this.count === 0) return undefined;
    const ev = this.describeTop();
    const slot = this.heap[3];
    this.removeTop();
    this.releaseSlot(slot);
    this.live--;
    return ev;
  }

  private describeTop(): ScheduledEvent {
    const slot = this.heap[3];
    const order = this.orders[slot];
    const priority = Math.floor(order / PRIORITY_UNIT);
    const action = this.slotData[3 * slot] as EventAction<unknown>;
    const arg = this.slotData[3 * slot + 1];
    return { time: this.heap[2], priority, seq: order - priority * PRIORITY_UNIT, action: () => action(arg) };
  }

  private discardCancelledTop(): void {
    while (this.count > 0) {
      const slot = this.heap[3];
      if (this.slotData[3 * slot] !== CANCELLED) return;
      this.removeTop();
      this.releaseSlot(slot);
    }
  }

  private removeTop(): void {
    const n = this.count--;
    if (n === 1) return;
    const heap = this.heap;
    const orders = this.orders;
    const last = n; // the entry that fills the hole; the heap now ends at n - 1
    const end = n - 1;
    // Floyd: walk the hole down to a leaf along the smaller child...
    let i = 1;
    for (;;) {
      let c = 2 * i;
      if (c > end) break;
      if (c < end) {
        const ct = heap[2 * c];
        const rt = heap[2 * c + 2];
        if (rt < ct || (rt === ct && orders[heap[2 * c + 3]] < orders[heap[2 * c + 1]])) c++;
      }
      heap[2 * i] = heap[2 * c];
      heap[2 * i + 1] = heap[2 * c + 1];
      i = c;
    }
    // ...then put the last entry there and sift it up.
    const t = heap[2 * last];
    const s = heap[2 * last + 1];
    const o = orders[s];
    while (i > 1) {
      const parent = i >> 1;
      const pt = heap[2 * parent];
      if (pt < t || (pt === t && orders[heap[2 * parent + 1]] < o)) break;
      heap[2 * i] = pt;
      heap[2 * i + 1] = heap[2 * parent + 1];
      i = parent;
    }
    heap[2 * i] = t;
    heap[2 * i + 1] = s;
  }

  private newSlot(): number {
    const slot = this.slotCount++;
    if (slot >= SLOT_LIMIT) throw new RangeError(`more than ${SLOT_LIMIT} pending events`);
    if (slot === this.orders.length) {
      const cap = 2 * slot;
      const f = new Int32Array(cap);
      f.set(this.freeSlots);
      this.freeSlots = f;
      const o = new Float64Array(cap);
      o.set(this.orders);
      this.orders = o;
    }
    this.slotData.push(null, undefined, 1);
    return slot;
  }

  /** A slot whose entry left the heap: a new generation, so old handles to it stop matching. */
  private releaseSlot(slot: number): void {
    const data = this.slotData;
    data[3 * slot] = null;
    data[3 * slot + 1] = undefined;
    const g = (data[3 * slot + 2] as number) + 1;
    // A slot that used up its generations is retired rather than ever giving out a handle twice.
    if (g >= GENERATION_LIMIT) return;
    data[3 * slot + 2] = g;
    this.freeSlots[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const heap = new Float64Array(2 * this.heap.length);
    heap.set(this.heap);
    this.heap = heap;
  }
}
