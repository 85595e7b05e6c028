import { describe, expect, it } from 'vitest';
import { ClientPopulation, populationAddresses } from '../../../../src/apps/index.ts';
import { RandomStreams } from '../../../../src/sim/index.ts';
import { formatIpv4, parseIpv4 } from '../../../../src/wire/index.ts';

describe('client populations', () => {
  it('a prefix gives its first usable addresses, network address skipped', () => {
    const a = populationAddresses({ kind: 'prefix', network: parseIpv4('10.0.1.0')!, prefixLen: 24, count: 3 }).map(formatIpv4);
    expect(a).toEqual(['10.0.1.1', '10.0.1.2', '10.0.1.3']);
    expect(() => populationAddresses({ kind: 'prefix', network: parseIpv4('10.0.1.0')!, prefixLen: 30, count: 3 })).toThrow(/holds 2/);
  });

  it('a mega proxy is one address however many users stand behind it', () => {
    const p = new ClientPopulation({ kind: 'megaproxy', address: parseIpv4('10.0.0.50')!, users: 5000 });
    const s = new RandomStreams(1).get('c');
    expect(new Set(Array.from({ length: 100 }, () => p.pick(s)))).toEqual(new Set([parseIpv4('10.0.0.50')]));
    expect(p.users).toBe(5000);
  });

  it('picks spread over the whole prefix; users keep one address each', () => {
    const p = new ClientPopulation({ kind: 'prefix', network: parseIpv4('10.0.1.0')!, prefixLen: 24, count: 10 });
    const s = new RandomStreams(1).get('c');
    expect(new Set(Array.from({ length: 500 }, () => p.pick(s))).size).toBe(10);
    expect(p.forUser(3)).toBe(p.forUser(13));
    expect(new ClientPopulation({ kind: 'host' }).pick(s)).toBeUndefined();
  });

  it('a Zipf population picks rank k with probability proportional to 1 / k^s', () => {
    const network = parseIpv4('10.0.1.0')!;
    const p = new ClientPopulation({ kind: 'prefix', network, prefixLen: 24, count: 100, zipf: 1 });
    const s = new RandomStreams(7).get('c');
    const counts = new Map<number, number>();
    const draws = 50_000;
    for (let i = 0; i < draws; i++) {
      const a = p.pick(s)!;
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    // H(100) = 5.187: rank 1 takes 19.3 %, rank 2 half of that, rank 10 a tenth.
    const share = (rank: number) => (counts.get(network + rank) ?? 0) / draws;
    expect(share(1)).toBeCloseTo(1 / 5.187, 2);
    expect(share(1) / share(2)).toBeGreaterThan(1.8);
    expect(share(1) / share(2)).toBeLessThan(2.2);
    expect(share(1) / share(10)).toBeGreaterThan(8);
    expect(share(1) / share(10)).toBeLessThan(12.5);
    expect(counts.size).toBeGreaterThan(95);
    // The uniform population is unchanged by the option's existence: the same stream, the same picks.
    const u1 = new ClientPopulation({ kind: 'prefix', network, prefixLen: 24, count: 100 });
    const a = new RandomStreams(7).get('c');
    const b = new RandomStreams(7).get('c');
    expect(Array.from({ length: 20 }, () => u1.pick(a))).toEqual(Array.from({ length: 20 }, () => b.int(0, 99) + network + 1));
  });
});
