import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import { errorOf, withHosts } from './helpers.ts';

/** [line, column, path] of an error. */
function where(text: string): [number, number, string] {
  const e = errorOf(text);
  return [e.line, e.column, e.path];
}

/**
 * Asserts that the one-line entry under `list:` (line 10 of the file) fails at the first occurrence of
 * `needle` in it (the key or value the error must point at), with `path`. Returns the error.
 */
function failsAt(list: string, entry: string, needle: string, path: string) {
  const e = errorOf(base(`${list}:`, entry));
  const column = entry.indexOf(needle) + 1;
  if (column === 0) throw new Error(`${needle} is not in ${entry}`);
  expect([e.line, e.column, e.path]).toEqual([10, column, path]);
  return e;
}

/** Two hosts (h with eth0 and lo, g with eth0) and the given top-level lines; hosts end at line 8. */
const base = (...lines: string[]): string =>
  withHosts('  h:', '    interfaces: { eth0: { segment: lan }, lo: { addresses: [10.9.9.9/32] } }', '  g:', '    interfaces: { eth0: { segment: lan } }', ...lines);

describe('timeline actions', () => {
  it('load with their targets', () => {
    const spec = loadScenario(
      base(
        'timeline:',
        '  - { at: 1s, link: h/lo, state: down }',
        '  - { at: 1s, cable: g/eth0, state: up }',
        '  - { when: { kind: drop, host: h }, crash: h }',
        '  - { at: 2s, restart: h }',
        '  - { at: 2s, slow: g, factor: 1.5 }',
        '  - { at: 2s, loss: h/eth0, probability: 0.25 }',
      ),
      't.yaml',
    );
    expect(spec.timeline.map((t) => [t.at, t.host, t.action])).toEqual([
      [1e9, 'h', { kind: 'link', iface: 'lo', up: false }],
      [1e9, 'g', { kind: 'cable', iface: 'eth0', up: true }],
      [0, 'h', { kind: 'crash' }],
      [2e9, 'h', { kind: 'restart' }],
      [2e9, 'g', { kind: 'slow', factor: 1.5 }],
      [2e9, 'h', { kind: 'loss', iface: 'eth0', probability: 0.25 }],
    ]);
    expect({ ...spec.timeline[2].when }).toEqual({ kind: 'drop', host: 'h' });
  });

  it('one action per entry, and only its keys', () => {
    const two = failsAt('timeline', '  - { at: 1s, crash: h, restart: h }', 'restart', 'timeline[0].restart');
    expect(two.expected).toBe('one action per timeline entry (this one has crash:)');
    const extra = failsAt('timeline', '  - { at: 1s, crash: h, state: up }', 'state', 'timeline[0].state');
    expect(extra.expected).toBe('the keys of a crash: entry: at or when, crash');
    failsAt('timeline', '  - { at: 1s, reboot: h }', 'reboot', 'timeline[0].reboot');
  });

  it('at or when, not both, not neither', () => {
    const both = errorOf(base('timeline:', '  - { at: 1s, when: { kind: tx }, crash: h }'));
    expect([both.line, both.column, both.path]).toEqual([10, 15, 'timeline[0].when']);
    expect(both.expected).toContain('not both');
    const neither = errorOf(base('timeline:', '  - { crash: h }'));
    expect([neither.line, neither.column, neither.path]).toEqual([10, 5, 'timeline[0].at']);
  });

  it('when: is a count filter (same rules)', () => {
    expect(where(base('timeline:', '  - { when: tx, crash: h }'))).toEqual([10, 13, 'timeline[0].when']);
    expect(where(base('timeline:', '  - { when: { kind: drop, reason: lost }, crash: h }'))).toEqual([10, 35, 'timeline[0].when.reason']);
    expect(errorOf(base('timeline:', '  - { when: { host: x }, crash: h }')).message).toBe(
      'test.yaml:10:21: timeline[0].when.host: expected a host declared under hosts: h, g, got "x"',
    );
  });

  it('interface targets are HOST/IFACE of a declared interface; cables and loss not on lo', () => {
    expect(errorOf(base('timeline:', '  - { at: 1s, link: h, state: up }')).message).toBe(
      'test.yaml:10:21: timeline[0].link: expected an interface as HOST/IFACE (e.g. rs1/eth0), got "h"',
    );
    expect(errorOf(base('timeline:', '  - { at: 1s, link: h/eth1, state: up }')).message).toBe(
      'test.yaml:10:21: timeline[0].link: expected an interface of h: h/eth0, h/lo, got "h/eth1"',
    );
    expect(errorOf(base('timeline:', '  - { at: 1s, cable: h/lo, state: up }')).message).toBe(
      'test.yaml:10:22: timeline[0].cable: expected an interface of h with a cable (lo has none): h/eth0, got "h/lo"',
    );
    expect(where(base('timeline:', '  - { at: 1s, loss: x/eth0, probability: 0.1 }'))).toEqual([10, 21, 'timeline[0].loss']);
  });

  it('state, factor and probability', () => {
    expect(where(base('timeline:', '  - { at: 1s, link: h/eth0, state: off }'))).toEqual([10, 36, 'timeline[0].state']);
    expect(where(base('timeline:', '  - { at: 1s, link: h/eth0 }'))).toEqual([10, 5, 'timeline[0].state']);
    expect(where(base('timeline:', '  - { at: 1s, slow: h, factor: 0.5 }'))).toEqual([10, 32, 'timeline[0].factor']);
    expect(where(base('timeline:', '  - { at: 1s, slow: h }'))).toEqual([10, 5, 'timeline[0].factor']);
    expect(where(base('timeline:', '  - { at: 1s, loss: h/eth0, probability: 1.5 }'))).toEqual([10, 42, 'timeline[0].probability']);
    expect(where(base('timeline:', '  - { at: 1s, loss: h/eth0, probability: 10% }'))).toEqual([10, 42, 'timeline[0].probability']);
  });
});

