import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';
import { decodeShareFragment, encodeShareFragment } from '../../src/ui/share.ts';
import { checkPrerequisites, launch, newCheckedPage, ROOT } from './browser.ts';
import { playToEnd, showTab, waitPage } from './labPage.ts';
import { serveStatic, type StaticServer } from './staticServer.ts';

/**
 * The page cannot be turned against its user (issue 8). Everything a stranger controls — a scenario's name,
 * description, narration, exercise task and hints, interface names, expectation texts, the editor's text, lines
 * typed in a console, a share link (`#s=`, `#u=`) and the `?scenario=` and `?seed=` values — is loaded with
 * HTML payloads: scripts, event handlers, `javascript:` links, frames, CSS that loads a URL, markup that breaks
 * out of an attribute or a style sheet. Each URL in them points at a "canary" HTTP server this test runs, and
 * each script would set `window.__pwned` and call alert().
 *
 * For every delivery the page must show the payload as characters where it belongs (the title's text IS the
 * payload), and have: no dialog, no request outside the static server's origin, no request at the canary, no
 * element or attribute a payload would have made (searched through the document and the editor's shadow root),
 * and no page error, console error or Content-Security-Policy violation. The policy would block most of these
 * loads, but a blocked load is still a violation report: an empty report list shows the payloads never reached
 * an HTML parser at all. The last test shows each of these detectors does fire when a payload does get in.
 */

let server: StaticServer;
let canary: Canary;
let browser: Browser;

/** What one page (or group of pages) saw: problems (browser.ts), dialogs, and requests outside the site. */
interface Watch {
  readonly problems: string[];
  readonly dialogs: string[];
  readonly foreign: string[];
}

const watch: Watch = { problems: [], dialogs: [], foreign: [] };

// ---------------------------------------------------------------------------------------------------------------
// The canary: every request it gets is evidence of a remote load.

interface Canary {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly log: string[];
  close(): Promise<void>;
}

async function startCanary(): Promise<Canary> {
  const log: string[] = [];
  const s = createServer((req, res) => {
    log.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('window.__pwned = "canary";');
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    log,
    close: () => new Promise<void>((resolve, reject) => s.close((err) => (err ? reject(err) : resolve()))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The payloads. Single-line, and free of `'` (so a console line can quote them), of backticks, `*` and `\` (so
// narration markup leaves them as they are).

function payloads(c: string): string[] {
  return [
    `<script>window.__pwned=1;alert(1)</script>`,
    `<script src=${c}script.js></script>`,
    `<img src=x onerror="window.__pwned=2;alert(2)">`,
    `<img src=${c}img.png>`,
    `<svg onload="window.__pwned=3;alert(3)"><image href=${c}svg-image.png /></svg>`,
    `"><iframe src=${c}iframe.html></iframe>`,
    `<iframe srcdoc="<script>parent.__pwned=4;parent.alert(4)</script>"></iframe>`,
    `<a href="javascript:window.__pwned=5;alert(5)">click me</a>`,
    `</style><style>body{background:url(${c}css-bg.png)}</style>`,
    `<p style="background:url(${c}style-attr.png)">styled</p>`,
    `<link rel=stylesheet href=${c}sheet.css>`,
    `<meta http-equiv=refresh content="0;url=${c}refresh">`,
    `<object data=${c}object></object><embed src=${c}embed>`,
    `<base href=${c}base/>`,
    `<form action=${c}form><button formaction=${c}formaction>go</button></form>`,
    `<details open ontoggle="window.__pwned=6;alert(6)">x</details>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=7;alert(7)">`,
  ];
}

/** Narration markup around payloads: a code span, emphasis, and link syntaxes the markup does not have. */
const CODE = `<img src=x onerror="window.__pwned=10;alert(10)">`;
const EM = `<svg onload="window.__pwned=11;alert(11)">`;
const LINKS = '[click](javascript:window.__pwned=12;alert(12)) javascript:alert(13) data:text/html,<script>alert(14)</script>';
/** A host name the loader refuses: the refusal quotes it, and the quote must stay text. */
const BAD_HOST = `<img src=x onerror="window.__pwned=15;alert(15)">`;

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(spaces) + l)
    .join('\n');
}

