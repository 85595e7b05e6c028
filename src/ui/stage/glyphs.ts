import { PACKET_KINDS, PACKET_STYLES, type KindStyle, type PacketKind } from '../viewmodel/packetKinds.ts';

/**
 * The packet sprites' pictures, drawn once into one texture atlas: a ParticleContainer draws every particle
 * from one base texture, so all packet kinds, the tunnel box, the selection halo and the drop mark share it.
 * Each kind is its Okabe–Ito colour, its shape and its letter (three cues, so colour is never the only one).
 * Layout, shapes and letter contrast are pure and tested; `drawAtlas` paints them on any 2D context.
 */

export type GlyphKey = PacketKind | 'tunnel' | 'halo' | 'drop';

export const GLYPH_KEYS: readonly GlyphKey[] = [...PACKET_KINDS, 'tunnel', 'halo', 'drop'];

/** Cell side in texture pixels; sprites are drawn at 10–30 CSS px, so 64 leaves room for 2× screens and mipmaps. */
export const CELL = 64;
export const ATLAS_COLUMNS = 4;
/** A power of two, so WebGL 1 can mipmap it. */
export const ATLAS_SIZE = 256;
/** Shape radius within a cell: the rest is outline and a margin that keeps mipmap levels from bleeding. */
const R = 27;

export interface Frame {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export function glyphFrame(key: GlyphKey): Frame {
  const i = GLYPH_KEYS.indexOf(key);
  if (i < 0) throw new Error(`no glyph ${key}`);
  return { x: (i % ATLAS_COLUMNS) * CELL, y: Math.floor(i / ATLAS_COLUMNS) * CELL, w: CELL, h: CELL };
}

/**
 * A shape's outline as a flat [x0, y0, x1, y1, ...] list around (0, 0) for radius r (y down); undefined for
 * the round shapes (circle, ring), which are arcs.
 */
export function shapePolygon(shape: KindStyle['shape'], r: number): number[] | undefined {
  const polar = (n: number, radius: (i: number) => number, start: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = start + (i * 2 * Math.PI) / n;
      out.push(radius(i) * Math.cos(a), radius(i) * Math.sin(a));
    }
    return out;
  };
  switch (shape) {
    case 'circle':
    case 'ring':
      return undefined;
    case 'square': {
      const s = r * 0.82;
      return [-s, -s, s, -s, s, s, -s, s];
    }
    case 'triangle':
      return polar(3, () => r * 1.08, -Math.PI / 2).map((v, i) => (i % 2 === 1 ? v + r * 0.12 : v));
    case 'diamond':
      return [0, -r, r, 0, 0, r, -r, 0];
    case 'hexagon':
      return polar(6, () => r, 0);
    case 'star':
      return polar(10, (i) => (i % 2 === 0 ? r * 1.05 : r * 0.55), -Math.PI / 2);
    case 'cross': {
      const w = r * 0.42;
      return [-w, -r, w, -r, w, -w, r, -w, r, w, w, w, w, r, -w, r, -w, w, -r, w, -r, -w, -w, -w];
    }
  }
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (m === null) throw new Error(`not a #rrggbb colour: ${hex}`);
  const lin = (h: string): number => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(m[1]) + 0.7152 * lin(m[2]) + 0.0722 * lin(m[3]);
}

/** WCAG contrast ratio of two luminances. */
export function contrast(l1: number, l2: number): number {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** Black or white, whichever reads better on `hex`. */
export function letterColor(hex: string): '#000000' | '#ffffff' {
  const l = luminance(hex);
  return contrast(l, 0) >= contrast(l, 1) ? '#000000' : '#ffffff';
}

/** The 2D context calls drawAtlas makes (a CanvasRenderingContext2D or OffscreenCanvasRenderingContext2D). */
export type Context2D = Pick<
  CanvasRenderingContext2D,
  'save' | 'restore' | 'translate' | 'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'arc' | 'fill' | 'stroke' | 'fillText' | 'clearRect' | 'roundRect'
> & {
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  lineWidth: number;
  lineJoin: CanvasLineJoin;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
};

const INK = '#1b1f24';

function path(ctx: Context2D, pts: readonly number[]): void {
  ctx.beginPath();
  ctx.moveTo(pts[0], pts[1]);
  for (let i = 2; i < pts.length; i += 2) ctx.lineTo(pts[i], pts[i + 1]);
  ctx.closePath();
}

function drawKind(ctx: Context2D, style: KindStyle): void {
  const pts = shapePolygon(style.shape, R);
  ctx.lineJoin = 'round';
  if (pts === undefined) {
    ctx.beginPath();
    ctx.arc(0, 0, R, 0, 2 * Math.PI);
  } else path(ctx, pts);
  ctx.fillStyle = style.color;
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = INK;
  ctx.stroke();
  if (style.shape === 'ring') {
    // The neutral class: a ring, hollow in the middle, with its letter on the ring's colour.
    ctx.beginPath();
    ctx.arc(0, 0, R * 0.55, 0, 2 * Math.PI);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  ctx.fillStyle = style.shape === 'ring' ? INK : letterColor(style.color);
  ctx.font = `bold ${style.shape === 'triangle' || style.shape === 'star' ? 24 : 31}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(style.letter, 0, style.shape === 'triangle' ? 7 : 1);
}

function drawTunnel(ctx: Context2D): void {
  // The outer header of an IPIP packet: a box the inner packet's sprite sits in (dark, edged in white so that
  // it shows on a cable and on a host alike).
  ctx.beginPath();
  ctx.roundRect(-28, -28, 56, 56, 10);
  ctx.lineWidth = 4;
  ctx.strokeStyle = INK;
  ctx.stroke();
  ctx.beginPath();
  ctx.roundRect(-25, -25, 50, 50, 8);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
}

function drawHalo(ctx: Context2D): void {
  ctx.beginPath();
  ctx.arc(0, 0, 26, 0, 2 * Math.PI);
  ctx.lineWidth = 6;
  ctx.strokeStyle = INK;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(0, 0, 30, 0, 2 * Math.PI);
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
}

function drawDrop(ctx: Context2D): void {
  ctx.beginPath();
  ctx.arc(0, 0, R, 0, 2 * Math.PI);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.lineWidth = 4;
  ctx.strokeStyle = INK;
  ctx.stroke();
  const s = R * 0.5;
  ctx.beginPath();
  ctx.moveTo(-s, -s);
  ctx.lineTo(s, s);
  ctx.moveTo(s, -s);
  ctx.lineTo(-s, s);
  ctx.lineWidth = 7;
  ctx.stroke();
}

/** Paints every glyph into its cell of an ATLAS_SIZE × ATLAS_SIZE context. */
export function drawAtlas(ctx: Context2D): void {
  ctx.clearRect(0, 0, ATLAS_SIZE, ATLAS_SIZE);
  for (const key of GLYPH_KEYS) {
    const f = glyphFrame(key);
    ctx.save();
    ctx.translate(f.x + CELL / 2, f.y + CELL / 2);
    if (key === 'tunnel') drawTunnel(ctx);
    else if (key === 'halo') drawHalo(ctx);
    else if (key === 'drop') drawDrop(ctx);
    else drawKind(ctx, PACKET_STYLES[key]);
    ctx.restore();
  }
}
