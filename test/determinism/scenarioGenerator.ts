import { drawActivity, type FaultKind, type LoadKind } from './activity.ts';
import { Dice } from './dice.ts';
import { drawTopology, topologyYaml, type Control, type Mode, type SchedulerName } from './topology.ts';

/**
 * Random scenarios that are valid by construction (issue 8, "Determinism at scale"): an LVS cluster of a client
 * or two, an optional router, one director (or a keepalived VRRP pair), 2–6 real servers on one to three LANs,
 * NAT, DR or TUN, any of the 14 schedulers, persistence on or off, HTTP/DNS/ping load, and timeline faults.
 * Each is a few simulated seconds and a few thousand trace events. Scenario #i depends only on (seed, i), so a
 * corpus of 1,000 starts with the corpus of 100.
 *
 * Environment (read by corpusFromEnv, used by the Node and browser determinism tests):
 *   DETERMINISM_SEED   the corpus seed (default 20260808)
 *   DETERMINISM_COUNT  how many scenarios (default 100), e.g. DETERMINISM_COUNT=1000 for a longer soak
 */

export const DEFAULT_CORPUS_SEED = 20260808;
export const DEFAULT_CORPUS_SIZE = 100;

export interface GeneratedScenario {
  index: number;
  /** A file name for error messages: `determinism-SEED-INDEX.yaml`. */
  file: string;
  /** A short label: `#7 tun/rr/keepalived`. */
  label: string;
  text: string;
  mode: Mode;
  scheduler: SchedulerName;
  control: Control;
  persistent: boolean;
  /** Segments (broadcast domains), the clients' `wan` included. */
  lans: number;
  servers: number;
  router: boolean;
  loads: LoadKind[];
  faults: FaultKind[];
}

export function generateScenario(corpusSeed: number, index: number): GeneratedScenario {
  const d = new Dice(`determinism:${corpusSeed}:${index}`);
  const t = drawTopology(d, index);
  const durationMs = t.vipReadyMs + d.int(3000, 5000);
  const header = [`name: determinism ${corpusSeed} no. ${index}`, `seed: ${d.int(1, 2 ** 31 - 1)}`, `duration: ${durationMs}ms`];
  const hosts = topologyYaml(d, t);
  const activity = drawActivity(d, t, durationMs);
  return {
    index,
    file: `determinism-${corpusSeed}-${index}.yaml`,
    label: `#${index} ${t.mode}/${t.scheduler}/${t.control}`,
    text: [...header, ...hosts, ...activity.yaml].join('\n') + '\n',
    mode: t.mode,
    scheduler: t.scheduler,
    control: t.control,
    persistent: t.persistence > 0,
    lans: t.segments.length,
    servers: t.servers.length,
    router: t.router,
    loads: activity.loads,
    faults: activity.faults,
  };
}

export function generateCorpus(seed: number, count: number): GeneratedScenario[] {
  return Array.from({ length: count }, (_, i) => generateScenario(seed, i));
}

function envInteger(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be an integer of at least ${min}, got ${raw}`);
  return n;
}

/** The corpus the determinism tests run: DETERMINISM_SEED and DETERMINISM_COUNT, or the defaults. */
export function corpusFromEnv(): { seed: number; scenarios: GeneratedScenario[] } {
  const seed = envInteger('DETERMINISM_SEED', DEFAULT_CORPUS_SEED, 0);
  const count = envInteger('DETERMINISM_COUNT', DEFAULT_CORPUS_SIZE, 1);
  return { seed, scenarios: generateCorpus(seed, count) };
}
