import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, MAX_PRIORITY, Simulator, type EventHandle } from '../../../src/sim/index.ts';

/** The reference: every event ever pushed, with its fate; the next one is the least live (time, priority, seq). */
interface RefEvent {
  time: number;
  priority: number;
  seq: number;
  handle: EventHandle;
  state: 'pending' | 'cancelled' | 'popped';
}

function refNext(events: RefEvent[]): RefEvent | undefined {
  let best: RefEvent | undefined;
  for (const e of events) {
    if (e.state !== 'pending') continue;
    if (!best || e.time < best.time || (e.time === best.time && (e.priority < best.priority || (e.priority === best.priority && e.seq < best.seq)))) best = e;
  }
  return best;
}

type Op = { op: 'push'; time: number; priority: number } | { op: 'cancel'; pick: number } | { op: 'pop' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('push' as const), time: fc.integer({ min: 0, max: 40 }), priority: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
);

describe('EventQueue against a reference', () => {
  it('pops what a sort by (time, priority, seq) of the live events gives, through pushes, cancels and pops', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const q = new EventQueue();
        const ref: RefEvent[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.op === 'push') {
            const handle = q.push(o.time, o.priority, () => {});
            ref.push({ time: o.time, priority: o.priority, seq: seq++, handle, state: 'pending' });
          } else if (o.op === 'cancel') {
            if (ref.length === 0) continue;
            // Any handle, including ones already popped or cancelled: those must be ignored.
            const e = ref[o.pick % ref.length];
            q.cancel(e.handle);
            if (e.state === 'pending') e.state = 'cancelled';
          } else {
            const expected = refNext(ref);
            const got = q.pop();
            if (!expected) {
              expect(got).toBeUndefined();
            } else {
              expect(got && [got.time, got.priority, got.seq]).toEqual([expected.time, expected.priority, expected.seq]);
              expected.state = 'popped';
            }
          }
          expect(q.size).toBe(ref.filter((e) => e.state === 'pending').length);
        }
        // Drain: the rest comes out in reference order too.
        for (let e = refNext(ref); e; e = refNext(ref)) {
          const got = q.pop();
          expect(got && [got.time, got.priority, got.seq]).toEqual([e.time, e.priority, e.seq]);
          e.state = 'popped';
        }
        expect(q.pop()).toBeUndefined();
        expect(q.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never confuses a stale handle with the event that reused its slot', () => {
    const q = new EventQueue();
    const first = q.push(1, 0, () => {});
    expect(q.pop()?.time).toBe(1);
    // The freed slot is reused at once; the old handle must not cancel the new event.
    const second = q.push(2, 0, () => {});
    expect(second).not.toBe(first);
    q.cancel(first);
    expect(q.size).toBe(1);
    expect(q.pop()?.time).toBe(2);
  });

  it('refuses priorities outside [0, MAX_PRIORITY] and fractions', () => {
    const q = new EventQueue();
    for (const p of [-1, MAX_PRIORITY + 1, 1.5, Number.NaN]) expect(() => q.push(0, p, () => {})).toThrow(RangeError);
    expect(() => q.push(0, MAX_PRIORITY, () => {})).not.toThrow();
  });
});

describe('Simulator dispatch order', () => {
  /** An event that, when it runs, schedules children at the given delays and priorities (closures or with an argument). */
  interface Plan {
    delay: number;
    priority: number;
    withArg: boolean;
    children: Plan[];
  }
  const planArb = (depth: number): fc.Arbitrary<Plan> =>
    fc.record({
      delay: fc.integer({ min: 0, max: 5 }),
      priority: fc.constantFrom(0, 10),
      withArg: fc.boolean(),
      children: depth === 0 ? fc.constant([]) : fc.array(planArb(depth - 1), { maxLength: 3 }),
    });

  it('runs events, including ones scheduled while running, in (time, priority, scheduling order)', () => {
    fc.assert(
      fc.property(fc.array(planArb(3), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 6 }), (roots, cancels) => {
        const sim = new Simulator();
        // Reference: every scheduled event gets (time, priority, seq) when it is scheduled; each dispatch must take
        // the least key among the events pending at that moment (children join the set when their parent runs).
        const scheduled: Array<{ key: [number, number, number]; handle: EventHandle; state: 'pending' | 'cancelled' | 'ran' }> = [];
        let seq = 0;
        const less = (a: [number, number, number], b: [number, number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
        const schedule = (p: Plan): void => {
          const id = scheduled.length;
          const run = (): void => {
            let least: number | undefined;
            for (let i = 0; i < scheduled.length; i++) {
              if (scheduled[i].state === 'pending' && (least === undefined || less(scheduled[i].key, scheduled[least].key))) least = i;
            }
            expect(least).toBe(id);
            expect(sim.now()).toBe(scheduled[id].key[0]);
            scheduled[id].state = 'ran';
            for (const c of p.children) schedule(c);
          };
          const key: [number, number, number] = [sim.now() + p.delay, p.priority, seq++];
          const handle = p.withArg ? sim.scheduleWith(p.delay, (x: number) => (x === id ? run() : undefined), id, p.priority) : sim.schedule(p.delay, run, p.priority);
          scheduled.push({ key, handle, state: 'pending' });
        };
        for (const r of roots) schedule(r);
        for (const c of cancels) {
          if (scheduled.length === 0) break;
          const s = scheduled[c % scheduled.length];
          sim.cancel(s.handle);
          if (s.state === 'pending') s.state = 'cancelled';
        }
        sim.run();
        // Everything not cancelled ran, and nothing is left.
        for (const s of scheduled) expect(s.state).not.toBe('pending');
        expect(sim.pending).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('stops at maxEvents and reports whether the run reached its end', () => {
    const sim = new Simulator();
    let n = 0;
    for (let i = 0; i < 5; i++) sim.schedule(10 * i, () => n++);
    expect(sim.runUntil(25, 2)).toBe(false);
    expect(n).toBe(2);
    expect(sim.now()).toBe(10);
    expect(sim.runUntil(25)).toBe(true);
    expect(n).toBe(3);
    expect(sim.now()).toBe(25);
    expect(sim.run(1)).toBe(false);
    expect(sim.run()).toBe(true);
    expect(n).toBe(5);
  });
});
