import { formatDuration } from '../lab/index.ts';
import { findScenario, SCENARIOS, type BundledScenario } from './catalog.ts';
import { runScenarioText, type RunResult } from './runScenario.ts';
import { renderTraceTable } from './traceTable.ts';
import type { ScenarioEntry } from './scenarioNames.ts';

/**
 * The minimal browser lab: pick a scenario, run it with the real core in this page, read its summary, its
 * expectations, its trace digest and its trace. Plain DOM; every piece of scenario text goes in as textContent.
 */

/** The hook the end-to-end tests call: runs a bundled scenario headless and returns the trace digest. */
export interface LvsLabHook {
  runScenario(name: string, seed?: number): string;
  scenarios(): ScenarioEntry[];
}

declare global {
  interface Window {
    __lvsLab: LvsLabHook;
  }
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

const form = byId<HTMLFormElement>('controls');
const select = byId<HTMLSelectElement>('scenario');
const seedInput = byId<HTMLInputElement>('seed');
const runButton = byId<HTMLButtonElement>('run');
const status = byId<HTMLElement>('status');
const errorBox = byId<HTMLElement>('error');
const title = byId<HTMLElement>('scenario-name');
const description = byId<HTMLElement>('scenario-description');
const source = byId<HTMLElement>('source-text');
const results = byId<HTMLElement>('results');
const summaryBox = byId<HTMLElement>('summary');
const expectationsBox = byId<HTMLElement>('expectations');
const digestBox = byId<HTMLElement>('digest');
const traceBox = byId<HTMLElement>('trace-container');

window.__lvsLab = {
  runScenario(name: string, seed?: number): string {
    const s = findScenario(name);
    if (!s) throw new Error(`no scenario named ${name}`);
    return runScenarioText(s.text, s.path, seed).digest;
  },
  scenarios: () => SCENARIOS.map(({ name, path }) => ({ name, path })),
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

function fillScenarioList(): void {
  if (SCENARIOS.length === 0) {
    select.append(el('option', '(no scenarios bundled)'));
    runButton.disabled = true;
    return;
  }
  for (const s of SCENARIOS) {
    const option = el('option', s.path.replace(/^scenarios\//, ''));
    option.value = s.name;
    select.append(option);
  }
}

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = message === '';
}

function clearResults(): void {
  results.hidden = true;
  summaryBox.replaceChildren();
  expectationsBox.replaceChildren();
  digestBox.textContent = '';
  traceBox.replaceChildren();
}

/** Shows the chosen file's source before it runs, and keeps the address bar pointing at it. */
function selectScenario(s: BundledScenario, updateUrl = true): void {
  select.value = s.name;
  title.textContent = s.name;
  description.textContent = '';
  source.textContent = s.text;
  clearResults();
  showError('');
  status.textContent = '';
  if (!updateUrl) return;
  const url = new URL(window.location.href);
  url.searchParams.set('scenario', s.name);
  window.history.replaceState(null, '', url);
}

/** Empty means the scenario's own seed; otherwise a non-negative integer. */
function readSeed(): number | undefined | Error {
  const text = seedInput.value.trim();
  if (text === '') return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) return new Error(`seed: expected a non-negative integer, got ${text}`);
  return Number(text);
}

function run(): void {
  const s = findScenario(select.value);
  if (!s) return;
  const seed = readSeed();
  if (seed instanceof Error) {
    showError(seed.message);
    return;
  }
  clearResults();
  showError('');
  runButton.disabled = true;
  status.textContent = `Running ${s.name}…`;
  // Let the browser paint the status before the simulation holds the main thread.
  window.setTimeout(() => {
    const started = performance.now();
    try {
      const r = runScenarioText(s.text, s.path, seed);
      showResult(r, performance.now() - started);
    } catch (err) {
      status.textContent = '';
      showError(err instanceof Error ? err.message : String(err));
    } finally {
      runButton.disabled = false;
    }
  }, 0);
}

function showResult(r: RunResult, wallMs: number): void {
  title.textContent = r.name;
  description.textContent = r.description ?? '';
  const failed = r.expectations.filter((e) => !e.pass).length;
  status.textContent = `Ran ${formatDuration(r.duration)} of simulated time in ${Math.round(wallMs)} ms.`;

  const dl = el('dl');
  const facts: Array<[string, string]> = [
    ['seed', String(r.seed)],
    ['duration', formatDuration(r.duration)],
    ['events', String(r.summary.events)],
    ['frames sent', String(r.summary.framesSent)],
    ['frames received', String(r.summary.framesReceived)],
    ['drops', r.summary.drops.length === 0 ? 'none' : r.summary.drops.map((d) => `${d.reason} ×${d.count}`).join(', ')],
    ['expectations', r.expectations.length === 0 ? 'none' : failed === 0 ? `all ${r.expectations.length} pass` : `${failed} of ${r.expectations.length} fail`],
  ];
  for (const [k, v] of facts) dl.append(el('dt', k), el('dd', v));
  const hosts = el('table');
  hosts.id = 'hosts';
  const head = hosts.createTHead().insertRow();
  for (const h of ['host', 'tx', 'rx', 'dropped']) head.append(el('th', h));
  const body = hosts.createTBody();
  for (const h of r.summary.hosts) {
    const row = body.insertRow();
    for (const v of [h.host, String(h.tx), String(h.rx), String(h.dropped)]) row.insertCell().textContent = v;
  }
  summaryBox.replaceChildren(dl, hosts);

  expectationsBox.replaceChildren(
    ...r.expectations.map((e) => {
      const li = el('li', undefined, e.pass ? 'pass' : 'fail');
      li.append(el('strong', e.pass ? 'PASS' : 'FAIL'), ` line ${e.line}: ${e.expected} — got ${e.actual}`);
      return li;
    }),
  );
  if (r.expectations.length === 0) expectationsBox.append(el('li', 'This scenario states no expectations.'));

  digestBox.textContent = r.digest;
  renderTraceTable(traceBox, r.events);
  results.hidden = false;
}

function start(): void {
  fillScenarioList();
  select.addEventListener('change', () => {
    const s = findScenario(select.value);
    if (s) selectScenario(s);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run();
  });

  const params = new URLSearchParams(window.location.search);
  const wanted = params.get('scenario');
  const seed = params.get('seed');
  if (seed !== null) seedInput.value = seed;
  if (wanted !== null) {
    const s = findScenario(wanted);
    if (s) {
      selectScenario(s);
      run();
      return;
    }
  }
  const first = SCENARIOS[0];
  if (first) selectScenario(first, false);
  if (wanted !== null) showError(`No scenario named "${wanted}". Pick one from the list.`);
}

start();
