import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, findCycles, layerOf, type SourceFile } from './layerRules.ts';
import { findBannedGlobals, findImports } from './sourceScanner.ts';

/**
 * The layer table and the "no globals in the core" rule of /work/shared/design/ARCHITECTURE.md, enforced on
 * every file under src/, plus self-tests that feed the checker invented files to show it catches what it must.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name)) out.push({ path: relative(ROOT, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
  }
  return out;
}

/**
 * Cycles between sub-folders of a layer that exist today, each to be broken by the layer's owner. The test
 * fails on any other cycle, and also when one of these is gone (so the list never outlives the problem).
 * None today: the last one (net/neigh ↔ net/route) went when inet_select_addr moved to net/addr.
 */
const KNOWN_FOLDER_CYCLES: string[][] = [];

describe('src/ follows the layer table', () => {
  const files = sourceFiles(join(ROOT, 'src'));
  const result = checkArchitecture(files);

  it('finds the source files of the core', () => {
    for (const layer of ['sim', 'wire', 'trace', 'net', 'scenario', 'lab']) {
      expect(files.some((f) => layerOf(f.path) === layer), `no files found in src/${layer}`).toBe(true);
    }
    expect(result.edges.length).toBeGreaterThan(50);
  });

  it('has no forbidden import, banned global or unresolvable import', () => {
    expect(result.violations.map((v) => `${v.file}:${v.line}: ${v.message}`)).toEqual([]);
  });

  it('has no import cycle between layers', () => {
    expect(result.layerCycles.map((c) => c.join(' → '))).toEqual([]);
  });

  it('has no import cycle between sub-folders other than the known ones', () => {
    expect(result.folderCycles.map((c) => c.join(' → '))).toEqual(KNOWN_FOLDER_CYCLES.map((c) => c.join(' → ')));
  });
});

/** The messages of every violation the checker reports for an invented file list. */
function problems(files: Record<string, string>): string[] {
  return checkArchitecture(Object.entries(files).map(([path, text]) => ({ path, text }))).violations.map((v) => `${v.file}:${v.line}: ${v.message}`);
}

