import { describe, expect, it } from 'vitest';
import { nameScenarios } from '../../../src/ui/scenarioNames.ts';

describe('nameScenarios', () => {
  it('names files by their base name, sorted by path, with or without a leading slash', () => {
    expect(nameScenarios(['/scenarios/lessons/nat-basic.yaml', 'scenarios/examples/two-hosts-ping.yaml'])).toEqual([
      { name: 'two-hosts-ping', path: 'scenarios/examples/two-hosts-ping.yaml' },
      { name: 'nat-basic', path: 'scenarios/lessons/nat-basic.yaml' },
    ]);
  });

  it('names files that share a base name by their path under scenarios/', () => {
    expect(nameScenarios(['scenarios/lessons/dr.yaml', 'scenarios/exercises/dr.yaml', 'scenarios/lessons/tun.yaml'])).toEqual([
      { name: 'exercises/dr', path: 'scenarios/exercises/dr.yaml' },
      { name: 'lessons/dr', path: 'scenarios/lessons/dr.yaml' },
      { name: 'tun', path: 'scenarios/lessons/tun.yaml' },
    ]);
  });

  it('gives every file a distinct name', () => {
    const paths = ['scenarios/a/x.yaml', 'scenarios/b/x.yaml', 'scenarios/b/y.yaml', 'scenarios/c/d/x.yaml', 'scenarios/z.yaml'];
    const names = nameScenarios(paths).map((e) => e.name);
    expect(new Set(names).size).toBe(paths.length);
  });
});
