import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/index.ts';
import type { Host } from '../../../../src/net/index.ts';
import { neighEntriesAt } from '../../../../src/scenario/expectations.ts';
import { lines, TestWorld, twoHosts } from '../../admin/helpers.ts';

/**
 * Garbage collection of the ARP table and the table-full refusal (net/core/neighbour.c, 6.1: neigh_alloc,
 * neigh_forced_gc, neigh_periodic_work). Small thresholds keep the tables small; the rules are the kernel's.
 */

/** 10.0.0.N with lladdr 02:00:00:00:10:NN (N < 100). */
const addr = (n: number) => `10.0.0.${n}`;
const mac = (n: number) => `02:00:00:00:10:${String(n).padStart(2, '0')}`;

function addStale(w: TestWorld, h: Host, ...ns: number[]): void {
  for (const n of ns) w.ok(h, `ip neigh add ${addr(n)} lladdr ${mac(n)} dev eth0 nud stale`);
}

function thresholds(w: TestWorld, h: Host, t1: number, t2: number, t3: number): void {
  w.out(h, `sysctl -w net.ipv4.neigh.default.gc_thresh1=${t1} net.ipv4.neigh.default.gc_thresh2=${t2} net.ipv4.neigh.default.gc_thresh3=${t3}`);
}

/** Addresses of the host's neighbour events with the given `event`, in trace order. */
function collected(w: TestWorld, h: Host, event: string): string[] {
  return w.events('neigh', h.name).filter((e) => e.event === event).map((e) => e.address);
}

/** Addresses `ip neigh show` lists. */
function shown(w: TestWorld, h: Host): string[] {
  return w.out(h, 'ip neigh show').trimEnd().split('\n').filter((l) => l !== '').map((l) => l.split(' ')[0]);
}

describe('neighbour table sysctls', () => {
  it('gc_thresh1/2/3 and gc_interval exist under default only, with the kernel defaults; gc_stale_time per device', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.out(h, 'sysctl net.ipv4.neigh.default.gc_thresh1 net.ipv4.neigh.default.gc_thresh2 net.ipv4.neigh.default.gc_thresh3 net.ipv4.neigh.default.gc_interval')).toBe(
      lines('net.ipv4.neigh.default.gc_thresh1 = 128', 'net.ipv4.neigh.default.gc_thresh2 = 512', 'net.ipv4.neigh.default.gc_thresh3 = 1024', 'net.ipv4.neigh.default.gc_interval = 30'),
    );
    expect(w.sh(h, 'sysctl net.ipv4.neigh.eth0.gc_thresh3')).toEqual({ exit: 1, output: 'sysctl: cannot stat /proc/sys/net/ipv4/neigh/eth0/gc_thresh3: No such file or directory\n' });
    expect(w.sh(h, 'sysctl -w net.ipv4.neigh.eth0.gc_thresh1=4').exit).toBe(1);
    expect(w.out(h, 'sysctl net.ipv4.neigh.eth0.gc_stale_time')).toBe('net.ipv4.neigh.eth0.gc_stale_time = 60\n');
    expect(w.sh(h, 'sysctl -w net.ipv4.neigh.default.gc_thresh3=-1')).toEqual({ exit: 1, output: 'sysctl: setting key "net.ipv4.neigh.default.gc_thresh3": Invalid argument\n' });
    const all = w.out(h, 'sysctl -a');
    expect(all).toContain('net.ipv4.neigh.default.gc_thresh3 = 1024\n');
    expect(all).not.toContain('net.ipv4.neigh.eth0.gc_thresh');
    expect(all).not.toContain('net.ipv4.neigh.lo.gc_interval');
  });
});

