/**
 * The names the lab gives scenario files: the file's base name (`two-hosts-ping` for
 * `scenarios/examples/two-hosts-ping.yaml`), which is what `?scenario=NAME` takes. When two folders hold files
 * with the same base name, both are named by their path under `scenarios/` instead, so no name is ambiguous.
 * Pure, so the end-to-end test can name the files on disk exactly as the page does.
 */

export interface ScenarioEntry {
  /** What `?scenario=` and `__lvsLab.runScenario` take. */
  name: string;
  /** Path under the project root, e.g. `scenarios/examples/two-hosts-ping.yaml`. */
  path: string;
}

/** `paths` are project-relative (`scenarios/...yaml`); a leading `/` is accepted and dropped. Sorted by path. */
export function nameScenarios(paths: readonly string[]): ScenarioEntry[] {
  const clean = paths.map((p) => p.replace(/^\/+/, '')).sort();
  const byBase = new Map<string, number>();
  for (const p of clean) byBase.set(baseName(p), (byBase.get(baseName(p)) ?? 0) + 1);
  return clean.map((path) => ({
    name: byBase.get(baseName(path)) === 1 ? baseName(path) : underScenarios(path),
    path,
  }));
}

function baseName(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.replace(/\.ya?ml$/, '');
}

function underScenarios(path: string): string {
  return path.replace(/^scenarios\//, '').replace(/\.ya?ml$/, '');
}
