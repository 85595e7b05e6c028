import { describe, expect, it } from 'vitest';
import { Lab, natBenchScenario, Simulator } from '../../../src/lab/index.ts';

describe('table sizes and pending events (long-run readings)', () => {
  it('counts cancelled events in the queue until they reach the front, but not as pending', () => {
    const sim = new Simulator();
    const handles = [10, 20, 30].map((t) => sim.scheduleAt(t, () => undefined));
    sim.cancel(handles[1]);
    // The cancelled event at 20 stays an entry (lazy deletion) until it comes to the front.
    expect(sim.pending).toBe(2);
    expect(sim.queued).toBe(3);
    sim.runUntil(15);
    expect(sim.pending).toBe(1);
    expect(sim.queued).toBe(1);
    sim.runUntil(40);
    expect(sim.pending).toBe(0);
    expect(sim.queued).toBe(0);
  });

  it("reads a host's neighbour, IPVS connection and TCP socket counts as the listings show them", () => {
    const lab = Lab.fromText(natBenchScenario({ clients: 3, servers: 2, seconds: 2, seed: 1, think: 0.2, onLinkClients: true }), { file: 'sizes.yaml' });
    lab.run();
    const conns = lab.events.filter((e) => e.kind === 'ipvs' && e.event === 'conn').length;
    const expired = lab.events.filter((e) => e.kind === 'ipvs' && e.event === 'expire').length;
    const director = lab.queries.tableSizes('director')!;
    expect(conns).toBeGreaterThan(5);
    expect(director.ipvsConnections).toBe(conns - expired);
    expect(director.ipvsConnections).toBe(lab.queries.run('director', 'ipvsadm -L -n -c').output.trim().split('\n').length - 2);
    // On-link clients: the director resolves each of the 3 client addresses and both servers.
    expect(director.neighbours).toBe(lab.queries.neighbours('director').length);
    expect(director.neighbours).toBe(3 + 2);
    expect(director.tcpSockets).toBe(0);
    const client = lab.queries.tableSizes('client')!;
    expect(client.ipvsConnections).toBe(0);
    expect(client.tcpSockets).toBeGreaterThan(0); // TIME_WAIT sockets of the last minute
    expect(lab.queries.tableSizes('nobody')).toBeUndefined();
    expect(lab.pendingEvents).toBeGreaterThan(0);
    expect(lab.queuedEvents).toBeGreaterThanOrEqual(lab.pendingEvents);
  });
});
