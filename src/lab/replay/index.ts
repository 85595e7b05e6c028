export { parseExperiment, type Experiment, type ExperimentStep } from './Experiment.ts';
export { experimentScenario } from './experimentScenario.ts';
export { replayExperiment, type ReplayRecord } from './Replay.ts';
export { compareReplay, type ReplayComparison, type ReplayMismatch } from './compare.ts';
