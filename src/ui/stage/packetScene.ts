import type { DropEvent, PacketSummary, TraceEvent } from '../../trace/index.ts';
import { FlightIndex, nodePositions, type Flight } from '../viewmodel/animation.ts';
import { PACKET_KINDS, PacketClassifier, type PacketKind } from '../viewmodel/packetKinds.ts';
import { hostNodeId, segmentLookup, switchNodeId, type Point, type SegmentOf, type Topology } from '../viewmodel/topology.ts';

/**
 * What the packet layer draws at a simulated time, as numbers: where every frame in flight is, of which kind,
 * whether it is a tunnel (a packet inside a packet), and where recent drops are. Pure (no pixi.js), so the
 * placement and the incremental feeding can be tested in Node; the stage turns a PacketFrame into sprites.
 *
 * The scene is fed the playback's event array as it grows (`sync`), and rebuilds its indexes when it is handed
 * a different array (the playback re-simulated: a new Lab, a new trace).
 */

/** Index of each kind in PACKET_KINDS: the frame stores kinds as small integers. */
export const KIND_INDEX: Readonly<Record<PacketKind, number>> = Object.fromEntries(PACKET_KINDS.map((k, i) => [k, i])) as Record<PacketKind, number>;

/** One frame's packets, struct-of-arrays so that 20,000 of them cost no per-packet objects beyond the flights. */
export class PacketFrame {
  count = 0;
  x = new Float64Array(256);
  y = new Float64Array(256);
  /** KIND_INDEX of the packet's kind. */
  kind = new Uint8Array(256);
  /** 1 for an IPIP packet that carries another (drawn as a packet inside a packet). */
  tunnel = new Uint8Array(256);
  readonly flights: Flight[] = [];

  reset(): void {
    this.count = 0;
    this.flights.length = 0;
  }

  push(x: number, y: number, kind: number, tunnel: boolean, flight: Flight): void {
    const i = this.count;
    if (i === this.x.length) this.grow();
    this.x[i] = x;
    this.y[i] = y;
    this.kind[i] = kind;
    this.tunnel[i] = tunnel ? 1 : 0;
    this.flights[i] = flight;
    this.count = i + 1;
  }

  private grow(): void {
    const n = this.x.length * 2;
    const x = new Float64Array(n);
    x.set(this.x);
    const y = new Float64Array(n);
    y.set(this.y);
    const kind = new Uint8Array(n);
    kind.set(this.kind);
    const tunnel = new Uint8Array(n);
    tunnel.set(this.tunnel);
    this.x = x;
    this.y = y;
    this.kind = kind;
    this.tunnel = tunnel;
  }
}

/** A drop shown on the stage: where, and how long ago (ns) at the shown time. */
export interface DropMarker {
  readonly x: number;
  readonly y: number;
  readonly age: number;
  readonly drop: DropEvent;
}

/** Where a drop inside a host is marked: up and right of the host's centre, on the corner of its icon. */
const HOST_BADGE: Point = { x: 13, y: -13 };
/** A drop at a receiving interface sits this far along the cable from the switch to the host. */
const CABLE_END = 0.75;
/** Several drops at one place fan out on a spiral of this step (world units), so each can be seen and pointed at. */
const SPREAD = 5;

export function isTunnel(p: PacketSummary): boolean {
  return p.ip?.proto === 'ipip' && p.inner !== undefined;
}

/**
 * The point `fraction` of the way along sender → switch (→ receiver), by length, moved `offset` world units
 * to the right of the direction of travel (screen coordinates, y down): so a request and its answer on the
 * same cable pass side by side instead of on top of each other. Writes into `out` (no allocation).
 */
export function placeOnPath(a: Point, s: Point, b: Point | undefined, fraction: number, offset: number, out: { x: number; y: number }): void {
  const f = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
  const l1 = Math.hypot(s.x - a.x, s.y - a.y);
  const l2 = b === undefined ? 0 : Math.hypot(b.x - s.x, b.y - s.y);
  let along = f * (l1 + l2);
  let p0 = a;
  let p1 = s;
  let len = l1;
  if (b !== undefined && (along > l1 || l1 === 0) && l2 > 0) {
    along -= l1;
    p0 = s;
    p1 = b;
    len = l2;
  }
  if (len === 0) {
    out.x = p0.x;
    out.y = p0.y;
    return;
  }
  const ux = (p1.x - p0.x) / len;
  const uy = (p1.y - p0.y) / len;
  const d = Math.min(along, len);
  out.x = p0.x + ux * d - uy * offset;
  out.y = p0.y + uy * d + ux * offset;
}

