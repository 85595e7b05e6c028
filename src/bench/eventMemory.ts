import { Simulator } from '../lab/index.ts';
import { delays } from './clock.ts';
import { fullGc, settledMemory } from './gc.ts';

export interface MemoryFigures {
  events: number;
  /** Growth of JS heap + ArrayBuffer memory per pending event: its heap entry, its slot, their spare capacity. */
  bytesPerEvent: number;
  /** False when no full collection could be forced: the figure then includes garbage and is an upper bound. */
  collected: boolean;
}

/**
 * Memory per queued event: memory used before and after scheduling `events` events that share one action, each
 * measured after a full collection, divided by the count. "Used" is the JS heap plus ArrayBuffer backing
 * stores, which live outside the heap (the queue keeps its heap and slot keys in typed arrays; counting only
 * `heapUsed` would hide them). The simulator stays referenced until the second measurement so nothing of it is
 * collected early.
 */
export function benchEventMemory(events: number): MemoryFigures {
  const gc = fullGc();
  const settle = (): number => settledMemory(gc);
  const next = delays(0x3e3);
  const action = (): void => {};
  const before = settle();
  const sim = new Simulator();
  for (let i = 0; i < events; i++) sim.schedule(next() % 1_000_000_000, action);
  const after = settle();
  if (sim.pending !== events) throw new Error('memory benchmark lost events');
  return { events, bytesPerEvent: (after - before) / events, collected: gc !== undefined };
}
