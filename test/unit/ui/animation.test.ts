import { describe, expect, it } from 'vitest';
import type { PacketSummary, TraceEvent } from '../../../src/trace/index.ts';
import { FlightIndex, flightPath, nodePositions, pointAlong, type Flight } from '../../../src/ui/viewmodel/animation.ts';
import type { SegmentOf } from '../../../src/ui/viewmodel/topology.ts';
import { runScenario } from './lessonTraces.ts';

/**
 * The (tx, end) pairs of a trace, found the slow way: every end (rx, or drop of a frame) is matched to the latest
 * earlier tx of the same frame number on the same segment by a scan; a tx with no end at all is pending.
 */
function pairsOf(events: readonly TraceEvent[], segmentOf: SegmentOf): Array<{ key: string; t0: number; t1: number }> {
  const out: Array<{ key: string; t0: number; t1: number }> = [];
  const txs = events.filter((e) => e.kind === 'tx');
  const ended = new Set<number>();
  for (const e of events) {
    if ((e.kind !== 'rx' && e.kind !== 'drop') || e.frame === undefined) continue;
    const seg = e.kind === 'drop' && e.segment !== undefined ? e.segment : segmentOf(e.host!, e.iface!);
    let tx: TraceEvent | undefined;
    for (const x of txs) if (x.kind === 'tx' && x.frame === e.frame && x.seq < e.seq && segmentOf(x.host!, x.iface!) === seg) tx = x;
    if (tx === undefined) continue;
    ended.add(tx.seq);
    out.push({ key: `${tx.seq}>${e.seq}`, t0: tx.t, t1: e.t });
  }
  for (const x of txs) if (!ended.has(x.seq)) out.push({ key: `${x.seq}>pending`, t0: x.t, t1: Infinity });
  return out;
}

function bruteForce(pairs: ReadonlyArray<{ key: string; t0: number; t1: number }>, t: number): string[] {
  return pairs
    .filter((p) => p.t0 <= t && t < p.t1)
    .map((p) => p.key)
    .sort();
}

const keys = (fs: readonly Flight[]) => fs.map((f) => `${f.txSeq}>${f.end?.seq ?? 'pending'}`).sort();

describe('FlightIndex on a lesson trace', () => {
  const { events, segmentOf, topology } = runScenario('lessons/dr-basic');
  const index = new FlightIndex(segmentOf).addAll(events);

  it('finds exactly the frames on the cables at every tx and end moment, and between', () => {
    const pairs = pairsOf(events, segmentOf);
    const times = new Set<number>();
    for (const e of events) if (e.kind === 'tx' || e.kind === 'rx') times.add(e.t).add(e.t - 1).add(e.t + 1);
    let busy = 0;
    for (const t of times) {
      const got = keys(index.at(t));
      expect(got).toEqual(bruteForce(pairs, t));
      if (got.length > 0) busy++;
    }
    expect(busy).toBeGreaterThan(50);
    expect(index.at(-1)).toEqual([]);
  });

  it('places a frame by the fraction of its time on the way, and floods a broadcast to every port', () => {
    const syn = events.find((e) => e.kind === 'tx' && e.host === 'client' && e.pkt.tcp?.flags === 'S')!;
    const rx = events.find((e) => e.kind === 'rx' && e.host === 'router' && e.frame === (syn as { frame: number }).frame)!;
    const mid = (syn.t + rx.t) / 2;
    const f = index.at(mid).find((x) => x.txSeq === syn.seq)!;
    expect(f.fraction).toBeCloseTo(0.5, 9);
    expect(f.end).toMatchObject({ kind: 'rx', host: 'router', iface: 'eth0' });
    expect(f.segment).toBe('wan');
    // Halfway along client → wan switch → router.
    const path = flightPath(nodePositions(topology), f)!;
    expect(path).toHaveLength(3);
    const p = pointAlong(path, f.fraction);
    expect(p.y).toBe(200);
    expect(p.x).toBeCloseTo((60 + 220) / 2, 6);

    // The director's first ARP request on lan reaches the four other ports: four flights from one tx.
    const arp = events.find((e) => e.kind === 'tx' && e.host === 'router' && e.iface === 'eth1' && e.pkt.arp?.op === 'request')!;
    const flood = index.at(arp.t).filter((x) => x.txSeq === arp.seq);
    expect(flood.map((x) => x.end?.host).sort()).toEqual(['director', 'rs1', 'rs2']);
  });

  it('lists drops in a window, and counts the flights overlapping one', () => {
    const { events: hc, segmentOf: seg } = runScenario('lessons/health-check-failover');
    const idx = new FlightIndex(seg).addAll(hc);
    const drops = hc.filter((e) => e.kind === 'drop');
    expect(drops.length).toBeGreaterThan(3);
    const a = drops[1].t;
    const b = drops[drops.length - 2].t;
    expect(idx.dropsBetween(a, b)).toEqual(drops.filter((d) => d.t >= a && d.t <= b));
    const pairs = pairsOf(hc, seg);
    const [from, to] = [1e9, 1.001e9];
    const overlapping = pairs.filter((p) => p.t0 <= to && p.t1 > from).length;
    expect(overlapping).toBeGreaterThan(0);
    expect(idx.countDuring(from, to)).toBe(overlapping);
  });

  it('shows a tx whose end is not in the trace yet as pending, at its start', () => {
    const seg: SegmentOf = () => 'lan';
    const pkt: PacketSummary = { pid: 1 };
    const idx = new FlightIndex(seg);
    idx.add({ t: 100, seq: 1, kind: 'tx', host: 'a', iface: 'eth0', frame: 1, pkt });
    expect(idx.at(5000).map((f) => [f.fraction, f.end])).toEqual([[0, undefined]]);
    idx.add({ t: 300, seq: 2, kind: 'rx', host: 'b', iface: 'eth0', frame: 1, pkt });
    expect(idx.at(200).map((f) => f.fraction)).toEqual([0.5]);
    expect(idx.at(300)).toEqual([]);
    expect(idx.at(5000)).toEqual([]);
  });
});