/** Two hosts, a ping, and payloads in every free-text field the loader accepts (interface names included). */
function hostileLesson(all: string, list: readonly string[]): string {
  return `name: |-
  ${all}
description: |-
${indent(list.join('\n'), 2)}
seed: 1
duration: 2s
segments:
  lan: {}
hosts:
  h1:
    role: client
    position: [120, 160]
    interfaces:
      "<script>": { segment: lan, mac: 02:00:00:00:00:01, addresses: [10.0.0.1/24] }
  h2:
    role: server
    position: [420, 160]
    interfaces:
      "<iframe>": { segment: lan, mac: 02:00:00:00:00:02, addresses: [10.0.0.2/24] }
timeline:
  - { at: 1s, host: h1, run: ping -c 1 10.0.0.2 }
narration:
  - at: 0s
    text: |-
      Plain ${all} then \`${CODE}\` and *${EM}* and ${LINKS}
expect:
  - at: 1500ms
    host: h1
    run: ip neigh show 10.0.0.2
    output:
      contains: |-
        ${all}
`;
}

/** The text the narration step shows: the code span and emphasis lose their markers, nothing else changes. */
function shownNarration(all: string): string {
  return `Plain ${all} then ${CODE} and ${EM} and ${LINKS}`;
}

/** An exercise with payloads in its name, task, hints and goal. */
function hostileExercise(all: string): string {
  return `name: |-
  Exercise ${all}
seed: 2
duration: 2s
segments:
  lan: {}
hosts:
  h1:
    interfaces:
      eth0: { segment: lan, mac: 02:00:00:00:00:01, addresses: [10.0.0.1/24] }
  h2:
    interfaces:
      eth0: { segment: lan, mac: 02:00:00:00:00:02, addresses: [10.0.0.2/24] }
exercise:
  task: |-
    ${all}
  hints:
    - |-
      \`${CODE}\`
    - |-
      *${EM}*
  goal:
    - at: 1s
      host: h2
      run: ip neigh show 10.0.0.1
      output:
        contains: |-
          ${all}
`;
}

/** A scenario whose second host has a name the loader refuses. */
function badHostScenario(): string {
  return `name: Bad host
hosts:
  h1:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.1/24] }
  ${JSON.stringify(BAD_HOST)}:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.2/24] }
segments:
  lan: {}
`;
}

/** The loader's message for a text, from Node (the same core the page runs). */
function loaderError(text: string, file: string): string {
  try {
    Lab.fromText(text, { file });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected the loader to refuse this text');
}

// ---------------------------------------------------------------------------------------------------------------
// Pages and what they are checked for.

async function watchedPage(w: Watch): Promise<Page> {
  const page = await newCheckedPage(browser, w.problems);
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => undefined);
  });
  page.on('request', (r) => {
    const url = r.url();
    // The favicon is the empty data: URL index.html names; everything else must come from the static server.
    if (!url.startsWith(server.url) && url !== 'data:,') w.foreign.push(`${r.method()} ${url}`);
  });
  page.on('popup', (p) => w.foreign.push(`popup ${p.url()}`));
  return page;
}

/**
 * A full load of an address of the site (a fresh document, even when only the fragment differs), waiting for
 * the mode it should end in (index.html starts as "landing", so that one is reached at once).
 */
