import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, RandomStreams, Simulator, Timer, Priority, ms, formatDuration } from '../../../src/sim/index.ts';

describe('EventQueue', () => {
  it('orders by time, then priority, then scheduling order', () => {
    const q = new EventQueue();
    const out: string[] = [];
    q.push(5, 10, () => out.push('t5-normal-a'));
    q.push(5, 0, () => out.push('t5-admin'));
    q.push(1, 10, () => out.push('t1'));
    q.push(5, 10, () => out.push('t5-normal-b'));
    for (let e = q.pop(); e; e = q.pop()) e.action();
    expect(out).toEqual(['t1', 't5-admin', 't5-normal-a', 't5-normal-b']);
  });

  it('pops any multiset of events in (time, priority, seq) order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 }))), (items) => {
        const q = new EventQueue();
        items.forEach(([t, p], i) => q.push(t, p, () => i));
        const popped: Array<[number, number, number]> = [];
        for (let e = q.pop(); e; e = q.pop()) popped.push([e.time, e.priority, e.seq]);
        const sorted = [...popped].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
        expect(popped).toEqual(sorted);
        expect(popped.length).toBe(items.length);
      }),
    );
  });

  it('skips cancelled events and keeps the live count', () => {
    const q = new EventQueue();
    const a = q.push(1, 0, () => 'a');
    q.push(2, 0, () => 'b');
    q.cancel(a);
    q.cancel(a);
    expect(q.size).toBe(1);
    expect(q.pop()!.time).toBe(2);
    expect(q.pop()).toBeUndefined();
  });
});

describe('Simulator', () => {
  it('advances the clock to each event and to runUntil', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.schedule(ms(3), () => seen.push(sim.now()));
    sim.schedule(ms(1), () => {
      seen.push(sim.now());
      sim.schedule(ms(1), () => seen.push(sim.now()));
    });
    sim.runUntil(ms(10));
    expect(seen).toEqual([ms(1), ms(2), ms(3)]);
    expect(sim.now()).toBe(ms(10));
  });

  it('refuses the past and non-integer delays', () => {
    const sim = new Simulator();
    sim.runUntil(100);
    expect(() => sim.scheduleAt(50, () => {})).toThrow(RangeError);
    expect(() => sim.schedule(1.5, () => {})).toThrow(RangeError);
    expect(() => sim.runUntil(10)).toThrow(RangeError);
  });

  it('admin events precede normal events of the same instant', () => {
    const sim = new Simulator();
    const out: string[] = [];
    sim.schedule(10, () => out.push('packet'));
    sim.schedule(10, () => out.push('command'), Priority.admin);
    sim.run();
    expect(out).toEqual(['command', 'packet']);
  });

  it('a Timer re-armed replaces its pending expiry', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const t = new Timer(sim, () => fired.push(sim.now()));
    t.set(100);
    t.set(250);
    sim.run();
    expect(fired).toEqual([250]);
    expect(t.pending).toBe(false);
  });
});

describe('RandomStreams', () => {
  it('gives the same numbers for the same seed, run and name', () => {
    const a = new RandomStreams(7).get('client:c1');
    const b = new RandomStreams(7).get('client:c1');
    expect([a.next(), a.next(), a.uint32()]).toEqual([b.next(), b.next(), b.uint32()]);
  });

  it('adding a consumer never shifts another stream', () => {
    const s1 = new RandomStreams(3);
    const x = s1.get('x');
    const first = [x.next(), x.next()];
    const s2 = new RandomStreams(3);
    s2.get('new-consumer').next();
    const x2 = s2.get('x');
    expect([x2.next(), x2.next()]).toEqual(first);
  });

  it('different runs and names give different streams', () => {
    expect(new RandomStreams(1, 0).get('a').next()).not.toBe(new RandomStreams(1, 1).get('a').next());
    expect(new RandomStreams(1).get('a').next()).not.toBe(new RandomStreams(1).get('b').next());
  });
});

describe('Time', () => {
  it('formats durations in the shortest exact unit', () => {
    expect(formatDuration(1_500_000_000)).toBe('1500ms');
    expect(formatDuration(2_000_000_000)).toBe('2s');
    expect(formatDuration(25_000)).toBe('25us');
  });
});
