import type { BenchResults } from '../../../src/bench/report.ts';

/**
 * A complete set of bench results with every figure at 1, for tests of how one figure prints: a test overrides
 * the part it is about and reads that part's line in formatResults' text.
 */
export function benchResults(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    machine: { cpu: 'cpu', cores: 2, node: 'v20', platform: 'Linux', arch: 'x64', memoryGiB: 4 },
    date: '2026-01-01T00:00:00.000Z',
    eventQueue: { batch: { events: 1, schedulePerSecond: 1, dispatchPerSecond: 1, perSecond: 1 }, hold: { pending: 1, events: 1, perSecond: 1 } },
    eventMemory: { events: 1, bytesPerEvent: 100, collected: true },
    packetHops: { traced: { hops: 1, pings: 1, seconds: 1, hopsPerSecond: 1 }, detached: undefined },
    schedulers: { dests: [2], rows: [] },
    ...overrides,
  } as BenchResults;
}