describe('expectation forms', () => {
  it('a drop reason in a count filter must be one the trace can carry', () => {
    const e = failsAt('expect', '  - { count: { kind: drop, reason: rpfilter }, equals: 0 }', 'rpfilter', 'expect[0].count.reason');
    expect(e.expected).toContain('a drop reason: no-route, ');
    // Without kind: drop a reason is matched as written (other kinds may carry a field of that name).
    expect(loadScenario(base('expect:', '  - { count: { reason: anything }, equals: 0 }'), 't.yaml').expect).toHaveLength(1);
  });

  it('share needs dest and bounds', () => {
    failsAt('expect', '  - { share: { host: h }, between: [0, 1] }', '{ host', 'expect[0].share.dest');
    failsAt('expect', '  - { share: { dest: "1.2.3.4" }, between: [0, 1] }', '"1.2.3.4"', 'expect[0].share.dest');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" } }', '{ share', 'expect[0].between');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" }, between: [0.5] }', '[0.5]', 'expect[0].between');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" }, between: [0.6, 0.5] }', '[0.6', 'expect[0].between');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" }, between: [0, 2] }', '2]', 'expect[0].between[1]');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" }, about: 0.5 }', '{ share', 'expect[0].within');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" }, between: [0, 1], about: 0.5 }', 'about', 'expect[0].about');
  });

  it('neigh needs host, address and one test', () => {
    failsAt('expect', '  - { neigh: { host: h }, absent: true }', '{ host', 'expect[0].neigh.address');
    failsAt('expect', '  - { neigh: { host: h, address: 10.0.0 }, absent: true }', '10.0.0', 'expect[0].neigh.address');
    failsAt('expect', '  - { neigh: { host: h, address: 10.0.0.1 } }', '{ neigh', 'expect[0].lladdr');
    failsAt('expect', '  - { neigh: { host: h, address: 10.0.0.1 }, state: reachable }', 'reachable', 'expect[0].state');
    failsAt('expect', '  - { neigh: { host: h, address: 10.0.0.1 }, absent: true, state: STALE }', 'state', 'expect[0].state');
    failsAt('expect', '  - { neigh: { host: h, address: 10.0.0.1 }, absent: yes }', 'yes', 'expect[0].absent');
    failsAt('expect', '  - { neigh: { host: h, address: 10.0.0.1, mac: x }, absent: true }', 'mac', 'expect[0].neigh.mac');
  });

  it('responseTime needs a percentile and a bound', () => {
    failsAt('expect', '  - { responseTime: {}, atMost: 1ms }', '{ responseTime', 'expect[0].percentile');
    failsAt('expect', '  - { responseTime: {}, percentile: 0, atMost: 1ms }', '0,', 'expect[0].percentile');
    failsAt('expect', '  - { responseTime: {}, percentile: 50 }', '{ responseTime', 'expect[0].atMost');
    failsAt('expect', '  - { responseTime: {}, percentile: 50, atMost: 5 }', '5 }', 'expect[0].atMost');
  });

  it('one form per expectation; keys of another form are refused', () => {
    const e = failsAt('expect', '  - { count: { kind: tx }, share: { dest: "1.2.3.4:80" }, equals: 1 }', 'share', 'expect[0].share');
    expect(e.expected).toBe('one form per expectation (this one is a count: expectation)');
    failsAt('expect', '  - { share: { dest: "1.2.3.4:80" }, between: [0, 1], equals: 3 }', 'equals', 'expect[0].equals');
  });

  it('line: is one line', () => {
    failsAt('expect', '  - { at: 1s, host: h, run: x, output: { line: "a\\nb" } }', '"a', 'expect[0].output.line');
  });
});

