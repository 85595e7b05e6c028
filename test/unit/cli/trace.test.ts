import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import { lvsLab, parseTrace, routedScenario, tempDir } from './helpers.ts';

describe('lvs-lab run --trace', () => {
  const text = routedScenario();
  let tmp: ReturnType<typeof tempDir>;
  let first: Buffer;
  let second: Buffer;
  beforeAll(() => {
    tmp = tempDir({ 's.yaml': text });
    expect(lvsLab(['run', 's.yaml', '--trace', 'a.jsonl'], tmp.dir).status).toBe(0);
    expect(lvsLab(['run', 's.yaml', '--trace', 'out/b.jsonl'], tmp.dir).status).toBe(0);
    first = readFileSync(join(tmp.dir, 'a.jsonl'));
    second = readFileSync(join(tmp.dir, 'out', 'b.jsonl'));
  });
  afterAll(() => tmp.cleanup());

  it('writes the same bytes on two runs of the same scenario and seed', () => {
    expect(first.length).toBeGreaterThan(0);
    expect(first.equals(second)).toBe(true);
  });

  it('writes exactly the lab\'s canonical JSONL for that scenario', () => {
    const lab = Lab.fromText(text, { file: 's.yaml' });
    lab.run();
    expect(first.toString('utf8')).toBe(lab.traceJsonl());
  });

  it('is one JSON object per line, in seq order, t never going back', () => {
    const events = parseTrace(first.toString('utf8'));
    expect(first.toString('utf8').endsWith('\n')).toBe(true);
    events.forEach((e, i) => {
      expect(e.seq).toBe(i);
      if (i > 0) expect(e.t).toBeGreaterThanOrEqual(events[i - 1].t);
      expect(Object.keys(e).slice(0, 3)).toEqual(['t', 'seq', 'kind']);
    });
  });
});
