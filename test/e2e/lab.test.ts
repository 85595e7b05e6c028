import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, checkPrerequisites, launch, newCheckedPage, ROOT } from './browser.ts';
import { changedFields, hopTo, hostSection, nodeRun, openFromCatalog, pageMode, playback, playToEnd, SCENARIOS, scenarioText, showTab, stepToPacket, typeOn, waitPage, waitPlayback } from './labPage.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * The browser lab as a student uses it, on the built site (dist/) under its Content-Security-Policy, in
 * Debian's Chromium: the catalog, every lesson played to the end, stepping and inspecting packets in DR and
 * NAT, typing commands in the consoles (ipvsadm weight 0, breaking and fixing the ARP problem, an exercise's
 * answer), the keyboard, the editor and share links. Every test's page records page errors, console errors
 * and CSP violations; the last test fails if there was any. Screenshots go to test-artifacts/.
 */

const LESSONS = SCENARIOS.filter((s) => s.path.startsWith('scenarios/lessons/') || s.path.startsWith('scenarios/exercises/'));
const DR = 'dr-basic';
const VIP = '192.168.1.110';
const DIRECTOR_MAC = '02:00:00:00:01:01';
const RS1_MAC = '02:00:00:00:01:02';

let server: StaticServer;
let browser: Browser;
const problems: string[] = [];

async function open(query = ''): Promise<Page> {
  const page = await newCheckedPage(browser, problems);
  await page.goto(`${server.url}index.html${query}`);
  await page.waitForFunction(() => document.body.dataset.page === 'landing' || document.body.dataset.page === 'ready' || document.body.dataset.page === 'error');
  return page;
}

async function openLesson(name: string, seed?: number): Promise<Page> {
  const page = await open(`?scenario=${encodeURIComponent(name)}${seed !== undefined ? `&seed=${seed}` : ''}`);
  await waitPage(page, 'ready');
  return page;
}

function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `lab-${name}.png`) });
}

beforeAll(async () => {
  checkPrerequisites();
  server = await serveStatic(join(ROOT, 'dist'));
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the landing view', () => {
  it('lists every lesson, exercise and example as a link that opens it in place', async () => {
    const page = await open();
    expect(await pageMode(page)).toBe('landing');
    const listed = await page.locator('li.lvs-catalog-item').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.scenario));
    expect([...listed].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    expect(await page.locator('.lvs-catalog-group h2').allTextContents()).toEqual(['Lessons', 'Exercises', 'Examples']);
    await shot(page, 'landing');
    await page.locator('li[data-scenario="nat-basic"] a.lvs-catalog-link').click();
    await waitPage(page, 'ready');
    expect(new URL(page.url()).searchParams.get('scenario')).toBe('nat-basic');
    expect(await page.textContent('#lesson-title')).toBe(nodeRun('nat-basic').name);
    // The browser's Back returns to the catalog, and Forward to the lesson.
    await page.goBack();
    await waitPage(page, 'landing');
    await page.goForward();
    await waitPage(page, 'ready');
    expect(await page.locator('canvas').count()).toBe(1);
    await page.close();
  });
});

describe('every shipped lesson and exercise, played to the end at fast-forward', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open();
  });
  afterAll(async () => {
    await page.close();
  });

  for (const s of LESSONS) {
    it(`${s.name}: plays to the end, with Node's trace digest and expectations`, async () => {
      const node = nodeRun(s.name);
      await openFromCatalog(page, s.name);
      // One stage at a time: the previous lesson's WebGL canvas is gone.
      expect(await page.locator('canvas').count()).toBe(1);
      await playToEnd(page);
      const state = await playback(page);
      expect(state.time).toBe(node.duration);
      expect(await page.textContent('#digest')).toBe(node.digest());
      if (node.spec.exercise === undefined && node.spec.expect.length > 0) {
        const verdicts = await page.locator('#expectations li strong').allTextContents();
        expect(verdicts).toEqual(node.expectations().map((e) => (e.pass ? 'PASS' : 'FAIL')));
      }
      if (s.name === 'nat-bottleneck') {
        await showTab(page, 'charts');
        // The panel draws on the next animation frame after the tab switch, so wait for it rather than read at
        // once. Both directors' real servers have bars, and the CPU chart has lines.
        await page.waitForFunction(() => document.querySelectorAll('.lvs-chart-cpu polyline').length > 0);
        expect(await page.locator('.lvs-chart-connections .bar, .lvs-chart-connections rect').count()).toBeGreaterThanOrEqual(12);
        expect(await page.locator('.lvs-chart-cpu polyline').count()).toBeGreaterThanOrEqual(2);
        await shot(page, 'charts-nat-bottleneck');
        await showTab(page, 'events');
      }
    });
  }
});

