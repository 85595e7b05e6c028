import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { ROUTED_SEGMENTS, routedScenario as routed } from '../../../src/bench/routedScenario.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(REPO, 'bin', 'lvs-lab.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/lvs-lab.js ...args` in `cwd` (a temp dir, so file names in messages are the relative ones). */
export function lvsLab(args: readonly string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory with the given files; call `cleanup` in afterAll. */
export function tempDir(files: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-lab-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh directory for the enclosing describe block, made before its tests and removed after them. */
export function useTempDir(): { readonly dir: string } {
  let t: ReturnType<typeof tempDir> | undefined;
  beforeAll(() => {
    t = tempDir();
  });
  afterAll(() => t?.cleanup());
  return {
    get dir(): string {
      if (!t) throw new Error('useTempDir: the directory exists only while the tests of its block run');
      return t.dir;
    },
  };
}

/** 1-based line of the first line of `text` containing `needle`, and the 1-based column where it starts. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  throw new Error(`${JSON.stringify(needle)} is not in the scenario`);
}

/** No Node stack frame (`    at fn (file:line:col)`) in a user-facing error. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text);
}

/**
 * client — lan1 — router — lan2 — server (src/bench/routedScenario.ts); the client pings the server twice at
 * 10 ms. `extraExpect` is appended under `expect:` (YAML list items indented by two spaces).
 */
export function routedScenario(extraExpect = ''): string {
  return routed({
    name: 'cli test, routed ping',
    duration: '1s',
    tail: `timeline:
  - { at: 10ms, host: client, run: ping -c 2 10.0.2.10 }
expect:
  - count: { kind: rx, host: server, pkt: { icmp: { type: 8 } } }
    atLeast: 1
${extraExpect}`,
  });
}

export { ROUTED_SEGMENTS };

export interface TraceLine {
  t: number;
  seq: number;
  kind: string;
  host?: string;
  iface?: string;
  reason?: string;
  pkt?: Record<string, Record<string, unknown>>;
}

export function parseTrace(jsonl: string): TraceLine[] {
  return jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TraceLine);
}
