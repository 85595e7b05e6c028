import { describe, expect, it } from 'vitest';
import type { DropEvent, TraceEvent } from '../../../../src/trace/index.ts';
import { KIND_INDEX, PacketFrame, PacketScene, placeOnPath } from '../../../../src/ui/stage/packetScene.ts';
import { FlightIndex, flightPath, nodePositions, pointAlong } from '../../../../src/ui/viewmodel/animation.ts';
import { PACKET_KINDS, PacketClassifier } from '../../../../src/ui/viewmodel/packetKinds.ts';
import { distToSegment, hostNodeId, switchNodeId } from '../../../../src/ui/viewmodel/topology.ts';
import { runScenario } from '../lessonTraces.ts';

/** Times at which something is on a cable: the middle of every transmission that arrives. */
function midFlights(events: readonly TraceEvent[], index: FlightIndex): number[] {
  const out: number[] = [];
  for (const e of events) {
    if (e.kind !== 'tx') continue;
    const f = index.at(e.t).find((x) => x.txSeq === e.seq && x.end !== undefined);
    if (f?.end !== undefined) out.push(Math.floor((f.t0 + f.end.t) / 2));
  }
  return out;
}

describe('placeOnPath', () => {
  const a = { x: 0, y: 0 };
  const s = { x: 100, y: 0 };
  const b = { x: 100, y: 50 };
  const out = { x: 0, y: 0 };

  it('agrees with the view model\'s pointAlong when there is no offset', () => {
    for (const f of [0, 0.1, 0.5, 0.66, 2 / 3, 0.9, 1]) {
      placeOnPath(a, s, b, f, 0, out);
      const p = pointAlong([a, s, b], f);
      expect(out.x).toBeCloseTo(p.x, 9);
      expect(out.y).toBeCloseTo(p.y, 9);
      placeOnPath(a, s, undefined, f, 0, out);
      const q = pointAlong([a, s], f);
      expect(out.x).toBeCloseTo(q.x, 9);
      expect(out.y).toBeCloseTo(q.y, 9);
    }
  });

  it('moves a packet to the right of its direction of travel, so that opposite directions pass side by side', () => {
    placeOnPath(a, s, b, 0.3, 4, out);
    // Travelling +x with y down: right is +y.
    expect(out).toEqual({ x: 45, y: 4 });
    placeOnPath(s, a, undefined, 0.55, 4, out);
    expect(out.x).toBeCloseTo(45, 9);
    expect(out.y).toBeCloseTo(-4, 9);
    // On the second leg (travelling +y) right is −x.
    placeOnPath(a, s, b, 0.9, 4, out);
    expect(out.x).toBeCloseTo(96, 9);
    expect(out.y).toBeCloseTo(35, 9);
  });

  it('clamps the fraction and copes with zero-length legs', () => {
    placeOnPath(a, s, b, -1, 0, out);
    expect(out).toEqual({ x: 0, y: 0 });
    placeOnPath(a, s, b, 7, 0, out);
    expect(out).toEqual({ x: 100, y: 50 });
    placeOnPath(a, a, b, 0.5, 3, out);
    expect(Number.isFinite(out.x) && Number.isFinite(out.y)).toBe(true);
    placeOnPath(a, a, undefined, 0.5, 3, out);
    expect(out).toEqual({ x: 0, y: 0 });
  });
});

