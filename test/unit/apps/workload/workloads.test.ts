import { describe, expect, it } from 'vitest';
import { Workload, fixed, exponential } from '../../../../src/apps/index.ts';
import { MS, SECOND } from '../../../../src/sim/index.ts';
import { parseIpv4, payloadText, textPayload } from '../../../../src/wire/index.ts';
import { ipvsOf } from '../../../../src/ipvs/index.ts';
import { appEvents, ipvsConns, natCluster } from './cluster.ts';

const RR_80 = ['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.2:80 -m', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.3:80 -m'];

describe('HTTP-like workloads through a NAT director', () => {
  it('keep-alive: several requests ride one connection, so the director schedules once per session', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80 }'],
      workload: `  - { name: web, from: c, to: 10.0.0.100:80, arrivals: { every: 100ms }, start: 1s, stop: 2s, requests_per_connection: 4, response: 2KB }`,
    });
    c.run();
    const responses = appEvents(c.events, 'response', 'web');
    expect(responses).toHaveLength(40);
    expect(responses.every((e) => e.bytes === 2000 && (e.server === 'rs1' || e.server === 'rs2'))).toBe(true);
    expect(ipvsConns(c.events)).toHaveLength(10);
    // Each session's four responses come from one server (one connection, one real server).
    const synSent = c.events.filter((e) => e.kind === 'tcp' && e.host === 'c' && e.to === 'SYN_SENT');
    expect(synSent).toHaveLength(10);
    for (let k = 0; k < 10; k++) expect(new Set(responses.slice(4 * k, 4 * k + 4).map((e) => e.server)).size).toBe(1);
    expect(new Set(responses.map((e) => e.server)).size).toBe(2);
    expect(appEvents(c.events, 'error')).toHaveLength(0);
  });

  it('without keep-alive every request is a new connection, answered by alternating servers (rr)', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80 }'],
      workload: `  - { name: web, from: c, to: 10.0.0.100:80, arrivals: { every: 100ms }, start: 1s, stop: 2s }`,
    });
    c.run();
    const servers = appEvents(c.events, 'response', 'web').map((e) => e.server);
    expect(servers).toHaveLength(10);
    expect(ipvsConns(c.events)).toHaveLength(10);
    for (let i = 1; i < servers.length; i++) expect(servers[i]).not.toBe(servers[i - 1]);
  });

  it('closed loop: never more than N sessions at once, and users come back after thinking', () => {
    const c = natCluster({ director: RR_80, services: ['{ port: 80, workers: 1, queue: 100, service_time: { exponential: 20ms } }'], duration: '6s' });
    const w = new Workload(c.world.host('c'), {
      name: 'users',
      protocol: 'http',
      to: parseIpv4('10.0.0.100')!,
      port: 80,
      clients: { kind: 'host' },
      arrivals: { kind: 'closed', users: 5, think: exponential(50 * MS) },
      start: SECOND,
      stop: 5 * SECOND,
      request: fixed(100),
      response: fixed(1000),
      requestsPerConnection: 1,
      timeout: undefined,
    });
    let peak = 0;
    c.world.sim.schedule(0, () => w.start());
    for (let t = SECOND; t < 6 * SECOND; t += MS) c.world.sim.scheduleAt(t, () => (peak = Math.max(peak, w.active)));
    c.run();
    expect(w.maxActive).toBe(5);
    expect(peak).toBeLessThanOrEqual(5);
    expect(w.started).toBeGreaterThan(50); // 5 users, ~4 s, ~(50 ms think + ~30 ms answer) each
    expect(w.report.responses).toBe(w.started);
    expect(w.active).toBe(0);
  });

  it('clients from a prefix reach the director from distinct source addresses', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80 }'],
      workload: `  - { name: many, from: c, to: 10.0.0.100:80, clients: { prefix: 10.0.0.128/25, count: 20 }, arrivals: { poisson: 200/s }, start: 1s, stop: 2s }`,
    });
    c.run();
    const clients = new Set(ipvsConns(c.events).map((e) => e.client!.split(':')[0]));
    expect(clients.size).toBe(20);
    for (const a of clients) expect(a).toMatch(/^10\.0\.0\.(129|1[3-4]\d)$/);
    expect(appEvents(c.events, 'response', 'many').length).toBe(ipvsConns(c.events).length);
  });

  it('on/off arrivals: no connection starts during the off periods', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80 }'],
      workload: `  - { name: bursty, from: c, to: 10.0.0.100:80, arrivals: { on_off: { rate: 200/s, on: 250ms, off: 750ms } }, start: 1s, stop: 4s }`,
    });
    c.run();
    const starts = ipvsConns(c.events).map((e) => e.t);
    expect(starts.length).toBeGreaterThan(100);
    for (const t of starts) expect((t - SECOND) % SECOND).toBeLessThan(250 * MS + 5 * MS); // SYN's path to the director
  });
});

