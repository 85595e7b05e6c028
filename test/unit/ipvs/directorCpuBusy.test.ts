import { describe, expect, it } from 'vitest';
import { DirectorCpu } from '../../../src/ipvs/DirectorCpu.ts';
import { US, Simulator } from '../../../src/sim/index.ts';

describe('DirectorCpu.busyTime: CPU time spent so far (what the cpu trace samples carry)', () => {
  it('counts only work already done, not work queued for later', () => {
    const sim = new Simulator();
    const cpu = new DirectorCpu(sim, { perPacket: 60 * US, perByte: 0, backlog: 10 });
    for (let i = 0; i < 3; i++) cpu.submit(100, () => {});
    expect(cpu.busyTime()).toBe(0);
    sim.runUntil(90 * US);
    expect(cpu.busyTime()).toBe(90 * US);
    sim.runUntil(1000 * US);
    expect(cpu.busyTime()).toBe(180 * US);
    // Idle time does not count: a packet at 1 ms adds its 60 µs.
    cpu.submit(100, () => {});
    sim.runUntil(2000 * US);
    expect(cpu.busyTime()).toBe(240 * US);
    expect(cpu.processed).toBe(4);
  });
});
