import { describe, expect, it } from 'vitest';
import { appEvents, ipvsConns, natCluster } from './cluster.ts';

describe('the DNS-like UDP service through an IPVS director', () => {
  it('every query is answered, by both real servers in turn, from the VIP', () => {
    const c = natCluster({
      director: ['ipvsadm -A -u 10.0.0.100:53 -s rr', 'ipvsadm -a -u 10.0.0.100:53 -r 192.168.1.2:53 -m', 'ipvsadm -a -u 10.0.0.100:53 -r 192.168.1.3:53 -m'],
      services: ['{ port: 53, protocol: udp }'],
      workload: `  - { name: dns, from: c, to: 10.0.0.100:53, protocol: dns, arrivals: { every: 50ms }, start: 1s, stop: 2s, request: 40B, response: 200B }`,
    });
    c.run();
    const answers = appEvents(c.events, 'response', 'dns');
    expect(answers).toHaveLength(20);
    expect(answers.filter((e) => e.server === 'rs1')).toHaveLength(10);
    expect(answers.filter((e) => e.server === 'rs2')).toHaveLength(10);
    expect(answers.every((e) => e.bytes === 200)).toBe(true);
    expect(ipvsConns(c.events).every((e) => e.proto === 'UDP')).toBe(true);
    // The client only ever hears from the VIP: the director rewrote the answers' source.
    const fromRip = c.events.filter((e) => e.kind === 'rx' && e.host === 'c' && e.pkt.udp !== undefined && e.pkt.ip?.src !== '10.0.0.100');
    expect(fromRip).toHaveLength(0);
  });

  it('a query to a real server with no listener is refused: its port unreachable comes back from the VIP (ip_vs_out_icmp)', () => {
    const c = natCluster({
      director: ['ipvsadm -A -u 10.0.0.100:53 -s rr', 'ipvsadm -a -u 10.0.0.100:53 -r 192.168.1.2:53 -m'],
      services: ['{ port: 80 }'],
      workload: `  - { name: dns, from: c, to: 10.0.0.100:53, protocol: dns, arrivals: { every: 100ms }, start: 1s, stop: 1250ms, timeout: 500ms }`,
    });
    c.run();
    expect(appEvents(c.events, 'response', 'dns')).toHaveLength(0);
    const errors = appEvents(c.events, 'error', 'dns');
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => / ECONNREFUSED from 10\.0\.0\.100$/.test(e.detail ?? ''))).toBe(true);
  });
});

const FTP_WORKLOAD = `  - { name: ftp, from: c, to: 10.0.0.100:21, protocol: ftp, arrivals: { every: 200ms }, start: 1s, stop: 3s, requests_per_connection: 2, response: 50KB }`;
const FTP_SERVICE = ['{ port: 21, app: ftp, passive_ports: 50000-50009 }'];

describe('the FTP-like service: two connections per session', () => {
  it('with a persistent port-0 service, control and data reach the same real server and every transfer completes', () => {
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:0 -s rr -p 60', 'ipvsadm -a -t 10.0.0.100:0 -r 192.168.1.2 -m', 'ipvsadm -a -t 10.0.0.100:0 -r 192.168.1.3 -m'],
      services: FTP_SERVICE,
      workload: FTP_WORKLOAD,
    });
    c.run();
    const done = appEvents(c.events, 'response', 'ftp');
    expect(done).toHaveLength(20);
    expect(done.every((e) => e.bytes === 50_000)).toBe(true);
    expect(appEvents(c.events, 'error', 'ftp')).toHaveLength(0);
    // One client address, one template: every connection, control (21) and data (5000x), to one real server.
    const conns = ipvsConns(c.events);
    expect(new Set(conns.map((e) => e.dest!.split(':')[0])).size).toBe(1);
    expect(conns.filter((e) => e.virtual === '10.0.0.100:21')).toHaveLength(10);
    expect(conns.filter((e) => /^10\.0\.0\.100:5000\d$/.test(e.virtual ?? ''))).toHaveLength(20);
  });

  it('with only port 21 balanced, the data connection finds no service and every session fails', () => {
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:21 -s rr', 'ipvsadm -a -t 10.0.0.100:21 -r 192.168.1.2 -m', 'ipvsadm -a -t 10.0.0.100:21 -r 192.168.1.3 -m'],
      services: FTP_SERVICE,
      workload: FTP_WORKLOAD,
    });
    c.run();
    expect(appEvents(c.events, 'response', 'ftp')).toHaveLength(0);
    const errors = appEvents(c.events, 'error', 'ftp');
    expect(errors).toHaveLength(10);
    expect(errors.every((e) => /data connection to 10\.0\.0\.100:5000\d refused/.test(e.detail ?? ''))).toBe(true);
    // The director itself answered the data SYNs with RST: no socket on the VIP's data port.
    expect(c.events.some((e) => e.kind === 'drop' && e.host === 'd' && e.reason === 'no-listener')).toBe(true);
  });

  it('a persistent port-21 service also takes the data connections: the kernel\'s FTP special case', () => {
    // ip_vs_service_find: a packet for no service, to a port >= 1024 (or 20), falls back to the VIP's port-21
    // service while one exists, and ip_vs_sched_persist gives persistent FTP a <caddr, 0, vaddr, 0> template.
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:21 -s rr -p 60', 'ipvsadm -a -t 10.0.0.100:21 -r 192.168.1.2 -m', 'ipvsadm -a -t 10.0.0.100:21 -r 192.168.1.3 -m'],
      services: FTP_SERVICE,
      workload: FTP_WORKLOAD,
    });
    c.run();
    expect(appEvents(c.events, 'response', 'ftp')).toHaveLength(20);
    expect(appEvents(c.events, 'error', 'ftp')).toHaveLength(0);
    expect(new Set(ipvsConns(c.events).map((e) => e.dest!.split(':')[0])).size).toBe(1);
  });
});
