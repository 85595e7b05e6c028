import type { DropEvent, DropReason, PacketSummary, TraceEvent, TxEvent } from '../../trace/index.ts';
import { dist, hostNodeId, switchNodeId, type Point, type SegmentOf, type Topology } from './topology.ts';

/**
 * Which frames are on the cables at a given moment, and how far along.
 *
 * A frame is in flight from its `tx` (the sending interface starts to put it on its cable) until its end: the
 * `rx` at an interface across the segment's switch, or a `drop` on the way (at the switch, or at the receiving
 * interface). A switch floods a broadcast, so one tx can have several ends; each (tx, end) pair is one flight.
 * Frame numbers count per segment, so a tx and its ends are matched by (segment, frame).
 *
 * The index is fed trace events in order (`add`) and answers "in flight at t" for any t, forwards or backwards,
 * without a scan: transmissions are kept in time order (the trace appends them so) in a segment tree whose
 * nodes hold the latest end time below them; a query finds the last tx at or before t by binary search and
 * descends only into subtrees whose latest end is after t. That visits O(log n + k·log(n/k)) nodes for k frames
 * in flight among n transmissions: about 4,000 node visits, a quarter of a millisecond in Node, for 2,000 in
 * flight among a million frames.
 *
 * A tx whose end is not in the trace yet (the simulation has not got that far) is reported as `pending`, at
 * the start of its cable: nothing about its arrival is guessed. The playback keeps the simulation a little
 * ahead of the displayed time for this reason (playbackMachine's `lookahead`). For a flooded frame, only the
 * ends already in the trace are known.
 */

export interface FlightEnd {
  readonly kind: 'rx' | 'drop';
  readonly t: number;
  readonly seq: number;
  /** The receiving host and interface; absent for a drop at the switch. */
  readonly host?: string;
  readonly iface?: string;
  readonly reason?: DropReason;
  readonly detail?: string;
}

/** One frame on its way at the queried time. */
export interface Flight {
  readonly segment: string;
  readonly frame: number;
  readonly pid: number;
  readonly pkt: PacketSummary;
  readonly from: { readonly host: string; readonly iface: string };
  readonly t0: number;
  readonly txSeq: number;
  /** Undefined while pending. */
  readonly end: FlightEnd | undefined;
  /** 0 at the sender, 1 at the end (the receiving interface, or the switch for a drop there); 0 while pending. */
  readonly fraction: number;
}

interface TxRecord {
  readonly tx: TxEvent;
  readonly segment: string;
  readonly from: Flight['from'];
  readonly ends: FlightEnd[];
}

/** The tree's value for a transmission whose end is not known yet: in flight at every later time. */
const OPEN = Infinity;
const EMPTY = -Infinity;

export class FlightIndex {
  private readonly records: TxRecord[] = [];
  /** Leaf i's start time, for the binary search (same order as records). */
  private readonly starts: number[] = [];
  private capacity = 1024;
  /** Max end time per node; leaves at [capacity, 2·capacity). */
  private tree = new Float64Array(2 * this.capacity).fill(EMPTY);
  /** The search's stack: at most two nodes per tree level (2·32 covers any capacity). */
  private readonly stack = new Int32Array(64);
  /** Per segment: frame number → record index. */
  private readonly byFrame = new Map<string, Map<number, number>>();
  private readonly drops: DropEvent[] = [];
  /** Nodes the last query visited (for tests of the bound above). */
  lastVisits = 0;

  constructor(private readonly segmentOf: SegmentOf) {}

  addAll(events: Iterable<TraceEvent>): this {
    for (const e of events) this.add(e);
    return this;
  }

  add(e: TraceEvent): void {
    if (e.kind === 'tx') this.addTx(e);
    else if (e.kind === 'rx') this.addEnd(e.host, e.iface, undefined, e.frame, { kind: 'rx', t: e.t, seq: e.seq, ...place(e) });
    else if (e.kind === 'drop') {
      this.drops.push(e);
      if (e.frame !== undefined) {
        this.addEnd(e.host, e.iface, e.segment, e.frame, {
          kind: 'drop',
          t: e.t,
          seq: e.seq,
          reason: e.reason,
          ...place(e),
          ...(e.detail !== undefined ? { detail: e.detail } : {}),
        });
      }
    }
  }

  /** Transmissions indexed so far. */
  get size(): number {
    return this.records.length;
  }

  /** Every flight in the air at time t (started at or before t, not yet ended at t). */
  at(t: number): Flight[] {
    const out: Flight[] = [];
    this.forEachAt(t, (f) => out.push(f));
    return out;
  }

  /** As `at`, without building an array: for the renderer's per-frame loop. Flights come in tx order. */
  forEachAt(t: number, visit: (f: Flight) => void): void {
    this.search(t, t, (r) => {
      const tx = r.tx;
      if (r.ends.length === 0) {
        visit({ segment: r.segment, frame: tx.frame, pid: tx.pkt.pid, pkt: tx.pkt, from: r.from, t0: tx.t, txSeq: tx.seq, end: undefined, fraction: 0 });
        return;
      }
      for (const end of r.ends) {
        if (end.t <= t) continue;
        const fraction = end.t > tx.t ? (t - tx.t) / (end.t - tx.t) : 1;
        visit({ segment: r.segment, frame: tx.frame, pid: tx.pkt.pid, pkt: tx.pkt, from: r.from, t0: tx.t, txSeq: tx.seq, end, fraction });
      }
    });
  }

  /** How many flights overlap the window [a, b] (started by b, not ended by a): a pending tx counts once. */
  countDuring(a: number, b: number): number {
    let n = 0;
    this.search(a, b, (r) => {
      if (r.ends.length === 0) n++;
      else for (const end of r.ends) if (end.t > a) n++;
    });
    return n;
  }