describe('servers with a capacity model', () => {
  it('a full server refuses with 503; what waited is answered late', () => {
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.2:80 -m'],
      services: ['{ port: 80, workers: 1, queue: 1, service_time: 200ms }'],
      workload: `  - { name: burst, from: c, to: 10.0.0.100:80, arrivals: { every: 10ms }, start: 1s, stop: 1045ms }`,
    });
    c.run();
    const ok = appEvents(c.events, 'response', 'burst');
    const refused = appEvents(c.events, 'refused', 'burst');
    // 5 arrive 10 ms apart within 200 ms: one is served, one waits (answered ~200 ms later), three are refused.
    expect(ok).toHaveLength(2);
    expect(refused).toHaveLength(3);
    expect(refused.every((e) => e.server === 'rs1' && /HTTP 503/.test(e.detail ?? ''))).toBe(true);
    const lat = ok.map((e) => e.latency!).sort((a, b) => a - b);
    expect(lat[0]).toBeGreaterThanOrEqual(200 * MS);
    expect(lat[1]).toBeGreaterThanOrEqual(390 * MS);
    expect(appEvents(c.events, 'refused').filter((e) => e.host === 'rs1')).toHaveLength(3);
  });

  it('a faster server answers the same work sooner', () => {
    const c = natCluster({
      director: RR_80,
      services: [],
      servicesOf: [['{ port: 80, workers: 4, service_time: 40ms }'], ['{ port: 80, workers: 4, service_time: 40ms, speed: 4 }']],
      workload: `  - { name: w, from: c, to: 10.0.0.100:80, arrivals: { every: 100ms }, start: 1s, stop: 2s }`,
    });
    c.run();
    const of = (s: string) => appEvents(c.events, 'response', 'w').filter((e) => e.server === s).map((e) => e.latency!);
    expect(of('rs1')).toHaveLength(5);
    expect(of('rs2')).toHaveLength(5);
    expect(Math.min(...of('rs1'))).toBeGreaterThanOrEqual(40 * MS);
    expect(Math.max(...of('rs2'))).toBeLessThan(11 * MS + 2 * MS);
    expect(Math.min(...of('rs2'))).toBeGreaterThanOrEqual(10 * MS);
  });

  it('the check file answers its fixed body at its path', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80, check: { path: /check.txt, body: "webserverisworking\\n" } }'],
    });
    const rs1 = c.world.host('rs1');
    let body = '';
    c.world.sim.scheduleAt(SECOND, () => {
      const r = c.world.host('d').sockets.connect(parseIpv4('192.168.1.2')!, 80, {
        onEstablished: () => {
          if ('endpoint' in r) r.endpoint.send(textPayload('GET /check.txt HTTP/1.0\r\nHost: 192.168.1.2\r\n\r\n'));
        },
        onData: (d) => (body += payloadText(d)),
        onRemoteClose: () => {
          if ('endpoint' in r) r.endpoint.close();
        },
      });
    });
    c.run();
    expect(rs1.name).toBe('rs1');
    expect(body).toMatch(/^HTTP\/1\.0 200 OK\r\nServer: rs1\r\nContent-Length: 19\r\n\r\nwebserverisworking\n$/);
  });
});

describe('timeouts and the CPU samples', () => {
  it('an exchange not answered within the timeout is an error, and the connection is reset', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80, workers: 1, service_time: 2s }'],
      workload: `  - { name: slow, from: c, to: 10.0.0.100:80, arrivals: { every: 100ms }, start: 1s, stop: 1150ms, timeout: 300ms }`,
    });
    c.run();
    const errors = appEvents(c.events, 'error', 'slow');
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => /timeout after 300ms/.test(e.detail ?? ''))).toBe(true);
    expect(errors[0].t).toBeGreaterThan(1300 * MS);
    expect(errors[1].t).toBeGreaterThan(1400 * MS);
    expect(errors[1].t).toBeLessThan(1410 * MS);
    expect(appEvents(c.events, 'response', 'slow')).toHaveLength(0);
    expect(c.events.some((e) => e.kind === 'tx' && e.host === 'c' && e.pkt.tcp?.flags.includes('R'))).toBe(true);
  });

  it('a scenario with workloads samples each busy IPVS CPU every 100 ms, cumulatively', () => {
    const c = natCluster({
      director: RR_80,
      services: ['{ port: 80 }'],
      workload: `  - { name: web, from: c, to: 10.0.0.100:80, arrivals: { every: 50ms }, start: 1s, stop: 2s }`,
    });
    c.run();
    const samples = c.events.filter((e): e is Extract<typeof e, { kind: 'cpu' }> => e.kind === 'cpu');
    expect(samples.length).toBeGreaterThan(5);
    expect(new Set(samples.map((e) => e.host))).toEqual(new Set(['d']));
    expect(samples.every((e) => e.t % (100 * MS) === 0)).toBe(true);
    for (let i = 1; i < samples.length; i++) {
      expect(samples[i].busy).toBeGreaterThanOrEqual(samples[i - 1].busy);
      expect(samples[i].processed).toBeGreaterThan(samples[i - 1].processed);
    }
    // 60 us per packet (the default): busy time is the packets processed times the cost, once the CPU is idle.
    const last = samples[samples.length - 1];
    expect(last.busy).toBe(last.processed * 60_000);
    expect(last.processed).toBe(ipvsOf(c.world.host('d')).cpu.processed);
  });
});

