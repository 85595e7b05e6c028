import type { Point, Topology } from '../viewmodel/topology.ts';
import type { DropMarker, PacketFrame } from './packetScene.ts';

/**
 * What is under a point of the stage. The sprites are particles (no per-sprite events in pixi.js), so the
 * stage does its own hit testing, in world coordinates, over what it drew last: packets first (they are drawn
 * on top), then drop marks, then hosts and switches.
 */

export type StageHit =
  | { readonly kind: 'packet'; readonly index: number; readonly pid: number }
  | { readonly kind: 'drop'; readonly index: number; readonly pid: number | undefined }
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'switch'; readonly name: string };

export interface HitSizes {
  /** World radius within which a packet or drop mark is hit. */
  readonly packet: number;
  /** World half-size of a host's icon box. */
  readonly host: number;
  /** World half-width and half-height of a switch's box. */
  readonly switchHalfWidth: number;
  readonly switchHalfHeight: number;
}

/**
 * The packet nearest to p within `radius`; among equally near ones the last drawn (the one on top). -1 if none.
 * A linear scan: 20,000 packets take a fraction of a millisecond, and it runs once per pointer event.
 */
export function packetAt(frame: PacketFrame, p: Point, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  const xs = frame.x;
  const ys = frame.y;
  for (let i = 0; i < frame.count; i++) {
    const dx = xs[i] - p.x;
    const dy = ys[i] - p.y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** The drop mark nearest to p within `radius` (the latest on a tie); -1 if none. */
export function dropAt(drops: readonly DropMarker[], p: Point, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < drops.length; i++) {
    const dx = drops[i].x - p.x;
    const dy = drops[i].y - p.y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** The host whose icon box holds p (the nearest centre if boxes overlap), else the switch; undefined if none. */
export function nodeAt(topology: Topology, p: Point, sizes: HitSizes): StageHit | undefined {
  let host: string | undefined;
  let hostD = Infinity;
  for (const h of topology.hosts) {
    const dx = Math.abs(h.position.x - p.x);
    const dy = Math.abs(h.position.y - p.y);
    if (dx > sizes.host || dy > sizes.host) continue;
    const d = dx * dx + dy * dy;
    if (d < hostD) {
      host = h.name;
      hostD = d;
    }
  }
  if (host !== undefined) return { kind: 'host', name: host };
  for (const s of topology.switches) {
    if (Math.abs(s.position.x - p.x) <= sizes.switchHalfWidth && Math.abs(s.position.y - p.y) <= sizes.switchHalfHeight) return { kind: 'switch', name: s.name };
  }
  return undefined;
}

/** Everything the stage draws, in the order a pointer meets it. */
export function hitTest(frame: PacketFrame, drops: readonly DropMarker[], topology: Topology, p: Point, sizes: HitSizes): StageHit | undefined {
  const i = packetAt(frame, p, sizes.packet);
  if (i >= 0) return { kind: 'packet', index: i, pid: frame.flights[i].pid };
  const d = dropAt(drops, p, sizes.packet);
  if (d >= 0) return { kind: 'drop', index: d, pid: drops[d].drop.pkt?.pid };
  return nodeAt(topology, p, sizes);
}
