import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../../src/lab/index.ts';
import { buildCatalog, describeScenario, groupCatalog, scenarioHref, type CatalogSource } from '../../../../src/ui/catalog/catalogGroups.ts';
import { nameScenarios } from '../../../../src/ui/scenarioNames.ts';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** The scenario files as the page bundles them (import.meta.glob('/scenarios/**\/*.yaml')), named the same way. */
function shipped(): CatalogSource[] {
  const paths: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.yaml')) paths.push(relative(ROOT, full).split('\\').join('/'));
    }
  };
  walk(join(ROOT, 'scenarios'));
  return nameScenarios(paths).map((e) => ({ ...e, text: readFileSync(join(ROOT, e.path), 'utf8') }));
}

describe('the catalog of shipped scenarios', () => {
  const sources = shipped();
  const groups = buildCatalog(sources);

  it('lists every file once, in Lessons, Exercises and Examples', () => {
    expect(groups.map((g) => g.heading)).toEqual(['Lessons', 'Exercises', 'Examples']);
    const listed = groups.flatMap((g) => g.items.map((i) => i.path));
    expect([...listed].sort()).toEqual(sources.map((s) => s.path).sort());
    const lessons = groups[0].items.map((i) => i.path);
    expect(lessons).toContain('scenarios/lessons/nat-bottleneck.yaml');
    expect(lessons.every((p) => p.startsWith('scenarios/lessons/'))).toBe(true);
    expect(groups[2].items.map((i) => i.name)).toEqual(['rp-filter', 'two-hosts-ping']);
  });

  it('puts exactly the scenarios with an exercise: in Exercises, marked', () => {
    const withExercise = sources.filter((s) => loadScenario(s.text, s.path).exercise !== undefined).map((s) => s.path);
    expect(withExercise.length).toBeGreaterThan(0);
    expect(groups[1].items.map((i) => i.path)).toEqual(withExercise);
    expect(groups[1].items.every((i) => i.exercise)).toBe(true);
    expect(groups[0].items.some((i) => i.exercise)).toBe(false);
  });

  it("shows each scenario's name and description as the loader reads them, and a link that names it", () => {
    for (const item of groups.flatMap((g) => g.items)) {
      const spec = loadScenario(sources.find((s) => s.path === item.path)!.text, item.path);
      expect(item.error).toBeUndefined();
      expect(item.title).toBe(spec.name);
      expect(item.description).toBe(spec.description?.trim());
      expect(new URLSearchParams(item.href.slice(1)).get('scenario')).toBe(item.name);
    }
    const bottleneck = groups[0].items.find((i) => i.name === 'nat-bottleneck')!;
    expect(bottleneck.href).toBe('?scenario=nat-bottleneck');
    expect(bottleneck.title).toBe('The NAT director bottleneck');
    expect(bottleneck.description).toMatch(/^Two clusters side by side/);
  });
});

describe('describeScenario and groupCatalog', () => {
  it('classes an exercise by its exercise: key wherever it lives, and keeps a broken file listed with its error', () => {
    const exercise = readFileSync(join(ROOT, 'scenarios/exercises/arp-problem-exercise.yaml'), 'utf8');
    const moved = describeScenario({ name: 'x', path: 'scenarios/examples/x.yaml', text: exercise });
    expect(moved.kind).toBe('exercise');
    expect(moved.exercise).toBe(true);
    const broken = describeScenario({ name: 'oops', path: 'scenarios/lessons/oops.yaml', text: 'name: [\n' });
    expect(broken).toMatchObject({ title: 'oops', kind: 'lesson', exercise: false });
    expect(broken.error).toMatch(/oops\.yaml:\d+:\d+: .*expected valid YAML/);
    expect(describeScenario({ name: 'e', path: 'scenarios/seeds/e.yaml', text: '' }).kind).toBe('example');
    expect(groupCatalog([moved]).map((g) => g.heading)).toEqual(['Exercises']);
    expect(groupCatalog([])).toEqual([]);
  });

  it('encodes names in links', () => {
    expect(scenarioHref('lessons/arp-problem')).toBe('?scenario=lessons%2Farp-problem');
    expect(new URLSearchParams(scenarioHref('a&b=c #d').slice(1)).get('scenario')).toBe('a&b=c #d');
  });
});
