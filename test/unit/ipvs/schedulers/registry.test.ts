import { describe, expect, it } from 'vitest';
import { schedulerFactory, schedulerNames } from '../../../../src/ipvs/schedulers/registry.ts';
import { Harness } from './harness.ts';

describe('scheduler registry', () => {
  it('registers every kernel scheduler by its exact name, in order', () => {
    expect(schedulerNames()).toEqual(['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'fo', 'ovf', 'twos', 'lblc', 'lblcr', 'dh', 'sh', 'mh']);
    expect(schedulerFactory('RR')).toBeUndefined();
    expect(schedulerFactory('none')).toBeUndefined();
  });

  it('each factory makes an instance that answers to its name, one per service', () => {
    for (const name of schedulerNames()) {
      const a = new Harness().bind(name);
      const b = new Harness().bind(name);
      expect(a.sched.name).toBe(name);
      expect(a.sched).not.toBe(b.sched);
    }
  });
});
