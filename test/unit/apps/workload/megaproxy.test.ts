import { describe, expect, it } from 'vitest';
import { connectionsPerDestination } from '../../../../src/metrics/index.ts';
import { natCluster } from './cluster.ts';

/** Half the requests from one proxy address, half from 50 distinct addresses, against two real servers. */
const WORKLOADS = `  - { name: proxy, from: c, to: 10.0.0.100:80, clients: { megaproxy: 10.0.0.50, users: 5000 }, arrivals: { poisson: 100/s }, start: 1s, stop: 4s }
  - { name: users, from: c, to: 10.0.0.100:80, clients: { prefix: 10.0.0.128/26, count: 50 }, arrivals: { poisson: 100/s }, start: 1s, stop: 4s }`;

const shares = (director: string[]) => {
  const c = natCluster({ director, services: ['{ port: 80 }'], workload: WORKLOADS });
  c.run();
  return connectionsPerDestination(c.events).map((r) => r.share).sort((a, b) => b - a);
};

describe('the mega proxy and persistence', () => {
  it('without persistence rr spreads even the proxy\'s connections: half each', () => {
    const s = shares(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.2:80 -m', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.3:80 -m']);
    expect(s[0]).toBeLessThan(0.51);
  });

  it('with persistence the proxy\'s server takes its half plus half of the rest: about three quarters', () => {
    const s = shares(['ipvsadm -A -t 10.0.0.100:80 -s rr -p 360', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.2:80 -m', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.3:80 -m']);
    expect(s[0]).toBeGreaterThan(0.68);
    expect(s[0]).toBeLessThan(0.82);
  });
});