describe('the checker (self-test on invented files)', () => {
  it('catches a planted edge that breaks the table', () => {
    const found = problems({
      'src/net/Host.ts': "import { Ipvs } from '../ipvs/Ipvs.ts';\nexport class Host {}\n",
      'src/ipvs/Ipvs.ts': "import type { Host } from '../net/Host.ts';\nexport class Ipvs {}\n",
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^src\/net\/Host\.ts:1: layer net must not import ipvs/);
  });

  it('allows every edge of the table in the permitted direction', () => {
    expect(
      problems({
        'src/sim/Time.ts': 'export type SimTime = number;\n',
        'src/wire/Ipv4Address.ts': 'export type Ipv4Address = number;\n',
        'src/trace/TraceEvent.ts': "import type { SimTime } from '../sim/Time.ts';\nimport type { Ipv4Address } from '../wire/Ipv4Address.ts';\n",
        'src/net/index.ts': "export * from '../trace/TraceEvent.ts';\nexport { arp } from './neigh/arp.ts';\n",
        'src/net/neigh/arp.ts': 'export const arp = 1;\n',
        'src/ipvs/IpvsControl.ts': "import { arp } from '../net/neigh/arp.ts';\n",
        'src/apps/Client.ts': "import { arp } from '../net/index.ts';\nimport type { X } from '../ipvs/IpvsControl.ts';\n",
        'src/admin/Shell.ts': "import '../apps/Client.ts';\nimport { parse } from './importers/keepalived.ts';\n",
        'src/admin/importers/keepalived.ts': "import type { Ipv4Address } from '../../wire/Ipv4Address.ts';\nexport const parse = 1;\n",
        'src/scenario/build.ts': "import '../admin/Shell.ts';\n",
        'src/lab/Lab.ts': "const m = await import('../scenario/build.ts');\n",
        'src/metrics/fairness.ts': "import type { Lab } from '../lab/Lab.ts';\nimport { type TraceEvent } from '../trace/TraceEvent.ts';\n",
        'src/cli/main.ts': "import { readFileSync } from 'node:fs';\nimport { Lab } from '../lab/Lab.ts';\nimport '../metrics/fairness.ts';\n",
        'src/ui/main.ts': "import { Lab } from '../lab/Lab.ts';\nimport 'pixi.js';\nimport { createMachine } from 'xstate';\n",
      }),
    ).toEqual([]);
  });

  it('lets apps see only the public surface of net and the IPVS control API', () => {
    const found = problems({
      'src/apps/Client.ts': "import { arp } from '../net/neigh/arp.ts';\nimport { Ipvs } from '../ipvs/Ipvs.ts';\n",
      'src/net/neigh/arp.ts': 'export const arp = 1;\n',
      'src/ipvs/Ipvs.ts': 'export class Ipvs {}\n',
    });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/Client\.ts:1: layer apps must not import net/);
    expect(found[1]).toMatch(/Client\.ts:2: layer apps must not import ipvs/);
  });

  it('keeps schedulers apart from each other and from the connection table', () => {
    const found = problems({
      'src/ipvs/schedulers/Scheduler.ts': 'export interface Scheduler {}\n',
      'src/ipvs/schedulers/overhead.ts': 'export const overhead = 1;\n',
      'src/ipvs/schedulers/RoundRobin.ts': "import type { Scheduler } from './Scheduler.ts';\nimport { overhead } from './overhead.ts';\nimport type { VirtualService } from '../VirtualService.ts';\nimport type { RandomStream } from '../../sim/Random.ts';\n",
      'src/ipvs/schedulers/WeightedRoundRobin.ts': "import { rr } from './RoundRobin.ts';\nimport { ConnectionTable } from '../ConnectionTable.ts';\nimport { Simulator } from '../../sim/Simulator.ts';\n",
      'src/ipvs/schedulers/registry.ts': "import './RoundRobin.ts';\nimport './WeightedRoundRobin.ts';\n",
      'src/ipvs/VirtualService.ts': 'export class VirtualService {}\n',
      'src/ipvs/ConnectionTable.ts': 'export class ConnectionTable {}\n',
      'src/ipvs/Ipvs.ts': "import './schedulers/registry.ts';\n",
      'src/sim/Random.ts': 'export class RandomStream {}\n',
      'src/sim/Simulator.ts': 'export class Simulator {}\n',
    });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/WeightedRoundRobin\.ts:1: a scheduler imports only Scheduler\.ts and overhead\.ts/);
    expect(found[1]).toMatch(/WeightedRoundRobin\.ts:2: layer ipvs\/schedulers must not import ipvs/);
    expect(found[2]).toMatch(/WeightedRoundRobin\.ts:3: layer ipvs\/schedulers must not import sim/);
  });

  it('lets metrics import lab types only, and keeps the faces apart', () => {
    const found = problems({
      'src/lab/Lab.ts': 'export class Lab {}\n',
      'src/metrics/latency.ts': "import { Lab } from '../lab/Lab.ts';\n",
      'src/cli/table.ts': 'export const table = 1;\n',
      'src/ui/main.ts': "import { table } from '../cli/table.ts';\n",
      'src/bench/main.ts': "export { table } from '../cli/table.ts';\n",
    });
    expect(found).toEqual([
      'src/metrics/latency.ts:1: metrics may import lab types only (use `import type`)',
      expect.stringMatching(/^src\/ui\/main\.ts:1: ui and cli are separate faces/),
      expect.stringMatching(/^src\/bench\/main\.ts:1: bench and cli are separate faces/),
    ]);
  });

  it('keeps admin/importers free of effects and scenario away from lab', () => {
    const found = problems({
      'src/net/Host.ts': 'export class Host {}\n',
      'src/admin/Shell.ts': 'export class Shell {}\n',
      'src/admin/importers/keepalived.ts': "import { Host } from '../../net/Host.ts';\nimport { Shell } from '../Shell.ts';\n",
      'src/lab/Lab.ts': 'export class Lab {}\n',
      'src/scenario/build.ts': "import type { Lab } from '../lab/Lab.ts';\n",
    });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/keepalived\.ts:1: layer admin\/importers must not import net/);
    expect(found[1]).toMatch(/keepalived\.ts:2: layer admin\/importers must not import admin/);
    expect(found[2]).toMatch(/build\.ts:1: layer scenario must not import lab/);
  });

  it('bans Node built-ins and the browser libraries in the core, and Node built-ins in the browser face', () => {
    const found = problems({
      'src/sim/a.ts': "import { readFileSync } from 'node:fs';\nimport path from 'path';\nimport * as fs from 'fs/promises';\n",
      'src/scenario/b.ts': "import { Application } from 'pixi.js';\nexport { createMachine } from 'xstate';\nimport 'process';\n",
      'src/ui/c.ts': "import { createServer } from 'node:http';\n",
      'src/cli/d.ts': "import { readFileSync } from 'node:fs';\nimport { Command } from 'commander';\n",
      'src/wire/e.ts': "import seedrandom from 'seedrandom';\nimport { parse } from 'yaml';\n",
    });
    expect(found.map((m) => m.split(': ')[0])).toEqual(['src/sim/a.ts:1', 'src/sim/a.ts:2', 'src/sim/a.ts:3', 'src/scenario/b.ts:1', 'src/scenario/b.ts:2', 'src/scenario/b.ts:3', 'src/ui/c.ts:1']);
  });

  it('bans the clock, host entropy and timers in the core, wherever they hide in code', () => {
    const found = problems({
      'src/net/x.ts': [
        'const a = Math.random();',
        'const b = Date.now();',
        'const c = new Date();',
        'const d = performance.now();',
        'setTimeout(() => {}, 1);',
        'const e = crypto.getRandomValues(new Uint8Array(4));',
        'const f = process.env.HOME;',
        'globalThis.setInterval(tick, 5);',
        'const g = `${Date.now()}`;',
      ].join('\n'),
      'src/ui/y.ts': 'const t = performance.now();\nsetTimeout(run, 0);\n',
    });
    expect(found.map((m) => m.split(': ')[0])).toEqual(['src/net/x.ts:1', 'src/net/x.ts:2', 'src/net/x.ts:3', 'src/net/x.ts:4', 'src/net/x.ts:5', 'src/net/x.ts:6', 'src/net/x.ts:7', 'src/net/x.ts:8', 'src/net/x.ts:9']);
  });

  it('reports files in no layer, imports it cannot resolve and imports that leave src/', () => {
    const found = problems({
      'src/util/helpers.ts': 'export const x = 1;\n',
      'src/net/a.ts': "import { y } from './missing.ts';\nimport pkg from '../../package.json';\nconst m = await import(name);\n",
    });
    expect(found).toEqual([
      expect.stringMatching(/^src\/util\/helpers\.ts:1: file is in no layer/),
      'src/net/a.ts:3: import() of a computed specifier (the layer check cannot follow it)',
      'src/net/a.ts:1: cannot resolve ./missing.ts',
      'src/net/a.ts:2: cannot resolve ../../package.json',
    ]);
  });

  it('finds cycles between layers and between sub-folders', () => {
    const r = checkArchitecture([
      { path: 'src/trace/t.ts', text: "import '../net/n.ts';\n" },
      { path: 'src/net/n.ts', text: "import '../trace/t.ts';\n" },
      { path: 'src/net/neigh/a.ts', text: "import '../route/b.ts';\n" },
      { path: 'src/net/route/b.ts', text: "import '../neigh/a.ts';\n" },
      { path: 'src/net/link/c.ts', text: "import type { A } from '../transport/d.ts';\n" },
      { path: 'src/net/transport/d.ts', text: "import '../link/c.ts';\n" },
    ]);
    expect(r.layerCycles).toEqual([['net', 'trace', 'net']]);
    // link ↔ transport is closed only by a type import, which leaves no cycle in the running code.
    expect(r.folderCycles).toEqual([['src/net/neigh', 'src/net/route', 'src/net/neigh']]);
    expect(findCycles([['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'd']])).toEqual([['a', 'b', 'c', 'a']]);
  });
});

describe('the source scanner', () => {
  it('finds every form of import and tells type-only ones apart', () => {
    const src = [
      "import a from './a.ts';",
      "import type { B } from './b.ts';",
      "import { type C, type D } from './c.ts';",
      "import { type E, f } from './e.ts';",
      "import * as g from './g.ts';",
      "import './h.ts';",
      "export * from './i.ts';",
      "export type { J } from './j.ts';",
      "export { k as l } from './k.ts';",
      "const m = import('./m.ts');",
      'const meta = import.meta.url;',
      'export { local };',
      "import {\n  n,\n  o,\n} from './n.ts';",
    ].join('\n');
    expect(findImports(src).imports.map((i) => [i.specifier, i.kind, i.typeOnly, i.line])).toEqual([
      ['./a.ts', 'import', false, 1],
      ['./b.ts', 'import', true, 2],
      ['./c.ts', 'import', true, 3],
      ['./e.ts', 'import', false, 4],
      ['./g.ts', 'import', false, 5],
      ['./h.ts', 'import', false, 6],
      ['./i.ts', 'export-from', false, 7],
      ['./j.ts', 'export-from', true, 8],
      ['./k.ts', 'export-from', false, 9],
      ['./m.ts', 'dynamic', false, 10],
      ['./n.ts', 'import', false, 13],
    ]);
  });

  it('ignores what comments, strings, template text and regular expressions say', () => {
    const src = [
      '// Math.random() and Date.now() are banned; setTimeout(x) too',
      '/* import x from "./nope.ts"; new Date() */',
      "const s = 'Date.now() and import(\"./nope.ts\")';",
      'const t = `setTimeout(${n}) performance.now()`;',
      "const r = /import x from 'y'|Date\\.now\\(\\)/g;",
      'const q = a / b / c; // division, not a regex',
      'this.process(x); obj.crypto = 1; const when: Date = d;',
      'class T { setTimeout(ms: number): void {} }',
    ].join('\n');
    expect(findBannedGlobals(src)).toEqual([]);
    expect(findImports(src).imports).toEqual([]);
  });

  it('sees code inside template expressions and after regular expressions', () => {
    const src = 'const a = `x ${ {k: Date.now()}.k } y`;\nconst b = /[/]`/.test(s) ? Math.random() : 0;\n';
    expect(findBannedGlobals(src)).toEqual([
      { name: 'Date', line: 1 },
      { name: 'Math.random', line: 2 },
    ]);
  });
});