  /** Drops with a ≤ t ≤ b, in trace order: inside hosts (no-route, rp-filter, ...) as well as on the way. */
  dropsBetween(a: number, b: number): DropEvent[] {
    const from = lowerBound(this.drops.length, (i) => this.drops[i].t >= a);
    const out: DropEvent[] = [];
    for (let i = from; i < this.drops.length && this.drops[i].t <= b; i++) out.push(this.drops[i]);
    return out;
  }

  private addTx(e: TxEvent): void {
    const segment = e.host !== undefined && e.iface !== undefined ? this.segmentOf(e.host, e.iface) : undefined;
    // An interface the topology does not know (none in the shipped scenarios) cannot be drawn: skip it.
    if (segment === undefined) return;
    const i = this.records.length;
    if (i === this.capacity) this.grow();
    this.records.push({ tx: e, segment, from: { host: e.host!, iface: e.iface! }, ends: [] });
    this.starts.push(e.t);
    let frames = this.byFrame.get(segment);
    if (frames === undefined) this.byFrame.set(segment, (frames = new Map()));
    frames.set(e.frame, i);
    this.setLeaf(i, OPEN);
  }

  private addEnd(host: string | undefined, iface: string | undefined, atSwitch: string | undefined, frame: number, end: FlightEnd): void {
    const segment = atSwitch ?? (host !== undefined && iface !== undefined ? this.segmentOf(host, iface) : undefined);
    if (segment === undefined) return;
    const i = this.byFrame.get(segment)?.get(frame);
    if (i === undefined) return;
    const r = this.records[i];
    r.ends.push(end);
    let latest = EMPTY;
    for (const x of r.ends) latest = Math.max(latest, x.t);
    this.setLeaf(i, latest);
  }

  private setLeaf(i: number, value: number): void {
    let n = this.capacity + i;
    this.tree[n] = value;
    for (n >>= 1; n >= 1; n >>= 1) this.tree[n] = Math.max(this.tree[2 * n], this.tree[2 * n + 1]);
  }

  private grow(): void {
    const old = this.tree;
    const oldCap = this.capacity;
    this.capacity *= 2;
    this.tree = new Float64Array(2 * this.capacity).fill(EMPTY);
    this.tree.set(old.subarray(oldCap, 2 * oldCap), this.capacity);
    for (let n = this.capacity - 1; n >= 1; n--) this.tree[n] = Math.max(this.tree[2 * n], this.tree[2 * n + 1]);
  }

  /** Records with start ≤ b whose latest end is after a (or open), in leaf order. */
  private search(a: number, b: number, visit: (r: TxRecord) => void): void {
    const last = lowerBound(this.starts.length, (i) => this.starts[i] > b) - 1;
    this.lastVisits = 0;
    if (last < 0) return;
    // Depth-first over [0, last], left to right: a node is entered only if something below it ends after a.
    // The stack holds node numbers only (a node's range follows from its depth), and never more than two
    // per level of the tree.
    const stack = this.stack;
    let top = 0;
    stack[top++] = 1;
    const tree = this.tree;
    const cap = this.capacity;
    while (top > 0) {
      const node = stack[--top];
      this.lastVisits++;
      if (tree[node] <= a) continue;
      // The first leaf under the node: shift it down to the leaf level.
      const level = 31 - Math.clz32(node);
      const depth = 31 - Math.clz32(cap);
      const lo = (node << (depth - level)) - cap;
      if (lo > last) continue;
      if (node >= cap) {
        visit(this.records[lo]);
        continue;
      }
      stack[top++] = 2 * node + 1;
      stack[top++] = 2 * node;
    }
  }
}

/** The first index in [0, n) for which `ok` holds (ok is false then true along the range); n if none. */
function lowerBound(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function place(e: { host?: string; iface?: string }): { host?: string; iface?: string } {
  return { ...(e.host !== undefined ? { host: e.host } : {}), ...(e.iface !== undefined ? { iface: e.iface } : {}) };
}

/** Every node's position by id (`host:NAME`, `segment:NAME`): build once per topology, for flightPath. */
export function nodePositions(topology: Topology): Map<string, Point> {
  const out = new Map<string, Point>();
  for (const h of topology.hosts) out.set(h.id, h.position);
  for (const s of topology.switches) out.set(s.id, s.position);
  return out;
}

/**
 * The points a flight passes on the stage: the sender, the segment's switch, and the receiver (absent for a
 * drop at the switch or while pending). Undefined when a node is missing from the topology.
 */
export function flightPath(positions: ReadonlyMap<string, Point>, f: Flight): Point[] | undefined {
  const a = positions.get(hostNodeId(f.from.host));
  const s = positions.get(switchNodeId(f.segment));
  if (a === undefined || s === undefined) return undefined;
  if (f.end?.host === undefined) return [a, s];
  const b = positions.get(hostNodeId(f.end.host));
  return b === undefined ? undefined : [a, s, b];
}

/** The point `fraction` (0..1) of the way along a polyline, by length. */
export function pointAlong(path: readonly Point[], fraction: number): Point {
  if (path.length === 1) return path[0];
  let total = 0;
  for (let i = 1; i < path.length; i++) total += dist(path[i - 1], path[i]);
  let left = Math.max(0, Math.min(1, fraction)) * total;
  for (let i = 1; i < path.length; i++) {
    const d = dist(path[i - 1], path[i]);
    if (left <= d || i === path.length - 1) {
      const f = d === 0 ? 0 : Math.min(1, left / d);
      return { x: path[i - 1].x + (path[i].x - path[i - 1].x) * f, y: path[i - 1].y + (path[i].y - path[i - 1].y) * f };
    }
    left -= d;
  }
  return path[path.length - 1];
}
