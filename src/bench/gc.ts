import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, for memory figures. `npm run bench` starts Node with --expose-gc; when it was
 * started without it, the flag is switched on at run time and `gc` taken from a fresh context (V8 installs it
 * on contexts created after the flag is set). Returns undefined if neither works, and the memory figure then
 * says it was taken without a collection.
 */
export function fullGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const fromContext = runInNewContext('gc') as unknown;
    if (typeof fromContext === 'function') return fromContext as () => void;
  } catch {
    // fall through: no way to force a collection on this runtime
  }
  return undefined;
}
