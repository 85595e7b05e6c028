import { describe, expect, it } from 'vitest';
import { ScenarioError, compareReplay, parseExperiment, replayExperiment } from '../../../src/lab/index.ts';

const base = {
  name: 'tiny',
  servers: [
    { name: 'rs1', weight: 1 },
    { name: 'rs2', weight: 1 },
  ],
  services: [{ vip: '10.0.0.100', port: 80, sched: 'rr' }],
};

function errorOf(text: string): ScenarioError {
  try {
    parseExperiment(text, 'exp.json');
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('oracle experiments: parsing', () => {
  it('names file, line, column and field for a bad step', () => {
    const text = JSON.stringify({ ...base, steps: [{ op: 'open', src: '10.1.1.10' }, { op: 'opne' }] }, null, 1);
    const e = errorOf(text);
    expect([e.file, e.path]).toEqual(['exp.json', 'steps[1].op']);
    expect(e.line).toBeGreaterThan(1);
    expect(e.expected).toMatch(/^an op: open, close/);
  });

  it('refuses an unknown scheduler, a close of a connection never opened, and unknown keys', () => {
    expect(errorOf(JSON.stringify({ ...base, services: [{ vip: '10.0.0.100', sched: 'fastest' }], steps: [] })).path).toBe('services[0].sched');
    expect(errorOf(JSON.stringify({ ...base, steps: [{ op: 'open', src: '10.1.1.10' }, { op: 'close', conn: 1 }] })).path).toBe('steps[1].conn');
    expect(errorOf(JSON.stringify({ ...base, steps: [{ op: 'wait', seconds: 1, until: 2 }] })).path).toBe('steps[0].until');
  });
});

describe('oracle experiments: replay', () => {
  const e = parseExperiment(
    JSON.stringify({
      ...base,
      steps: [
        { op: 'open', src: '10.1.1.10' },
        { op: 'open', src: '10.1.1.11' },
        { op: 'weight', server: 'rs2', weight: 0 },
        { op: 'open', src: '10.1.1.12' },
        { op: 'close', conn: 0 },
        { op: 'dump', what: ['list'] },
      ],
    }),
    'tiny.json',
  );
  const records = replayExperiment(e);

  it('reports each decision and the counts in kernel list order (the last added server first)', () => {
    const opens = records.filter((r) => r.type === 'open');
    expect(opens.map((r) => r.rs)).toEqual(['rs2', 'rs1', 'rs1']);
    expect(Object.keys(opens[0].counts as object)).toEqual(['rs2', 'rs1']);
    expect(opens[2].counts).toEqual({ rs2: [1, 0, 0], rs1: [2, 0, 1] });
  });

  it('prints the listing its own ipvsadm gives, and a comparison finds a different decision', () => {
    const list = records.find((r) => r.type === 'dump');
    expect(list?.text).toContain('  -> 10.2.1.2:80                  Masq    1      2          0         \n');
    expect(list?.text).toContain('  -> 10.2.2.2:80                  Masq    0      0          1         \n');
    const golden = records.map((r) => JSON.stringify(r.type === 'open' && r.conn === 2 ? { ...r, rs: 'rs2' } : r)).join('\n');
    const c = compareReplay(records, golden);
    expect(c.decisions).toBe(3);
    expect(c.mismatches).toEqual([{ step: 3, what: 'decision', expected: 'rs2', got: 'rs1' }]);
  });
});
