import { describe, expect, it } from 'vitest';
import { CLICK_SLOP, keyAction, PAN_STEP, PointerGesture, type KeyLike } from '../../../../src/ui/stage/stageInput.ts';
import { ZOOM_STEP } from '../../../../src/ui/stage/viewTransform.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe('stage keys', () => {
  it('zoom with + and -, fit with 0, clear with Escape', () => {
    expect(keyAction(key('+'))).toEqual({ kind: 'zoom', factor: ZOOM_STEP });
    expect(keyAction(key('='))).toEqual({ kind: 'zoom', factor: ZOOM_STEP });
    expect(keyAction(key('-'))).toEqual({ kind: 'zoom', factor: 1 / ZOOM_STEP });
    expect(keyAction(key('0'))).toEqual({ kind: 'fit' });
    expect(keyAction(key('Escape'))).toEqual({ kind: 'clear' });
  });

  it('leave plain arrow keys to the playback and pan with a modifier, like scrolling a map', () => {
    for (const k of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) expect(keyAction(key(k))).toBeUndefined();
    expect(keyAction(key('ArrowRight', { shiftKey: true }))).toEqual({ kind: 'pan', dx: -PAN_STEP, dy: 0 });
    expect(keyAction(key('ArrowLeft', { ctrlKey: true }))).toEqual({ kind: 'pan', dx: PAN_STEP, dy: 0 });
    expect(keyAction(key('ArrowDown', { altKey: true }))).toEqual({ kind: 'pan', dx: 0, dy: -PAN_STEP });
    expect(keyAction(key('ArrowUp', { metaKey: true }))).toEqual({ kind: 'pan', dx: 0, dy: PAN_STEP });
  });

  it('ignore every other key (space is play/pause)', () => {
    for (const k of [' ', 'Enter', 'a', 'Tab', '1']) expect(keyAction(key(k))).toBeUndefined();
  });
});

describe('pointer gestures', () => {
  it('call a press without movement a click', () => {
    const g = new PointerGesture();
    expect(g.down(1, 10, 10)).toBe(true);
    expect(g.move(1, 11, 12)).toEqual({ kind: 'none' });
    expect(g.up(1)).toBe('click');
    expect(g.pressed).toBe(false);
  });

  it('pan by each move once the pointer has left the click slop, and end as a drag', () => {
    const g = new PointerGesture();
    g.down(1, 10, 10);
    expect(g.move(1, 10 + CLICK_SLOP, 10)).toEqual({ kind: 'pan', dx: CLICK_SLOP, dy: 0 });
    expect(g.move(1, 20, 5)).toEqual({ kind: 'pan', dx: 20 - 10 - CLICK_SLOP, dy: -5 });
    // Coming back near the start does not make it a click again.
    expect(g.move(1, 10, 10)).toEqual({ kind: 'pan', dx: -10, dy: 5 });
    expect(g.up(1)).toBe('drag');
  });

  it('hover when nothing is pressed, and ignore a second pointer', () => {
    const g = new PointerGesture();
    expect(g.move(1, 3, 3)).toEqual({ kind: 'hover' });
    g.down(1, 0, 0);
    expect(g.down(2, 50, 50)).toBe(false);
    expect(g.move(2, 90, 90)).toEqual({ kind: 'none' });
    expect(g.up(2)).toBeUndefined();
    expect(g.up(1)).toBe('click');
  });

  it('forget a cancelled press', () => {
    const g = new PointerGesture();
    g.down(1, 0, 0);
    g.cancel(1);
    expect(g.pressed).toBe(false);
    expect(g.up(1)).toBeUndefined();
  });
});
