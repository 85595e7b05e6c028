import { describe, expect, it } from 'vitest';
import { ClientPopulation } from '../../../../src/apps/index.ts';
import { RandomStreams } from '../../../../src/sim/index.ts';
import type { TraceEvent } from '../../../../src/trace/index.ts';
import { formatIpv4, parseIpv4 } from '../../../../src/wire/index.ts';
import { appEvents, ipvsConns, natCluster } from './cluster.ts';

/**
 * A workload whose `to:` is a destination prefix, through a cache-cluster director: a firewall mark for the
 * prefix, policy routing that makes marked packets local, and a firewall-mark service (lessons/dsr-fwmark.yaml's
 * set-up, with NAT). Each session picks its destination from the stream `workload:NAME/destinations`.
 */

const FWMARK_DIRECTOR = (scheduler: string) => [
  'iptables -t mangle -A PREROUTING -d 10.1.0.0/24 -p tcp --dport 80 -j MARK --set-mark 1',
  'ip rule add prio 100 fwmark 1 table 100',
  'ip route add local 0/0 dev lo table 100',
  `ipvsadm -A -f 1 -s ${scheduler}`,
  'ipvsadm -a -f 1 -r 192.168.1.2:80 -m',
  'ipvsadm -a -f 1 -r 192.168.1.3:80 -m',
];

/** The address part of `A.B.C.D:PORT`. */
const addressOf = (endpoint: string | undefined) => (endpoint ?? '').replace(/:\d+$/, '');

function cacheCluster(scheduler: string, to: string) {
  const c = natCluster({
    director: FWMARK_DIRECTOR(scheduler),
    services: ['{ port: 80 }'],
    workload: `  - { name: web, from: c, to: ${to}, arrivals: { every: 5ms }, start: 1s, stop: 2s }`,
    duration: '3s',
  });
  c.run();
  return c;
}

describe('a workload sending to a destination prefix', () => {
  it('Zipf popularity: many distinct destinations, the head the most popular, every one answered from the address it was sent to', () => {
    const c = cacheCluster('rr', '{ prefix: 10.1.0.0/24, count: 20, port: 80, zipf: 1 }');
    const conns = ipvsConns(c.events);
    expect(conns).toHaveLength(200);
    const counts = new Map<string, number>();
    for (const e of conns) counts.set(addressOf(e.virtual), (counts.get(addressOf(e.virtual)) ?? 0) + 1);
    // 200 draws over 20 addresses with Zipf(1): nearly all seen, all within the prefix's first 20 addresses.
    expect(counts.size).toBeGreaterThanOrEqual(15);
    expect([...counts.keys()].every((a) => /^10\.1\.0\.(\d+)$/.test(a) && Number(a.split('.')[3]) <= 20)).toBe(true);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    expect(ranked[0][0]).toBe('10.1.0.1');
    // H(20) = 3.598: rank 1 takes 28 % of the draws, rank 2 14 %.
    expect(ranked[0][1] / 200).toBeGreaterThan(0.2);
    expect(ranked[0][1]).toBeGreaterThan(counts.get('10.1.0.2') ?? 0);
    // The NAT replies leave the director from the destination the client chose (not a director address).
    expect(appEvents(c.events, 'response', 'web')).toHaveLength(200);
    expect(appEvents(c.events, 'error')).toHaveLength(0);
    const synAcks = c.events.filter((e): e is Extract<TraceEvent, { kind: 'rx' }> => e.kind === 'rx' && e.host === 'c' && e.pkt.tcp?.flags === 'SA');
    expect(new Set(synAcks.map((e) => e.pkt.ip?.src))).toEqual(new Set(counts.keys()));
  });

  it('the picks are the population draw on the stream workload:NAME/destinations, in session order', () => {
    const c = cacheCluster('rr', '{ prefix: 10.1.0.0/24, count: 50, port: 80, zipf: 1.3 }');
    const seen = ipvsConns(c.events).map((e) => addressOf(e.virtual));
    const population = new ClientPopulation({ kind: 'prefix', network: parseIpv4('10.1.0.0')!, prefixLen: 24, count: 50, zipf: 1.3 });
    const stream = new RandomStreams(c.world.streams.seed, c.world.streams.run).get('host:c/workload:web/destinations');
    expect(seen).toEqual(Array.from({ length: seen.length }, () => formatIpv4(population.pick(stream)!)));
  });

  it('uniform without zipf, and dh sends each destination to one server while using both', () => {
    const c = cacheCluster('dh', '{ prefix: 10.1.0.0/24, count: 40, port: 80 }');
    const conns = ipvsConns(c.events);
    const byDestination = new Map<string, Set<string>>();
    for (const e of conns) {
      const d = addressOf(e.virtual);
      if (!byDestination.has(d)) byDestination.set(d, new Set());
      byDestination.get(d)!.add(e.dest ?? '');
    }
    // Uniform: 200 draws over 40 addresses leave few unseen (expected 0.27), and no address takes a Zipf head's share.
    expect(byDestination.size).toBeGreaterThanOrEqual(36);
    const most = Math.max(...[...byDestination.keys()].map((d) => conns.filter((e) => addressOf(e.virtual) === d).length));
    expect(most / conns.length).toBeLessThan(0.1);
    expect([...byDestination.values()].every((servers) => servers.size === 1)).toBe(true);
    expect(new Set(conns.map((e) => e.dest))).toEqual(new Set(['192.168.1.2:80', '192.168.1.3:80']));
  });

  it('to: A.B.C.D:PORT draws nothing from the destinations stream', () => {
    const c = natCluster({
      director: ['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.2:80 -m'],
      services: ['{ port: 80 }'],
      workload: `  - { name: web, from: c, to: 10.0.0.100:80, arrivals: { every: 100ms }, start: 1s, stop: 2s }`,
    });
    c.run();
    // Getting the stream now makes it fresh if nothing used it: its first draw is the seed's first number.
    const fresh = new RandomStreams(c.world.streams.seed, c.world.streams.run).get('host:c/workload:web/destinations').next();
    expect(c.world.host('c').stream('workload:web/destinations').next()).toBe(fresh);
    expect(new Set(ipvsConns(c.events).map((e) => e.virtual))).toEqual(new Set(['10.0.0.100:80']));
  });
});
