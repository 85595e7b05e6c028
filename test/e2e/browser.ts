import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * What the browser tests share: Debian's Chromium with software WebGL (SwiftShader), the built site's folder,
 * the artefacts folder for screenshots, and a page opener that records every page error, console error and
 * Content-Security-Policy violation, so that a test can fail on any of them.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function checkPrerequisites(page = 'index.html'): void {
  if (!existsSync(join(DIST, page))) throw new Error(`dist/${page} is missing: run \`npm run build\` first (\`npm test\` and \`npm run test:e2e\` do)`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

/** Console lines that are not problems: SwiftShader's note when pixels are read back (screenshots do). */
const BENIGN = [/GPU stall due to ReadPixels/];

/**
 * A new page that appends to `problems` every uncaught error, console error or warning about CSP or WebGL
 * contexts, and every `securitypolicyviolation` event (listened for before any of the page's scripts run).
 */
export async function newCheckedPage(browser: Browser, problems: string[], viewport = { width: 1280, height: 800 }): Promise<Page> {
  const p = await browser.newPage({ viewport });
  p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    const text = msg.text();
    if (BENIGN.some((re) => re.test(text))) return;
    if (msg.type() === 'error' || /Content.Security.Policy|too many active webgl|context lost|CONTEXT_LOST/i.test(text)) problems.push(`console ${msg.type()}: ${text}`);
  });
  await p.exposeFunction('__reportCsp', (line: string) => problems.push(`csp: ${line}`));
  await p.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(line: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return p;
}
