export { Lab, type LabOptions } from './Lab.ts';
export type { RunSummary, HostCounters } from './summary.ts';
export { ScenarioError } from '../scenario/index.ts';
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
