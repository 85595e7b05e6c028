import { nameScenarios, type ScenarioEntry } from './scenarioNames.ts';

/** A scenario file bundled into the page, with its text. */
export interface BundledScenario extends ScenarioEntry {
  text: string;
}

/**
 * Every file under scenarios/, bundled as raw text at build time, so the built site needs no server-side
 * listing and works from any static file server.
 */
const files = import.meta.glob('/scenarios/**/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const SCENARIOS: readonly BundledScenario[] = nameScenarios(Object.keys(files)).map((entry) => ({
  ...entry,
  text: files[`/${entry.path}`],
}));

export function findScenario(name: string): BundledScenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
