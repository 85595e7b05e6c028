import { beforeAll, describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/lab/index.ts';
import { runSoak, type SoakResult, type SoakSample } from '../../../src/bench/soakRun.ts';
import { plateauChecks } from '../../../src/bench/soakVerdict.ts';

/**
 * The soak benchmark's workload (`npm run soak`) at CI size: 300 clients thinking 15 s on average (20 connections
 * per second) through an LVS-NAT director to 5 real servers, 2 x 10^6 events (about 470 s of simulated time, the
 * first 175 s of it warm-up). The assertions are on counts, which are deterministic; memory is not measured here
 * (heap figures move with the machine and its load: `npm run soak` judges them).
 */
const WORKLOAD = { clients: 300, servers: 5, think: 15, seed: 1 };
const EVENTS = 2_000_000;
let run: SoakResult;
let after: SoakSample[];
let last: SoakSample;

/** IPVS keeps a closed TCP connection 2 minutes in TIME_WAIT (ip_vs_proto_tcp.c): each one's time in the table. */
const IPVS_TIME_WAIT = 120 * SECOND;

describe('soak workload (CI size)', () => {
  beforeAll(() => {
    run = runSoak({ workload: WORKLOAD, events: EVENTS, every: 100_000, measureMemory: false });
    after = run.samples.filter((s) => s.simNs >= run.tableWarmUpNs);
    last = run.samples[run.samples.length - 1];
  }, 180_000);

  it('runs exactly the events asked for, untraced, sampled well past the warm-up', () => {
    expect(last.events).toBe(EVENTS);
    expect(run.retainedTraceEvents).toBe(0);
    expect(after.length).toBeGreaterThanOrEqual(10);
    // Samples come about every 10^5 events (within a quarter of it, or past it when a slice overshoots).
    for (let i = 1; i < run.samples.length; i++) expect(run.samples[i].events).toBeGreaterThan(run.samples[i - 1].events);
  });

  it('keeps every table at a plateau after warm-up: the second half never rises past the first half', () => {
    const checks = plateauChecks(run.samples, run.tableWarmUpNs);
    expect(checks.map((c) => c.size)).toEqual(['pendingEvents', 'queuedEvents', 'ipvsConnections', 'neighbours', 'neighboursAll', 'tcpSockets']);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('holds in the IPVS table only the connections of the last two minutes (Little: rate x TIME_WAIT)', () => {
    const first = after[0];
    const rate = (last.connectionsOpened - first.connectionsOpened) / (last.simNs - first.simNs);
    // A closed loop of 300 clients thinking 15 s opens 20 connections per second (sessions last a millisecond).
    expect(rate * SECOND).toBeGreaterThan(18);
    expect(rate * SECOND).toBeLessThan(22);
    for (const s of after) {
      // Everything the director made is in its table or expired from it: nothing is lost or kept twice.
      expect(s.ipvsConnections).toBe(s.connectionsOpened - s.connectionsExpired);
      expect(s.ipvsConnections).toBeGreaterThan(0.85 * rate * IPVS_TIME_WAIT);
      expect(s.ipvsConnections).toBeLessThan(1.15 * rate * IPVS_TIME_WAIT);
    }
    expect(last.connectionsExpired).toBeGreaterThan(last.connectionsOpened / 2);
  });

  it("keeps the director's neighbour table at the population while its entries age and come back", () => {
    for (const s of after) expect(s.neighbours).toBeLessThanOrEqual(WORKLOAD.clients + WORKLOAD.servers + 1);
    // Entries go STALE while their client thinks, and are probed again: in every sample some are not REACHABLE.
    for (const s of after) expect(s.agedNeighbours).toBeGreaterThan(0);
    const mid = after[after.length >> 1];
    expect(last.neighbourChanges - mid.neighbourChanges).toBeGreaterThan(WORKLOAD.clients);
  });

  it('completes every session without a failure or a drop', () => {
    expect(last.failures).toBe(0);
    expect(last.drops).toBe(0);
    expect(last.responses).toBeGreaterThan(last.connectionsOpened - WORKLOAD.clients);
  });

  it('slices and samples the same way on every run (only wall time and memory differ)', () => {
    const counts = (s: SoakSample): Omit<SoakSample, 'wallSeconds'> => {
      const { wallSeconds: _wall, ...rest } = s;
      return rest;
    };
    const again = () => runSoak({ workload: WORKLOAD, events: 300_000, every: 50_000, measureMemory: false }).samples.map(counts);
    const a = again();
    expect(a.length).toBeGreaterThanOrEqual(5);
    expect(again()).toEqual(a);
  });
});
