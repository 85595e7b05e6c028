import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';
import { describeDivergence, firstDivergence } from './firstDivergence.ts';

const trace = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
const L0 = '{"t":0,"seq":0,"kind":"command","host":"h1","run":"ip link","exit":0,"output":""}';
const L1 = '{"t":1000,"seq":1,"kind":"link","host":"h1","iface":"eth0","state":"up"}';
const L2 = '{"t":2500,"seq":2,"kind":"link","host":"h1","iface":"eth0","state":"down"}';
const L2b = '{"t":2600,"seq":2,"kind":"link","host":"h1","iface":"eth0","state":"down"}';

describe('firstDivergence', () => {
  it('finds nothing in equal traces, including empty ones', () => {
    expect(firstDivergence(trace(L0, L1, L2), trace(L0, L1, L2))).toBeUndefined();
    expect(firstDivergence('', '')).toBeUndefined();
  });

  it('reports the index, the time and both lines of the first differing line, and both lengths', () => {
    expect(firstDivergence(trace(L0, L1, L2, L0), trace(L0, L1, L2b))).toEqual({ index: 2, t: 2500, a: L2, b: L2b, linesA: 4, linesB: 3 });
    expect(firstDivergence(trace(L1), trace(L0))).toEqual({ index: 0, t: 1000, a: L1, b: L0, linesA: 1, linesB: 1 });
  });

  it('reports the end of the shorter trace when one is a prefix of the other, with the longer side\'s time', () => {
    expect(firstDivergence(trace(L0, L1), trace(L0, L1, L2))).toEqual({ index: 2, t: 2500, a: undefined, b: L2, linesA: 2, linesB: 3 });
    expect(firstDivergence(trace(L0), '')).toEqual({ index: 0, t: 0, a: L0, b: undefined, linesA: 1, linesB: 0 });
  });

  it('reports a difference in the final newline alone past the last line', () => {
    expect(firstDivergence(trace(L0, L1), `${L0}\n${L1}`)).toEqual({ index: 2, t: undefined, a: undefined, b: undefined, linesA: 2, linesB: 2 });
  });

  it('describes a divergence with both sides named', () => {
    const text = describeDivergence(firstDivergence(trace(L0, L1), trace(L0))!, 'Node', 'Chromium');
    expect(text.split('\n')).toEqual([
      'first diverging event: line 1 at t=1000 ns (Node has 2 lines, Chromium has 1)',
      `  Node: ${L1}`,
      '  Chromium: (trace ended)',
    ]);
  });

  it('finds where two real runs of a scenario part: another seed changes the ping identifier', () => {
    const text = readFileSync(new URL('../../scenarios/examples/two-hosts-ping.yaml', import.meta.url), 'utf8');
    const run = (seed: number): string => {
      const lab = Lab.fromText(text, { seed });
      lab.run();
      return lab.traceJsonl();
    };
    const a = run(1);
    const b = run(2);
    const d = firstDivergence(a, b);
    expect(d).toBeDefined();
    const la = a.split('\n');
    const lb = b.split('\n');
    // Everything before the reported line is equal, the reported lines are the traces' own and differ.
    expect(la.slice(0, d!.index)).toEqual(lb.slice(0, d!.index));
    expect(d!.a).toBe(la[d!.index]);
    expect(d!.b).toBe(lb[d!.index]);
    expect(d!.a).not.toBe(d!.b);
    expect(d!.t).toBe(JSON.parse(d!.a!).t);
    expect(d!.linesA).toBe(la.length - 1);
    expect(firstDivergence(a, run(1))).toBeUndefined();
  });
});
