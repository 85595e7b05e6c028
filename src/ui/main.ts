import { createActor, fromPromise } from 'xstate';
import { LessonView } from './app/LessonView.ts';
import { resolveLocation, scenarioSearch, type LessonSource, type Wanted } from './app/lessonSource.ts';
import { pageMachine, type LessonHandle } from './app/pageMachine.ts';
import { buildCatalog, renderCatalog } from './catalog/index.ts';
import { findScenario, SCENARIOS } from './catalog.ts';
import { runScenarioText } from './runScenario.ts';
import type { ScenarioEntry } from './scenarioNames.ts';
import { measureFps, syntheticLoad, type FpsResult } from './stage/index.ts';
import { byId } from './app/dom.ts';

/**
 * The browser lab's entry: the landing catalog, a lesson (LessonView) opened from it or from the address
 * (`?scenario=NAME&seed=N`, or a share link `#s=...`), and the page machine (app/pageMachine.ts) that moves
 * between them. `?bench=N` is the frame-rate benchmark's mode (`npm run bench:ui`): the full lesson page with
 * a synthetic load of N packets in flight on its stage, measured with measureFps.
 */

/**
 * The hook the end-to-end tests call: runs a bundled scenario, or any scenario text, headless and returns the
 * trace digest; `traceText` returns the trace itself, to show where a run parts from Node's.
 */
export interface LvsLabHook {
  runScenario(name: string, seed?: number): string;
  runText(text: string, seed?: number): string;
  traceText(text: string, seed?: number): string;
  scenarios(): ScenarioEntry[];
}

declare global {
  interface Window {
    __lvsLab: LvsLabHook;
    /** Set by the bench mode when its measurement is done (or failed). */
    __lvsBench?: { result?: FpsResult; error?: string };
  }
}

window.__lvsLab = {
  runScenario(name: string, seed?: number): string {
    const s = findScenario(name);
    if (!s) throw new Error(`no scenario named ${name}`);
    return runScenarioText(s.text, s.path, seed).digest;
  },
  runText: (text: string, seed?: number): string => runScenarioText(text, 'scenario.yaml', seed).digest,
  traceText: (text: string, seed?: number): string => runScenarioText(text, 'scenario.yaml', seed).traceJsonl(),
  scenarios: () => SCENARIOS.map(({ name, path }) => ({ name, path })),
};

const landing = byId<HTMLElement>('landing');
const catalogBox = byId<HTMLElement>('catalog');
const status = byId<HTMLElement>('status');
const errorBox = byId<HTMLElement>('error');
const errorMessage = byId<HTMLElement>('error-message');
const lessonRoot = byId<HTMLElement>('lesson');

/** Lets the browser paint "Loading…" before building the lab holds the main thread. */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

const bench = benchRequest(new URLSearchParams(window.location.search));

const page = createActor(
  pageMachine.provide({
    actors: {
      loadLesson: fromPromise<LessonHandle, LessonSource>(async ({ input, signal }) => {
        await nextFrame();
        if (signal.aborted) throw new DOMException('another lesson was opened', 'AbortError');
        const load = bench !== undefined ? syntheticLoad(bench.inFlight) : undefined;
        const view = await LessonView.create(lessonRoot, input, { signal, open: openSource, benchLoad: load });
        if (bench !== undefined && load !== undefined) void runBench(view, load, bench.ms);
        return view;
      }),
    },
  }),
);

page.subscribe((snap) => {
  const mode = String(snap.value);
  document.body.dataset.page = mode;
  landing.hidden = mode !== 'landing';
  errorBox.hidden = mode !== 'error';
  lessonRoot.hidden = mode !== 'loading' && mode !== 'ready';
  const source = snap.context.source;
  const name = source?.name ?? 'the scenario';
  status.textContent = mode === 'loading' ? `Loading ${name}…` : '';
  errorMessage.textContent = mode === 'error' ? (snap.context.error ?? '') : '';
  document.title = mode === 'ready' && source !== undefined ? `${lessonTitle()} — lvs-lab` : 'lvs-lab';
});
page.start();

