import { SECOND } from '../lab/index.ts';
import type { SoakSample } from './soakRun.ts';
import { SLOPE_LIMIT, type SoakVerdict } from './soakVerdict.ts';

/** What `npm run soak` prints: one table row per sample as it is taken, then the verdict; and the CSV. */

const MB = 1024 * 1024;

interface Column {
  title: string;
  width: number;
  value: (s: SoakSample) => string;
}

const mb = (n: number | undefined): string => (n === undefined ? '-' : (n / MB).toFixed(1));

const COLUMNS: Column[] = [
  { title: 'events', width: 11, value: (s) => String(s.events) },
  { title: 'sim s', width: 8, value: (s) => (s.simNs / SECOND).toFixed(1) },
  { title: 'wall s', width: 7, value: (s) => s.wallSeconds.toFixed(0) },
  { title: 'heap MiB', width: 8, value: (s) => mb(s.heapUsed) },
  { title: 'buf MiB', width: 7, value: (s) => mb(s.arrayBuffers) },
  { title: 'rss MiB', width: 7, value: (s) => mb(s.rss) },
  { title: 'pending', width: 7, value: (s) => String(s.pendingEvents) },
  { title: 'queued', width: 7, value: (s) => String(s.queuedEvents) },
  { title: 'ipvs conns', width: 10, value: (s) => String(s.ipvsConnections) },
  { title: 'opened', width: 9, value: (s) => String(s.connectionsOpened) },
  { title: 'expired', width: 9, value: (s) => String(s.connectionsExpired) },
  { title: 'arp', width: 5, value: (s) => String(s.neighbours) },
  { title: 'aged', width: 5, value: (s) => String(s.agedNeighbours) },
  { title: 'tcp socks', width: 9, value: (s) => String(s.tcpSockets) },
  { title: 'fail', width: 4, value: (s) => String(s.failures + s.drops) },
];

export function sampleHeader(): string {
  return COLUMNS.map((c) => c.title.padStart(c.width)).join(' ') + '\n';
}

export function sampleRow(s: SoakSample): string {
  return COLUMNS.map((c) => c.value(s).padStart(c.width)).join(' ') + '\n';
}

/** The columns' meaning, printed under the table. */
export const COLUMN_NOTES = `heap/buf MiB: JS heap and ArrayBuffers after two full collections; pending: events scheduled; queued: the
event queue's entries (cancelled ones not yet discarded included); ipvs conns: the director's connection table;
opened/expired: IPVS entries made and expired so far; arp: the director's neighbour entries, aged: those not
REACHABLE; tcp socks: TCP sockets of every host (TIME_WAIT included); fail: failed sessions + dropped packets.
`;

export function formatVerdict(v: SoakVerdict, warm: { tableWarmUpNs: number; memoryWarmUpNs: number }): string {
  const lines: string[] = [];
  if (v.heap) {
    const h = v.heap;
    lines.push(
      `heap slope (second half, ${h.samples} samples from ${h.fromEvents} events): ${Math.round(h.bytesPerMillionEvents)} ± ${Math.round(2 * h.stdError)} bytes per 10^6 events; ` +
        `limit ${Math.round(h.limit)} (${SLOPE_LIMIT * 100} % of the mean ${mb(h.meanBytes)} MiB, per 10^6 events; memory warm-up ${(warm.memoryWarmUpNs / SECOND).toFixed(0)} s simulated)`,
    );
  }
  lines.push(`tables after warm-up (${(warm.tableWarmUpNs / SECOND).toFixed(0)} s simulated):`);
  for (const c of v.plateau) {
    lines.push(`  ${c.size.padEnd(16)} min ${String(c.min).padStart(7)}  max ${String(c.max).padStart(7)}  first-half peak ${String(c.firstHalfMax).padStart(7)}  second-half peak ${String(c.secondHalfMax).padStart(7)}  bound ${String(c.bound).padStart(7)}  ${c.ok ? 'flat' : 'GROWS'}`);
  }
  for (const p of v.problems) lines.push(`problem: ${p}`);
  lines.push(v.ok ? 'verdict: flat' : 'verdict: NOT FLAT');
  return lines.join('\n') + '\n';
}

const CSV_FIELDS: Array<keyof SoakSample> = [
  'events', 'simNs', 'wallSeconds', 'heapUsed', 'arrayBuffers', 'rss', 'pendingEvents', 'queuedEvents', 'ipvsConnections', 'neighbours',
  'agedNeighbours', 'neighboursAll', 'tcpSockets', 'connectionsOpened', 'connectionsExpired', 'responses', 'failures', 'drops', 'neighbourChanges',
];

export function samplesCsv(samples: readonly SoakSample[]): string {
  const rows = samples.map((s) => CSV_FIELDS.map((f) => (s[f] === undefined ? '' : String(s[f]))).join(','));
  return [CSV_FIELDS.join(','), ...rows].join('\n') + '\n';
}
