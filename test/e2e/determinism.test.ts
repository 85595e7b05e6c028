import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPrerequisites, DIST, launch, newCheckedPage } from './browser.ts';
import { nodeRun, playback, SCENARIOS, waitPage, waitPlayback } from './labPage.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * The browser lab runs the real core: for every scenario file, the trace digest the built page computes in
 * Chromium equals the one Node computes with Lab.fromText(...).run() for the same text and seed (through the
 * page's `window.__lvsLab` hook), and the digest the lesson view shows at the end of a run equals Node's. The
 * site is the one `npm run build` left in dist/ (the `test` script builds before it runs these tests), served
 * by a plain static server, so this also proves the build works from any static host.
 */

/** The scenario's own seed, and another one. */
const SEEDS: ReadonlyArray<number | undefined> = [undefined, 4242];
/**
 * The two scenarios that take the longest to simulate (each ~200,000 trace events, several seconds in Chromium)
 * are compared with their own seed only: the second seed checks the seed's plumbing, which every other file
 * covers, and the suite must stay within a few minutes on a small machine. lab.test.ts plays both to the end
 * in the lesson view too.
 */
const OWN_SEED_ONLY = new Set(['nat-bottleneck', 'persistence-megaproxy']);
/** The file the UI test drives; it ships with the project. */
const UI_SCENARIO = 'two-hosts-ping';
const UI_SEED = 5;

interface PageHook {
  runScenario(name: string, seed?: number): string;
  scenarios(): Array<{ name: string; path: string }>;
}

let server: StaticServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function openLab(query = ''): Promise<Page> {
  const p = await newCheckedPage(browser, problems);
  await p.goto(`${server.url}index.html${query}`);
  await p.waitForFunction(() => typeof (window as unknown as { __lvsLab?: unknown }).__lvsLab === 'object');
  return p;
}

beforeAll(async () => {
  checkPrerequisites();
  server = await serveStatic(DIST);
  browser = await launch();
  page = await openLab();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the built page runs the same core as Node', () => {
  it('bundles every scenario file under the name the tests use', async () => {
    expect(SCENARIOS.length).toBeGreaterThan(0);
    const inPage = await page.evaluate(() => (window as unknown as { __lvsLab: PageHook }).__lvsLab.scenarios());
    expect(inPage).toEqual(SCENARIOS);
  });

  for (const s of SCENARIOS) {
    for (const seed of OWN_SEED_ONLY.has(s.name) ? SEEDS.slice(0, 1) : SEEDS) {
      it(`${s.path} with ${seed === undefined ? 'its own seed' : `seed ${seed}`}: same digest in Chromium and Node`, async () => {
        const expected = nodeRun(s.name, seed).digest();
        expect(expected).toMatch(/^[0-9a-f]{64}$/);
        const actual = await page.evaluate(
          ([name, sd]) => (window as unknown as { __lvsLab: PageHook }).__lvsLab.runScenario(name, sd ?? undefined),
          [s.name, seed ?? null] as const,
        );
        expect(actual).toBe(expected);
      });
    }
  }

  it('shows Node\'s digest and expectations at the end of ?scenario=NAME&seed=N run to its end in the lesson view', async () => {
    const lab = nodeRun(UI_SCENARIO, UI_SEED);
    const ui = await openLab(`?scenario=${UI_SCENARIO}&seed=${UI_SEED}`);
    await waitPage(ui, 'ready');
    expect(await ui.inputValue('#seed')).toBe(String(UI_SEED));
    // Before the end the page shows no digest: a prefix of the trace has none worth comparing.
    expect(await ui.textContent('#digest')).toBe('');
    await ui.click('button.to-end');
    await waitPlayback(ui, 'finished');
    expect((await playback(ui)).time).toBe(lab.duration);
    expect(await ui.textContent('#digest')).toBe(lab.digest());
    const verdicts = await ui.locator('#expectations li strong').allTextContents();
    expect(verdicts).toEqual(lab.expectations().map((e) => (e.pass ? 'PASS' : 'FAIL')));
    expect(verdicts.length).toBeGreaterThan(0);
    // Another seed from the header's form: a new run, the address keeps it.
    await ui.fill('#seed', '4242');
    await ui.press('#seed', 'Enter');
    await ui.waitForFunction(() => document.body.dataset.page === 'ready' && document.getElementById('digest')?.textContent === '');
    expect(new URL(ui.url()).searchParams.get('seed')).toBe('4242');
    await ui.click('button.to-end');
    await waitPlayback(ui, 'finished');
    expect(await ui.textContent('#digest')).toBe(nodeRun(UI_SCENARIO, 4242).digest());
    await ui.close();
  });

  it('raised no page error, console error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
