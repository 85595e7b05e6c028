import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageTestHook } from '../../src/ui/stage/stageTestPage.ts';
import { ARTIFACTS, DIST, checkPrerequisites, launch } from './browser.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * The stage in Debian's Chromium (software WebGL), on the built test page dist/stage-test.html, which runs a
 * shipped lesson with the real core and mounts a TopologyStage on its trace, under a Content-Security-Policy
 * without 'unsafe-eval'. Screenshots go to test-artifacts/ for a person to look at.
 */

const LESSON = 'dr-basic';
/** The page background (TopologyStage's default). */
const BACKGROUND = [0xfb, 0xfb, 0xfa];

type Hook = StageTestHook;

let server: StaticServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function openPage(): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    // Reading pixels back (samplePixels) makes SwiftShader note a "GPU stall": expected here, not a problem.
    if (/GPU stall due to ReadPixels/.test(msg.text())) return;
    if (msg.type() === 'error' || /too many active webgl|context lost|CONTEXT_LOST|PixiJS Warning/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  await p.goto(`${server.url}stage-test.html`);
  await p.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return p;
}

function isBackground(px: readonly number[]): boolean {
  return Math.abs(px[0] - BACKGROUND[0]) + Math.abs(px[1] - BACKGROUND[1]) + Math.abs(px[2] - BACKGROUND[2]) < 12;
}

