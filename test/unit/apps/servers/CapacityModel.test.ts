import { describe, expect, it } from 'vitest';
import { CapacityModel, exponential, fixed } from '../../../../src/apps/index.ts';
import { MS, RandomStreams, Simulator } from '../../../../src/sim/index.ts';

function model(workers: number, queue: number, serviceMs: number, speed = 1) {
  const sim = new Simulator();
  const m = new CapacityModel(sim, { workers, queue, serviceTime: fixed(serviceMs * MS), speed }, new RandomStreams(1).get('svc'));
  return { sim, m };
}

describe('the real server capacity model', () => {
  it('serves `workers` at once, queues up to `queue`, refuses the rest', () => {
    const { sim, m } = model(2, 3, 10);
    const done: number[] = [];
    const admissions = Array.from({ length: 7 }, (_, i) => m.submit(() => done.push(sim.now() / MS + i / 100)));
    expect(admissions).toEqual(['started', 'started', 'queued', 'queued', 'queued', 'refused', 'refused']);
    expect(m.inService).toBe(2);
    expect(m.queued).toBe(3);
    sim.runUntil(100 * MS);
    // Two at 10 ms, the next two at 20 ms (late answers), the fifth at 30 ms; in arrival order.
    expect(done).toEqual([10, 10.01, 20.02, 20.03, 30.04]);
    expect(m.served).toBe(5);
    expect(m.refused).toBe(2);
  });

  it('a faster server does the same work in less time', () => {
    const slow = model(1, 10, 10, 1);
    const fast = model(1, 10, 10, 2.5);
    const at = (x: ReturnType<typeof model>) => {
      let t = -1;
      x.m.submit(() => (t = x.sim.now()));
      x.sim.runUntil(MS * 100);
      return t;
    };
    expect(at(slow)).toBe(10 * MS);
    expect(at(fast)).toBe(4 * MS);
  });

  it('with zero service time it answers synchronously (a server without capacity keys)', () => {
    const { m } = model(0, 0, 0);
    let answered = false;
    m.submit(() => (answered = true));
    expect(answered).toBe(true);
  });

  it('never has more than `workers` requests in service under random load', () => {
    const sim = new Simulator();
    const streams = new RandomStreams(5);
    const m = new CapacityModel(sim, { workers: 3, queue: 4, serviceTime: exponential(5 * MS), speed: 1 }, streams.get('svc'));
    const arrivals = streams.get('arr');
    let peak = 0;
    let t = 0;
    for (let i = 0; i < 2000; i++) {
      t += Math.round(arrivals.exponential(MS));
      sim.scheduleAt(t, () => {
        m.submit(() => {});
        peak = Math.max(peak, m.inService);
        expect(m.queued).toBeLessThanOrEqual(4);
      });
    }
    sim.runUntil(t + 1000 * MS);
    expect(peak).toBe(3);
    expect(m.served + m.refused).toBe(2000);
    expect(m.refused).toBeGreaterThan(0);
  });
});