describe('forced garbage collection (neigh_forced_gc)', () => {
  it('at gc_thresh2, once 5 s after the last one, removes the oldest entries, at most those above gc_thresh2', () => {
    const w = new TestWorld();
    const h = w.host('d');
    thresholds(w, h, 100, 8, 12);
    addStale(w, h, 1, 2, 3, 4, 5, 6);
    w.run(10 * SECOND);
    addStale(w, h, 11, 12);
    expect(collected(w, h, 'forced-gc')).toEqual([]);
    // The ninth entry finds 8 on the gc list, 10 s after the last flush (boot): one entry must go, the oldest.
    addStale(w, h, 13);
    expect(collected(w, h, 'forced-gc')).toEqual([addr(1)]);
    expect(h.neigh.size.gcEntries).toBe(8);
    // Within 5 s of that collection, gc_thresh2 alone runs none.
    addStale(w, h, 14, 15, 16);
    expect(h.neigh.size.gcEntries).toBe(11);
    expect(collected(w, h, 'forced-gc')).toEqual([addr(1)]);
    expect(h.neigh.gcStats.forcedGcRuns).toBe(1);
  });

  it('at gc_thresh3 removes FAILED and NOARP entries and those not updated for 5 s, sparing recently updated ones', () => {
    const w = new TestWorld();
    const h = w.host('d');
    thresholds(w, h, 100, 4, 6);
    addStale(w, h, 1, 2, 3);
    w.ok(h, `ip neigh add ${addr(4)} lladdr ${mac(4)} dev eth0 nud noarp`);
    w.run(9 * SECOND);
    // 10.0.0.2 gets a new address at 9 s: updated then, so it is recent at 10 s.
    w.ok(h, `ip neigh change ${addr(2)} lladdr 02:00:00:00:20:02 dev eth0 nud stale`);
    w.run(1 * SECOND);
    addStale(w, h, 5);
    // Fifth entry (4 on the list, 10 s after boot): max_clean = 5 - 4 = 1, the oldest removable.
    expect(collected(w, h, 'forced-gc')).toEqual([addr(1)]);
    // Within 5 s of that run, the sixth and seventh (at gc_thresh2, below gc_thresh3) run none.
    addStale(w, h, 6, 7);
    expect(collected(w, h, 'forced-gc')).toEqual([addr(1)]);
    // The eighth finds 6 = gc_thresh3: max_clean = 7 - 4 = 3, but only two are removable: 10.0.0.2 (updated 1 s
    // ago) and the new ones stay.
    addStale(w, h, 8);
    expect(collected(w, h, 'forced-gc')).toEqual([addr(1), addr(3), addr(4)]);
    expect(shown(w, h)).toEqual([addr(2), addr(5), addr(6), addr(7), addr(8)]);
    const removed = w.events('neigh', 'd').filter((e) => e.event === 'forced-gc');
    expect(removed.map((e) => [e.state, e.lladdr])).toEqual([
      ['STALE', mac(1)],
      ['STALE', mac(3)],
      ['NOARP', mac(4)],
    ]);
    // A scenario's `neigh` expectation reads a collected entry as absent.
    expect(neighEntriesAt(w.sink.events, 'd', addr(3), undefined).size).toBe(0);
    expect(neighEntriesAt(w.sink.events, 'd', addr(2), undefined).get('eth0')).toEqual({ state: 'STALE', lladdr: '02:00:00:00:20:02' });
  });
});

describe('table overflow at gc_thresh3', () => {
  /** d (192.168.1.1) with gc_thresh2/3 = 2/3 and three fresh entries: nothing is removable for 5 s. */
  function full() {
    const { w, a: d, b } = twoHosts();
    thresholds(w, d, 100, 2, 3);
    for (const n of [1, 2, 3]) w.ok(d, `ip neigh add ${addr(n)} lladdr ${mac(n)} dev eth0 nud reachable`);
    return { w, d, b };
  }

  it('an outgoing packet that needs a new entry is dropped as neigh-table-full, without ICMP', () => {
    const { w, d } = full();
    const r = w.runTimed(d, 'ping -c 1 -W 1 192.168.1.2');
    expect(r.result.exit).toBe(1);
    const drops = w.events('drop', d.name).filter((e) => e.reason === 'neigh-table-full');
    expect(drops.map((e) => e.pkt?.icmp?.type)).toEqual([8]);
    expect(w.events('tx', d.name).filter((e) => e.pkt.arp !== undefined)).toEqual([]);
    expect(w.events('icmp', d.name)).toEqual([]);
    const overflow = w.events('neigh', d.name).filter((e) => e.event === 'table-full');
    expect(overflow.map((e) => [e.address, e.state])).toEqual([['192.168.1.2', 'NONE']]);
    expect(d.neigh.gcStats.tableFulls).toBe(1);
    expect(w.out(d, 'ip neigh show 192.168.1.2')).toBe('');
  });

  it('an ARP request for a local address is not answered when the sender’s entry cannot be made', () => {
    const { w, d, b } = full();
    const r = w.runTimed(b, 'ping -c 1 -W 1 192.168.1.1');
    expect(r.result.exit).toBe(1);
    expect(w.events('tx', d.name).filter((e) => e.pkt.arp?.op === 'reply')).toEqual([]);
    const unanswered = w.events('drop', d.name).filter((e) => e.reason === 'neigh-table-full');
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.every((e) => e.pkt?.arp?.op === 'request' && e.pkt.arp.spa === '192.168.1.2')).toBe(true);
  });

  it('answers again once an entry is old enough to be collected (5 s without an update)', () => {
    const { w, d, b } = full();
    w.run(6 * SECOND);
    const r = w.runTimed(b, 'ping -c 1 -W 1 192.168.1.1');
    expect(r.result.exit).toBe(0);
    // max_clean = 4 - 2 = 2: the two oldest went.
    expect(collected(w, d, 'forced-gc')).toEqual([addr(1), addr(2)]);
  });

  it('administrative entries: ip neigh add fails with ENOBUFS, a permanent one is exempt, arp -s counts until it is PERMANENT', () => {
    const { w, d } = full();
    expect(w.sh(d, `ip neigh add ${addr(9)} lladdr ${mac(9)} dev eth0 nud stale`)).toEqual({ exit: 2, output: 'RTNETLINK answers: No buffer space available\n' });
    expect(w.sh(d, `arp -i eth0 -s ${addr(9)} ${mac(9)}`)).toEqual({ exit: 255, output: 'SIOCSARP: No buffer space available\n' });
    w.ok(d, `ip neigh add ${addr(9)} lladdr ${mac(9)} dev eth0 nud permanent`);
    expect(d.neigh.size).toEqual({ entries: 4, gcEntries: 3 });
    expect(collected(w, d, 'table-full')).toEqual([addr(9), addr(9)]);
  });
});