describe('PacketScene on a lesson trace', () => {
  const { events, topology, segmentOf } = runScenario('lessons/dr-basic');
  const index = new FlightIndex(segmentOf).addAll(events);
  const classifier = new PacketClassifier(topology.hosts.filter((h) => h.daemons.length > 0).map((h) => h.name)).observeAll(events);
  const positions = nodePositions(topology);
  const times = midFlights(events, index);

  it('draws every flight in the air at t, in tx order, on its cable', () => {
    const scene = new PacketScene(topology);
    scene.sync(events);
    const frame = new PacketFrame();
    expect(times.length).toBeGreaterThan(50);
    for (const t of times) {
      scene.fill(t, 0, frame);
      const flights = index.at(t);
      expect(frame.count).toBe(flights.length);
      for (let i = 0; i < frame.count; i++) {
        const f = flights[i];
        expect(frame.flights[i].txSeq).toBe(f.txSeq);
        const p = pointAlong(flightPath(positions, f)!, f.fraction);
        expect(frame.x[i]).toBeCloseTo(p.x, 9);
        expect(frame.y[i]).toBeCloseTo(p.y, 9);
        expect(PACKET_KINDS[frame.kind[i]]).toBe(classifier.classify(f.pkt));
        expect(frame.tunnel[i]).toBe(0);
      }
    }
  });

  it('with an offset, keeps each packet exactly that far beside its cable', () => {
    const scene = new PacketScene(topology);
    scene.sync(events);
    const frame = new PacketFrame();
    for (const t of times.slice(0, 40)) {
      scene.fill(t, 5, frame);
      for (let i = 0; i < frame.count; i++) {
        const f = frame.flights[i];
        const path = flightPath(positions, f)!;
        const p = { x: frame.x[i], y: frame.y[i] };
        const d = Math.min(...path.slice(1).map((q, k) => distToSegment(p, path[k], q)));
        expect(d).toBeCloseTo(5, 6);
      }
    }
  });

  it('gives the same picture fed all at once or bit by bit, and starts again on a new trace', () => {
    const whole = new PacketScene(topology);
    whole.sync(events);
    const growing: TraceEvent[] = [];
    const piecewise = new PacketScene(topology);
    const a = new PacketFrame();
    const b = new PacketFrame();
    for (let i = 0; i < events.length; i += 37) {
      growing.push(...events.slice(i, i + 37));
      piecewise.sync(growing);
    }
    expect(piecewise.fedCount).toBe(events.length);
    expect(piecewise.generation).toBe(1);
    for (const t of times.slice(0, 60)) {
      whole.fill(t, 3, a);
      piecewise.fill(t, 3, b);
      expect(Array.from(b.x.subarray(0, b.count))).toEqual(Array.from(a.x.subarray(0, a.count)));
      expect(b.flights.map((f) => f.txSeq)).toEqual(a.flights.map((f) => f.txSeq));
    }
    // A re-simulation hands over a new array: the scene forgets the old one.
    const shorter = events.slice(0, 10);
    piecewise.sync(shorter);
    expect(piecewise.generation).toBe(2);
    expect(piecewise.fedCount).toBe(10);
    piecewise.fill(times[times.length - 1], 0, b);
    expect(b.count).toBe(0);
  });

  it('marks a drop inside a host on the host\'s corner, for as long as it lingers', () => {
    const scene = new PacketScene(topology);
    scene.sync(events);
    const drops = events.filter((e): e is DropEvent => e.kind === 'drop');
    expect(drops.map((d) => d.reason)).toEqual(['arp-ignored', 'arp-ignored']);
    const t = drops[0].t;
    const shown = scene.dropsAt(t + 1000, 5000);
    expect(shown.map((m) => m.drop)).toEqual(drops);
    expect(shown.map((m) => m.age)).toEqual([1000, 1000]);
    for (const m of shown) {
      const h = topology.hosts.find((x) => x.name === m.drop.host)!;
      expect({ x: m.x, y: m.y }).toEqual({ x: h.position.x + 13, y: h.position.y - 13 });
    }
    expect(scene.dropsAt(t - 1, 5000)).toEqual([]);
    expect(scene.dropsAt(t + 5000, 5000)).toEqual([]);
    expect(scene.dropsAt(t + 4999, 5000).length).toBe(2);
  });
});

describe('PacketScene drop places', () => {
  const { topology } = runScenario('lessons/dr-basic');
  const scene = new PacketScene(topology);
  const pos = nodePositions(topology);
  const lan = pos.get(switchNodeId('lan'))!;
  const rs1 = pos.get(hostNodeId('rs1'))!;

  it('puts a drop at a switch on the switch, one on arrival near the end of the cable, others on the host', () => {
    expect(scene.dropPlace({ kind: 'drop', t: 0, seq: 0, segment: 'lan', frame: 3, reason: 'link-down' })).toEqual(lan);
    const arriving = scene.dropPlace({ kind: 'drop', t: 0, seq: 0, host: 'rs1', iface: 'eth0', frame: 3, reason: 'host-down' })!;
    expect(arriving.x).toBeCloseTo(lan.x + 0.75 * (rs1.x - lan.x), 9);
    expect(arriving.y).toBeCloseTo(lan.y + 0.75 * (rs1.y - lan.y), 9);
    expect(scene.dropPlace({ kind: 'drop', t: 0, seq: 0, host: 'rs1', reason: 'no-route' })).toEqual({ x: rs1.x + 13, y: rs1.y - 13 });
    expect(scene.dropPlace({ kind: 'drop', t: 0, seq: 0, host: 'nobody', reason: 'no-route' })).toBeUndefined();
    expect(scene.dropPlace({ kind: 'drop', t: 0, seq: 0, reason: 'no-route' })).toBeUndefined();
  });

  it('fans several drops at one place out so that each can be seen', () => {
    const drops: TraceEvent[] = [0, 1, 2, 3, 4].map((i) => ({ kind: 'drop', t: 100 + i, seq: i, host: 'rs1', reason: 'no-route' }));
    scene.sync(drops);
    const shown = scene.dropsAt(200, 1000);
    expect(shown.length).toBe(5);
    const keys = new Set(shown.map((m) => `${m.x.toFixed(3)},${m.y.toFixed(3)}`));
    expect(keys.size).toBe(5);
    for (const m of shown) expect(Math.hypot(m.x - (rs1.x + 13), m.y - (rs1.y - 13))).toBeLessThanOrEqual(5 * Math.sqrt(4) + 1e-9);
  });
});

describe('PacketScene on an IPIP lesson', () => {
  it('flags tunnelled packets, classed by what they carry', () => {
    const { events, topology, segmentOf } = runScenario('lessons/tun-basic');
    const scene = new PacketScene(topology);
    scene.sync(events);
    const index = new FlightIndex(segmentOf).addAll(events);
    const frame = new PacketFrame();
    let tunnels = 0;
    for (const t of midFlights(events, index)) {
      scene.fill(t, 0, frame);
      for (let i = 0; i < frame.count; i++) {
        const p = frame.flights[i].pkt;
        const ipip = p.ip?.proto === 'ipip';
        expect(frame.tunnel[i]).toBe(ipip ? 1 : 0);
        if (ipip) {
          tunnels++;
          expect(frame.kind[i]).not.toBe(KIND_INDEX.other);
        }
      }
    }
    expect(tunnels).toBeGreaterThan(10);
  });
});
