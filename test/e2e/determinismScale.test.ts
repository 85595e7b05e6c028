import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDivergence, firstDivergence } from '../determinism/firstDivergence.ts';
import { runGenerated } from '../determinism/runGenerated.ts';
import { corpusFromEnv } from '../determinism/scenarioGenerator.ts';
import { checkPrerequisites, DIST, launch, newCheckedPage } from './browser.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * Determinism at scale in the browser (issue 8): the generated scenarios of test/determinism (DETERMINISM_SEED
 * and DETERMINISM_COUNT pick the corpus, default 100 from a fixed seed) give the same trace digest in the built
 * page in headless Chromium (`window.__lvsLab.runText`) as in Node. On a mismatch the test fetches the page's
 * trace (`traceText`) and prints the first event where it parts from Node's.
 */

interface PageHook {
  runText(text: string, seed?: number): string;
  traceText(text: string, seed?: number): string;
}

const { seed, scenarios } = corpusFromEnv();

let server: StaticServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  checkPrerequisites();
  server = await serveStatic(DIST);
  browser = await launch();
  page = await newCheckedPage(browser, problems);
  await page.goto(`${server.url}index.html`);
  await page.waitForFunction(() => typeof (window as unknown as { __lvsLab?: { runText?: unknown } }).__lvsLab?.runText === 'function');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe(`determinism at scale in Chromium: ${scenarios.length} generated scenarios from seed ${seed}`, () => {
  for (const s of scenarios) {
    it(`${s.label}: same digest in Chromium and Node`, async () => {
      const node = runGenerated(s);
      const expected = node.digest();
      const actual = await page.evaluate((text) => (window as unknown as { __lvsLab: PageHook }).__lvsLab.runText(text), s.text);
      if (actual !== expected) {
        const inPage = await page.evaluate((text) => (window as unknown as { __lvsLab: PageHook }).__lvsLab.traceText(text), s.text);
        const d = firstDivergence(node.traceJsonl(), inPage);
        throw new Error(`${s.file}: Node ${expected}, Chromium ${actual}\n${d ? describeDivergence(d, 'Node', 'Chromium') : 'the traces are equal'}\n--- scenario ---\n${s.text}`);
      }
      expect(actual).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('raised no page error, console error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
