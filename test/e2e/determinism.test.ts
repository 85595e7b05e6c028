import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';
import { nameScenarios } from '../../src/ui/scenarioNames.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * The browser lab runs the real core: for every scenario file, the trace digest the built page computes in
 * Chromium equals the one Node computes with Lab.fromText(...).run() for the same text and seed. The site is
 * the one `npm run build` left in dist/ (the `test` script builds before it runs these tests), served by a
 * plain static server, so this also proves the build works from any static host.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** The scenario's own seed, and another one. */
const SEEDS: ReadonlyArray<number | undefined> = [undefined, 4242];
/** The file the UI test drives; it ships with the project. */
const UI_SCENARIO = 'two-hosts-ping';
const UI_SEED = 5;

interface PageHook {
  runScenario(name: string, seed?: number): string;
  scenarios(): Array<{ name: string; path: string }>;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (entry.name.endsWith('.yaml')) out.push(relative(ROOT, full).split(sep).join('/'));
  }
  return out;
}

const SCENARIOS = nameScenarios(yamlFiles(join(ROOT, 'scenarios')));

function nodeRun(path: string, seed: number | undefined): Lab {
  const lab = Lab.fromText(readFileSync(join(ROOT, path), 'utf8'), { file: path, seed });
  lab.run();
  return lab;
}

let server: StaticServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function openLab(query = ''): Promise<Page> {
  const p = await browser.newPage();
  p.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
  });
  await p.goto(`${server.url}index.html${query}`);
  await p.waitForFunction(() => typeof (window as unknown as { __lvsLab?: unknown }).__lvsLab === 'object');
  return p;
}

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run `npm run build` first (`npm test` does)');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  server = await serveStatic(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
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
    for (const seed of SEEDS) {
      it(`${s.path} with ${seed === undefined ? 'its own seed' : `seed ${seed}`}: same digest in Chromium and Node`, async () => {
        const expected = nodeRun(s.path, seed).digest();
        expect(expected).toMatch(/^[0-9a-f]{64}$/);
        const actual = await page.evaluate(
          ([name, sd]) => (window as unknown as { __lvsLab: PageHook }).__lvsLab.runScenario(name, sd ?? undefined),
          [s.name, seed ?? null] as const,
        );
        expect(actual).toBe(expected);
      });
    }
  }

  it('runs a scenario picked in the UI and shows its digest, expectations and trace', async () => {
    const lab = nodeRun(`scenarios/examples/${UI_SCENARIO}.yaml`, UI_SEED);
    const ui = await openLab();
    await ui.selectOption('#scenario', UI_SCENARIO);
    await ui.fill('#seed', String(UI_SEED));
    await ui.click('#run');
    await ui.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.getElementById('digest')?.textContent ?? ''));

    expect(await ui.textContent('#digest')).toBe(lab.digest());
    const rows = ui.locator('#trace tbody tr');
    expect(await rows.count()).toBe(Math.min(lab.events.length, 2000));
    const first = lab.events[0];
    const firstCells = await rows.first().locator('td').allTextContents();
    expect(firstCells.slice(1, 4)).toEqual([first.host ?? '', first.iface ?? (first.segment !== undefined ? `switch ${first.segment}` : ''), first.kind]);
    const kinds = await ui.locator('#trace tbody td:nth-child(4)').allTextContents();
    expect(kinds.filter((k) => k === 'tx').length).toBe(lab.events.filter((e) => e.kind === 'tx').length);

    const verdicts = await ui.locator('#expectations li strong').allTextContents();
    expect(verdicts).toEqual(lab.expectations().map((e) => (e.pass ? 'PASS' : 'FAIL')));
    expect(verdicts.length).toBeGreaterThan(0);
    expect(new URL(ui.url()).searchParams.get('scenario')).toBe(UI_SCENARIO);
    await ui.close();
  });

  // Exercises are bundled and run like any scenario (their digests are compared above); as shipped their goal
  // fails, and the page must say so exactly as Node does rather than treat a failing scenario as an error.
  it('shows an exercise\'s failing goal as Node evaluates it', async () => {
    const exercise = SCENARIOS.find((s) => s.path.startsWith('scenarios/exercises/'));
    expect(exercise, 'an exercise under scenarios/exercises/').toBeDefined();
    const lab = nodeRun(exercise!.path, undefined);
    const nodeVerdicts = lab.expectations().map((e) => (e.pass ? 'PASS' : 'FAIL'));
    expect(nodeVerdicts).toContain('FAIL');
    const ui = await openLab(`?scenario=${encodeURIComponent(exercise!.name)}`);
    await ui.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.getElementById('digest')?.textContent ?? ''));
    expect(await ui.textContent('#digest')).toBe(lab.digest());
    expect(await ui.locator('#expectations li strong').allTextContents()).toEqual(nodeVerdicts);
    await ui.close();
  });

  it('opens ?scenario=NAME&seed=N directly and runs it', async () => {
    const lab = nodeRun(`scenarios/examples/${UI_SCENARIO}.yaml`, UI_SEED);
    const ui = await openLab(`?scenario=${UI_SCENARIO}&seed=${UI_SEED}`);
    await ui.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.getElementById('digest')?.textContent ?? ''));
    expect(await ui.textContent('#digest')).toBe(lab.digest());
    expect(await ui.inputValue('#scenario')).toBe(UI_SCENARIO);
    await ui.close();
  });

  it('says so when ?scenario= names no file', async () => {
    const ui = await openLab('?scenario=%3Cimg%20src%3Dx%3E');
    const error = ui.locator('#error');
    await expect.poll(() => error.textContent()).toContain('No scenario named "<img src=x>"');
    expect(await ui.locator('#error img').count()).toBe(0);
    await ui.close();
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
