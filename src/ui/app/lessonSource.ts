import { findScenario } from '../catalog.ts';
import { decodeShareFragment, isShareFragment } from '../share.ts';

/** A scenario the page opens: a bundled file, a share link's text, or the editor's text. */
export interface LessonSource {
  /** The bundled file's name (`?scenario=` takes it); absent for shared or edited text. */
  readonly name?: string;
  readonly text: string;
  /** The file name the loader's messages use. */
  readonly file: string;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  readonly origin: 'bundled' | 'shared' | 'edited';
}

/** What the address asks for. */
export type Wanted =
  | { readonly kind: 'landing' }
  | { readonly kind: 'open'; readonly source: LessonSource }
  | { readonly kind: 'error'; readonly message: string };

/** `seed` from the query: absent, or a non-negative safe integer; anything else is an error the page shows. */
export function parseSeed(text: string | null): number | undefined | Error {
  if (text === null || text.trim() === '') return undefined;
  const t = text.trim();
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) return new Error(`The seed must be a non-negative integer, not "${t}".`);
  return Number(t);
}

/**
 * Reads `?scenario=NAME&seed=N` and a share fragment (`#s=...`, which wins over `scenario`). Every piece of the
 * address is untrusted text: it only ever selects a bundled file, or becomes scenario text for the loader.
 */
export async function resolveLocation(search: string, hash: string): Promise<Wanted> {
  const params = new URLSearchParams(search);
  const seed = parseSeed(params.get('seed'));
  if (seed instanceof Error) return { kind: 'error', message: seed.message };
  if (isShareFragment(hash)) {
    try {
      const text = await decodeShareFragment(hash);
      return { kind: 'open', source: { text, file: 'shared.yaml', seed, origin: 'shared' } };
    } catch (err) {
      return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  }
  const name = params.get('scenario');
  if (name === null) return { kind: 'landing' };
  const s = findScenario(name);
  if (s === undefined) return { kind: 'error', message: `No scenario named "${name}". Pick one from the list.` };
  return { kind: 'open', source: { name: s.name, text: s.text, file: s.path, seed, origin: 'bundled' } };
}

/** The address of a bundled scenario (with its seed, when one was given). */
export function scenarioSearch(name: string, seed?: number): string {
  const p = new URLSearchParams({ scenario: name });
  if (seed !== undefined) p.set('seed', String(seed));
  return `?${p.toString()}`;
}