describe('periodic garbage collection (neigh_periodic_work)', () => {
  it('does nothing, and schedules nothing, while the table is below gc_thresh1', () => {
    const w = new TestWorld();
    const h = w.host('d');
    thresholds(w, h, 4, 100, 200);
    addStale(w, h, 1, 2, 3);
    expect(w.sim.pending).toBe(0);
    w.run(300 * SECOND);
    expect(shown(w, h)).toEqual([addr(1), addr(2), addr(3)]);
    expect(h.neigh.gcStats.periodicGcRuns).toBe(0);
  });

  it('at gc_thresh1 removes entries unused for gc_stale_time every base_reachable_time/2, then stops below it', () => {
    const w = new TestWorld();
    const h = w.host('d');
    thresholds(w, h, 4, 100, 200);
    addStale(w, h, 1, 2, 3);
    w.run(200 * SECOND);
    addStale(w, h, 4);
    // The work runs on the 15 s grid: at 210 s the three entries used at 0 s are past 60 s, the fourth is not.
    w.run(30 * SECOND);
    const removed = w.events('neigh', 'd').filter((e) => e.event === 'periodic-gc');
    expect(removed.map((e) => [e.address, e.t])).toEqual([
      [addr(1), 210 * SECOND],
      [addr(2), 210 * SECOND],
      [addr(3), 210 * SECOND],
    ]);
    expect(shown(w, h)).toEqual([addr(4)]);
    // The next run (225 s) finds one entry and stops: nothing is left to schedule.
    expect(h.neigh.gcStats.periodicGcRuns).toBe(1);
    expect(w.sim.pending).toBe(0);
  });

  it('spares PERMANENT entries and entries in a timer state, and removes FAILED ones at once', () => {
    const { w, a: d } = twoHosts();
    thresholds(w, d, 3, 100, 200);
    w.ok(d, `ip neigh add ${addr(1)} lladdr ${mac(1)} dev eth0 nud permanent`);
    w.ok(d, `ip neigh add ${addr(2)} lladdr ${mac(2)} dev eth0 nud permanent`);
    expect(d.neigh.size).toEqual({ entries: 2, gcEntries: 0 });
    // Nobody has 192.168.1.9: its entry goes FAILED after 3 s of probes; the third entry arms the work, whose
    // first run (15 s) removes it, finds the table below gc_thresh1 at 30 s and stops.
    w.runTimed(d, 'ping -c 1 -W 1 192.168.1.9');
    const changes = w.events('neigh', d.name).filter((e) => e.address === '192.168.1.9').map((e) => [e.state, e.event, e.t]);
    expect(changes).toEqual([
      ['INCOMPLETE', undefined, 0],
      ['FAILED', undefined, 3 * SECOND],
      ['FAILED', 'periodic-gc', 15 * SECOND],
    ]);
    expect(shown(w, d)).toEqual([addr(1), addr(2)]);
    expect(d.neigh.gcStats.periodicGcRuns).toBe(1);
    expect(w.sim.now()).toBe(30 * SECOND);
  });

  it('follows sysctl changes: a lower gc_thresh1 arms it, a longer gc_stale_time on the device keeps entries', () => {
    const w = new TestWorld();
    const h = w.host('d');
    addStale(w, h, 1, 2, 3);
    w.out(h, 'sysctl -w net.ipv4.neigh.eth0.gc_stale_time=120');
    w.run(100 * SECOND);
    w.out(h, 'sysctl -w net.ipv4.neigh.default.gc_thresh1=2');
    w.run(20 * SECOND);
    // Runs at 105 s and 120 s: used at 0 s, the entries are idle for less than 120 s at 105 s and not at 120 s.
    expect(w.events('neigh', 'd').filter((e) => e.event === 'periodic-gc').map((e) => e.t)).toEqual([120 * SECOND, 120 * SECOND, 120 * SECOND]);
    expect(shown(w, h)).toEqual([]);
  });

  it('an entry that stops being PERMANENT joins the gc list at its tail', () => {
    const w = new TestWorld();
    const h = w.host('d');
    thresholds(w, h, 100, 3, 4);
    w.ok(h, `ip neigh add ${addr(1)} lladdr ${mac(1)} dev eth0 nud permanent`);
    addStale(w, h, 2, 3);
    w.ok(h, `ip neigh replace ${addr(1)} lladdr ${mac(1)} dev eth0 nud stale`);
    expect(h.neigh.size).toEqual({ entries: 3, gcEntries: 3 });
    w.run(10 * SECOND);
    addStale(w, h, 4);
    // max_clean = 4 - 3 = 1: 10.0.0.2 is the head of the list now, not 10.0.0.1.
    expect(collected(w, h, 'forced-gc')).toEqual([addr(2)]);
  });
});
