import type { TraceEvent } from '../trace/index.ts';

export interface HostCounters {
  tx: number;
  rx: number;
  dropped: number;
}

export interface RunSummary {
  events: number;
  framesSent: number;
  framesReceived: number;
  drops: Array<{ reason: string; count: number }>;
  hosts: Array<{ host: string } & HostCounters>;
}

/** Totals of a run, computed from the trace only (what `lvs-lab run` prints). */
export function summarize(events: readonly TraceEvent[], hostOrder: readonly string[]): RunSummary {
  const perHost = new Map<string, HostCounters>(hostOrder.map((h) => [h, { tx: 0, rx: 0, dropped: 0 }]));
  const drops = new Map<string, number>();
  let sent = 0;
  let received = 0;
  for (const e of events) {
    const c = e.host !== undefined ? perHost.get(e.host) : undefined;
    if (e.kind === 'tx') {
      sent++;
      if (c) c.tx++;
    } else if (e.kind === 'rx') {
      received++;
      if (c) c.rx++;
    } else if (e.kind === 'drop') {
      drops.set(e.reason, (drops.get(e.reason) ?? 0) + 1);
      if (c) c.dropped++;
    }
  }
  return {
    events: events.length,
    framesSent: sent,
    framesReceived: received,
    drops: [...drops.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([reason, count]) => ({ reason, count })),
    hosts: hostOrder.map((h) => ({ host: h, ...perHost.get(h)! })),
  };
}
