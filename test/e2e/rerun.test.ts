import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPrerequisites, launch, newCheckedPage, ROOT } from './browser.ts';
import { nodeRun, openFromCatalog, pageMode, playback, waitPage, waitPlayback } from './labPage.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * Long runs (issue 8): one page, never reloaded, so it is always the same JS heap and document, goes through
 * 100 cycles of what a student does over an afternoon: open a lesson from the catalog (sometimes changing
 * their mind while it loads), play it, cancel mid-run (pause, go back to the catalog while it plays, or
 * re-run it with the seed form), go back to the start, and re-run to the end at fast-forward, looking at a
 * different tab each time (events, host with its console, charts, the CodeMirror editor).
 *
 * After a warm-up, half-way and at the end, on the catalog (no lesson open), the page's counters are read through the
 * DevTools protocol after forced garbage collections: event listeners, DOM nodes, documents, frames and the
 * used JS heap, plus the canvases in the document. Anything a lesson leaves behind when it is torn down (a
 * listener on document or window, a pixi object, an xstate actor or requestAnimationFrame loop still
 * running, a ResizeObserver, a CodeMirror view) would be reachable from the page and show up ×90 here.
 */

const SCENARIOS = ['nat-basic', 'dr-basic', 'two-hosts-ping'] as const;
const CYCLES = 100;
const WARM_UP = 10;
/** A sample half-way through the measured cycles: by then the bounded caches have filled. */
const MIDWAY = 55;
/** Simulated ns played before the cancel: mid-run, well before the end of any of the three (3 s and 4 s). */
const MID_RUN = 10_000_000;

/** How the lesson is opened: straight from the catalog, or after cancelling a load in one of two places. */
type Opening = 'direct' | 'back-while-stage-loads' | 'other-lesson-while-loading';
const OPENINGS: readonly Opening[] = ['direct', 'back-while-stage-loads', 'other-lesson-while-loading'];
/** How the running playback is cancelled. */
type Cancel = 'pause' | 'catalog-while-playing' | 'seed-rerun-while-playing';
const CANCELS: readonly Cancel[] = ['pause', 'catalog-while-playing', 'seed-rerun-while-playing'];
type Tab = 'events' | 'host' | 'charts' | 'editor';
const TABS: readonly Tab[] = ['events', 'host', 'charts', 'editor'];

interface Sample {
  readonly heapMB: number;
  readonly listeners: number;
  readonly nodes: number;
  readonly documents: number;
  readonly frames: number;
  readonly canvases: number;
}

let server: StaticServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
const problems: string[] = [];

