import { builtinModules } from 'node:module';
import { findBannedGlobals, findImports, type ImportRef } from './sourceScanner.ts';

/**
 * The layer table of /work/shared/design/ARCHITECTURE.md as data, and a checker that applies it to a set of
 * source files given as (path, text) pairs, so the self-test can feed it invented files.
 *
 * Paths are project-relative with forward slashes (`src/net/neigh/ArpCache.ts`).
 */

export type Layer =
  | 'sim'
  | 'wire'
  | 'trace'
  | 'net'
  | 'ipvs'
  | 'ipvs/schedulers'
  | 'apps'
  | 'admin'
  | 'admin/importers'
  | 'scenario'
  | 'lab'
  | 'metrics'
  | 'cli'
  | 'ui'
  | 'bench';

/** The deterministic core: no Node, no DOM, no wall clock, no host entropy. */
export const CORE_LAYERS: ReadonlySet<Layer> = new Set<Layer>(['sim', 'wire', 'trace', 'net', 'ipvs', 'ipvs/schedulers', 'apps', 'admin', 'admin/importers', 'scenario', 'lab', 'metrics']);

export const FACES: ReadonlySet<Layer> = new Set<Layer>(['cli', 'ui', 'bench']);

/** Most specific first: a file belongs to the first layer whose folder contains it. */
const LAYER_FOLDERS: ReadonlyArray<[string, Layer]> = [
  ['src/ipvs/schedulers/', 'ipvs/schedulers'],
  ['src/admin/importers/', 'admin/importers'],
  ['src/sim/', 'sim'],
  ['src/wire/', 'wire'],
  ['src/trace/', 'trace'],
  ['src/net/', 'net'],
  ['src/ipvs/', 'ipvs'],
  ['src/apps/', 'apps'],
  ['src/admin/', 'admin'],
  ['src/scenario/', 'scenario'],
  ['src/lab/', 'lab'],
  ['src/metrics/', 'metrics'],
  ['src/cli/', 'cli'],
  ['src/ui/', 'ui'],
  ['src/bench/', 'bench'],
];

export function layerOf(path: string): Layer | undefined {
  for (const [folder, layer] of LAYER_FOLDERS) if (path.startsWith(folder)) return layer;
  return undefined;
}

const CORE_ABOVE_ADMIN: Layer[] = ['sim', 'wire', 'trace', 'net', 'ipvs', 'ipvs/schedulers', 'apps'];

/**
 * "may import" of the table, by whole layer. Exceptions that name single files (apps → net/index.ts and
 * ipvs/IpvsControl.ts; schedulers → a few ipvs and sim files; metrics → lab types only) are in `edgeProblem`.
 * Importing within one's own layer is always allowed (except between schedulers).
 */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  sim: [],
  wire: [],
  trace: ['sim', 'wire'],
  net: ['sim', 'wire', 'trace'],
  ipvs: ['sim', 'wire', 'trace', 'net', 'ipvs/schedulers'],
  'ipvs/schedulers': ['wire'],
  apps: ['sim', 'wire', 'trace'],
  admin: [...CORE_ABOVE_ADMIN, 'admin/importers'],
  'admin/importers': ['wire'],
  scenario: [...CORE_ABOVE_ADMIN, 'admin', 'admin/importers'],
  lab: [...CORE_ABOVE_ADMIN, 'admin', 'admin/importers', 'scenario'],
  metrics: ['trace', 'wire'],
  cli: ['lab', 'trace', 'wire', 'metrics'],
  ui: ['lab', 'trace', 'wire', 'metrics'],
  bench: ['lab', 'trace', 'wire', 'metrics'],
};

/** The only files of a layer that another layer may import, beyond MAY_IMPORT. */
const SINGLE_FILE_GRANTS: Partial<Record<Layer, readonly string[]>> = {
  // apps see the public surface of net (host handle, sockets) and the IPVS control API, nothing else.
  apps: ['src/net/index.ts', 'src/ipvs/IpvsControl.ts'],
  // A scheduler sees its service and destinations, randomness, and time; never the connection table or net.
  'ipvs/schedulers': ['src/ipvs/VirtualService.ts', 'src/ipvs/Destination.ts', 'src/sim/Random.ts', 'src/sim/Time.ts'],
};