function lessonTitle(): string {
  return document.getElementById('lesson-title')?.textContent ?? 'lesson';
}

/** The address that reopens a source: a bundled file by name and seed; shared text keeps its fragment. */
function addressOf(source: LessonSource): string | undefined {
  if (source.origin === 'bundled' && source.name !== undefined) return scenarioSearch(source.name, source.seed);
  const url = new URL(window.location.href);
  if (source.seed !== undefined) url.searchParams.set('seed', String(source.seed));
  // Edited text is not in the address until the student shares it: a stale share fragment would lie.
  if (source.origin === 'edited') url.hash = '';
  return `${url.search}${url.hash}`;
}

/** Opens a source from inside the page (the catalog, "Run edited", a new seed), keeping the address in step. */
function openSource(source: LessonSource): void {
  const address = addressOf(source);
  if (address !== undefined) window.history.pushState(null, '', address === '' ? window.location.pathname : address);
  page.send({ type: 'OPEN', source });
}

function apply(wanted: Wanted): void {
  if (wanted.kind === 'open') page.send({ type: 'OPEN', source: wanted.source });
  else if (wanted.kind === 'error') page.send({ type: 'FAIL', message: wanted.message });
  else page.send({ type: 'LANDING' });
}

renderCatalog(catalogBox, buildCatalog(SCENARIOS), {
  onOpen: (item, event) => {
    const s = findScenario(item.name);
    if (s === undefined || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    openSource({ name: s.name, text: s.text, file: s.path, origin: 'bundled' });
  },
});

// "← All scenarios" (and any link back to the bare page) goes to the landing view without a reload.
document.addEventListener('click', (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest('a.back') : null;
  if (a === null || ev.ctrlKey || ev.metaKey || ev.shiftKey || (ev as MouseEvent).button !== 0) return;
  ev.preventDefault();
  window.history.pushState(null, '', window.location.pathname);
  page.send({ type: 'LANDING' });
});

window.addEventListener('popstate', () => {
  void resolveLocation(window.location.search, window.location.hash).then(apply);
});

if (bench !== undefined) {
  const s = findScenario(bench.scenario);
  if (s === undefined) page.send({ type: 'FAIL', message: `No scenario named "${bench.scenario}" for the benchmark.` });
  else page.send({ type: 'OPEN', source: { name: s.name, text: s.text, file: s.path, origin: 'bundled' } });
} else {
  void resolveLocation(window.location.search, window.location.hash).then(apply);
}

interface BenchRequest {
  readonly inFlight: number;
  readonly ms: number;
  readonly scenario: string;
}

/** `?bench=N[&ms=M][&scenario=NAME]`: N packets in flight, measured for M ms, beside the panels of NAME. */
function benchRequest(params: URLSearchParams): BenchRequest | undefined {
  const n = params.get('bench');
  if (n === null) return undefined;
  const inFlight = Number(n);
  const ms = Number(params.get('ms') ?? '4000');
  if (!Number.isInteger(inFlight) || inFlight < 1 || inFlight > 1_000_000 || !Number.isFinite(ms) || ms < 100) {
    window.__lvsBench = { error: `bench: expected ?bench=N (1..1000000) and ms ≥ 100, got ${n} and ${ms}` };
    return undefined;
  }
  return { inFlight, ms, scenario: params.get('scenario') ?? 'dr-basic' };
}

async function runBench(view: LessonView, load: ReturnType<typeof syntheticLoad>, ms: number): Promise<void> {
  try {
    const result = await measureFps(view.topologyStage, load, ms);
    window.__lvsBench = { result };
    status.textContent = `${result.inFlight} packets in flight: ${result.fps.toFixed(1)} frames per second (${result.frames} frames in ${Math.round(result.ms)} ms).`;
  } catch (err) {
    window.__lvsBench = { error: err instanceof Error ? err.message : String(err) };
  }
}
