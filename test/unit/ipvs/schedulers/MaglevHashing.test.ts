import { describe, expect, it } from 'vitest';
import { hsiphash32, hsipKey } from '../../../../src/ipvs/schedulers/hash.ts';
import { SchedFlag } from '../../../../src/ipvs/VirtualService.ts';
import { Harness, ip } from './harness.ts';

// ipvs-schedulers.md §14 and ip_vs_mh.c. The table has M = 4093 slots (CONFIG_IP_VS_MH_TAB_INDEX 12).
const M = 4093;
/** The kernel's fixed key for lookups and offsets (generate_hash_secret). */
const HASH1 = hsipKey(2654435761, 2654435761);

/** One client address per slot: the first address from 1.0.0.0 up whose lookup hash lands there. */
const clientForSlot: number[] = (() => {
  const out = new Array<number>(M).fill(-1);
  let left = M;
  for (let a = 0x01000000; left > 0; a++) {
    const s = hsiphash32(HASH1, a) % M;
    if (out[s] < 0) {
      out[s] = a;
      left--;
    }
  }
  return out;
})();

/** The three servers of the reference's example, added .1, .2, .3 (list [.3, .2, .1]). */
function example(weights: [number, number, number] = [1, 1, 1], flags = 0): Harness {
  const h = new Harness().bind('mh', flags);
  h.add('192.168.10.1', weights[0]);
  h.add('192.168.10.2', weights[1]);
  h.add('192.168.10.3', weights[2]);
  return h;
}

/** The whole lookup table as server names, read through one client per slot. */
function table(h: Harness): string[] {
  return clientForSlot.map((a) => h.nameOf(h.pick({ saddr: a })) ?? '-');
}

function slotCounts(h: Harness): Record<string, number> {
  const c: Record<string, number> = {};
  for (const n of table(h)) c[n] = (c[n] ?? 0) + 1;
  return c;
}

describe('mh', () => {
  it('lays out the first slots along each server\'s permutation, in list order', () => {
    const t = table(example());
    // offsets/skips: .3 3093/3776, .2 3679/3377, .1 3189/175 — round 1 at the offsets, round 2 one skip on
    expect([t[3093], t[3679], t[3189]]).toEqual(['192.168.10.3', '192.168.10.2', '192.168.10.1']);
    expect([t[(3093 + 3776) % M], t[(3679 + 3377) % M], t[3189 + 175]]).toEqual(['192.168.10.3', '192.168.10.2', '192.168.10.1']);
  });

  it('maps the reference example\'s clients', () => {
    const h = example();
    expect(h.picks(1, { saddr: ip('10.0.0.1') })).toBe('192.168.10.2'); // slot 3711
    expect(h.picks(1, { saddr: ip('10.0.0.2') })).toBe('192.168.10.3'); // slot 1884
    expect(h.picks(1, { saddr: ip('203.0.113.7') })).toBe('192.168.10.1'); // slot 1705
  });

  it('fills every slot, one turn each per round: 1365/1364/1364; weights 3,2,1 give 2047/1364/682', () => {
    expect(slotCounts(example())).toEqual({ '192.168.10.3': 1365, '192.168.10.2': 1364, '192.168.10.1': 1364 });
    expect(slotCounts(example([1, 2, 3]))).toEqual({ '192.168.10.3': 2047, '192.168.10.2': 1364, '192.168.10.1': 682 });
  });

  it('shifts large weight ratios down to 6 bits: 100 and 1 take 50 and 1 turns', () => {
    const h = new Harness().bind('mh');
    h.add('192.168.10.1', 100);
    h.add('192.168.10.2', 1); // list [.2, .1]: 80 rounds of 1 + 50, then 1 + 12
    expect(slotCounts(h)).toEqual({ '192.168.10.2': 81, '192.168.10.1': 4012 });
  });

  it('a server set to weight 0 keeps its slots (last weight) and its clients are refused', () => {
    const h = example();
    const before = table(h);
    h.weight('192.168.10.2', 0);
    const after = table(h);
    for (let s = 0; s < M; s++) expect(after[s]).toBe(before[s] === '192.168.10.2' ? '-' : before[s]);
    expect(h.errors.length).toBe(before.filter((n) => n === '192.168.10.2').length);
    expect(h.errors[0]).toBe('IPVS: mh: TCP 10.0.0.100:80 - no destination available');
  });

  it('a server added with weight 0 gets no slots', () => {
    const h = example([1, 1, 0]);
    expect(slotCounts(h)).toEqual({ '192.168.10.2': 2047, '192.168.10.1': 2046 });
  });

  it('mh-fallback re-hashes with offsets (ih + k) until an available server', () => {
    const h = example([1, 1, 1], SchedFlag.flag1);
    const t = table(h);
    h.weight('192.168.10.2', 0);
    const client = ip('10.0.0.1'); // slot 3711 → .2
    let expected = '-';
    for (let k = 0; k < M; k++) {
      const n = t[hsiphash32(HASH1, (((3711 + k) % M) + client) >>> 0) % M];
      if (n !== '192.168.10.2') {
        expected = n;
        break;
      }
    }
    expect(expected).not.toBe('-');
    expect(h.picks(1, { saddr: client })).toBe(expected);
    expect(h.errors).toEqual([]);
  });

  it('mh-port adds the source port (TCP/UDP/SCTP only)', () => {
    const plain = example();
    const withPort = example([1, 1, 1], SchedFlag.flag2);
    const same = plain.nameOf(plain.pick({ saddr: ip('10.0.0.81') })); // 10.0.0.1 + 80
    expect(withPort.picks(1, { saddr: ip('10.0.0.1'), sport: 80 })).toBe(same);
    expect(withPort.picks(1, { saddr: ip('10.0.0.1'), sport: 80, protocol: 1 })).toBe('192.168.10.2');
  });

  it('no server with a last weight: an empty table', () => {
    const h = example([0, 0, 0]);
    expect(h.pick({ saddr: ip('10.0.0.1') })).toBeNull();
    expect(new Harness().bind('mh').pick()).toBeNull();
  });
});
