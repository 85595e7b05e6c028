import { describe, expect, it } from 'vitest';
import { connect, Harness, ip, SECOND, serviceWith } from './harness.ts';

// ipvs-schedulers.md §10 and ip_vs_lblc.c. Keyed by the packet's destination address.
const X = { daddr: ip('10.3.1.10') };
const Y = { daddr: ip('10.3.1.11') };

describe('lblc', () => {
  it('sticks a destination address to a server until it is overloaded in lblc\'s sense', () => {
    const h = serviceWith('lblc', [1, 1, 1]); // [rs3 rs2 rs1]
    // rs3 (wlc) | rs3 (1 active ≤ weight) | rs3 has 2 > 1 and rs2 has 0·2 < 1: wlc → rs2 | rs2 | → rs1 | rs1 |
    // rs1 has 2 > 1 but nobody is under half their weight any more: rs1 stays however loaded
    expect(h.opens(8, X)).toBe('rs3 rs3 rs2 rs2 rs1 rs1 rs1 rs1');
  });

  it('another destination address gets its own entry', () => {
    const h = serviceWith('lblc', [1, 1, 1]);
    expect(h.opens(2, X)).toBe('rs3 rs3');
    expect(h.opens(1, Y)).toBe('rs2');
    expect(h.opens(1, X)).toBe('rs1'); // rs3 has 2 > 1 and rs1 is idle: X moves to the wlc pick, rs1
  });

  it('the OVERLOAD flag does not evict a cached server, but a fresh pick skips it', () => {
    const h = serviceWith('lblc', [1, 1, 1]);
    expect(h.opens(1, X)).toBe('rs3');
    h.dest('rs3').overloaded = true;
    expect(h.opens(1, X)).toBe('rs3');
    expect(h.opens(1, Y)).toBe('rs2');
  });

  it('weight 0 or deletion evicts the cached server; the entry holds a deleted server until replaced', () => {
    const h = serviceWith('lblc', [1, 1, 1]);
    expect(h.picks(1, X)).toBe('rs3');
    h.weight('rs3', 0);
    expect(h.picks(1, X)).toBe('rs2');
    const rs2 = h.dest('rs2');
    h.del('rs2');
    expect(h.sched.holdsDest?.(rs2)).toBe(true);
    expect(h.picks(1, X)).toBe('rs1');
    expect(h.sched.holdsDest?.(rs2)).toBe(false);
  });

  it('a cached server deleted and re-added (from the trash) is valid again', () => {
    const h = serviceWith('lblc', [1, 1, 1]);
    expect(h.picks(1, X)).toBe('rs3');
    const rs3 = h.dest('rs3');
    h.del(rs3);
    h.readd(rs3, 1);
    connect(h.dest('rs2'));
    connect(rs3);
    expect(h.picks(1, X)).toBe('rs3'); // from the entry: wlc would say rs1
  });

  it('nothing eligible: the message', () => {
    const h = serviceWith('lblc', [0, 0]);
    expect(h.pick(X)).toBeNull();
    expect(h.errors).toEqual(['IPVS: lblc: TCP 10.0.0.100:80 - no destination available']);
  });

  describe('expiry by the 60 s collector (full sweep every 30th tick)', () => {
    /** X cached on rs3 at t = 0, then rs3 made busier than rs2 without being lblc-overloaded. */
    const cachedThenBusy = (expiration: number) => {
      const h = serviceWith('lblc', [2, 2, 2]);
      h.sysctls.set('lblc_expiration', expiration);
      expect(h.picks(1, X)).toBe('rs3');
      connect(h.dest('rs3'));
      return h;
    };

    it('an entry past lblc_expiration lives until the sweep at 30 minutes', () => {
      const h = cachedThenBusy(600);
      h.now = 1800 * SECOND - 1;
      expect(h.picks(1, X)).toBe('rs3');
    });

    it('the sweep at 30 minutes drops it (a tick at the same instant runs first)', () => {
      const h = cachedThenBusy(600);
      h.now = 1800 * SECOND;
      expect(h.picks(1, X)).toBe('rs2');
    });

    it('the default of a day keeps it through the sweep', () => {
      const h = cachedThenBusy(86_400);
      h.now = 1800 * SECOND;
      expect(h.picks(1, X)).toBe('rs3');
    });

    it('a lookup refreshes lastuse: used at 25 min, it survives the 30-min sweep and goes at 60', () => {
      const h = cachedThenBusy(600);
      h.now = 1500 * SECOND;
      expect(h.picks(1, X)).toBe('rs3');
      h.now = 3600 * SECOND - 1;
      expect(h.picks(1, X)).toBe('rs3'); // lastuse now 3600 s - 1 ns: the sweep at 3600 keeps it
      h.now = 5400 * SECOND;
      expect(h.picks(1, X)).toBe('rs2');
    });

    it('the next sweep after a long idle stretch comes 30 minutes after the previous one', () => {
      const h = cachedThenBusy(86_400);
      h.now = 86_400 * SECOND + 1;
      // sweeps at 1800·k s; at 86400 s (k = 48) lastuse 0 + 86400 <= 86400: dropped
      expect(h.picks(1, X)).toBe('rs2');
    });
  });
});

describe('lblc on a fwmark service', () => {
  it('logs the service as the kernel names a fwmark service', () => {
    const h = new Harness({ kind: 'fwmark', mark: 26 }).bind('lblc');
    expect(h.pick(X)).toBeNull();
    expect(h.errors).toEqual(['IPVS: lblc: FWM 26 0x0000001A - no destination available']);
  });
});
