import { describe, expect, it } from 'vitest';
import { appEvents, natCluster } from './cluster.ts';

describe('an FTP-like session whose control connection reaches a server that never greets', () => {
  // The LVS-NAT seed's typo `ipvsadm -a -t VIP:21 -r RIP:80`: the FTP client's control connection lands on an
  // HTTP server, which waits for a request while the client waits for `220`. The workload's timeout covers
  // that wait, as an FTP client's response timeout does.
  it('fails after the workload timeout with "no greeting", instead of hanging', () => {
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:21 -s rr', 'ipvsadm -a -t 10.0.0.100:21 -r 192.168.1.2:80 -m'],
      services: ['{ port: 80 }'],
      workload: `  - { name: ftp, from: c, to: 10.0.0.100:21, protocol: ftp, arrivals: { every: 200ms }, start: 1s, stop: 1500ms, timeout: 1s }`,
      duration: '4s',
    });
    c.run();
    expect(appEvents(c.events, 'response', 'ftp')).toHaveLength(0);
    const errors = appEvents(c.events, 'error', 'ftp');
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => /no greeting within 1s/.test(e.detail ?? ''))).toBe(true);
    // Each error comes one timeout after its session started (1s, 1.2s, 1.4s).
    expect(errors.map((e) => e.t)).toEqual([2_000_000_000, 2_200_000_000, 2_400_000_000]);
  });

  it('a greeting server does not trip the timeout: a long transfer outlives it', () => {
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:21 -s rr -p', 'ipvsadm -a -t 10.0.0.100:21 -r 192.168.1.2:21 -m'],
      services: ['{ port: 21, app: ftp }'],
      workload: `  - { name: ftp, from: c, to: 10.0.0.100:21, protocol: ftp, arrivals: { every: 200ms }, start: 1s, stop: 1500ms, timeout: 1s, requests_per_connection: 3 }`,
      duration: '4s',
    });
    c.run();
    expect(appEvents(c.events, 'response', 'ftp')).toHaveLength(9);
    expect(appEvents(c.events, 'error', 'ftp')).toHaveLength(0);
  });
});