export class PacketScene {
  readonly topology: Topology;
  readonly segmentOf: SegmentOf;
  private readonly positions: Map<string, Point>;
  private readonly checkers: string[];
  private index!: FlightIndex;
  private classifier!: PacketClassifier;
  /** Kinds by packet summary object (summaries are shared by a frame's tx and its ends, and immutable). */
  private kinds = new WeakMap<PacketSummary, PacketKind>();
  private fedFrom: readonly TraceEvent[] | undefined;
  private fed = 0;
  /** Incremented whenever the indexes are rebuilt from a new trace. */
  generation = 0;
  private readonly scratch = { x: 0, y: 0 };

  constructor(topology: Topology) {
    this.topology = topology;
    this.segmentOf = segmentLookup(topology);
    this.positions = nodePositions(topology);
    this.checkers = topology.hosts.filter((h) => h.daemons.length > 0).map((h) => h.name);
    this.resetIndexes();
  }

  /** Feeds what `events` gained since the last call; a different array (a re-simulation) starts afresh. */
  sync(events: readonly TraceEvent[]): void {
    if (events !== this.fedFrom || events.length < this.fed) {
      this.resetIndexes();
      this.fedFrom = events;
      this.generation++;
    }
    for (let i = this.fed; i < events.length; i++) {
      const e = events[i];
      this.classifier.observe(e);
      this.index.add(e);
    }
    this.fed = events.length;
  }

  /** Events fed so far. */
  get fedCount(): number {
    return this.fed;
  }

  kindOf(p: PacketSummary): PacketKind {
    let k = this.kinds.get(p);
    if (k === undefined) {
      k = this.classifier.classify(p);
      this.kinds.set(p, k);
    }
    return k;
  }

  /** Every frame in flight at t, placed (see placeOnPath), into `out` (cleared first), in tx order. */
  fill(t: number, offset: number, out: PacketFrame): void {
    out.reset();
    const pos = this.positions;
    const p = this.scratch;
    this.index.forEachAt(t, (f) => {
      const a = pos.get(hostNodeId(f.from.host));
      const s = pos.get(switchNodeId(f.segment));
      if (a === undefined || s === undefined) return;
      const b = f.end?.host !== undefined ? pos.get(hostNodeId(f.end.host)) : undefined;
      placeOnPath(a, s, b, f.fraction, offset, p);
      out.push(p.x, p.y, KIND_INDEX[this.kindOf(f.pkt)], isTunnel(f.pkt), f);
    });
  }

  /** Flights in the air at t (for the text alternative and tests). */
  flightsAt(t: number): Flight[] {
    return this.index.at(t);
  }

  /** Drops that happened in (t − linger, t], placed where they happened, oldest first. */
  dropsAt(t: number, linger: number): DropMarker[] {
    const out: DropMarker[] = [];
    const seen = new Map<string, number>();
    for (const d of this.index.dropsBetween(t - linger, t)) {
      if (d.t <= t - linger && linger > 0) continue;
      const at = this.dropPlace(d);
      if (at === undefined) continue;
      const key = `${Math.round(at.x)},${Math.round(at.y)}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      // Golden-angle spiral: the k-th drop at one place is k steps out, never on top of an earlier one.
      const r = k === 0 ? 0 : SPREAD * Math.sqrt(k);
      out.push({ x: at.x + r * Math.cos(k * 2.39996), y: at.y + r * Math.sin(k * 2.39996), age: t - d.t, drop: d });
    }
    return out;
  }

  /**
   * Where a drop happened on the stage: at the switch for a drop there, near the receiving end of the cable
   * for a frame dropped as it arrived, on the host's corner for a drop inside a host; undefined for a drop
   * the topology cannot place.
   */
  dropPlace(d: DropEvent): Point | undefined {
    const pos = this.positions;
    if (d.host === undefined) return d.segment !== undefined ? pos.get(switchNodeId(d.segment)) : undefined;
    const h = pos.get(hostNodeId(d.host));
    if (h === undefined) return undefined;
    if (d.frame !== undefined) {
      const seg = d.segment ?? (d.iface !== undefined ? this.segmentOf(d.host, d.iface) : undefined);
      const s = seg !== undefined ? pos.get(switchNodeId(seg)) : undefined;
      if (s !== undefined) return { x: s.x + (h.x - s.x) * CABLE_END, y: s.y + (h.y - s.y) * CABLE_END };
    }
    return { x: h.x + HOST_BADGE.x, y: h.y + HOST_BADGE.y };
  }

  private resetIndexes(): void {
    this.index = new FlightIndex(this.segmentOf);
    this.classifier = new PacketClassifier(this.checkers);
    this.kinds = new WeakMap();
    this.fed = 0;
  }
}
