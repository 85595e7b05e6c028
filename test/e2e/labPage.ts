import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { Lab } from '../../src/lab/index.ts';
import { nameScenarios, type ScenarioEntry } from '../../src/ui/scenarioNames.ts';
import { ROOT } from './browser.ts';

/**
 * Driving the lab page as a student does (clicks, keys, typing) and reading what it shows (its DOM, and the
 * `data-*` state the lesson view keeps on its root: data-playback, data-time, data-cursor). Browser-side
 * functions are passed as source text: they must not close over test-side variables.
 */

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (entry.name.endsWith('.yaml')) out.push(relative(ROOT, full).split(sep).join('/'));
  }
  return out;
}

/** Every scenario file, named as the page names them. */
export const SCENARIOS: ScenarioEntry[] = nameScenarios(yamlFiles(join(ROOT, 'scenarios')));

export function scenario(name: string): ScenarioEntry {
  const s = SCENARIOS.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no scenario ${name}`);
  return s;
}

export function scenarioText(name: string): string {
  return readFileSync(join(ROOT, scenario(name).path), 'utf8');
}

/** Node's run of a shipped scenario, with commands typed at given times as the page's console journals them. */
export function nodeRun(name: string, seed?: number, typed: ReadonlyArray<{ t: number; host: string; line: string }> = []): Lab {
  const s = scenario(name);
  const lab = Lab.fromText(readFileSync(join(ROOT, s.path), 'utf8'), { file: s.path, seed });
  for (const c of typed) {
    lab.runUntil(c.t);
    lab.runCommand(c.host, c.line);
  }
  lab.run();
  return lab;
}

export type Playback = 'paused' | 'playing' | 'finished';

export async function pageMode(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.body.dataset.page);
}

export async function waitPage(page: Page, mode: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((m) => document.body.dataset.page === m, mode, { timeout });
}

export async function playback(page: Page): Promise<{ mode: Playback; time: number; cursor: number }> {
  return page.evaluate(() => {
    const d = document.getElementById('lesson-view')!.dataset;
    return { mode: d.playback as Playback, time: Number(d.time), cursor: Number(d.cursor) };
  });
}

export async function waitPlayback(page: Page, mode: Playback, timeout = 120_000): Promise<void> {
  await page.waitForFunction((m) => document.getElementById('lesson-view')?.dataset.playback === m, mode, { timeout });
}

/** From anywhere in the page, back to the catalog and into a scenario by its link, without reloading. */
export async function openFromCatalog(page: Page, name: string): Promise<void> {
  if ((await pageMode(page)) !== 'landing') {
    await page.locator('a.back:visible').first().click();
    await waitPage(page, 'landing');
  }
  await page.locator(`li[data-scenario="${name}"] a.lvs-catalog-link`).click();
  await waitPage(page, 'ready');
}

/** Fast-forward to the end: the fastest speed, Play, and wait for the playback to finish. */
export async function playToEnd(page: Page): Promise<void> {
  await page.selectOption('#speed', '100');
  await page.click('#play');
  await waitPlayback(page, 'finished');
}

export async function showTab(page: Page, tab: 'lesson' | 'packet' | 'host' | 'events' | 'charts' | 'editor'): Promise<void> {
  await page.click(`button.tab[data-tab=${tab}]`);
}

/** Picks a host in the host tab and types lines into its console, each answered before the next. */
export async function typeOn(page: Page, host: string, lines: readonly string[]): Promise<void> {
  await showTab(page, 'host');
  await page.selectOption('#host-picker', host);
  for (const line of lines) {
    const before = await page.locator('.console-log .console-entry').count();
    await page.fill('.console-input', line);
    await page.press('.console-input', 'Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.console-log .console-entry').length > n, before);
  }
}

/** The text of a host panel section (its command outputs, or its table). */
export async function hostSection(page: Page, section: string): Promise<string> {
  await page.click(`.host-tab[data-section=${section}]`);
  return (await page.locator('.host-body').textContent()) ?? '';
}

/** The `data-path`s of the fields the inspector marks as changed at the open hop. */
export async function changedFields(page: Page): Promise<string[]> {
  return page.locator('.inspector-detail .changed').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.path ?? '').sort());
}

/**
 * Steps (Right arrow) until the event list shows a tx by `host` whose line matches `what`, then selects that
 * packet with its #N button (as a keyboard user would). Returns the number of steps taken.
 */
export async function stepToPacket(page: Page, host: string, what: RegExp, maxSteps = 400): Promise<number> {
  await page.locator('body').focus();
  for (let i = 1; i <= maxSteps; i++) {
    await page.keyboard.press('ArrowRight');
    const found = await page.evaluate(
      ([h, src]) => {
        const re = new RegExp(src);
        const rows = [...document.querySelectorAll<HTMLTableRowElement>('#events tbody tr')];
        const row = rows.find((r) => r.cells[2]?.textContent === h && r.cells[4]?.textContent === 'tx' && re.test(r.cells[5]?.textContent ?? ''));
        return row?.dataset.pid;
      },
      [host, what.source] as const,
    );
    if (found !== undefined) {
      await page.locator(`#events tbody tr[data-pid="${found}"] button.event-packet`).last().click();
      return i;
    }
  }
  throw new Error(`no tx by ${host} matching ${what} within ${maxSteps} steps`);
}

/** "Next hop" until the inspector's open hop matches `where`; returns the hop texts seen. */
export async function hopTo(page: Page, where: RegExp, maxHops = 30): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < maxHops; i++) {
    const current = (await page.locator('.inspector-hop[aria-current=true]').textContent()) ?? '';
    seen.push(current);
    if (where.test(current)) return seen;
    await page.click('button.step-hop');
  }
  throw new Error(`no hop matching ${where}; saw ${seen.join(' | ')}`);
}
