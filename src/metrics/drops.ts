import type { TraceEvent } from '../trace/index.ts';

export interface DropCount {
  reason: string;
  host: string;
  count: number;
}

/** Drops by reason and by the host (or segment) where they happened, sorted by reason then place. */
export function dropsByReason(events: readonly TraceEvent[]): DropCount[] {
  const counts = new Map<string, DropCount>();
  for (const e of events) {
    if (e.kind !== 'drop') continue;
    const host = e.host ?? (e.segment !== undefined ? `switch ${e.segment}` : '');
    const key = `${e.reason}\u0000${host}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { reason: e.reason, host, count: 1 });
  }
  return [...counts.values()].sort((a, b) => (a.reason !== b.reason ? (a.reason < b.reason ? -1 : 1) : a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}
