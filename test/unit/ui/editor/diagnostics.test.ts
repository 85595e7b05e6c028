import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioDiagnostics, offsetOf, tokenEnd } from '../../../../src/ui/editor/diagnostics.ts';
import { scenarioText } from '../lessonTraces.ts';

const GOOD = scenarioText('lessons/nat-basic');

/** The text a diagnostic covers. */
const covered = (text: string, d: { from: number; to: number }) => text.slice(d.from, d.to);

describe('scenarioDiagnostics', () => {
  it('is empty for every shipped lesson it is given', () => {
    expect(scenarioDiagnostics(GOOD, 'nat-basic.yaml')).toEqual([]);
    expect(scenarioDiagnostics(scenarioText('lessons/nat-bottleneck'))).toEqual([]);
  });

  it('puts an unknown key at its line and column and covers the key', () => {
    const text = GOOD.replace(/^( {4})role: director$/m, '$1rolle: director');
    expect(text).not.toBe(GOOD);
    const [d] = scenarioDiagnostics(text, 'x.yaml');
    const line = text.slice(0, text.indexOf('rolle:')).split('\n').length;
    expect(d.line).toBe(line);
    expect(d.column).toBe(5);
    expect(covered(text, d)).toBe('rolle');
    expect(d.path).toMatch(/^hosts\.\w+\.rolle$/);
    expect(d.message).toMatch(/^hosts\.\w+\.rolle: expected one of the keys role, /);
    expect(d.message).not.toContain('x.yaml');
  });

  it('covers a bad value, counting columns after non-ASCII text on the same line', () => {
    const text = 'name: "été ☃"\nseed: zz\nduration: 1s\nhosts:\n  a: { role: client }\n';
    const [d] = scenarioDiagnostics(text);
    expect(d.path).toBe('seed');
    expect(covered(text, d)).toBe('zz');
    const text2 = 'name: x\nduration: 1s\nhosts:\n  a: { role: clientt, x: 1 }\n';
    const [d2] = scenarioDiagnostics(text2);
    expect(covered(text2, d2).length).toBeGreaterThan(0);
    expect(text2.slice(0, d2.from).split('\n').length).toBe(4);
  });

  it('reports a YAML syntax error and a failing time-0 command at their lines', () => {
    const syntax = 'name: x\nhosts: [\n';
    const [s] = scenarioDiagnostics(syntax);
    expect(s.message).toMatch(/expected valid YAML/);
    expect(s.from).toBeGreaterThanOrEqual(0);
    expect(s.to).toBeLessThanOrEqual(syntax.length);
    const bad = GOOD.replace(/ipvsadm -A -t ([\d.:]+) -s rr/, 'ipvsadm -A -t $1 -s nosuch');
    expect(bad).not.toBe(GOOD);
    const [c] = scenarioDiagnostics(bad);
    expect(c.path).toMatch(/\.commands\[\d+\]$/);
    expect(covered(bad, c)).toBe('ipvsadm');
    expect(bad.split('\n')[c.line - 1]).toContain('-s nosuch');
  });

  it('reports an empty file at its start', () => {
    expect(scenarioDiagnostics('')).toEqual([expect.objectContaining({ from: 0, to: 0, line: 1, column: 1 })]);
  });

  it('never throws and always gives a range inside the text (fuzzed edits of a real scenario)', () => {
    fc.assert(
      fc.property(fc.nat(GOOD.length), fc.nat(40), fc.string({ unit: 'binary', maxLength: 12 }), (at, cut, insert) => {
        const text = GOOD.slice(0, at) + insert + GOOD.slice(Math.min(GOOD.length, at + cut));
        const ds = scenarioDiagnostics(text);
        expect(ds.length).toBeLessThanOrEqual(1);
        for (const d of ds) {
          expect(0 <= d.from && d.from <= d.to && d.to <= text.length).toBe(true);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('offsetOf and tokenEnd', () => {
  const text = 'ab: 1\n  key: value, [x]\n\nlast';
  it('maps 1-based line and column to an offset, clamped to the line and the text', () => {
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(8);
    expect(offsetOf(text, 2, 999)).toBe(text.indexOf('\n', 6));
    expect(offsetOf(text, 4, 2)).toBe(text.length - 3);
    expect(offsetOf(text, 99, 1)).toBe(text.length);
  });
  it('ends a token at a key colon, a comma, a bracket or space', () => {
    expect(text.slice(8, tokenEnd(text, 8))).toBe('key');
    expect(text.slice(13, tokenEnd(text, 13))).toBe('value');
    expect(text.slice(20, tokenEnd(text, 20))).toBe('[x]');
    expect(tokenEnd(text, text.indexOf('\n\n') + 1)).toBe(text.indexOf('\n\n') + 1);
    expect(text.slice(0, tokenEnd(text, 0))).toBe('ab');
  });
});
