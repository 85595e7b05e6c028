import { describe, expect, it } from 'vitest';
import { connect, ip, SECOND, serviceWith } from './harness.ts';

// ipvs-schedulers.md §11 and ip_vs_lblcr.c.
const X = { daddr: ip('10.3.1.10') };

describe('lblcr', () => {
  it('grows the server set under overload and then picks the least loaded member', () => {
    const h = serviceWith('lblcr', [1, 1]); // [rs2 rs1]
    // rs2 | rs2 | rs2 2 > 1, rs1 idle: wlc → rs1 joins {rs1, rs2} | set min rs1 (257 < 514) |
    // rs1 514 ties rs2 514: the front member rs1; 2 > 1 but nobody under half weight: kept
    expect(h.opens(5, X)).toBe('rs2 rs2 rs1 rs1 rs1');
    expect(h.sched.holdsDest?.(h.dest('rs2'))).toBe(true);
  });

  it('after lblcr_expiration without change, a lookup drops the most loaded member', () => {
    const h = serviceWith('lblcr', [1, 1]);
    h.sysctls.set('lblcr_expiration', 10);
    h.sysctls.set('lblc_expiration', 1); // must not be the one read
    expect(h.opens(3, X)).toBe('rs2 rs2 rs1'); // set {rs1, rs2} stamped at t = 0; rs1 257, rs2 514
    h.now = 10 * SECOND;
    expect(h.picks(1, X)).toBe('rs1'); // not yet: needs now > lastmod + 10 s
    expect(h.sched.holdsDest?.(h.dest('rs2'))).toBe(true);
    h.now = 10 * SECOND + 1;
    expect(h.picks(1, X)).toBe('rs1'); // rs2, the most loaded, leaves the set
    expect(h.sched.holdsDest?.(h.dest('rs2'))).toBe(false);
    expect(h.sched.holdsDest?.(h.dest('rs1'))).toBe(true);
  });

  it('on a load tie the set drops its front member', () => {
    const h = serviceWith('lblcr', [1, 1]);
    h.sysctls.set('lblcr_expiration', 10);
    expect(h.opens(4, X)).toBe('rs2 rs2 rs1 rs1'); // {rs1, rs2}, both 514
    h.now = 11 * SECOND;
    expect(h.picks(1, X)).toBe('rs1'); // set min: rs1 (front, tie); set max: rs1 too (front, tie)
    expect(h.sched.holdsDest?.(h.dest('rs1'))).toBe(false);
    expect(h.sched.holdsDest?.(h.dest('rs2'))).toBe(true);
  });

  it('the chosen server may be the one dropped, and is still returned', () => {
    const h = serviceWith('lblcr', [1, 1]);
    h.sysctls.set('lblcr_expiration', 10);
    expect(h.opens(3, X)).toBe('rs2 rs2 rs1'); // {rs1, rs2}
    h.weight('rs2', 0); // set min ignores rs2; set max's first weight > 0 member is rs1
    h.now = 11 * SECOND;
    expect(h.opens(1, X)).toBe('rs1');
    expect(h.sched.holdsDest?.(h.dest('rs1'))).toBe(false);
    expect(h.sched.holdsDest?.(h.dest('rs2'))).toBe(true);
  });

  it('a deleted member is passed over in the set', () => {
    const h = serviceWith('lblcr', [1, 1, 1]);
    expect(h.opens(3, X)).toBe('rs3 rs3 rs2'); // {rs2, rs3}
    h.del('rs2');
    expect(h.opens(1, X)).toBe('rs1'); // rs3 (2 > 1, rs1 idle) is overloaded: wlc
  });

  it('no entry and nothing eligible: null without a message; with an entry: the message', () => {
    const h = serviceWith('lblcr', [1]);
    h.weight('rs1', 0);
    expect(h.pick(X)).toBeNull();
    expect(h.errors).toEqual([]);
    h.weight('rs1', 1);
    expect(h.picks(1, X)).toBe('rs1');
    h.weight('rs1', 0);
    expect(h.pick(X)).toBeNull();
    expect(h.errors).toEqual(['IPVS: lblcr: TCP 10.0.0.100:80 - no destination available']);
  });

  describe('entries expire by lblcr_expiration at the 30-minute sweeps (now >= lastuse + expiration)', () => {
    const usedAt = (t: number) => {
      const h = serviceWith('lblcr', [2, 2]);
      h.sysctls.set('lblcr_expiration', 600);
      expect(h.picks(1, X)).toBe('rs2');
      connect(h.dest('rs2')); // a fresh pick would now say rs1
      h.now = 1799 * SECOND; // refreshed just before the first sweep, at 1800 s
      expect(h.picks(1, X)).toBe('rs2');
      h.now = t;
      expect(h.picks(1, X)).toBe('rs2');
      return h;
    };

    it('kept until a sweep finds it stale', () => {
      const h = usedAt(2000 * SECOND);
      h.now = 3600 * SECOND - 1;
      expect(h.picks(1, X)).toBe('rs2');
    });

    it('dropped by the sweep exactly at lastuse + expiration', () => {
      const h = usedAt(3000 * SECOND);
      h.now = 3600 * SECOND;
      expect(h.picks(1, X)).toBe('rs1');
    });

    it('kept by a sweep one nanosecond early', () => {
      const h = usedAt(3000 * SECOND + 1);
      h.now = 3600 * SECOND;
      expect(h.picks(1, X)).toBe('rs2');
    });
  });
});
