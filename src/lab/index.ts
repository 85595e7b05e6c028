export { Lab, type LabOptions } from './Lab.ts';
export type { RunSummary, HostCounters } from './summary.ts';
export { ScenarioError } from '../scenario/index.ts';
export type { ExpectationResult } from '../scenario/index.ts';
export type { CommandResult } from '../admin/index.ts';
export { formatDuration, formatTimestamp, SECOND, MS, US, type SimTime } from '../sim/index.ts';
export { parseDuration } from '../scenario/units.ts';
// For the benchmarks (src/bench): the bare engine, measured without a scenario around it.
export { Simulator, EventQueue } from '../sim/index.ts';
