import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';
import { FAULT_KINDS, LOAD_KINDS } from './activity.ts';
import { describeDivergence, firstDivergence } from './firstDivergence.ts';
import { runGenerated } from './runGenerated.ts';
import { corpusFromEnv, DEFAULT_CORPUS_SEED, DEFAULT_CORPUS_SIZE, generateCorpus } from './scenarioGenerator.ts';
import { CONTROLS, MODES, SCHEDULERS } from './topology.ts';

/**
 * Determinism at scale (issue 8): generated scenarios (scenarioGenerator.ts; DETERMINISM_SEED and
 * DETERMINISM_COUNT pick the corpus, default 100 from a fixed seed) each load, run within the limits, and give
 * the same trace, byte for byte, in a second run in a fresh Lab. The second pass goes through the corpus
 * backwards and runs each scenario in slices (runUntil at uneven times), so state leaking from one Lab into the
 * next, or a run that depends on where it was paused, shows as a difference. On a difference the failure
 * prints the first diverging event (the first run's trace is kept compressed for that). A separate Node process
 * (printDigests.ts) computes every digest once more, so the two runs are also two processes.
 */

const { seed, scenarios } = corpusFromEnv();

interface FirstRun {
  digest: string;
  /** The canonical JSONL, deflated: kept to show where a second run parts from it. */
  trace: Buffer;
  events: number;
  /** Whether some client got an answer (a response event on a client host). */
  answered: boolean;
  /** Whether some client sent a frame: the scenario's load ran. */
  clientSent: boolean;
}
const first = new Map<number, FirstRun | Error>();

beforeAll(() => {
  for (const s of scenarios) {
    try {
      Lab.check(s.text, s.file);
      const lab = runGenerated(s);
      const jsonl = lab.traceJsonl();
      const clients = new Set(lab.hostNames().filter((h) => h.startsWith('client')));
      first.set(s.index, {
        digest: lab.digest(),
        trace: deflateRawSync(jsonl, { level: 1 }),
        events: lab.events.length,
        answered: lab.events.some((e) => e.kind === 'app' && e.event === 'response' && clients.has(e.host ?? '')),
        clientSent: lab.events.some((e) => e.kind === 'tx' && clients.has(e.host ?? '')),
      });
    } catch (e) {
      first.set(s.index, e instanceof Error ? e : new Error(String(e)));
    }
  }
}, Math.max(120_000, scenarios.length * 3_000));

describe(`determinism at scale: ${scenarios.length} generated scenarios from seed ${seed}`, () => {
  for (const s of [...scenarios].reverse()) {
    it(`${s.label}: loads, runs within its limits, and a second run in a fresh Lab, in slices, gives the same trace`, () => {
      const r = first.get(s.index);
      if (r instanceof Error) throw new Error(`${s.file} did not load or run: ${r.message}\n--- scenario ---\n${s.text}`);
      expect(r).toBeDefined();
      expect(r!.clientSent).toBe(true);
      const again = runGenerated(s, 2 + (s.index % 5));
      const digest = again.digest();
      if (digest !== r!.digest) {
        const d = firstDivergence(inflateRawSync(r!.trace).toString('utf8'), again.traceJsonl());
        throw new Error(`${s.file}: digests differ (${r!.digest} then ${digest})\n${d ? describeDivergence(d, 'first run', 'second run') : 'the traces are equal'}\n--- scenario ---\n${s.text}`);
      }
      expect(again.events.length).toBe(r!.events);
    });
  }

  it('a separate Node process computes the same digest for every scenario', () => {
    const script = fileURLToPath(new URL('./printDigests.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: process.env, maxBuffer: 16 * 1024 * 1024 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const theirs = new Map(child.stdout.trimEnd().split('\n').map((l) => [Number(l.slice(0, l.indexOf(' '))), l.slice(l.indexOf(' ') + 1)] as const));
    const differing = scenarios.filter((s) => {
      const r = first.get(s.index);
      return r instanceof Error || theirs.get(s.index) !== r?.digest;
    });
    // The names, so a failure says which to look at (run one with the per-scenario test above for its first diverging event).
    expect(differing.map((s) => `${s.file}: ${theirs.get(s.index)}`)).toEqual([]);
    expect(theirs.size).toBe(scenarios.length);
  }, Math.max(120_000, scenarios.length * 3_000));

  it('most generated scenarios carry traffic end to end (the generator makes working clusters, not only broken ones)', () => {
    const ran = [...first.values()].filter((r): r is FirstRun => !(r instanceof Error));
    expect(ran.length).toBe(scenarios.length);
    expect(ran.filter((r) => r.answered).length).toBeGreaterThanOrEqual(Math.floor(0.8 * ran.length));
  });
});

describe('the scenario generator', () => {
  const corpus = generateCorpus(DEFAULT_CORPUS_SEED, DEFAULT_CORPUS_SIZE);

  it('covers every forwarding method, scheduler, control plane, load and fault kind in the default corpus', () => {
    expect(new Set(corpus.map((s) => s.mode))).toEqual(new Set(MODES));
    expect(new Set(corpus.map((s) => s.scheduler))).toEqual(new Set(SCHEDULERS));
    expect(new Set(corpus.map((s) => s.control))).toEqual(new Set(CONTROLS));
    expect(new Set(corpus.flatMap((s) => s.loads))).toEqual(new Set(LOAD_KINDS));
    expect(new Set(corpus.flatMap((s) => s.faults))).toEqual(new Set(FAULT_KINDS));
    expect(new Set(corpus.map((s) => s.lans))).toEqual(new Set([1, 2, 3]));
    expect(new Set(corpus.map((s) => s.servers))).toEqual(new Set([2, 3, 4, 5, 6]));
    expect(new Set(corpus.map((s) => s.persistent))).toEqual(new Set([true, false]));
    expect(new Set(corpus.map((s) => s.router))).toEqual(new Set([true, false]));
    expect(corpus.filter((s) => s.faults.length === 0).length).toBeGreaterThan(0);
  });

  it('gives every scenario its own text, and the same text for the same seed and index whatever the corpus size', () => {
    expect(new Set(corpus.map((s) => s.text)).size).toBe(corpus.length);
    expect(generateCorpus(DEFAULT_CORPUS_SEED, 3).map((s) => s.text)).toEqual(corpus.slice(0, 3).map((s) => s.text));
    expect(generateCorpus(DEFAULT_CORPUS_SEED + 1, 3).map((s) => s.text)).not.toEqual(corpus.slice(0, 3).map((s) => s.text));
  });
});