describe('FlightIndex at scale', () => {
  // 200,000 frames, one every 1 µs over 4 segments, each 1.5–2.5 ms on the way: about 2,000 in flight at once.
  const N = 200_000;
  const segs = ['s0', 's1', 's2', 's3'];
  const segmentOf: SegmentOf = (host) => segs[Number(host.slice(1)) % 4];
  const pkt: PacketSummary = { pid: 0 };
  // A quiet gap in the middle, so some queries find nothing.
  const start = (i: number) => i * 1000 + (i >= N / 2 ? 10_000_000 : 0);
  const duration = (i: number) => 1_500_000 + ((i * 7919) % 1_000_000);
  // Every tx and its rx, in time order (an rx before a tx at the same instant), then numbered as a trace is.
  const moments: Array<{ t: number; rx: boolean; i: number }> = [];
  for (let i = 0; i < N; i++) moments.push({ t: start(i), rx: false, i }, { t: start(i) + duration(i), rx: true, i });
  moments.sort((a, b) => a.t - b.t || Number(b.rx) - Number(a.rx) || a.i - b.i);
  const events: TraceEvent[] = moments.map((m, seq) =>
    m.rx
      ? { t: m.t, seq, kind: 'rx', host: `r${m.i % 4}`, iface: 'eth0', frame: Math.floor(m.i / 4), pkt }
      : { t: m.t, seq, kind: 'tx', host: `h${m.i % 4}`, iface: 'eth0', frame: Math.floor(m.i / 4), pkt },
  );
  const index = new FlightIndex(segmentOf).addAll(events);

  it('answers any time, forwards or backwards, visiting few nodes', () => {
    const inFlightAt = (t: number) => {
      let n = 0;
      for (let i = 0; i < N; i++) if (start(i) <= t && t < start(i) + duration(i)) n++;
      return n;
    };
    const queries = [150_000_000, 60_000_000, 3_000_000, 195_000_000, 100_500_000, 199_000_000, 20_000_000];
    for (const t of queries) {
      const got = index.at(t);
      expect(got.length).toBe(inFlightAt(t));
      for (const f of got) expect(f.t0 <= t && t < f.end!.t).toBe(true);
      const k = got.length;
      // O(log n + k·log(n/k)): here about 2,000·7 plus a root-to-leaf path.
      const bound = k > 0 ? k * (2 * Math.log2(N / k) + 4) + 4 * Math.log2(N) : 4 * Math.log2(N) + 4;
      expect(index.lastVisits).toBeLessThanOrEqual(bound);
    }
    expect(index.at(150_000_000).length).toBeGreaterThan(1800);
    // In the quiet gap nothing is on the way, and finding that out is a root-to-leaf walk or less.
    expect(index.at(100_000_000 + 8_000_000)).toEqual([]);
    expect(index.lastVisits).toBeLessThanOrEqual(4 * Math.log2(N) + 4);
  });
});

describe('pointAlong', () => {
  it('walks a polyline by length', () => {
    const path = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ];
    expect(pointAlong(path, 0)).toEqual({ x: 0, y: 0 });
    expect(pointAlong(path, 0.25)).toEqual({ x: 5, y: 0 });
    expect(pointAlong(path, 0.75)).toEqual({ x: 10, y: 5 });
    expect(pointAlong(path, 1)).toEqual({ x: 10, y: 10 });
    expect(pointAlong(path, 2)).toEqual({ x: 10, y: 10 });
  });
});
