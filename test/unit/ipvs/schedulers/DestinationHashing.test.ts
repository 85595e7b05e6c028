import { describe, expect, it } from 'vitest';
import { ip, serviceWith } from './harness.ts';

// ipvs-schedulers.md §12 and §15: hash_32(10.0.0.1, 8) = 39, (192.168.1.10) = 248, (172.16.0.5) = 1.
// Bucket i holds list[i mod n].
const to = (a: string) => ({ daddr: ip(a), saddr: ip('10.1.1.1') });

describe('dh', () => {
  it('maps destination addresses to buckets dealt round-robin over the list', () => {
    const h = serviceWith('dh', [1, 1, 1]); // [rs3 rs2 rs1]
    expect(h.picks(1, to('10.0.0.1'))).toBe('rs3'); // 39 mod 3 = 0
    expect(h.picks(1, to('192.168.1.10'))).toBe('rs1'); // 248 mod 3 = 2
    expect(h.picks(1, to('172.16.0.5'))).toBe('rs2'); // 1
  });

  it('ignores the source and the weights', () => {
    const h = serviceWith('dh', [1, 9, 1]);
    expect(h.picks(1, { daddr: ip('10.0.0.1'), saddr: ip('10.9.9.9'), sport: 1 })).toBe('rs3');
    expect(h.picks(1, { daddr: ip('10.0.0.1'), saddr: ip('10.1.2.3'), sport: 2 })).toBe('rs3');
    expect(h.picks(1, to('192.168.1.10'))).toBe('rs1');
  });

  it('refills on add and delete', () => {
    const h = serviceWith('dh', [1, 1, 1]);
    h.add('rs4', 1); // [rs4 rs3 rs2 rs1]
    expect(h.picks(1, to('10.0.0.1'))).toBe('rs1'); // 39 mod 4 = 3
    expect(h.picks(1, to('192.168.1.10'))).toBe('rs4'); // 248 mod 4 = 0
    h.del('rs1'); // [rs4 rs3 rs2]
    expect(h.picks(1, to('10.0.0.1'))).toBe('rs4');
  });

  it('an unavailable server refuses its addresses: no fallback', () => {
    const h = serviceWith('dh', [1, 1, 1]);
    h.weight('rs3', 0);
    expect(h.pick(to('10.0.0.1'))).toBeNull();
    expect(h.picks(1, to('172.16.0.5'))).toBe('rs2');
    h.weight('rs3', 1);
    h.dest('rs2').overloaded = true;
    expect(h.pick(to('172.16.0.5'))).toBeNull();
    expect(h.errors).toEqual(['IPVS: dh: TCP 10.0.0.100:80 - no destination available', 'IPVS: dh: TCP 10.0.0.100:80 - no destination available']);
  });

  it('an empty service refuses', () => {
    const h = serviceWith('dh', []);
    expect(h.pick(to('10.0.0.1'))).toBeNull();
  });
});
