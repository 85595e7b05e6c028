import { loadScenario } from '../../lab/index.ts';
import type { ScenarioEntry } from '../scenarioNames.ts';

/**
 * The landing view's data: every bundled scenario, read with the scenario loader (not built: a name, a
 * description and whether it is an exercise are all the list needs) and grouped as the student meets them.
 * Pure: tested in Node over the files on disk, exactly as the page sees them bundled.
 */

export type CatalogKind = 'lesson' | 'exercise' | 'example';

export interface CatalogSource extends ScenarioEntry {
  text: string;
}

export interface CatalogItem {
  /** What `?scenario=` takes (src/ui/scenarioNames.ts). */
  name: string;
  path: string;
  /** The scenario's `name:` (or the file's name when it does not load). */
  title: string;
  /** The scenario's `description:`, plain text (it is not markup). */
  description?: string;
  kind: CatalogKind;
  /** The scenario has an `exercise:` (a goal the student must reach). */
  exercise: boolean;
  /** `?scenario=NAME`, relative to the page. */
  href: string;
  /** The loader's message when a bundled file does not load (a bug to fix; listed rather than hidden). */
  error?: string;
}

export interface CatalogGroup {
  kind: CatalogKind;
  heading: string;
  items: CatalogItem[];
}

const HEADINGS: ReadonlyArray<readonly [CatalogKind, string]> = [
  ['lesson', 'Lessons'],
  ['exercise', 'Exercises'],
  ['example', 'Examples'],
];

/** The page link that opens a scenario: the name is URL-encoded (`lessons/arp-problem` → `lessons%2Farp-problem`). */
export function scenarioHref(name: string): string {
  return `?${new URLSearchParams({ scenario: name }).toString()}`;
}

/**
 * One scenario's entry. An exercise is a file with `exercise:`, wherever it lives; otherwise files under
 * `scenarios/lessons/` are lessons and everything else (examples/, seeds/, ...) an example.
 */
export function describeScenario(source: CatalogSource): CatalogItem {
  const folderKind: CatalogKind = source.path.startsWith('scenarios/lessons/') ? 'lesson' : source.path.startsWith('scenarios/exercises/') ? 'exercise' : 'example';
  const base = { name: source.name, path: source.path, href: scenarioHref(source.name) };
  try {
    const spec = loadScenario(source.text, source.path);
    const exercise = spec.exercise !== undefined;
    return { ...base, title: spec.name, description: spec.description?.trim(), kind: exercise ? 'exercise' : folderKind, exercise };
  } catch (err) {
    return { ...base, title: source.name, kind: folderKind, exercise: folderKind === 'exercise', error: err instanceof Error ? err.message : String(err) };
  }
}

/** Lessons, exercises, examples (empty groups left out); items keep the order given (by path). */
export function groupCatalog(items: readonly CatalogItem[]): CatalogGroup[] {
  return HEADINGS.map(([kind, heading]) => ({ kind, heading, items: items.filter((i) => i.kind === kind) })).filter((g) => g.items.length > 0);
}

/** Every source described and grouped. */
export function buildCatalog(sources: readonly CatalogSource[]): CatalogGroup[] {
  return groupCatalog(sources.map(describeScenario));
}