async function load(page: Page, address: string, mode: 'landing' | 'ready' | 'error'): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${server.url}index.html${address}`);
  try {
    await waitPage(page, mode, 30_000);
  } catch (err) {
    // A payload that navigated the page away never lets it get there: say what was seen meanwhile.
    throw new Error(`${page.url()} did not reach "${mode}" (${String(err)}); seen: ${JSON.stringify({ ...watch, canary: canary.log })}`);
  }
}

/**
 * Everything in the page (the document and every open shadow root: the editor's) that a payload would have
 * made: elements that run or load something, event-handler attributes, URL attributes leaving the page's
 * origin, inline style sheets, style attributes with url(), a body background. Runs in the page.
 */
function findInjected(): string[] {
  const out: string[] = [];
  const banned = new Set(['img', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'image', 'use', 'foreignobject', 'feimage', 'animate', 'set', 'video', 'audio', 'source', 'track', 'portal', 'math', 'marquee', 'template', 'style']);
  const urlAttributes = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href', 'ping', 'codebase', 'manifest']);
  const roots: Array<Document | ShadowRoot> = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const e of Array.from(roots[i].querySelectorAll('*'))) {
      if (e.shadowRoot !== null) roots.push(e.shadowRoot);
      const tag = e.localName.toLowerCase();
      const where = `<${tag}${e.id !== '' ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className !== '' ? `.${e.className.split(' ')[0]}` : ''}>`;
      if (banned.has(tag)) out.push(`${where} element`);
      if (tag === 'script' && (!(e.getAttribute('src') ?? '').startsWith('./assets/') || e.textContent !== '')) out.push(`${where} not the bundle`);
      if (tag === 'meta' && e.hasAttribute('http-equiv') && e.getAttribute('http-equiv') !== 'Content-Security-Policy') out.push(`${where} http-equiv`);
      if (tag === 'form' && (e.hasAttribute('action') || e.hasAttribute('target'))) out.push(`${where} action`);
      for (const a of Array.from(e.attributes)) {
        const name = a.name.toLowerCase();
        if (name.startsWith('on')) out.push(`${where} ${name}=${a.value}`);
        if (name === 'srcdoc') out.push(`${where} srcdoc`);
        if (name === 'style' && /url\s*\(|expression\s*\(|@import/i.test(a.value)) out.push(`${where} style=${a.value}`);
        if (!urlAttributes.has(name)) continue;
        if (tag === 'link' && name === 'href' && a.value === 'data:,' && e.getAttribute('rel') === 'icon') continue;
        let origin = 'unparsable';
        try {
          const u = new URL(a.value, document.baseURI);
          origin = u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : u.protocol;
        } catch {
          // stays unparsable
        }
        if (origin !== location.origin) out.push(`${where} ${name}=${a.value}`);
      }
    }
  }
  for (const e of [document.documentElement, document.body]) {
    const bg = getComputedStyle(e).backgroundImage;
    if (bg !== 'none') out.push(`<${e.localName}> background-image ${bg}`);
  }
  if ((window as unknown as { __pwned?: unknown }).__pwned !== undefined) out.push('window.__pwned is set');
  return out;
}

/** The page is as the site made it, and nothing was asked of the user or of another server. */
async function expectClean(page: Page): Promise<void> {
  expect(await page.evaluate(findInjected)).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.foreign).toEqual([]);
  expect(canary.log).toEqual([]);
  expect(watch.problems).toEqual([]);
}

/** Types a line in the open host's console and waits until the lab answered it. */
async function typeLine(page: Page, line: string): Promise<void> {
  const before = await page.locator('.console-log .console-entry').count();
  await page.fill('.console-input', line);
  await page.press('.console-input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.console-log .console-entry:not(.pending)').length > n, before);
}

beforeAll(async () => {
  checkPrerequisites();
  server = await serveStatic(join(ROOT, 'dist'));
  canary = await startCanary();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await canary?.close();
});

// ---------------------------------------------------------------------------------------------------------------

describe('hostile scenario text, delivered by a share link and by the editor', () => {
  let page: Page;
  let list: string[];
  let all: string;
  beforeAll(async () => {
    list = payloads(canary.url);
    all = list.join(' ');
    page = await watchedPage(watch);
  });
  afterAll(async () => {
    await page.close();
  });

  it('#s= link: name, description, narration, interface names, expectations and console lines are text', async () => {
    const text = hostileLesson(all, list);
    // The page's own encoder (compressed), run in Node.
    const fragment = await encodeShareFragment(text);
    expect(fragment.startsWith('#s=')).toBe(true);
    // The last is a program name: the shell names a program by what follows its last `/`, so it has none.
    const notAProgram = `"><svg onload="window.__pwned=16;alert(16)">`;
    const consoleLines = [`echo '${all}'`, list[2], `ping -c 1 '${EM}'`, `'${notAProgram}'`];
    // Node's run of the same text with the same lines typed at time 0: what the page must show.
    const node = Lab.fromText(text, { file: 'shared.yaml' });
    const answers: Array<{ exit: number; output: string }> = [];
    node.runUntil(0);
    for (const l of consoleLines) node.runCommand('h1', l, (r) => answers.push(r));
    node.run();
    expect(node.name).toBe(all);
    expect(answers[0].output).toBe(`${all}\n`);
    expect(answers[2].output).toContain(EM);
    expect(answers[3].output).toContain(notAProgram);
    const verdict = node.expectations()[0];
    // The expectation quotes its text as JSON: the markup is there, its quotes escaped.
    expect(verdict.expected).toContain(JSON.stringify(all));

    await load(page, fragment, 'ready');
    expect(await page.textContent('#lesson-title')).toBe(all);
    expect(await page.evaluate(() => document.title)).toBe(`${all} — lvs-lab`);
    expect(await page.textContent('.lesson-file')).toContain('share link');
    expect(await page.textContent('.description')).toBe(list.join('\n'));
    await expectClean(page);

    // The consoles: each line is echoed as typed and answered with what the lab printed.
    await showTab(page, 'host');
    await page.selectOption('#host-picker', 'h1');
    for (const l of consoleLines) await typeLine(page, l);
    const entries = page.locator('.console-log .console-entry');
    expect(await entries.locator('.console-command').allTextContents()).toEqual(consoleLines.map((l) => `h1# ${l}`));
    expect(await entries.locator('.console-output').allTextContents()).toEqual(answers.map((a) => a.output));

    await playToEnd(page);
    expect(await page.textContent('#digest')).toBe(node.digest());
    await showTab(page, 'lesson');
    expect(await page.locator('.narration-step .narration-text').allTextContents()).toEqual([shownNarration(all)]);
    expect(await page.textContent('.narration-text code')).toBe(CODE);
    expect(await page.textContent('.narration-text em')).toBe(EM);
    expect(await page.locator('#expectations li').allTextContents()).toEqual([`FAIL line ${verdict.line}: ${verdict.expected} — got ${verdict.actual}`]);

    // The event list: the narration as written, the typed lines, the interface names in the "where" column.
    const rows = await page.locator('#events tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (c) => c.textContent ?? '')));
    const what = rows.map((r) => r[5]);
    expect(what).toContain(`narration 1: ${node.narration()[0].text}`);
    expect(what).toContain(`$ echo '${all}' → exit 0 | ${all}`);
    expect(what).toContain(`$ ${list[2]} → exit ${answers[1].exit} | ${answers[1].output.trim()}`);
    expect(rows.some((r) => r[2] === 'h1' && r[3] === '<script>')).toBe(true);
    expect(rows.some((r) => r[2] === 'h2' && r[3] === '<iframe>')).toBe(true);

    await showTab(page, 'host');
    await page.selectOption('#host-picker', 'h2');
    await page.click('.host-tab[data-section=interfaces]');
    expect(await page.textContent('.host-body')).toContain('<iframe>');

    // The editor shows the shared text as text.
    await showTab(page, 'editor');
    const content = page.locator('.lvs-editor .cm-content');
    await content.waitFor();
    expect(await content.textContent()).toContain(all);
    await expectClean(page);
  });

  it('editor: a refused host name is quoted as text; an edited exercise runs and shares with its payloads as text', async () => {
    await load(page, '?scenario=two-hosts-ping', 'ready');
    await showTab(page, 'editor');
    const content = page.locator('.lvs-editor .cm-content');
    await content.waitFor();
    const refused = badHostScenario();
    const message = loaderError(refused, 'shared.yaml');
    expect(message).toContain(`got ${JSON.stringify(BAD_HOST)}`);
    await content.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(refused);
    await page.waitForFunction(() => /expected a name/.test(document.getElementById('editor-errors')?.textContent ?? ''));
    expect(await page.textContent('#editor-errors li')).toContain(`hosts.${BAD_HOST}: expected a name`);
    expect(await page.textContent('#editor-errors li')).toContain(`got ${JSON.stringify(BAD_HOST)}`);
    await page.click('button.run-edited');
    expect(await page.textContent('#editor-status')).toMatch(/^Not run/);
    await expectClean(page);

    const exercise = hostileExercise(all);
    const node = Lab.fromText(exercise, { file: 'shared.yaml' });
    node.run();
    const goal = node.expectations().filter((r) => r.goal === true);
    expect(goal).toHaveLength(1);
    expect(goal[0].expected).toContain(JSON.stringify(all));
    await content.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(exercise);
    await page.click('button.run-edited');
    await page.waitForFunction((t) => document.getElementById('lesson-title')?.textContent === t && document.body.dataset.page === 'ready', `Exercise ${all}`);
    await showTab(page, 'lesson');
    expect(await page.textContent('.exercise-task')).toBe(all);
    await page.click('button.exercise-hint-button');
    await page.click('button.exercise-hint-button');
    expect(await page.locator('.exercise-hint').allTextContents()).toEqual([CODE, EM]);
    expect(await page.textContent('.exercise-hint code')).toBe(CODE);
    await page.click('button.exercise-check-button');
    await page.waitForSelector('.exercise-result');
    expect(await page.textContent('.exercise-check .check-expected')).toBe(`expected: ${goal[0].expected}`);
    await expectClean(page);

    // Share: the link in the box is this site's, and carries the text unchanged.
    await showTab(page, 'editor');
    await page.click('button.share');
    await page.waitForFunction(() => (document.getElementById('share-link') as HTMLInputElement | null)?.value.includes('#s=') === true);
    const link = await page.inputValue('#share-link');
    expect(link.startsWith(`${server.url}index.html`)).toBe(true);
    expect(await decodeShareFragment(new URL(link).hash)).toBe(exercise);
    await expectClean(page);
  });

  it('#u= and #s= links that do not hold a scenario: the refusal is shown as text', async () => {
    // The page's message for shared text the loader refuses is the loader's, as Node words it.
    const refused = (text: string) => ({ address: `#u=${Buffer.from(text, 'utf8').toString('base64url')}`, says: loaderError(text, 'shared.yaml') });
    const badHost = refused(badHostScenario());
    expect(badHost.says).toContain(BAD_HOST);
    const cases: Array<{ address: string; says: string }> = [
      // A host name the loader refuses, quoted in its message.
      badHost,
      // Text that is not a mapping: markup, a URL (never fetched), a YAML tag that would build a function.
      refused(all),
      refused(`${canary.url}evil.yaml`),
      refused('name: !!js/function "function () { window.__pwned = 20; alert(20) }"\nhosts: {}\n'),
      // Not base64url at all: the fragment itself is markup.
      { address: `#s=${list[2]}`, says: 'This is not a share link: it should be #s= followed by letters, digits, - and _ only.' },
      { address: `#u=${list[7]}`, says: 'This is not a share link: it should be #s= followed by letters, digits, - and _ only.' },
    ];
    expect(cases[3].says).toContain('Unresolved tag');
    for (const c of cases) {
      await load(page, c.address, 'error');
      expect(await page.textContent('#error-message')).toBe(c.says);
      await expectClean(page);
    }
  });
});

