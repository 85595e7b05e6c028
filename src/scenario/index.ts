export { ScenarioError, scenarioErrorAt, type SourcePos } from './ScenarioError.ts';
export * from './units.ts';
export * from './schema.ts';
export { loadScenario } from './load.ts';
export { MAX_SCENARIO_CHARS, MAX_NESTING, MAX_BLOCK_COLUMN } from './yamlSource.ts';
export { World } from './World.ts';
export { buildScenario, deriveMac, type BuildOptions, type BuiltScenario, type OutputProbe } from './build.ts';
export { evaluateExpectations, matchesFilter, type ExpectationResult } from './expectations.ts';
