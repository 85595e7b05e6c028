import { describe, expect, it } from 'vitest';
import { Interface } from '../../../src/net/Interface.ts';
import { parseIpv4 } from '../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;

describe("an interface's address list and its index", () => {
  it('hasAddress follows inserts and removals, secondaries removed with their primary included', () => {
    const dev = new Interface('eth0', 2, 'ether', '02:00:00:00:00:01', 1500);
    const add = (a: string, prefixLen: number) => dev.insertAddress({ address: ip(a), prefixLen, scope: 0, label: 'eth0' });
    add('10.0.0.1', 24);
    add('10.0.0.2', 24); // secondary of 10.0.0.1/24
    add('172.16.0.1', 32);
    add('172.16.0.2', 32);
    expect(add('172.16.0.1', 32)).toBe('EEXIST');
    expect(add('10.0.0.2', 24)).toBe('EEXIST');
    expect(dev.addresses.map((a) => [a.prefixLen, a.secondary])).toEqual([
      [24, false],
      [32, false],
      [32, false],
      [24, true],
    ]);
    for (const a of ['10.0.0.1', '10.0.0.2', '172.16.0.1', '172.16.0.2']) expect(dev.hasAddress(ip(a))).toBe(true);
    // The same address with another prefix is a second entry: it stays known until both are gone.
    add('172.16.0.1', 16);
    dev.removeAddress(ip('172.16.0.1'), 32, false);
    expect(dev.hasAddress(ip('172.16.0.1'))).toBe(true);
    dev.removeAddress(ip('172.16.0.1'), 16, false);
    expect(dev.hasAddress(ip('172.16.0.1'))).toBe(false);
    // Removing the primary takes its secondary (no promotion); with promotion the secondary stays.
    dev.removeAddress(ip('10.0.0.1'), 24, false);
    expect(dev.hasAddress(ip('10.0.0.1'))).toBe(false);
    expect(dev.hasAddress(ip('10.0.0.2'))).toBe(false);
    add('10.0.0.1', 24);
    add('10.0.0.2', 24);
    dev.removeAddress(ip('10.0.0.1'), 24, true);
    expect(dev.hasAddress(ip('10.0.0.2'))).toBe(true);
    expect(dev.addresses.find((a) => a.address === ip('10.0.0.2'))?.secondary).toBe(false);
  });
});
