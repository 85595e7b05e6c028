import { describe, expect, it } from 'vitest';
import { SchedFlag } from '../../../../src/ipvs/VirtualService.ts';
import { ip, serviceWith } from './harness.ts';

// ipvs-schedulers.md §13 and §15: hash_32(10.0.0.1, 8) = 39, (192.168.1.10) = 248, (172.16.0.5) = 1,
// (10.0.0.1 + 80) = 182.
const from = (a: string, sport = 10000, protocol = 6) => ({ saddr: ip(a), sport, protocol });
const FALLBACK = SchedFlag.flag1;
const PORT = SchedFlag.flag2;

describe('sh', () => {
  it('equal weights: bucket i holds list[i mod n]', () => {
    const h = serviceWith('sh', [1, 1, 1]); // [rs3 rs2 rs1]
    expect(h.picks(1, from('10.0.0.1'))).toBe('rs3');
    expect(h.picks(1, from('192.168.1.10'))).toBe('rs1');
    expect(h.picks(1, from('172.16.0.5'))).toBe('rs2');
    expect(h.picks(1, from('10.0.0.1', 80))).toBe('rs3'); // no sh-port: the port does not count
  });

  it('each server takes weight consecutive buckets', () => {
    const h = serviceWith('sh', [1, 1, 2]); // [rs3(2) rs2 rs1]: rs3 rs3 rs2 rs1, period 4
    expect(h.picks(1, from('10.0.0.1'))).toBe('rs1'); // 39 mod 4 = 3
    expect(h.picks(1, from('192.168.1.10'))).toBe('rs3'); // 0
    expect(h.picks(1, from('172.16.0.5'))).toBe('rs3'); // 1
  });

  it('refills on edit with the new weights', () => {
    const h = serviceWith('sh', [1, 1, 1]);
    h.weight('rs3', 2); // period 4 as above
    expect(h.picks(1, from('10.0.0.1'))).toBe('rs1');
  });

  it('sh-port adds the source port of TCP/UDP/SCTP', () => {
    const h = serviceWith('sh', [1, 1, 1], PORT);
    expect(h.picks(1, from('10.0.0.1', 80))).toBe('rs1'); // 182 mod 3 = 2
    expect(h.picks(1, from('10.0.0.1', 80, 17))).toBe('rs1');
    expect(h.picks(1, from('10.0.0.1', 80, 1))).toBe('rs3'); // ICMP: port 0
  });

  it('a weight-0 server keeps one bucket; without fallback its clients are refused', () => {
    const h = serviceWith('sh', [1, 1, 1]);
    h.weight('rs3', 0);
    expect(h.pick(from('10.0.0.1'))).toBeNull();
    expect(h.errors).toEqual(['IPVS: sh: TCP 10.0.0.100:80 - no destination available']);
    expect(h.picks(1, from('172.16.0.5'))).toBe('rs2'); // the table still has period 3
  });

  it('sh-fallback probes from bucket 2h, not h + 1', () => {
    const h = serviceWith('sh', [1, 1, 1, 1], FALLBACK); // [rs4 rs3 rs2 rs1], period 4
    expect(h.picks(1, from('10.0.0.1'))).toBe('rs1'); // bucket 39
    h.weight('rs1', 0);
    // probe k = 0: bucket (0 + 39 + 39) mod 256 = 78 → 78 mod 4 = 2 → rs2 (h + 1 = 40 would be rs4)
    expect(h.picks(1, from('10.0.0.1'))).toBe('rs2');
    h.dest('rs2').overloaded = true; // k = 1: 79 → rs1 (weight 0), k = 2: 80 → rs4
    expect(h.picks(1, from('10.0.0.1'))).toBe('rs4');
  });

  it('sh-fallback with every server unavailable refuses after one lap', () => {
    const h = serviceWith('sh', [0, 0], FALLBACK);
    expect(h.pick(from('10.0.0.1'))).toBeNull();
    expect(h.errors).toHaveLength(1);
  });

  it('an empty service refuses', () => {
    expect(serviceWith('sh', [], FALLBACK).pick(from('10.0.0.1'))).toBeNull();
  });
});
