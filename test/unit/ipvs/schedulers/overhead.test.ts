import { describe, expect, it } from 'vitest';
import { connOverhead, productGreater } from '../../../../src/ipvs/schedulers/overhead.ts';
import { connect, finish, serviceWith } from './harness.ts';

describe('overhead', () => {
  it('is (active << 8) + totalconns: 257 per active connection, 1 per inactive one', () => {
    const d = serviceWith('wlc', [1]).dest('rs1');
    expect(connOverhead(d)).toBe(0);
    connect(d, 3);
    finish(d, 1);
    expect(connOverhead(d)).toBe(2 * 257 + 1);
  });

  it('compares 64-bit products exactly where doubles would round them equal', () => {
    const max = 2 ** 31 - 1;
    // (max-1)^2 = max·(max-2) + 1: one apart near 2^62, where doubles are 1024 apart
    expect((max - 1) * (max - 1) === max * (max - 2)).toBe(true);
    expect(productGreater(max - 1, max - 1, max, max - 2)).toBe(true);
    expect(productGreater(max, max - 2, max - 1, max - 1)).toBe(false);
    expect(productGreater(max, max, max, max)).toBe(false);
    expect(productGreater(3, 5, 4, 4)).toBe(false);
    expect(productGreater(4, 5, 3, 6)).toBe(true);
    expect(productGreater(0, 9, 0, 1)).toBe(false);
  });
});