describe('stepping and inspecting packets', () => {
  it('DR: at the director only the MACs (and the TTL) of the request change, no address or port', async () => {
    const page = await openLesson(DR);
    const steps = await stepToPacket(page, 'client', /Flags \[S\]/);
    expect(steps).toBeGreaterThan(1);
    const hops = await hopTo(page, /director eth0\s+tx/);
    expect(hops[0]).toMatch(/client eth0\s+tx/);
    const changed = await changedFields(page);
    expect(changed).toContain('eth.dst');
    expect(changed.every((p) => p === 'eth.src' || p === 'eth.dst' || p === 'ip.ttl')).toBe(true);
    expect(await page.locator('.inspector-detail .inspector-field[data-path="ip.dst"] dd').textContent()).toBe(VIP);
    // The stage rings the packet; the event list marks its rows.
    expect(await page.locator('#events tbody tr.selected').count()).toBeGreaterThan(0);
    expect((await playback(page)).mode).toBe('paused');
    await shot(page, 'dr-selected-packet-inspector');
    await page.close();
  });

  it('NAT: the director rewrites the destination address and port on the way in, the source on the way back', async () => {
    const node = nodeRun('nat-basic');
    const page = await openLesson('nat-basic');
    await stepToPacket(page, 'client', /Flags \[S\]/);
    await hopTo(page, /director eth1\s+tx/);
    const inward = await changedFields(page);
    expect(inward).toContain('ip.dst');
    expect(inward).toContain('tcp.dport');
    expect(inward).not.toContain('ip.src');
    expect(await page.locator('.inspector-detail .inspector-field[data-path="ip.dst"] .change-before').textContent()).toBe('(was 10.0.0.100)');

    const reply = node.events.find((e) => e.kind === 'tx' && e.host !== 'director' && e.host !== 'client' && e.pkt.tcp?.flags === 'SA');
    expect(reply).toBeDefined();
    await stepToPacket(page, reply!.host!, /Flags \[SA\]/);
    await hopTo(page, /director eth0\s+tx/);
    const outward = await changedFields(page);
    expect(outward).toContain('ip.src');
    expect(outward).toContain('tcp.sport');
    expect(outward).not.toContain('ip.dst');
    await page.close();
  });

  it('narration: "Note ▶" jumps to the next step, the lesson tab shows it, and its button jumps back to it', async () => {
    const node = nodeRun('arp-problem');
    const steps = node.narration();
    expect(steps.length).toBeGreaterThanOrEqual(2);
    const page = await openLesson('arp-problem');
    await showTab(page, 'lesson');
    await page.click('button.narration-next');
    await page.waitForFunction(() => document.querySelectorAll('.narration-step').length === 1);
    expect((await playback(page)).time).toBe(steps[0].t);
    await page.click('button.narration-next');
    await page.waitForFunction(() => document.querySelectorAll('.narration-step').length === 2);
    expect((await playback(page)).time).toBe(steps[1].t);
    expect(await page.locator('.narration-step').nth(1).textContent()).toContain(steps[1].text.replace(/[`*]/g, '').slice(0, 20));
    // The first step's button goes back there (a re-simulation), and the second step is not shown yet.
    await page.locator('.narration-step').first().locator('button.narration-jump').click();
    await page.waitForFunction((t) => Number(document.getElementById('lesson-view')?.dataset.time) === t, steps[0].t);
    expect(await page.locator('.narration-step').count()).toBe(1);
    await page.close();
  });

  it('keyboard: Space plays and pauses, Right steps one event, Left steps back by re-simulation', async () => {
    const page = await openLesson(DR);
    await page.locator('body').focus();
    const start = await playback(page);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const stepped = await playback(page);
    expect(stepped.cursor).toBe(start.cursor + 3);
    await page.keyboard.press('Space');
    await waitPlayback(page, 'playing');
    await page.keyboard.press('Space');
    await waitPlayback(page, 'paused');
    const here = await playback(page);
    expect(here.time).toBeGreaterThanOrEqual(stepped.time);
    await page.keyboard.press('ArrowLeft');
    const back = await playback(page);
    // Back to the moment of the last event shown (or, at an event's moment, one event back).
    expect(back.time).toBeLessThanOrEqual(here.time);
    expect(back.time < here.time || back.cursor < here.cursor).toBe(true);
    await page.keyboard.press('ArrowLeft');
    const again = await playback(page);
    expect(again.cursor).toBe(back.cursor - 1);
    // Focus is visible: a focused button has an outline.
    await page.locator('#play').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.locator('#play').evaluate((b) => getComputedStyle(b).outlineStyle);
    expect(outline).not.toBe('none');
    await page.close();
  });
});

describe('typing commands in the consoles', () => {
  it('ipvsadm -e ... -w 0 on the director: the panel shows weight 0 and later connections avoid the server', async () => {
    const command = `ipvsadm -e -t ${VIP}:80 -r 192.168.1.2:80 -g -w 0`;
    const page = await openLesson(DR);
    await typeOn(page, 'director', [command]);
    const list = await hostSection(page, 'ipvs');
    expect(list).toMatch(/192\.168\.1\.2:80\s+Route\s+0\s/);
    expect(list).toMatch(/192\.168\.1\.3:80\s+Route\s+1\s/);
    await playToEnd(page);
    const stats = await hostSection(page, 'stats');
    expect(stats).toMatch(/-> 192\.168\.1\.2:80\s+0\s+0/);
    expect(stats).toMatch(/-> 192\.168\.1\.3:80\s+4\s/);
    // The page's trace is Node's with the same command typed at the same simulated time.
    expect(await page.textContent('#digest')).toBe(nodeRun(DR, undefined, [{ t: 0, host: 'director', line: command }]).digest());
    expect(await page.textContent('#journal-note')).toContain('1 command typed');
    await shot(page, 'host-panel-weight-zero');
    await page.close();
  });

  it('breaks the ARP lesson (arp_ignore back to 0 on rs1) and fixes it from the consoles: the router\'s entry moves', async () => {
    const page = await openLesson('arp-problem-fixed');
    await typeOn(page, 'rs1', ['sysctl -w net.ipv4.conf.all.arp_ignore=0', 'sysctl -w net.ipv4.conf.eth0.arp_ignore=0']);
    await page.fill('#scrub', '1500000');
    await page.waitForFunction(() => Number(document.getElementById('lesson-view')?.dataset.time) >= 1_500_000_000);
    await page.selectOption('#host-picker', 'router');
    const broken = await hostSection(page, 'arp');
    expect(broken).toContain(`${VIP}eth1${RS1_MAC}`);
    await shot(page, 'host-panel-arp-broken');

    await typeOn(page, 'rs1', ['sysctl -w net.ipv4.conf.all.arp_ignore=1', 'sysctl -w net.ipv4.conf.eth0.arp_ignore=1']);
    await typeOn(page, 'director', [`arping -U -c 1 -I eth0 ${VIP}`]);
    await page.fill('#scrub', '2900000');
    await page.waitForFunction(() => Number(document.getElementById('lesson-view')?.dataset.time) >= 2_900_000_000);
    await page.selectOption('#host-picker', 'router');
    const fixed = await hostSection(page, 'arp');
    expect(fixed).toContain(`${VIP}eth1${DIRECTOR_MAC}`);
    expect(fixed).not.toContain(RS1_MAC);
    await shot(page, 'host-panel-arp-fixed');

    // Going back re-simulates with the typed commands at their times: before the fix, the broken entry again.
    await page.fill('#scrub', '1400000');
    await page.waitForFunction(() => Number(document.getElementById('lesson-view')?.dataset.time) === 1_400_000_000);
    expect(await hostSection(page, 'arp')).toContain(`${VIP}eth1${RS1_MAC}`);
    await page.close();
  });

  it('arp-problem-exercise fails as shipped and passes after the model answer typed in the consoles', async () => {
    const page = await openLesson('arp-problem-exercise');
    await showTab(page, 'lesson');
    await page.click('button.exercise-check-button');
    await page.waitForSelector('.exercise-result');
    expect(await page.textContent('.exercise-verdict')).toMatch(/FAIL/);

    const answer = readFileSync(join(ROOT, 'scenarios/exercises/answers/arp-problem-exercise.txt'), 'utf8');
    const lines = answer.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const [host, ...rest] = l.split(':');
      await typeOn(page, host.trim(), [rest.join(':').trim()]);
    }
    await showTab(page, 'lesson');
    await page.click('button.exercise-check-button');
    await page.waitForFunction(() => /PASS/.test(document.querySelector('.exercise-verdict')?.textContent ?? ''));
    expect(await page.locator('.exercise-check.fail').count()).toBe(0);
    await shot(page, 'exercise-pass');
    await page.close();
  });
});

describe('the editor and share links', () => {
  it('shows the loader\'s error at its line, refuses to run it, runs the fixed text, and shares it', async () => {
    const page = await openLesson('two-hosts-ping');
    await showTab(page, 'editor');
    const content = page.locator('.lvs-editor .cm-content');
    await content.waitFor();
    const original = scenarioText('two-hosts-ping');
    const broken = original.replace('duration: 3s', 'duration: soon');
    const line = broken.split('\n').findIndex((l) => l.startsWith('duration: soon')) + 1;
    await content.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(broken);
    await page.waitForFunction(() => document.querySelectorAll('#editor-errors li').length > 0);
    expect(await page.locator('#editor-errors li').first().textContent()).toContain(`line ${line},`);
    await expect.poll(() => page.locator('.lvs-editor .cm-lintRange-error').count()).toBeGreaterThan(0);
    await shot(page, 'editor-error');
    await page.click('button.run-edited');
    expect(await page.textContent('#editor-status')).toMatch(/^Not run/);
    expect(await page.textContent('.lesson-file')).toContain('two-hosts-ping.yaml');

    const edited = original.replace('name: Two hosts ping', 'name: Edited ping').replace('duration: 3s', 'duration: 2s');
    await content.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(edited);
    await page.click('button.run-edited');
    await page.waitForFunction(() => document.getElementById('lesson-title')?.textContent === 'Edited ping' && document.body.dataset.page === 'ready');
    expect(await page.textContent('.lesson-file')).toContain('edited');
    await page.click('#play');
    await page.selectOption('#speed', '100');
    await waitPlayback(page, 'finished');
    expect((await playback(page)).time).toBe(2_000_000_000);

    await showTab(page, 'editor');
    await page.click('button.share');
    await page.waitForFunction(() => (document.getElementById('share-link') as HTMLInputElement | null)?.value.includes('#s=') === true);
    const link = await page.inputValue('#share-link');
    expect(page.url()).toBe(link);
    const other = await newCheckedPage(browser, problems);
    await other.goto(link);
    await waitPage(other, 'ready');
    expect(await other.textContent('#lesson-title')).toBe('Edited ping');
    expect(await other.textContent('.lesson-file')).toContain('share link');
    await other.close();
    await page.close();
  });

  it('shows a bad address as text: an unknown scenario name, a damaged share link', async () => {
    const page = await open('?scenario=%3Cimg%20src%3Dx%3E');
    await waitPage(page, 'error');
    expect(await page.textContent('#error-message')).toContain('No scenario named "<img src=x>"');
    expect(await page.locator('#error img').count()).toBe(0);
    await page.goto(`${server.url}index.html#s=AAAA`);
    await waitPage(page, 'error');
    expect(await page.textContent('#error-message')).toMatch(/share link/);
    await page.locator('#error a.back').click();
    await waitPage(page, 'landing');
    await page.close();
  });
});

describe('the page as a whole', () => {
  it('raised no page error, no console error and no Content-Security-Policy violation', () => {
    expect(problems).toEqual([]);
  });
});
