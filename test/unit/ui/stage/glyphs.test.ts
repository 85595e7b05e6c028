import { describe, expect, it } from 'vitest';
import { ATLAS_SIZE, CELL, contrast, drawAtlas, glyphFrame, GLYPH_KEYS, letterColor, luminance, shapePolygon, type Context2D } from '../../../../src/ui/stage/glyphs.ts';
import { PACKET_KINDS, PACKET_STYLES } from '../../../../src/ui/viewmodel/packetKinds.ts';

/** A 2D context that records where things are drawn (translation tracked through save/restore). */
function recorder() {
  const calls: Array<{ op: string; x: number; y: number; text?: string; fill?: string }> = [];
  let tx = 0;
  let ty = 0;
  const stack: Array<[number, number]> = [];
  const ctx = {
    fillStyle: '' as unknown,
    strokeStyle: '' as unknown,
    lineWidth: 1,
    lineJoin: 'miter',
    font: '',
    textAlign: 'start',
    textBaseline: 'alphabetic',
    save: () => stack.push([tx, ty]),
    restore: () => ([tx, ty] = stack.pop()!),
    translate: (x: number, y: number) => {
      tx += x;
      ty += y;
    },
    beginPath: () => {},
    closePath: () => {},
    moveTo: (x: number, y: number) => calls.push({ op: 'moveTo', x: x + tx, y: y + ty }),
    lineTo: (x: number, y: number) => calls.push({ op: 'lineTo', x: x + tx, y: y + ty }),
    arc: (x: number, y: number, r: number) => {
      calls.push({ op: 'arc', x: x + tx - r, y: y + ty - r });
      calls.push({ op: 'arc', x: x + tx + r, y: y + ty + r });
    },
    roundRect: (x: number, y: number, w: number, h: number) => {
      calls.push({ op: 'roundRect', x: x + tx, y: y + ty });
      calls.push({ op: 'roundRect', x: x + tx + w, y: y + ty + h });
    },
    fill: () => calls.push({ op: 'fill', x: tx, y: ty, fill: String(ctx.fillStyle) }),
    stroke: () => {},
    fillText: (text: string, x: number, y: number) => calls.push({ op: 'fillText', x: x + tx, y: y + ty, text, fill: String(ctx.fillStyle) }),
    clearRect: () => {},
  };
  return { ctx: ctx as unknown as Context2D, calls };
}

describe('packet glyphs', () => {
  it('give every glyph its own cell inside the power-of-two atlas', () => {
    const seen = new Set<string>();
    for (const k of GLYPH_KEYS) {
      const f = glyphFrame(k);
      expect(f.w).toBe(CELL);
      expect(f.x + f.w).toBeLessThanOrEqual(ATLAS_SIZE);
      expect(f.y + f.h).toBeLessThanOrEqual(ATLAS_SIZE);
      seen.add(`${f.x},${f.y}`);
    }
    expect(seen.size).toBe(GLYPH_KEYS.length);
    expect(Math.log2(ATLAS_SIZE) % 1).toBe(0);
    expect(GLYPH_KEYS).toEqual([...PACKET_KINDS, 'tunnel', 'halo', 'drop']);
  });

  it('draws each kind in its own shape, within its radius', () => {
    const counts: Record<string, number | undefined> = {};
    for (const k of PACKET_KINDS) {
      const shape = PACKET_STYLES[k].shape;
      const pts = shapePolygon(shape, 10);
      counts[shape] = pts === undefined ? undefined : pts.length / 2;
      if (pts === undefined) continue;
      for (let i = 0; i < pts.length; i += 2) expect(Math.hypot(pts[i], pts[i + 1])).toBeLessThanOrEqual(10 * 1.2 + 1e-9);
    }
    expect(counts).toEqual({ diamond: 4, triangle: 3, circle: undefined, square: 4, cross: 12, hexagon: 6, star: 10, ring: undefined });
  });

  it('writes each letter in black or white, whichever contrasts more, and at least 4.5:1 (WCAG AA)', () => {
    for (const k of PACKET_KINDS) {
      const { color } = PACKET_STYLES[k];
      const ink = letterColor(color);
      const other = ink === '#000000' ? '#ffffff' : '#000000';
      expect(contrast(luminance(color), luminance(ink))).toBeGreaterThanOrEqual(contrast(luminance(color), luminance(other)));
      if (PACKET_STYLES[k].shape !== 'ring') expect(contrast(luminance(color), luminance(ink)), k).toBeGreaterThanOrEqual(4.5);
    }
    expect(letterColor('#F0E442')).toBe('#000000');
    expect(letterColor('#0072B2')).toBe('#ffffff');
    expect(() => luminance('red')).toThrow();
  });

  it('paints every glyph inside its own cell, each kind with its colour and letter', () => {
    const { ctx, calls } = recorder();
    drawAtlas(ctx);
    for (const k of GLYPH_KEYS) {
      const f = glyphFrame(k);
      const inCell = calls.filter((c) => c.x >= f.x && c.x <= f.x + f.w && c.y >= f.y && c.y <= f.y + f.h);
      expect(inCell.length, k).toBeGreaterThan(0);
    }
    for (const c of calls) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.y).toBeGreaterThanOrEqual(0);
      // Nothing crosses into a neighbouring cell.
      const col = Math.floor(c.x / CELL);
      const row = Math.floor(c.y / CELL);
      const cx = col * CELL + CELL / 2;
      const cy = row * CELL + CELL / 2;
      expect(Math.abs(c.x - cx)).toBeLessThanOrEqual(CELL / 2);
      expect(Math.abs(c.y - cy)).toBeLessThanOrEqual(CELL / 2);
    }
    for (const k of PACKET_KINDS) {
      const f = glyphFrame(k);
      const letter = calls.find((c) => c.op === 'fillText' && c.x === f.x + CELL / 2 && c.y > f.y && c.y < f.y + f.h);
      expect(letter?.text).toBe(PACKET_STYLES[k].letter);
      expect(calls.some((c) => c.op === 'fill' && c.fill === PACKET_STYLES[k].color && c.x === f.x + CELL / 2 && c.y === f.y + CELL / 2), k).toBe(true);
    }
  });
});
