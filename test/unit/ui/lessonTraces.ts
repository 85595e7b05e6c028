import { readFileSync } from 'node:fs';
import { Lab } from '../../../src/lab/index.ts';
import type { PacketSummary, TraceEvent } from '../../../src/trace/index.ts';
import { buildTopology, segmentLookup, type SegmentOf, type Topology } from '../../../src/ui/viewmodel/topology.ts';

/** A shipped scenario's text (`lessons/dr-basic`), for tests that run it through Lab.fromText. */
export function scenarioText(name: string): string {
  return readFileSync(new URL(`../../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
}

export interface RunLesson {
  lab: Lab;
  events: readonly TraceEvent[];
  topology: Topology;
  segmentOf: SegmentOf;
}

/** Runs a shipped scenario to its end. */
export function runScenario(name: string): RunLesson {
  const lab = Lab.fromText(scenarioText(name), { file: `${name}.yaml` });
  lab.run();
  const topology = buildTopology(lab.spec);
  return { lab, events: lab.events, topology, segmentOf: segmentLookup(topology) };
}

/** The first packet matching `pred` that `host` sent. */
export function firstTx(events: readonly TraceEvent[], host: string, pred: (p: PacketSummary) => boolean): PacketSummary {
  for (const e of events) if (e.kind === 'tx' && e.host === host && pred(e.pkt)) return e.pkt;
  throw new Error(`${host} sent no such packet`);
}
