import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkup, type MarkupNode } from '../../src/scenario/markup.ts';

/** Strings made mostly of what means something to the markup (and to HTML), so every branch is reached. */
const markupish = fc
  .array(fc.oneof(fc.constantFrom('*', '**', '`', '\\', '<', '>', '&', '"', "'", 'a', ' ', '\n', '<b>', '</script>', '&amp;'), fc.string({ maxLength: 3 })), { maxLength: 40 })
  .map((parts) => parts.join(''));

function leaves(nodes: readonly MarkupNode[]): string[] {
  return nodes.flatMap((n) => ('children' in n ? leaves(n.children) : [n.text]));
}

const count = (s: string, ch: string): number => s.split(ch).length - 1;

describe('parseMarkup (property)', () => {
  it('never throws, and yields only the four node kinds with text leaves', () => {
    fc.assert(
      fc.property(fc.oneof(markupish, fc.string(), fc.string({ unit: 'grapheme' })), (s) => {
        const tree = parseMarkup(s);
        for (const n of tree) {
          expect(['text', 'code', 'em', 'strong']).toContain(n.type);
          if ('children' in n) {
            expect(['em', 'strong']).toContain(n.type);
            expect(n.children.length).toBeGreaterThan(0);
            for (const c of n.children) expect(['text', 'code']).toContain(c.type);
          } else {
            expect(typeof n.text).toBe('string');
          }
          // Only the keys of the node kinds: nothing a renderer could take for markup of its own.
          expect(Object.keys(n).sort()).toEqual('children' in n ? ['children', 'type'] : ['text', 'type']);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never yields HTML: every character HTML cares about stays text, as many times as it was written', () => {
    fc.assert(
      fc.property(markupish, (s) => {
        const text = leaves(parseMarkup(s)).join('');
        for (const ch of ['<', '>', '&', '"', "'"]) expect(count(text, ch)).toBe(count(s, ch));
      }),
      { numRuns: 3000 },
    );
  });

  it('text without markers comes back as it was', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !/[*`\\]/.test(s) && s !== ''), (s) => {
        expect(parseMarkup(s)).toEqual([{ type: 'text', text: s }]);
      }),
    );
  });

  it('only markers are lost: the leaves are the input without some of its *, ` and \\ characters', () => {
    fc.assert(
      fc.property(markupish, (s) => {
        const text = leaves(parseMarkup(s)).join('');
        const strip = (x: string): string => x.replace(/[*`\\]/g, '');
        expect(strip(text)).toBe(strip(s));
      }),
      { numRuns: 3000 },
    );
  });
});
