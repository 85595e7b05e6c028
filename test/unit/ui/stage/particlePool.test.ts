import { describe, expect, it } from 'vitest';
import { ParticlePool } from '../../../../src/ui/stage/particlePool.ts';

interface Item {
  id: number;
}

function pool(): { p: ParticlePool<Item>; made: () => number } {
  let n = 0;
  return { p: new ParticlePool(() => ({ id: n++ })), made: () => n };
}

function frame(p: ParticlePool<Item>, count: number): { items: Item[]; changed: boolean } {
  p.begin();
  const items: Item[] = [];
  for (let i = 0; i < count; i++) items.push(p.next());
  return { items, changed: p.end() };
}

describe('ParticlePool', () => {
  it('hands out the same items frame after frame, in the same order, and makes new ones only past its peak', () => {
    const { p, made } = pool();
    const a = frame(p, 3);
    expect(a.items.map((i) => i.id)).toEqual([0, 1, 2]);
    expect(made()).toBe(3);
    const b = frame(p, 2);
    expect(b.items).toEqual(a.items.slice(0, 2));
    expect(b.items[0]).toBe(a.items[0]);
    expect(made()).toBe(3);
    const c = frame(p, 5);
    expect(c.items.slice(0, 3)).toEqual(a.items);
    expect(made()).toBe(5);
    expect(p.size).toBe(5);
  });

  it('leaves exactly the frame\'s items in `active`, the array the ParticleContainer draws', () => {
    const { p } = pool();
    const active = p.active;
    frame(p, 4);
    expect(active.length).toBe(4);
    const { items } = frame(p, 1);
    expect(p.active).toBe(active);
    expect(active).toEqual(items);
    frame(p, 0);
    expect(active).toEqual([]);
    expect(p.count).toBe(0);
  });

  it('says when the number drawn changed (the container must then re-upload)', () => {
    const { p } = pool();
    expect(frame(p, 2).changed).toBe(true);
    expect(frame(p, 2).changed).toBe(false);
    expect(frame(p, 3).changed).toBe(true);
    expect(frame(p, 0).changed).toBe(true);
    expect(frame(p, 0).changed).toBe(false);
  });

  it('trims spare items but never those drawn last frame', () => {
    const { p } = pool();
    frame(p, 10);
    frame(p, 4);
    const dropped = p.trim(2);
    expect(dropped.map((i) => i.id)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(p.size).toBe(4);
    expect(p.active.length).toBe(4);
    expect(p.trim(100)).toEqual([]);
  });

  it('clears everything for disposal', () => {
    const { p } = pool();
    frame(p, 3);
    expect(p.clear().length).toBe(3);
    expect(p.size).toBe(0);
    expect(p.active.length).toBe(0);
  });

  it('refuses calls out of order', () => {
    const { p } = pool();
    expect(() => p.next()).toThrow(/outside/);
    expect(() => p.end()).toThrow(/without begin/);
    p.begin();
    expect(() => p.begin()).toThrow(/not ended/);
    expect(() => p.trim(0)).toThrow(/inside/);
    p.end();
  });
});
