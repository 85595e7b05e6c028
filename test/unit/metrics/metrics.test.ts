import { describe, expect, it } from 'vitest';
import { connectionsPerDestination, directorCpu, dropsByReason, percentile, responseTimes, runMetrics, throughput, trafficPerServer } from '../../../src/metrics/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

let seq = 0;
const at = (t: number, e: Record<string, unknown>) => ({ t, seq: seq++, ...e }) as unknown as TraceEvent;
const conn = (t: number, dest: string, service = 'TCP 10.0.0.100:80', host = 'director') => at(t, { kind: 'ipvs', host, event: 'conn', service, proto: 'TCP', client: '10.0.0.2:40000', virtual: '10.0.0.100:80', dest, fwd: 'masq', state: 'NONE' });
const response = (t: number, server: string, bytes: number, latency: number) => at(t, { kind: 'app', host: 'c', app: 'web', event: 'response', detail: `from ${server}`, server, bytes, latency });

describe('percentiles (nearest rank)', () => {
  it('returns a value of the sample: the smallest with p % at or below it', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 90)).toBe(9);
    expect(percentile(s, 99)).toBe(10);
    expect(percentile(s, 100)).toBe(10);
    expect(percentile(s, 1)).toBe(1);
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile(s, 0)).toThrow(RangeError);
  });
});

describe('metrics over small traces', () => {
  it('connections per real server and their shares, per director and service', () => {
    const events = [conn(1, '192.168.1.2:80'), conn(2, '192.168.1.3:80'), conn(3, '192.168.1.2:80'), conn(4, '192.168.1.2:80'), conn(5, '192.168.1.9:53', 'UDP 10.0.0.100:53')];
    expect(connectionsPerDestination(events)).toEqual([
      { director: 'director', service: 'TCP 10.0.0.100:80', dest: '192.168.1.2:80', connections: 3, share: 0.75 },
      { director: 'director', service: 'TCP 10.0.0.100:80', dest: '192.168.1.3:80', connections: 1, share: 0.25 },
      { director: 'director', service: 'UDP 10.0.0.100:53', dest: '192.168.1.9:53', connections: 1, share: 1 },
    ]);
  });

  it('responses, bytes, refusals and response times per answering server', () => {
    const events = [
      response(1, 'rs2', 100, 5),
      response(2, 'rs1', 1000, 10),
      response(3, 'rs1', 500, 30),
      at(4, { kind: 'app', host: 'c', app: 'web', event: 'refused', detail: '#4 HTTP 503 from rs1', server: 'rs1', latency: 1 }),
      // The traffic: client's form: the server and the time are in the detail only.
      at(5, { kind: 'app', host: 'c', app: 'client', event: 'response', detail: '#1 from rs2 in 7ns' }),
    ];
    const rows = trafficPerServer(events);
    expect(rows.map((r) => [r.server, r.responses, r.bytes, r.refused])).toEqual([
      ['rs1', 2, 1500, 1],
      ['rs2', 2, 100, 0],
    ]);
    expect(rows[0].latency).toEqual({ count: 2, p50: 10, p90: 30, p99: 30, max: 30 });
    expect(responseTimes(events)).toEqual({ count: 4, p50: 7, p90: 30, p99: 30, max: 30 });
  });

  it('drops by reason and place', () => {
    const events = [
      at(1, { kind: 'drop', host: 'director', reason: 'cpu-backlog' }),
      at(2, { kind: 'drop', host: 'director', reason: 'cpu-backlog' }),
      at(3, { kind: 'drop', segment: 'lan', reason: 'link-queue-full' }),
      at(4, { kind: 'drop', host: 'rs1', reason: 'arp-ignored' }),
    ];
    expect(dropsByReason(events)).toEqual([
      { reason: 'arp-ignored', host: 'rs1', count: 1 },
      { reason: 'cpu-backlog', host: 'director', count: 2 },
      { reason: 'link-queue-full', host: 'switch lan', count: 1 },
    ]);
  });

  it('director CPU utilisation over the run, and the busiest interval', () => {
    const cpu = (t: number, busy: number, processed: number) => at(t, { kind: 'cpu', host: 'director', busy, processed, refused: 0, queued: 0 });
    // 100 ms busy of the first 200 ms (half of it in the second interval), then idle to the end at 1 s.
    const u = directorCpu([cpu(100, 20, 10), cpu(200, 100, 50)], 1000);
    expect(u).toEqual([{ host: 'director', busy: 100, utilisation: 0.1, peak: 0.8, processed: 50, refused: 0 }]);
  });

  it('runMetrics counts outcomes by kind', () => {
    const events = [response(1, 'rs1', 10, 1), at(2, { kind: 'app', host: 'c', app: 'web', event: 'error', detail: '#2 timeout' }), at(3, { kind: 'app', host: 'c', app: 'web', event: 'refused', server: 'rs1' }), at(4, { kind: 'app', host: 'rs1', app: 'http:80', event: 'refused', detail: 'queue full' })];
    const m = runMetrics(events, 10);
    expect([m.responses, m.refused, m.errors]).toEqual([1, 1, 1]);
  });
});

describe('throughput over time', () => {
  it('bins responses and bytes by interval, optionally for one workload', () => {
    const r = (t: number, app: string, bytes: number) => at(t, { kind: 'app', host: 'c', app, event: 'response', server: 'rs1', bytes, latency: 1 });
    const events = [r(5, 'a', 10), r(15, 'a', 20), r(18, 'b', 40), r(29, 'a', 1), r(30, 'a', 1)];
    expect(throughput(events, 10, 30)).toEqual([
      { from: 0, responses: 1, bytes: 10 },
      { from: 10, responses: 2, bytes: 60 },
      { from: 20, responses: 1, bytes: 1 },
    ]);
    expect(throughput(events, 10, 30, (e) => e.app === 'b').map((b) => b.responses)).toEqual([0, 1, 0]);
  });
});

describe('connections per real server with two directors', () => {
  it('groups each director\'s service together whatever the interleaving', () => {
    const events = [conn(1, 'a:80', 'S1', 'd1'), conn(2, 'x:80', 'S2', 'd2'), conn(3, 'b:80', 'S1', 'd1'), conn(4, 'y:80', 'S2', 'd2')];
    expect(connectionsPerDestination(events).map((r) => r.dest)).toEqual(['a:80', 'b:80', 'x:80', 'y:80']);
  });
});
