export { ScenarioError, scenarioErrorAt, type SourcePos } from './ScenarioError.ts';
export * from './units.ts';
export * from './schema.ts';
export { loadScenario } from './load.ts';
export { MAX_SCENARIO_CHARS, MAX_NESTING, MAX_BLOCK_COLUMN } from './yamlSource.ts';
