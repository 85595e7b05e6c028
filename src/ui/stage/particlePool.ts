/**
 * A pool of reusable sprites for one frame's worth of drawing. Every frame the renderer calls `begin`, takes
 * one item per thing to draw with `next`, and `end` leaves exactly those items in `active` (the array the
 * ParticleContainer draws, in draw order). Items are never freed during the stage's life, so steady playback
 * allocates nothing; `trim` gives back what a past peak left (after a fast-forward through a burst).
 *
 * Generic over the item type so that the bookkeeping can be tested in Node without pixi.js.
 */
export class ParticlePool<T> {
  /** Every item made so far; the first `used` are in `active` this frame. */
  private readonly items: T[] = [];
  /** The drawn items, in order: the ParticleContainer's `particleChildren`. */
  readonly active: T[] = [];
  private used = 0;
  private lastCount = 0;
  private inFrame = false;

  constructor(private readonly create: () => T) {}

  begin(): void {
    if (this.inFrame) throw new Error('ParticlePool.begin: the previous frame was not ended');
    this.inFrame = true;
    this.used = 0;
  }

  /** The next item to draw this frame (made if the pool has none spare). */
  next(): T {
    if (!this.inFrame) throw new Error('ParticlePool.next outside begin/end');
    let item: T;
    if (this.used < this.items.length) item = this.items[this.used];
    else {
      item = this.create();
      this.items.push(item);
    }
    this.active[this.used] = item;
    this.used++;
    return item;
  }

  /** Closes the frame: `active` holds the items taken since `begin`. True when their number changed. */
  end(): boolean {
    if (!this.inFrame) throw new Error('ParticlePool.end without begin');
    this.inFrame = false;
    this.active.length = this.used;
    const changed = this.used !== this.lastCount;
    this.lastCount = this.used;
    return changed;
  }

  /** Items drawn in the last frame. */
  get count(): number {
    return this.inFrame ? this.used : this.lastCount;
  }

  /** Items made and kept, drawn or not. */
  get size(): number {
    return this.items.length;
  }

  /** Forgets spare items beyond `keep` (never those drawn in the last frame); returns the ones dropped. */
  trim(keep: number): T[] {
    if (this.inFrame) throw new Error('ParticlePool.trim inside a frame');
    const from = Math.max(keep, this.lastCount);
    return from >= this.items.length ? [] : this.items.splice(from);
  }

  /** Forgets everything (the stage is going away); returns every item for disposal. */
  clear(): T[] {
    this.inFrame = false;
    this.used = 0;
    this.lastCount = 0;
    this.active.length = 0;
    return this.items.splice(0);
  }
}
