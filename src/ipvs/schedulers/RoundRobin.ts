import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * rr — round robin (net/netfilter/ipvs/ip_vs_rr.c).
 *
 * State: a cursor on the destination list, the list head (`null`) at init. A pick walks from the element after
 * the cursor to the end, then, unless the cursor is the head, from the front up to and including the cursor
 * itself; the first destination that is not OVERLOADed and has a positive weight wins and becomes the cursor.
 * Weights above 0 are otherwise ignored. When the cursor's destination is deleted the cursor steps back to the
 * element before it (the kernel reads `p->next->prev` after the unlink), so the next pick is the element that
 * followed it. Adding never moves the cursor: the new destination, at the head, is met when the walk wraps.
 */
export const roundRobin: SchedulerFactory = (_svc, ctx) => new RoundRobin(ctx);

class RoundRobin implements Scheduler {
  readonly name = 'rr';
  private readonly ctx: SchedulerContext;
  /** The last pick; null = the list head. */
  private cursor: Destination | null = null;
  /** Where the cursor stood in the list at the last look (a hint: adds at the head shift it). */
  private cursorIndex = -1;
  /**
   * The element after the cursor (null = the head): what the kernel's unlinked node still points to, from which
   * it finds the cursor's predecessor when the cursor itself is deleted. It changes only when that element is
   * deleted, because additions go to the front, never right after a destination.
   */
  private cursorNext: Destination | null = null;

  constructor(ctx: SchedulerContext) {
    this.ctx = ctx;
  }

  schedule(svc: VirtualService): Destination | null {
    const list = svc.destinations;
    const n = list.length;
    const start = this.cursor === null ? -1 : this.indexOfCursor(list);
    for (let i = start + 1; i < n; i++) {
      const d = list[i];
      if (!d.overloaded && d.weight > 0) return this.moveTo(list, i);
    }
    // Second pass only when the walk did not start at the head: from the front through the cursor itself.
    for (let i = 0; i <= start; i++) {
      const d = list[i];
      if (!d.overloaded && d.weight > 0) return this.moveTo(list, i);
    }
    this.ctx.schedulerError(svc, 'no destination available');
    return null;
  }

  delDest(svc: VirtualService, dest: Destination): void {
    const list = svc.destinations;
    if (this.cursor === dest) {
      // The predecessor of the deleted cursor is the element before its old successor.
      const next = this.cursorNext;
      const at = next === null ? list.length : list.indexOf(next);
      this.cursor = at > 0 ? list[at - 1] : null;
      this.cursorIndex = at - 1;
      // The new cursor's successor is the deleted one's successor.
      return;
    }
    if (this.cursorNext === dest && this.cursor !== null) {
      const i = this.indexOfCursor(list);
      this.cursorNext = i + 1 < list.length ? list[i + 1] : null;
    }
  }

  private moveTo(list: readonly Destination[], i: number): Destination {
    const d = list[i];
    this.cursor = d;
    this.cursorIndex = i;
    this.cursorNext = i + 1 < list.length ? list[i + 1] : null;
    return d;
  }

  /** The cursor's index, from the hint when it still holds; -1 (the head) if the cursor is not listed. */
  private indexOfCursor(list: readonly Destination[]): number {
    const hint = this.cursorIndex;
    if (hint >= 0 && hint < list.length && list[hint] === this.cursor) return hint;
    const i = this.cursor === null ? -1 : list.indexOf(this.cursor);
    this.cursorIndex = i;
    return i;
  }
}
