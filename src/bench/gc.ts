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

/**
 * Memory in use after full collections (two, so objects freed by finalisers of the first go too): the JS heap
 * plus ArrayBuffer backing stores, which live outside it (typed arrays); counting only the heap would hide
 * them. With no `gc`, what is in use now, garbage included.
 */
export function settledMemory(gc: (() => void) | undefined): number {
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
