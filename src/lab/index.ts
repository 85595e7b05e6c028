export { Lab, type LabOptions, type NarrationShown } from './Lab.ts';
// Read-only snapshots for panels (Lab.queries).
export {
  LabQueries,
  QueryRefused,
  parseQuery,
  whyNotReadOnly,
  isLessonSysctl,
  type NeighbourEntry,
  type InterfaceEntry,
  type InterfaceAddressEntry,
  type SysctlEntry,
  type HostTableSizes,
} from './queries.ts';
// Narration, exercise tasks and hints: the safe markup's tree (faces render it as text, never as HTML).
export { parseMarkup, markupToPlainText, type MarkupNode, type TextNode, type CodeNode, type SpanNode } from '../scenario/markup.ts';
export type { AnswerOutcome, AnswerLine } from '../scenario/exercise.ts';
export type { ExerciseSpec, NarrationSpec } from '../scenario/schema.ts';
export type { RunSummary, HostCounters } from './summary.ts';
export { ScenarioError } from '../scenario/index.ts';
// Resource limits (docs/scenario-format.md, "Limits").
export { DEFAULT_LIMITS, NO_LIMITS, LIMIT_FLAGS, LimitError, ScenarioLimitError, resolveLimits, type ResourceLimits, type LimitName } from '../scenario/limits.ts';
// Reading a scenario without building it (the browser's landing catalog: names, descriptions, which are exercises).
export { loadScenario, type ScenarioSpec } from '../scenario/index.ts';
export type { ExpectationResult } from '../scenario/index.ts';
export type { CommandResult } from '../admin/index.ts';
export { formatDuration, formatTimestamp, SECOND, MS, US, type SimTime } from '../sim/index.ts';
export { parseDuration } from '../scenario/units.ts';
// For the benchmarks (src/bench): the bare engine, measured without a scenario around it.
export { Simulator, EventQueue } from '../sim/index.ts';
// The IPVS oracle replay (lvs-lab replay).
export { parseExperiment, replayExperiment, compareReplay, type Experiment, type ReplayRecord, type ReplayComparison } from './replay/index.ts';
// For the scheduler benchmark (src/bench/schedulers.ts): a bare service and the registered schedulers.
export { VirtualService, type ServiceKey } from '../ipvs/VirtualService.ts';
export { Destination } from '../ipvs/Destination.ts';
export { schedulerFactory, schedulerNames } from '../ipvs/schedulers/registry.ts';
export type { Scheduler, SchedulerContext, ScheduleRequest } from '../ipvs/schedulers/Scheduler.ts';
// For the connection-table benchmark (src/bench/connectionMemory.ts): a bare table, filled without packets.
export { ConnectionTable, type NewConnection } from '../ipvs/ConnectionTable.ts';
// Configuration files in and out (lvs-lab import / export).
export { importConfig, type ImportOptions, type ImportOutcome } from './importConfig.ts';
export { exportScenario, ExportError, EXPORT_FORMATS, type ExportFormat, type ExportOptions } from './exportConfig.ts';
export { formatDiagnostic, CONFIG_FORMATS, type ConfigFormat, type Diagnostic } from '../admin/importers/index.ts';
// The fairness benchmark (lvs-lab bench): the workload library, one run through the full simulation, and the
// published-result checks (Maglev table fill, the supermarket model).
export { WORKLOAD_LIBRARY, parseWorkloadDefinitions, workloadsByName, WorkloadDefinitionError, type WorkloadDefinition, type WorkloadFlow, type WorkloadEvent } from './fairness/workloads.ts';
export { fairnessScenario, idealShares, type FairnessRunSpec } from './fairness/fairnessScenario.ts';
export { runFairness, type FairnessObservations } from './fairness/runFairness.ts';
export { maglevFill, maglevRemoval, schedulerRemoval, supermarket, supermarketTheory, KERNEL_MH_TABLE, type MaglevFill, type MaglevRemoval, type SchedulerRemoval, type SupermarketResult } from './fairness/published.ts';
// The LVS-NAT workload of `lvs-lab bench nat` and of the soak benchmark (`npm run soak`).
export { natBenchScenario, ON_LINK_CLIENT_PREFIX, ON_LINK_CLIENT_MAX, type NatBenchOptions } from './natBenchScenario.ts';
