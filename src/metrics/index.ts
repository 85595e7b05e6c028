export { runMetrics, type RunMetrics } from './runMetrics.ts';
export { connectionsPerDestination, type DestinationConnections } from './perDestination.ts';
export { trafficPerServer, type ServerTraffic } from './perServer.ts';
export { responseTimes, responseTimeOf, summarizeLatency, type LatencySummary } from './responseTimes.ts';
export { dropsByReason, type DropCount } from './drops.ts';
export { directorCpu, type CpuUtilisation } from './directorCpu.ts';
export { percentile } from './percentile.ts';
export { throughput, type ThroughputBin } from './throughput.ts';
export {
  jainIndex,
  coefficientOfVariation,
  mean,
  flowDisruption,
  runFairnessMetrics,
  meanCi,
  tQuantile975,
  summarizeFairness,
  CDF_POINTS,
  type FlowDisruption,
  type RunFairness,
  type MeanCi,
  type FairnessSummary,
} from './fairness.ts';
