import { describe, expect, it } from 'vitest';
import { syntheticLoad } from '../../../../src/ui/stage/syntheticLoad.ts';
import { FlightIndex } from '../../../../src/ui/viewmodel/animation.ts';
import { headerKind } from '../../../../src/ui/viewmodel/packetKinds.ts';
import { segmentLookup } from '../../../../src/ui/viewmodel/topology.ts';

describe('syntheticLoad', () => {
  for (const n of [1, 200, 2000]) {
    it(`keeps exactly ${n} frames in flight over its whole window`, () => {
      const load = syntheticLoad(n);
      const index = new FlightIndex(segmentLookup(load.topology)).addAll(load.events);
      expect(index.size).toBe(load.events.length / 2);
      const span = load.end - load.start;
      for (let k = 0; k <= 40; k++) {
        const t = load.start + Math.floor((span * k) / 41);
        expect(index.at(t).length, `t=${t}`).toBe(n);
      }
      expect(index.at(load.end - 1).length).toBe(n);
      expect(index.at(-1).length).toBe(0);
      // Every one of them has its arrival in the trace (none is pending) and moves.
      for (const f of index.at(load.start + Math.floor(span / 3))) {
        expect(f.end?.kind).toBe('rx');
        expect(f.fraction).toBeGreaterThanOrEqual(0);
        expect(f.fraction).toBeLessThan(1);
      }
    });
  }

  it('is a well-formed trace: in time order, sequence numbers 0, 1, 2, ..., senders and receivers on the segment', () => {
    const load = syntheticLoad(500);
    const segmentOf = segmentLookup(load.topology);
    load.events.forEach((e, i) => {
      expect(e.seq).toBe(i);
      if (i > 0) expect(e.t).toBeGreaterThanOrEqual(load.events[i - 1].t);
      expect(segmentOf(e.host!, e.iface!)).toBeDefined();
    });
  });

  it('is deterministic, and another seed gives another trace', () => {
    expect(JSON.stringify(syntheticLoad(300).events)).toBe(JSON.stringify(syntheticLoad(300).events));
    expect(JSON.stringify(syntheticLoad(300, { seed: 2 }).events)).not.toBe(JSON.stringify(syntheticLoad(300).events));
  });

  it('exercises every header kind the stage draws, tunnels included', () => {
    const load = syntheticLoad(2000);
    const kinds = new Set(load.events.map((e) => (e.kind === 'tx' ? headerKind(e.pkt) : 'rx')));
    for (const k of ['arp', 'syn', 'data', 'ack-fin', 'icmp', 'vrrp']) expect(kinds).toContain(k);
    expect(load.events.some((e) => e.kind === 'tx' && e.pkt.ip?.proto === 'ipip' && e.pkt.inner !== undefined)).toBe(true);
    const hosts = new Set(load.events.map((e) => e.host));
    expect(hosts.size).toBe(load.topology.hosts.length);
  });

  it('maps wall time into its window, a crossing per crossMs, looping', () => {
    const load = syntheticLoad(100);
    expect(load.timeAt(0)).toBe(load.start);
    expect(load.timeAt(750, 1500)).toBe(load.start + load.crossing / 2);
    for (const ms of [0, 1, 999, 12345, 1e7]) {
      const t = load.timeAt(ms);
      expect(t).toBeGreaterThanOrEqual(load.start);
      expect(t).toBeLessThan(load.end);
    }
    const span = load.end - load.start;
    expect(load.timeAt((span / load.crossing) * 1500)).toBe(load.start);
  });

  it('refuses a non-positive count', () => {
    expect(() => syntheticLoad(0)).toThrow(/positive integer/);
    expect(() => syntheticLoad(2.5)).toThrow(/positive integer/);
  });
});