describe('hostile ?scenario= and ?seed= values', () => {
  let page: Page;
  let all: string;
  beforeAll(async () => {
    all = payloads(canary.url).join(' ');
    page = await watchedPage(watch);
  });
  afterAll(async () => {
    await page.close();
  });

  it('?scenario= never names anything but a bundled file: markup, javascript:, data: and remote URLs are quoted as text', async () => {
    for (const name of [all, 'javascript:window.__pwned=30;alert(30)', `data:text/html,${payloads(canary.url)[0]}`, `${canary.url}evil.yaml`, `//127.0.0.1:${new URL(canary.url).port}/evil.yaml`, '../../etc/passwd']) {
      await load(page, `?scenario=${encodeURIComponent(name)}`, 'error');
      expect(await page.textContent('#error-message')).toBe(`No scenario named "${name}". Pick one from the list.`);
      await expectClean(page);
    }
  });

  it('?seed= is quoted as text, alone and beside a real scenario', async () => {
    for (const address of [`?seed=${encodeURIComponent(all)}`, `?scenario=two-hosts-ping&seed=${encodeURIComponent(all)}`]) {
      await load(page, address, 'error');
      expect(await page.textContent('#error-message')).toBe(`The seed must be a non-negative integer, not "${all}".`);
      await expectClean(page);
    }
  });
});

