import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ZOOM_LIMITS, fitView, growBounds, panBy, screenToWorld, wheelFactor, worldToScreen, zoomAt, type View } from '../../../../src/ui/stage/viewTransform.ts';

const view = fc.record({ scale: fc.double({ min: 0.1, max: 8, noNaN: true }), x: fc.double({ min: -2000, max: 2000, noNaN: true }), y: fc.double({ min: -2000, max: 2000, noNaN: true }) });
const point = fc.record({ x: fc.double({ min: -1000, max: 1000, noNaN: true }), y: fc.double({ min: -1000, max: 1000, noNaN: true }) });

describe('view transform', () => {
  it('screenToWorld undoes worldToScreen', () => {
    fc.assert(
      fc.property(view, point, (v, p) => {
        const back = screenToWorld(v, worldToScreen(v, p));
        expect(back.x).toBeCloseTo(p.x, 6);
        expect(back.y).toBeCloseTo(p.y, 6);
      }),
    );
  });

  it('maps world to screen as world · scale + offset', () => {
    expect(worldToScreen({ scale: 2, x: 10, y: -5 }, { x: 3, y: 4 })).toEqual({ x: 16, y: 3 });
  });

  it('zooming around an anchor keeps the world point under it in place and multiplies the scale', () => {
    fc.assert(
      fc.property(view, point, fc.double({ min: 0.5, max: 2, noNaN: true }), (v, anchor, factor) => {
        const z = zoomAt(v, factor, anchor);
        const expected = Math.min(DEFAULT_ZOOM_LIMITS.max, Math.max(DEFAULT_ZOOM_LIMITS.min, v.scale * factor));
        expect(z.scale).toBeCloseTo(expected, 9);
        const before = screenToWorld(v, anchor);
        const after = screenToWorld(z, anchor);
        expect(after.x).toBeCloseTo(before.x, 6);
        expect(after.y).toBeCloseTo(before.y, 6);
      }),
    );
  });

  it('stops at the zoom limits and leaves the view untouched there', () => {
    const v: View = { scale: 8, x: 1, y: 2 };
    expect(zoomAt(v, 1.25, { x: 50, y: 50 })).toBe(v);
    const w: View = { scale: 0.1, x: 1, y: 2 };
    expect(zoomAt(w, 0.8, { x: 50, y: 50 })).toBe(w);
    expect(zoomAt({ scale: 7, x: 0, y: 0 }, 2, { x: 0, y: 0 }).scale).toBe(8);
    expect(zoomAt(v, Number.NaN, { x: 0, y: 0 })).toBe(v);
    expect(zoomAt(v, 0, { x: 0, y: 0 })).toBe(v);
  });

  it('pans by screen pixels at any scale', () => {
    expect(panBy({ scale: 3, x: 10, y: 20 }, 5, -7)).toEqual({ scale: 3, x: 15, y: 13 });
    const v: View = { scale: 1, x: 0, y: 0 };
    expect(panBy(v, 0, 0)).toBe(v);
  });

  it('fits a box inside the viewport with its padding, centred', () => {
    fc.assert(
      fc.property(
        fc.record({ minX: fc.integer({ min: -500, max: 500 }), minY: fc.integer({ min: -500, max: 500 }), w: fc.integer({ min: 1, max: 2000 }), h: fc.integer({ min: 1, max: 2000 }) }),
        fc.integer({ min: 100, max: 2000 }),
        fc.integer({ min: 100, max: 2000 }),
        (b, width, height) => {
          const bounds = { minX: b.minX, minY: b.minY, maxX: b.minX + b.w, maxY: b.minY + b.h };
          const v = fitView(bounds, width, height, 20, { min: 0.001, max: 1e9 }, Infinity);
          const tl = worldToScreen(v, { x: bounds.minX, y: bounds.minY });
          const br = worldToScreen(v, { x: bounds.maxX, y: bounds.maxY });
          expect(tl.x).toBeGreaterThanOrEqual(20 - 1e-6);
          expect(tl.y).toBeGreaterThanOrEqual(20 - 1e-6);
          expect(br.x).toBeLessThanOrEqual(width - 20 + 1e-6);
          expect(br.y).toBeLessThanOrEqual(height - 20 + 1e-6);
          // It fills one dimension (the tight one) and is centred in both.
          expect(Math.max(br.x - tl.x - (width - 40), br.y - tl.y - (height - 40))).toBeCloseTo(0, 6);
          expect((tl.x + br.x) / 2).toBeCloseTo(width / 2, 6);
          expect((tl.y + br.y) / 2).toBeCloseTo(height / 2, 6);
        },
      ),
    );
  });

  it('does not blow a single point up to the maximum zoom, and survives an empty viewport', () => {
    const v = fitView({ minX: 10, minY: 10, maxX: 10, maxY: 10 }, 400, 300, 20, DEFAULT_ZOOM_LIMITS, 2);
    expect(v.scale).toBe(2);
    expect(worldToScreen(v, { x: 10, y: 10 })).toEqual({ x: 200, y: 150 });
    expect(fitView({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, 0, 0).scale).toBe(1);
  });

  it('zooms in when the wheel rolls up and out when it rolls down, by a bounded factor, in every delta mode', () => {
    expect(wheelFactor(-100)).toBeGreaterThan(1);
    expect(wheelFactor(100)).toBeLessThan(1);
    expect(wheelFactor(0)).toBe(1);
    expect(wheelFactor(100) * wheelFactor(-100)).toBeCloseTo(1, 12);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48), 12);
    expect(wheelFactor(1, 2)).toBe(wheelFactor(300));
    expect(wheelFactor(1e6)).toBe(wheelFactor(300));
    expect(wheelFactor(1e6)).toBeGreaterThan(0.5);
  });

  it('grows bounds on every side', () => {
    expect(growBounds({ minX: 0, minY: 0, maxX: 10, maxY: 20 }, 5, 2)).toEqual({ minX: -5, minY: -2, maxX: 15, maxY: 22 });
  });
});
