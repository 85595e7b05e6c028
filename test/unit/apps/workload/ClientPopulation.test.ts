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
});