beforeAll(async () => {
  checkPrerequisites();
  server = await serveStatic(join(ROOT, 'dist'));
  browser = await launch();
  page = await newCheckedPage(browser, problems);
  await page.goto(`${server.url}index.html`);
  await waitPage(page, 'landing');
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's counters after a full garbage collection. */
async function measureOnce(): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = new Map(metrics.map((x) => [x.name, x.value]));
  const get = (name: string): number => {
    const v = m.get(name);
    if (v === undefined) throw new Error(`no ${name} among the performance metrics`);
    return v;
  };
  const canvases = await page.evaluate(() => document.querySelectorAll('canvas').length);
  return {
    heapMB: get('JSHeapUsedSize') / 2 ** 20,
    listeners: get('JSEventListeners'),
    nodes: get('Nodes'),
    documents: get('Documents'),
    frames: get('Frames'),
    canvases,
  };
}

/**
 * Three collections, each field's smallest value: a collection may leave some garbage (a frame's worth of
 * pixi or xstate temporaries) that the next one frees, and the smallest is the steady part.
 */
async function measure(): Promise<Sample> {
  const all = [await measureOnce(), await measureOnce(), await measureOnce()];
  const min = (f: (s: Sample) => number): number => Math.min(...all.map(f));
  return {
    heapMB: min((s) => s.heapMB),
    listeners: min((s) => s.listeners),
    nodes: min((s) => s.nodes),
    documents: min((s) => s.documents),
    frames: min((s) => s.frames),
    canvases: min((s) => s.canvases),
  };
}

/** On the catalog with no lesson open: the state the samples are taken in. */
async function toCatalog(): Promise<void> {
  if ((await pageMode(page)) === 'landing') return;
  await page.locator('a.back:visible').first().click();
  await waitPage(page, 'landing');
}

/**
 * Clicks `first`'s catalog link and cancels that load as a very quick student would, in the page itself so
 * that the cancel lands while the lesson is still loading, whatever the machine's load:
 * - 'back-while-stage-loads': as soon as the lesson's frame is in the page (the Lab is built, pixi is still
 *   setting up WebGL), its "← All scenarios" link; the load finishes into an aborted signal and must destroy
 *   the stage it just made. Then `name` is opened from the catalog.
 * - 'other-lesson-while-loading': `name`'s link at once, before `first` got past its first frame; the page
 *   machine stops the first load (AbortError before anything is built) and loads `name`.
 * Returns the page mode at the moment of the cancel.
 */
async function openWithCancelledLoad(opening: Exclude<Opening, 'direct'>, first: string, name: string): Promise<string | undefined> {
  const mode = await page.evaluate(
    ([how, a, b]) =>
      new Promise<string | undefined>((resolve) => {
        const linkTo = (n: string): HTMLElement => document.querySelector<HTMLElement>(`li[data-scenario="${n}"] a.lvs-catalog-link`)!;
        if (how === 'other-lesson-while-loading') {
          linkTo(a).click();
          const at = document.body.dataset.page;
          linkTo(b).click();
          resolve(at);
          return;
        }
        const lessonRoot = document.getElementById('lesson')!;
        // Mutation callbacks run as microtasks: before the stage's asynchronous set-up has gone on.
        const observer = new MutationObserver(() => {
          const shell = lessonRoot.querySelector<HTMLElement>('#lesson-view');
          if (shell === null) return;
          observer.disconnect();
          const at = document.body.dataset.page;
          shell.querySelector<HTMLElement>('a.back')!.click();
          resolve(at);
        });
        observer.observe(lessonRoot, { childList: true });
        linkTo(a).click();
      }),
    [opening, first, name] as const,
  );
  if (opening === 'back-while-stage-loads') {
    await waitPage(page, 'landing');
    await page.locator(`li[data-scenario="${name}"] a.lvs-catalog-link`).click();
  }
  await waitPage(page, 'ready');
  // The lesson shown is the one opened last, and the cancelled load left no stage behind.
  await page.waitForFunction(() => document.querySelectorAll('canvas').length === 1);
  expect(await page.locator('#lesson-view').getAttribute('data-scenario')).toBe(name);
  return mode;
}

/**
 * Plays until the shown time is past MID_RUN, at 100 ms per second and without skipping quiet gaps, so that
 * the run is still mid-way when the cancel lands however slowly the loaded machine answers (skipping gaps
 * would cross a small lesson's quiet seconds in a few frames).
 */
async function playToMidRun(): Promise<void> {
  await page.selectOption('#speed', '0.1');
  await page.setChecked('#skip-idle', false);
  await page.click('#play');
  await page.waitForFunction((t) => Number(document.getElementById('lesson-view')?.dataset.time) > t, MID_RUN);
}

async function showTab(tab: Tab): Promise<void> {
  await page.click(`button.tab[data-tab=${tab}]`);
  if (tab === 'editor') await page.waitForFunction(() => document.querySelector('.lvs-editor')?.shadowRoot?.querySelector('.cm-content') != null);
  if (tab === 'host') await page.waitForFunction(() => (document.querySelector('.host-body')?.textContent ?? '') !== '');
}

async function oneCycle(i: number, digests: Map<string, string>): Promise<{ cancelledIn?: string }> {
  const name = SCENARIOS[i % SCENARIOS.length];
  const other = SCENARIOS[(i + 1) % SCENARIOS.length];
  // Every (scenario, opening, cancel) combination within each 27 cycles; the tab turns on its own (4 is prime to 3).
  const opening = OPENINGS[Math.floor(i / SCENARIOS.length) % OPENINGS.length];
  const cancel = CANCELS[Math.floor(i / (SCENARIOS.length * OPENINGS.length)) % CANCELS.length];
  const tab = TABS[i % TABS.length];

  await toCatalog();
  let cancelledIn: string | undefined;
  if (opening === 'direct') await openFromCatalog(page, name);
  else cancelledIn = await openWithCancelledLoad(opening, other, name);
  if (tab !== 'events') await showTab(tab);

  await playToMidRun();
  if (cancel === 'pause') {
    await page.click('#play');
    await waitPlayback(page, 'paused');
  } else if (cancel === 'catalog-while-playing') {
    await toCatalog();
    await openFromCatalog(page, name);
    await playToMidRun();
    await page.click('#play');
    await waitPlayback(page, 'paused');
  } else {
    // "Re-run" with the seed the lesson already has: the running lesson is torn down and built again.
    const seed = await page.inputValue('#seed');
    const before = await page.locator('#lesson-view').elementHandle();
    await page.click('.seed-form button[type=submit]');
    await waitPage(page, 'ready');
    await page.waitForFunction((old) => document.getElementById('lesson-view') !== old, before);
    await before?.dispose();
    expect(await page.inputValue('#seed')).toBe(seed);
    await playToMidRun();
    await page.click('#play');
    await waitPlayback(page, 'paused');
  }
  const paused = await playback(page);
  expect(paused.time).toBeGreaterThan(MID_RUN);

  // Back to the start ("|◀ Start"): time 0, re-simulated from a fresh Lab.
  await page.click('button.to-start');
  expect((await playback(page)).time).toBe(0);

  // Re-run to the end at fast-forward; every fifth cycle, "Play again" once more from the end.
  await page.selectOption('#speed', '100');
  await page.setChecked('#skip-idle', true);
  await page.click('#play');
  await waitPlayback(page, 'finished');
  if (i % 5 === 4) {
    await page.click('#play');
    await waitPlayback(page, 'finished');
  }
  const digest = (await page.textContent('#digest')) ?? '';
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  const known = digests.get(name);
  if (known === undefined) digests.set(name, digest);
  else expect(digest, `${name} in cycle ${i}`).toBe(known);
  return { cancelledIn };
}

function show(label: string, s: Sample): string {
  return `${label}: heap ${s.heapMB.toFixed(2)} MB, ${s.listeners} listeners, ${s.nodes} nodes, ${s.documents} documents, ${s.frames} frames, ${s.canvases} canvases`;
}

describe('long runs in one page', () => {
  it(`${CYCLES} cycles of open, play, cancel, restart and re-run leave no listeners, nodes, canvases or heap behind`, async () => {
    const digests = new Map<string, string>();
    const cancelModes: string[] = [];
    let warm: Sample | undefined;
    let mid: Sample | undefined;
    let lessonOpen: Sample | undefined;
    for (let i = 0; i < CYCLES; i++) {
      const { cancelledIn } = await oneCycle(i, digests);
      if (cancelledIn !== undefined) cancelModes.push(cancelledIn);
      if (i === WARM_UP - 1) {
        lessonOpen = await measure();
        await toCatalog();
        warm = await measure();
      } else if (i === MIDWAY - 1) {
        await toCatalog();
        mid = await measure();
      }
    }
    await toCatalog();
    const end = await measure();
    console.log(
      [
        show(`one lesson open (cycle ${WARM_UP})`, lessonOpen!),
        show(`catalog after ${WARM_UP} cycles`, warm!),
        show(`catalog after ${MIDWAY} cycles`, mid!),
        show(`catalog after ${CYCLES} cycles`, end),
      ].join('\n'),
    );

    // The same page all along (no reload), and each load was cancelled while the page was loading it.
    expect(cancelModes.length).toBeGreaterThan(0);
    expect(new Set(cancelModes)).toEqual(new Set(['loading']));
    // The three scenarios' digests match Node's: re-running in a used page changes nothing.
    for (const name of SCENARIOS) expect(digests.get(name), name).toBe(nodeRun(name).digest());

    const w = warm!;
    // No lesson open: no canvas (one stage, one WebGL context, only while a lesson is open) and the one document.
    expect(lessonOpen!.canvases).toBe(1);
    for (const s of [w, mid!, end]) expect(s.canvases).toBe(0);
    expect(end.documents).toBeLessThanOrEqual(w.documents);
    expect(end.frames).toBeLessThanOrEqual(w.frames);
    // A lesson whose view was not torn down keeps its ~390 listeners and ~5,800 nodes (the open lesson's sample
    // shows them): the few spare allow for some transient DOM of the page's own, never for one lesson per cycle.
    expect(end.listeners).toBeLessThanOrEqual(w.listeners + 5);
    expect(end.nodes).toBeLessThanOrEqual(w.nodes + 50);
    // The heap. Some growth is not the page's: V8's compiled code for functions that turn hot late, pixi's
    // text-measurement cache (an LRU of 1,000 entries that each new lesson's labels add to), CodeMirror's one
    // scratch Range (it keeps the last editor it measured), and pixi.js 8.22's id table (createIdFromString),
    // which keeps each WebGL renderer's graphics shader source under a new name: about 6.5 KB a stage, some
    // 0.6 MB over 45 cycles. A lesson kept alive costs far more: the ticker's frame loop that outlived the
    // playback (fixed in animationFrameTicker.ts) kept each finished run's Lab and grew this heap by 18.7 MB
    // over these 90 cycles, about 0.2 MB a cycle. So: under 6 MB in all, and under 2 MB over the last 45
    // cycles, once the caches are full (that leak would add 9 MB there; measured without it: about 0.85 MB).
    expect(end.heapMB - w.heapMB).toBeLessThan(6);
    expect(end.heapMB - mid!.heapMB).toBeLessThan(2);
    expect(problems).toEqual([]);
  }, 600_000);
});