describe('narration and exercise', () => {
  it('load', () => {
    const spec = loadScenario(
      base('narration:', '  - { at: 1s, text: "look at `h`" }', '  - { when: { kind: tx }, text: next }', 'exercise:', '  task: do *it*', '  goal:', '    - { count: { kind: tx }, atLeast: 1 }', '  hints: [one, two]'),
      't.yaml',
    );
    expect(spec.narration.map((n) => [n.at, n.when === undefined ? undefined : { ...n.when }, n.text])).toEqual([
      [1e9, undefined, 'look at `h`'],
      [0, { kind: 'tx' }, 'next'],
    ]);
    expect(spec.exercise).toMatchObject({ task: 'do *it*', hints: ['one', 'two'] });
    expect(spec.exercise!.goal).toHaveLength(1);
  });

  it('a step needs a moment and text; unknown keys are refused', () => {
    expect(where(base('narration:', '  - { text: hi }'))).toEqual([10, 5, 'narration[0].at']);
    expect(where(base('narration:', '  - { at: 1s }'))).toEqual([10, 5, 'narration[0].text']);
    expect(where(base('narration:', '  - { at: 1s, text: hi, html: "<b>" }'))).toEqual([10, 25, 'narration[0].html']);
    expect(where(base('narration:', '  - { at: 1s, text: [hi] }'))).toEqual([10, 21, 'narration[0].text']);
  });

  it('an exercise needs a task and a goal with an expectation; its goal entries are checked like expect:', () => {
    expect(where(base('exercise:', '  goal: [{ count: {}, equals: 0 }]'))).toEqual([10, 3, 'exercise.task']);
    expect(where(base('exercise:', '  task: t'))).toEqual([10, 3, 'exercise.goal']);
    expect(where(base('exercise:', '  task: t', '  goal: []'))).toEqual([11, 9, 'exercise.goal']);
    expect(where(base('exercise:', '  task: t', '  goal: [{ count: { host: zz }, equals: 0 }]'))).toEqual([11, '  goal: [{ count: { host: zz }'.indexOf('zz') + 1, 'exercise.goal[0].count.host']);
    expect(where(base('exercise:', '  task: t', '  goal: [{ count: {}, equals: 0 }]', '  solution: x'))).toEqual([12, 3, 'exercise.solution']);
  });
});