beforeAll(async () => {
  checkPrerequisites('stage-test.html');
  server = await serveStatic(DIST);
  browser = await launch();
  page = await openPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the stage in Chromium', () => {
  // Browser-side functions are passed as source text: they must not close over test-side variables.
  it(`draws ${LESSON}: hosts are on the canvas where the stage says they are`, async () => {
    const events = await page.evaluate((name) => (window as unknown as { __stageTest: Hook }).__stageTest.mount(name), LESSON);
    expect(events).toBeGreaterThan(100);
    const ids = ['host:client', 'host:router', 'host:director', 'host:rs1', 'host:rs2', 'segment:lan'];
    const points = await page.evaluate((list) => list.map((id) => (window as unknown as { __stageTest: Hook }).__stageTest.nodePoint(id)!), ids);
    for (const p of points) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(960);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(600);
    }
    // An empty corner next to each host as a control: the sampling must see the background there.
    const corners = [{ x: 3, y: 3 }, { x: 956, y: 596 }];
    const px = await page.evaluate((pts) => (window as unknown as { __stageTest: Hook }).__stageTest.samplePixels(pts), [...points, ...corners]);
    for (let i = 0; i < points.length; i++) expect(isBackground(px[i]), `${ids[i]} at ${JSON.stringify(points[i])}: ${px[i]}`).toBe(false);
    for (let i = points.length; i < px.length; i++) expect(isBackground(px[i]), `corner ${px[i]}`).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'stage-dr-basic-topology.png') });
  });

  it('draws the frames in flight at a known time, and a click on one selects it', async () => {
    const { time, pid } = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.midFlight(3));
    await page.evaluate((t) => (window as unknown as { __stageTest: Hook }).__stageTest.show(t), time);
    await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.renderNow());
    const drawn = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.drawn());
    const target = drawn.find((d) => d.pid === pid);
    expect(target, `pid ${pid} among ${JSON.stringify(drawn)}`).toBeDefined();
    // The packet's pixel is not background (it is drawn), before anything is selected.
    const [under] = await page.evaluate((p) => (window as unknown as { __stageTest: Hook }).__stageTest.samplePixels([p]), { x: target!.x, y: target!.y });
    expect(isBackground(under)).toBe(false);
    const box = (await page.locator('#stage-host canvas').boundingBox())!;
    await page.mouse.click(box.x + target!.x, box.y + target!.y);
    const sel = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.selection());
    expect(sel.packet).toBe(pid);
    expect(sel.calls).toContain(`packet:${pid}`);
    await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.renderNow());
    const stats = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.stats());
    expect(stats.halos).toBeGreaterThanOrEqual(1);
    // The tooltip names the packet for a pointer resting on it.
    await page.mouse.move(box.x + target!.x, box.y + target!.y);
    await expect.poll(() => page.locator('#stage-host [role=tooltip]').textContent()).toContain(`#${pid}`);
    await page.screenshot({ path: join(ARTIFACTS, 'stage-dr-basic-selected-packet.png') });
  });

  it('a click on a host selects it', async () => {
    const p = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.nodePoint('host:director')!);
    const box = (await page.locator('#stage-host canvas').boundingBox())!;
    await page.mouse.click(box.x + p.x, box.y + p.y);
    const sel = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.selection());
    expect(sel.host).toBe('director');
    expect(sel.calls.at(-1)).toBe('host:director');
  });

  it('zooms with the keyboard, the buttons and the wheel, pans by dragging, and fits again', async () => {
    const v0 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    await page.locator('#stage-host [aria-roledescription="network stage"]').focus();
    await page.keyboard.press('+');
    const v1 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    expect(v1.scale).toBeCloseTo(v0.scale * 1.25, 6);
    await page.getByRole('button', { name: /zoom in/i }).click();
    const v2 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    expect(v2.scale).toBeCloseTo(v1.scale * 1.25, 6);

    // The wheel zooms around the pointer: the world point under it stays put.
    const box = (await page.locator('#stage-host canvas').boundingBox())!;
    const at = { x: 300, y: 200 };
    const world = { x: (at.x - v2.x) / v2.scale, y: (at.y - v2.y) / v2.scale };
    await page.mouse.move(box.x + at.x, box.y + at.y);
    await page.mouse.wheel(0, 200);
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view())).scale).toBeLessThan(v2.scale);
    const v3 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    expect(world.x * v3.scale + v3.x).toBeCloseTo(at.x, 3);
    expect(world.y * v3.scale + v3.y).toBeCloseTo(at.y, 3);

    await page.mouse.move(box.x + 40, box.y + 560);
    await page.mouse.down();
    await page.mouse.move(box.x + 90, box.y + 530, { steps: 5 });
    await page.mouse.up();
    const v4 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    expect(v4.x - v3.x).toBeCloseTo(50, 3);
    expect(v4.y - v3.y).toBeCloseTo(-30, 3);
    expect(v4.scale).toBe(v3.scale);
    await page.screenshot({ path: join(ARTIFACTS, 'stage-dr-basic-zoomed.png') });

    await page.locator('#stage-host [aria-roledescription="network stage"]').focus();
    await page.keyboard.press('Shift+ArrowLeft');
    const v5 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    expect(v5.x).toBeGreaterThan(v4.x);
    await page.keyboard.press('0');
    const v6 = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.view());
    expect(v6).toEqual(v0);
  });

  it('destroy() leaves no canvas and no stage element, and 20 create/destroy cycles leave none either', async () => {
    await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.destroy());
    expect(await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.canvasCount())).toBe(0);
    expect(await page.locator('#stage-host').evaluate((el) => el.childElementCount)).toBe(0);
    await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.cycle(20));
    expect(await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.canvasCount())).toBe(0);
    expect(await page.locator('#stage-host').evaluate((el) => el.childElementCount)).toBe(0);
  });

  it('draws exactly N packets of a synthetic load at 200, 2,000 and 20,000 in flight (figures: npm run bench:ui)', async () => {
    // A short window only: the frame rates are the benchmark's business (npm run bench:ui), not a test's.
    const results = [];
    for (const n of [200, 2000, 20000]) {
      const r = await page.evaluate((count) => (window as unknown as { __stageTest: Hook }).__stageTest.bench(count, 600), n);
      expect(r.drawn).toBe(n);
      expect(r.renders).toBeGreaterThan(0);
      if (n === 2000) await page.screenshot({ path: join(ARTIFACTS, 'stage-synthetic-2000.png') });
      const bare = await page.evaluate((count) => (window as unknown as { __stageTest: Hook }).__stageTest.bare(count, 600, 960, 600), n);
      results.push({ inFlight: n, stageFps: r.fps, bareParticleContainerFps: bare.fps, stageRenders: r.renders, ms: r.ms });
    }
    writeFileSync(join(ARTIFACTS, 'stage-fps.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(results.map((r) => `${r.inFlight} in flight: stage ${r.stageFps.toFixed(1)} fps, bare ParticleContainer ${r.bareParticleContainerFps.toFixed(1)} fps`).join('\n'));
    expect(await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.canvasCount())).toBe(0);
  });

  it('raised no page error, no WebGL context warning and no CSP violation', async () => {
    const csp = await page.evaluate(() => (window as unknown as { __stageTest: Hook }).__stageTest.cspViolations);
    expect(csp).toEqual([]);
    expect(problems).toEqual([]);
  });
});