/** The files every scheduler may import from its own folder. */
const SCHEDULER_SHARED = new Set(['src/ipvs/schedulers/Scheduler.ts', 'src/ipvs/schedulers/overhead.ts', 'src/ipvs/schedulers/hash.ts', 'src/ipvs/schedulers/localityTable.ts']);
/** Files in the schedulers folder that gather all schedulers. */
const SCHEDULER_GATHERERS = new Set(['src/ipvs/schedulers/registry.ts', 'src/ipvs/schedulers/index.ts']);

/** Packages no core file may import: the platform (Node built-ins) and the browser face's libraries. */
const FACE_ONLY_PACKAGES = ['pixi.js', '@pixi/', 'xstate', '@xstate/'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]);
}

function isFaceOnlyPackage(specifier: string): boolean {
  return FACE_ONLY_PACKAGES.some((p) => (p.endsWith('/') ? specifier.startsWith(p) : specifier === p || specifier.startsWith(`${p}/`)));
}

export interface SourceFile {
  path: string;
  text: string;
}

export interface Edge {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

export interface Violation {
  file: string;
  line: number;
  message: string;
}

/** Resolves a relative specifier against the importing file; tries the extensionless forms TS accepts. */
export function resolve(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const dir = from.slice(0, from.lastIndexOf('/'));
  const parts = dir.split('/');
  for (const seg of specifier.split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  const base = parts.join('/');
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => files.has(c));
}

/** Why an edge between two files of src/ breaks the table, or undefined when it is allowed. */
export function edgeProblem(from: string, to: string, typeOnly: boolean): string | undefined {
  const fl = layerOf(from);
  const tl = layerOf(to);
  if (fl === undefined || tl === undefined) return undefined; // reported separately as an unknown folder
  if (fl === 'ipvs/schedulers' && tl === 'ipvs/schedulers') {
    if (SCHEDULER_SHARED.has(to) || SCHEDULER_GATHERERS.has(from)) return undefined;
    return 'a scheduler imports only Scheduler.ts and overhead.ts from its folder, never another scheduler';
  }
  if (fl === tl) return undefined;
  if (fl === 'metrics' && tl === 'lab') {
    return typeOnly ? undefined : 'metrics may import lab types only (use `import type`)';
  }
  if (MAY_IMPORT[fl].includes(tl)) return undefined;
  if (SINGLE_FILE_GRANTS[fl]?.includes(to)) return undefined;
  if (FACES.has(fl) && FACES.has(tl)) return `${fl} and ${tl} are separate faces and never import each other`;
  const grants = SINGLE_FILE_GRANTS[fl];
  const allowed = [...MAY_IMPORT[fl], ...(grants ?? [])];
  return `layer ${fl} must not import ${tl} (${to}); it may import ${allowed.length ? allowed.join(', ') : 'nothing of ours'}`;
}

/** The unit whose cycles matter: the layer, with the schedulers counted as part of ipvs. */
function cycleUnit(path: string): string | undefined {
  const l = layerOf(path);
  return l === 'ipvs/schedulers' ? 'ipvs' : l;
}

export interface CheckResult {
  /** Breaks of the layer table, banned imports and globals, unresolvable imports, files in no layer. */
  violations: Violation[];
  /** Cycles between layers (the folders of the table), each as a path `a → b → a`. */
  layerCycles: string[][];
  /** Cycles between sub-folders of one layer (`src/net/neigh → src/net/route → src/net/neigh`). */
  folderCycles: string[][];
  edges: Edge[];
}

/**
 * Applies every rule to the given files: the layer table, the core's banned imports and globals, the browser
 * face's ban on Node built-ins, imports that cannot be resolved or leave src/, and cycles between layers and
 * between sub-folders of one layer.
 */
export function checkArchitecture(files: readonly SourceFile[]): CheckResult {
  const violations: Violation[] = [];
  const edges: Edge[] = [];
  const paths = new Set(files.map((f) => f.path));

  for (const f of files) {
    const layer = layerOf(f.path);
    if (layer === undefined) {
      violations.push({ file: f.path, line: 1, message: 'file is in no layer of ARCHITECTURE.md\'s table; add its folder to the table and to this test' });
      continue;
    }
    const isCore = CORE_LAYERS.has(layer);
    const { imports, problems } = findImports(f.text);
    for (const p of problems) violations.push({ file: f.path, line: p.line, message: p.what });
    for (const imp of imports) checkImport(f.path, layer, isCore, imp, paths, edges, violations);
    if (isCore) {
      for (const use of findBannedGlobals(f.text)) {
        violations.push({ file: f.path, line: use.line, message: `the core must not use ${use.name} (no globals in the core: time comes from the Simulator, randomness from RandomStreams)` });
      }
    }
  }

  const layerEdges = edges.filter((e) => layerOf(e.to) !== undefined).map((e): [string, string] => [cycleUnit(e.from)!, cycleUnit(e.to)!]);
  // Inside a layer, sub-folders must not import each other in a circle either. Files at the layer's root
  // (index.ts, Host.ts) are left out: every sub-folder may use them and index.ts gathers the sub-folders.
  // Type-only imports are left out too: they vanish from the compiled code and make no load-order cycle.
  const folderEdges: Array<[string, string]> = [];
  for (const e of edges) {
    if (e.typeOnly || cycleUnit(e.from) !== cycleUnit(e.to)) continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    const root = `src/${cycleUnit(e.from)}`;
    if (a === root || b === root) continue;
    folderEdges.push([a, b]);
  }
  return { violations, layerCycles: findCycles(layerEdges), folderCycles: findCycles(folderEdges), edges };
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function checkImport(path: string, layer: Layer, isCore: boolean, imp: ImportRef, paths: ReadonlySet<string>, edges: Edge[], violations: Violation[]): void {
  const spec = imp.specifier;
  const at = (message: string): void => void violations.push({ file: path, line: imp.line, message });
  if (spec.startsWith('.')) {
    const target = resolve(path, spec, paths);
    if (target === undefined) {
      at(`cannot resolve ${spec}`);
      return;
    }
    if (!target.startsWith('src/')) {
      at(`imports ${target}, outside src/`);
      return;
    }
    edges.push({ from: path, to: target, line: imp.line, typeOnly: imp.typeOnly });
    if (layerOf(target) === undefined) return; // the target is reported as a file in no layer
    const problem = edgeProblem(path, target, imp.typeOnly);
    if (problem !== undefined) at(problem);
    return;
  }
  if (spec.startsWith('/')) {
    at(`imports ${spec} by absolute path`);
    return;
  }
  if (isCore && isNodeBuiltin(spec)) at(`the core must not import the Node built-in ${spec} (it runs in browsers too)`);
  else if (isCore && isFaceOnlyPackage(spec)) at(`the core must not import ${spec} (it belongs to the browser face)`);
  else if (layer === 'ui' && isNodeBuiltin(spec)) at(`the browser face must not import the Node built-in ${spec}`);
}

/**
 * Every elementary cycle's representative in a directed graph, as one strongly connected component each
 * (Tarjan), listed as a path through it. Self-loops are not cycles here (a folder importing itself is fine).
 */
export function findCycles(pairs: ReadonlyArray<readonly [string, string]>): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of pairs) {
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)!.add(b);
  }
  const nodes = [...graph.keys()].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of [...graph.get(v)!].sort()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) components.push(cyclePath(graph, new Set(comp)));
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return components;
}

/** A readable cycle through a strongly connected component: start at its smallest node, walk back to it. */
function cyclePath(graph: Map<string, Set<string>>, comp: Set<string>): string[] {
  const start = [...comp].sort()[0];
  // Breadth-first from start to any node with an edge back to start, inside the component.
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...graph.get(v)!].sort()) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return [...path, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...comp, start];
}
