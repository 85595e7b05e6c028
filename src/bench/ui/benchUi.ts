import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { machineInfo } from '../machine.ts';
import { serveDirectory } from './staticServer.ts';

/**
 * `npm run bench:ui`: frames per second of the full lab page (dist/index.html, every panel in place) with 200,
 * 2,000 and 20,000 packets in flight on its stage, in headless Debian Chromium with software WebGL. The page
 * measures itself: `?bench=N` fills the stage with a synthetic load of N frames on the cables (a new position
 * for every packet on every animation frame) and counts frames (measureFps); this script only launches the
 * browser and reads the result. Beside each figure, a bare pixi.js ParticleContainer of N moving sprites in a
 * stage-sized canvas (dist/stage-test.html), measured the same way at the same moment: the machine's cores
 * may be shared, and the pair says what the page costs over what pixi.js alone reaches here.
 */

const USAGE = `usage: npm run bench:ui -- [--counts 200,2000,20000] [--ms 4000] [--json FILE]

  --counts LIST  packets in flight to measure (comma-separated; default 200,2000,20000)
  --ms N         wall milliseconds measured per figure (default 4000, after a 500 ms warm-up)
  --json FILE    also write the results to FILE as JSON
  -h, --help     show this help
`;

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1280, height: 800 };

interface Fps {
  inFlight: number;
  fps: number;
  frames: number;
  ms: number;
  drawn: number;
  renders: number;
}

interface Row {
  inFlight: number;
  page: Fps;
  bare: Fps;
  stageSize: { width: number; height: number };
}

async function measurePage(browser: Browser, url: string, n: number, ms: number): Promise<{ fps: Fps; stageSize: { width: number; height: number } }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${url}index.html?bench=${n}&ms=${ms}`);
    await page.waitForFunction(() => (window as unknown as { __lvsBench?: unknown }).__lvsBench !== undefined, null, { timeout: ms + 60_000 });
    const out = await page.evaluate(() => (window as unknown as { __lvsBench: { result?: Fps; error?: string } }).__lvsBench);
    if (out.error !== undefined || out.result === undefined) throw new Error(`the page says: ${out.error ?? 'no result'}`);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    if (out.result.drawn !== n) throw new Error(`the stage drew ${out.result.drawn} packets, not ${n}`);
    const box = await page.locator('#stage canvas').boundingBox();
    return { fps: out.result, stageSize: { width: Math.round(box?.width ?? 0), height: Math.round(box?.height ?? 0) } };
  } finally {
    await page.close();
  }
}

async function measureBare(browser: Browser, url: string, n: number, ms: number, size: { width: number; height: number }): Promise<Fps> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.goto(`${url}stage-test.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    return await page.evaluate(
      ([count, wall, w, h]) => (window as unknown as { __stageTest: { bare(n: number, ms: number, w: number, h: number): Promise<Fps> } }).__stageTest.bare(count, wall, w, h),
      [n, ms, size.width, size.height] as const,
    );
  } finally {
    await page.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let values: { counts?: string; ms?: string; json?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { counts: { type: 'string' }, ms: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const counts = (values.counts ?? '200,2000,20000').split(',').map((x) => Number(x.trim()));
  const ms = Number(values.ms ?? '4000');
  if (counts.some((c) => !Number.isInteger(c) || c < 1) || !Number.isFinite(ms) || ms < 100) {
    process.stderr.write(`bench:ui: --counts takes positive integers and --ms a number ≥ 100\n${USAGE}`);
    return 2;
  }
  if (!existsSync(join(DIST, 'index.html'))) {
    process.stderr.write('bench:ui: dist/index.html is missing: `npm run bench:ui` builds it first (`npm run build`)\n');
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`bench:ui: ${CHROMIUM} is missing: apt-get install chromium\n`);
    return 1;
  }
  const server = await serveDirectory(DIST);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const rows: Row[] = [];
  try {
    for (const n of counts) {
      process.stderr.write(`bench:ui: ${n} packets in flight...\n`);
      const { fps, stageSize } = await measurePage(browser, server.url, n, ms);
      const bare = await measureBare(browser, server.url, n, ms, stageSize);
      rows.push({ inFlight: n, page: fps, bare, stageSize });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const machine = machineInfo();
  const lines = [
    `lvs-lab bench:ui — ${new Date().toISOString()}`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.platform}; headless Chromium, software WebGL (SwiftShader)`,
    `page: dist/index.html at ${VIEWPORT.width}×${VIEWPORT.height}, stage ${rows[0]?.stageSize.width}×${rows[0]?.stageSize.height} CSS px; ${ms} ms measured per figure`,
    '',
    'in flight   lab page fps   bare ParticleContainer fps',
    ...rows.map((r) => `${String(r.inFlight).padStart(9)}   ${r.page.fps.toFixed(1).padStart(12)}   ${r.bare.fps.toFixed(1).padStart(26)}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify({ machine, date: new Date().toISOString(), viewport: VIEWPORT, ms, rows }, null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:ui: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
