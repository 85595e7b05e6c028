import { ZOOM_STEP } from './viewTransform.ts';

/**
 * The stage's keyboard and pointer gestures as pure decisions, so that they can be tested without a browser:
 * which key does what, and when a press is a click and when it is a drag.
 */

export type StageKeyAction = { readonly kind: 'zoom'; readonly factor: number } | { readonly kind: 'fit' } | { readonly kind: 'pan'; readonly dx: number; readonly dy: number } | { readonly kind: 'clear' };

export interface KeyLike {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

/** Keyboard pan step, CSS px. */
export const PAN_STEP = 48;

/**
 * + and - zoom (= and _ too, for keyboards where + needs Shift), 0 fits, Escape clears the selection, and the
 * arrow keys pan only with a modifier: plain arrows belong to the playback (step back and forth).
 */
export function keyAction(e: KeyLike): StageKeyAction | undefined {
  switch (e.key) {
    case '+':
    case '=':
    case 'Add':
      return { kind: 'zoom', factor: ZOOM_STEP };
    case '-':
    case '_':
    case 'Subtract':
      return { kind: 'zoom', factor: 1 / ZOOM_STEP };
    case '0':
      return { kind: 'fit' };
    case 'Escape':
      return { kind: 'clear' };
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'ArrowUp':
    case 'ArrowDown': {
      if (!(e.shiftKey || e.ctrlKey || e.altKey || e.metaKey)) return undefined;
      // As when scrolling a map: Shift+→ shows what is to the right, so the picture moves left.
      const dx = e.key === 'ArrowLeft' ? PAN_STEP : e.key === 'ArrowRight' ? -PAN_STEP : 0;
      const dy = e.key === 'ArrowUp' ? PAN_STEP : e.key === 'ArrowDown' ? -PAN_STEP : 0;
      return { kind: 'pan', dx, dy };
    }
    default:
      return undefined;
  }
}

/** A press that moves less than this (CSS px) is a click, not a drag. */
export const CLICK_SLOP = 4;

export type GestureStep = { readonly kind: 'pan'; readonly dx: number; readonly dy: number } | { readonly kind: 'hover' } | { readonly kind: 'none' };

/**
 * One pointer's press, drag and release. A press starts a gesture; moves under CLICK_SLOP from the press are
 * nothing yet; past it, every move pans by its delta; the release is a click only if it never became a drag.
 * Moves with no press are hovers. Other pointers (a second finger) are ignored while one is down.
 */
export class PointerGesture {
  private active: { id: number; x: number; y: number; startX: number; startY: number; dragging: boolean } | undefined;

  get pressed(): boolean {
    return this.active !== undefined;
  }

  down(id: number, x: number, y: number): boolean {
    if (this.active !== undefined) return false;
    this.active = { id, x, y, startX: x, startY: y, dragging: false };
    return true;
  }

  move(id: number, x: number, y: number): GestureStep {
    const a = this.active;
    if (a === undefined) return { kind: 'hover' };
    if (a.id !== id) return { kind: 'none' };
    if (!a.dragging && Math.hypot(x - a.startX, y - a.startY) < CLICK_SLOP) return { kind: 'none' };
    a.dragging = true;
    const step = { kind: 'pan' as const, dx: x - a.x, dy: y - a.y };
    a.x = x;
    a.y = y;
    return step;
  }

  /** The release: 'click' for a press that did not drag, 'drag' after a drag, undefined for another pointer. */
  up(id: number): 'click' | 'drag' | undefined {
    const a = this.active;
    if (a === undefined || a.id !== id) return undefined;
    this.active = undefined;
    return a.dragging ? 'drag' : 'click';
  }

  cancel(id: number): void {
    if (this.active?.id === id) this.active = undefined;
  }
}
