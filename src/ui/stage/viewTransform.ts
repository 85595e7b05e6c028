import type { Point } from '../viewmodel/topology.ts';

/**
 * The stage's camera: a uniform scale and a translation, screen = world · scale + offset (CSS pixels; the
 * device pixel ratio is the renderer's business, below this). Pure functions over an immutable value, so zoom
 * and pan can be tested without a canvas.
 */
export interface View {
  readonly scale: number;
  /** Screen position of the world origin, CSS px. */
  readonly x: number;
  readonly y: number;
}

export interface ZoomLimits {
  readonly min: number;
  readonly max: number;
}

export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export const DEFAULT_ZOOM_LIMITS: ZoomLimits = { min: 0.1, max: 8 };

/** One press of +/- or a zoom button. */
export const ZOOM_STEP = 1.25;

export const IDENTITY_VIEW: View = { scale: 1, x: 0, y: 0 };

export function worldToScreen(v: View, p: Point): Point {
  return { x: p.x * v.scale + v.x, y: p.y * v.scale + v.y };
}

export function screenToWorld(v: View, p: Point): Point {
  return { x: (p.x - v.x) / v.scale, y: (p.y - v.y) / v.scale };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/**
 * Multiplies the scale by `factor` (clamped to the limits) keeping the world point under `anchor` (a screen
 * point: the cursor for the wheel, the middle of the stage for keys and buttons) where it is.
 */
export function zoomAt(v: View, factor: number, anchor: Point, limits: ZoomLimits = DEFAULT_ZOOM_LIMITS): View {
  if (!(factor > 0) || !Number.isFinite(factor)) return v;
  const scale = clamp(v.scale * factor, limits.min, limits.max);
  if (scale === v.scale) return v;
  const w = screenToWorld(v, anchor);
  return { scale, x: anchor.x - w.x * scale, y: anchor.y - w.y * scale };
}

/** Moves the picture by (dx, dy) screen pixels. */
export function panBy(v: View, dx: number, dy: number): View {
  if (dx === 0 && dy === 0) return v;
  return { scale: v.scale, x: v.x + dx, y: v.y + dy };
}

/**
 * The view that shows `bounds` (world) whole and centred in a width × height viewport, leaving `padding` screen
 * pixels on every side; the scale is clamped to the limits (a one-host topology does not zoom to the maximum
 * because its box is a point: `maxFitScale` caps it). A viewport with no area gives the scale 1, centred.
 */
export function fitView(bounds: Bounds, width: number, height: number, padding = 24, limits: ZoomLimits = DEFAULT_ZOOM_LIMITS, maxFitScale = 2): View {
  const bw = Math.max(0, bounds.maxX - bounds.minX);
  const bh = Math.max(0, bounds.maxY - bounds.minY);
  const aw = Math.max(1, width - 2 * padding);
  const ah = Math.max(1, height - 2 * padding);
  let scale = Math.min(bw > 0 ? aw / bw : Infinity, bh > 0 ? ah / bh : Infinity, maxFitScale);
  if (width <= 0 || height <= 0) scale = 1;
  scale = clamp(scale, limits.min, limits.max);
  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  return { scale, x: width / 2 - cx * scale, y: height / 2 - cy * scale };
}

/** Pixels per line and per page for WheelEvent.deltaMode 1 and 2 (Firefox reports lines). */
const LINE_PX = 16;
const PAGE_PX = 400;
/** Zoom per pixel of wheel travel: a notch of a mouse wheel (100 px) zooms by about 1.16. */
const WHEEL_RATE = 0.0015;

/** The zoom factor for a wheel event's deltaY: scrolling up (negative) zooms in; bounded per event. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * LINE_PX : deltaMode === 2 ? deltaY * PAGE_PX : deltaY;
  return Math.exp(-clamp(px, -300, 300) * WHEEL_RATE);
}

/** Bounds grown by `dx` on the left and right and `dy` above and below. */
export function growBounds(b: Bounds, dx: number, dy: number): Bounds {
  return { minX: b.minX - dx, minY: b.minY - dy, maxX: b.maxX + dx, maxY: b.maxY + dy };
}

export function sameView(a: View, b: View): boolean {
  return a.scale === b.scale && a.x === b.x && a.y === b.y;
}
