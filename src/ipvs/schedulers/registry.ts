import { destinationHashing } from './DestinationHashing.ts';
import { leastConnection } from './LeastConnection.ts';
import { localityBasedLeastConnection } from './LocalityBasedLeastConnection.ts';
import { localityBasedLeastConnectionReplication } from './LocalityBasedLeastConnectionReplication.ts';
import { maglevHashing } from './MaglevHashing.ts';
import { neverQueue } from './NeverQueue.ts';
import { powerOfTwoChoices } from './PowerOfTwoChoices.ts';
import { roundRobin } from './RoundRobin.ts';
import type { SchedulerFactory } from './Scheduler.ts';
import { shortestExpectedDelay } from './ShortestExpectedDelay.ts';
import { sourceHashing } from './SourceHashing.ts';
import { weightedFailover } from './WeightedFailover.ts';
import { weightedLeastConnection } from './WeightedLeastConnection.ts';
import { weightedOverflow } from './WeightedOverflow.ts';
import { weightedRoundRobin } from './WeightedRoundRobin.ts';

/**
 * Registered schedulers by name (register_ip_vs_scheduler / ip_vs_scheduler_get). Names match exactly; a name
 * not here is what the kernel answers with ENOENT after failing to load `ip_vs_<name>`.
 */
const SCHEDULERS = new Map<string, SchedulerFactory>([
  ['rr', roundRobin],
  ['wrr', weightedRoundRobin],
  ['lc', leastConnection],
  ['wlc', weightedLeastConnection],
  ['sed', shortestExpectedDelay],
  ['nq', neverQueue],
  ['fo', weightedFailover],
  ['ovf', weightedOverflow],
  ['twos', powerOfTwoChoices],
  ['lblc', localityBasedLeastConnection],
  ['lblcr', localityBasedLeastConnectionReplication],
  ['dh', destinationHashing],
  ['sh', sourceHashing],
  ['mh', maglevHashing],
]);

export function schedulerFactory(name: string): SchedulerFactory | undefined {
  return SCHEDULERS.get(name);
}

/** Registered names in registration order. */
export function schedulerNames(): readonly string[] {
  return [...SCHEDULERS.keys()];
}
