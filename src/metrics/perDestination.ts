import type { TraceEvent } from '../trace/index.ts';

/** New IPVS connections a director scheduled to one real server of one virtual service. */
export interface DestinationConnections {
  director: string;
  service: string;
  dest: string;
  connections: number;
  /** Of all the service's connections on that director, 0..1. */
  share: number;
}

/**
 * Connections per real server, from the directors' `ipvs` `conn` events (one per connection IPVS scheduled),
 * grouped by director and service (services in the order they first appear), real servers in the order each
 * first appears in the trace.
 */
export function connectionsPerDestination(events: readonly TraceEvent[]): DestinationConnections[] {
  const rows: DestinationConnections[] = [];
  const index = new Map<string, DestinationConnections>();
  const perService = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'ipvs' || e.event !== 'conn' || e.dest === undefined) continue;
    const director = e.host ?? '';
    const service = e.service ?? '';
    const key = `${director}\u0000${service}\u0000${e.dest}`;
    let row = index.get(key);
    if (!row) {
      row = { director, service, dest: e.dest, connections: 0, share: 0 };
      index.set(key, row);
      rows.push(row);
    }
    row.connections++;
    const sk = `${director}\u0000${service}`;
    perService.set(sk, (perService.get(sk) ?? 0) + 1);
  }
  for (const r of rows) r.share = r.connections / perService.get(`${r.director}\u0000${r.service}`)!;
  // Group each service's rows together, services in the order they first appear (a stable sort keeps the rest).
  const firstSeen = [...perService.keys()];
  return rows.sort((a, b) => firstSeen.indexOf(`${a.director}\u0000${a.service}`) - firstSeen.indexOf(`${b.director}\u0000${b.service}`));
}