describe('the page as a whole', () => {
  it('raised no page error, console error or CSP violation, asked nothing and loaded nothing from elsewhere', () => {
    expect(watch.problems).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    expect(watch.foreign).toEqual([]);
    expect(canary.log).toEqual([]);
  });
});

describe('the detectors themselves', () => {
  it('do fire when a payload does reach the DOM: a dialog, a CSP report, an injected element, a request at the canary', async () => {
    // Its own records: these payloads are put in on purpose, through the test's own evaluate().
    const control: Watch = { problems: [], dialogs: [], foreign: [] };
    const page = await watchedPage(control);
    await load(page, '', 'landing');
    expect(await page.evaluate(findInjected)).toEqual([]);
    const img = `${canary.url}control.png`;
    await page.evaluate((src) => document.getElementById('catalog')!.insertAdjacentHTML('beforeend', `<img src="${src}" onerror="void 0">`), img);
    expect(await page.evaluate(findInjected)).toEqual([`<img> element`, `<img> src=${img}`, `<img> onerror=void 0`]);
    // The policy refuses the load and says so: the report the hostile deliveries never produced.
    await expect.poll(() => control.problems.some((p) => p.startsWith('csp: img-src') && p.includes(img))).toBe(true);
    await page.evaluate(() => alert('control'));
    expect(control.dialogs).toEqual(['alert: control']);
    // A navigation is not the policy's to stop: the request listener and the canary both see it.
    await page.goto(`${canary.url}control-navigation`);
    expect(control.foreign).toContain(`GET ${canary.url}control-navigation`);
    expect(canary.log).toContain('GET /control-navigation');
    await page.close();
  });
});
