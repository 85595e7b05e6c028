import type { ConnectionFigures } from './connectionMemory.ts';
import type { BatchFigures, HoldFigures } from './eventQueue.ts';
import type { MemoryFigures } from './eventMemory.ts';
import type { MachineInfo } from './machine.ts';
import type { HopFigures, HopRun } from './packetHops.ts';
import type { NatDirectorFigures } from './natDirector.ts';
import type { SchedulerFigures } from './schedulers.ts';
import type { SweepRateFigures } from './sweepRate.ts';

export interface BenchResults {
  machine: MachineInfo;
  /** ISO 8601, when the benchmark ran. */
  date: string;
  eventQueue: { batch: BatchFigures; hold: HoldFigures };
  eventMemory: MemoryFigures;
  /** The IPVS connection table; absent in results written before it was measured. */
  connectionTable?: ConnectionFigures;
  packetHops: HopFigures;
  schedulers: SchedulerFigures;
  natDirector?: NatDirectorFigures;
  /** A fairness sweep's runs per minute; absent in results written before it was measured. */
  sweep?: SweepRateFigures;
}

/** `1234567.8` → `1,234,568`: the figures are rates, whole units are precise enough. */
function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** What `npm run bench` prints: the machine, then one line per figure. */
export function formatResults(r: BenchResults): string {
  const m = r.machine;
  const rows: Array<[string, string, string]> = [];
  const b = r.eventQueue.batch;
  rows.push(['event queue: schedule + dispatch', `${count(b.perSecond)} events/s`, `${count(b.events)} events, one batch`]);
  rows.push(['  schedule only', `${count(b.schedulePerSecond)} events/s`, 'queue growing']);
  rows.push(['  dispatch only', `${count(b.dispatchPerSecond)} events/s`, 'queue draining']);
  const h = r.eventQueue.hold;
  rows.push(['event queue: hold model', `${count(h.perSecond)} events/s`, `${count(h.pending)} pending, ${count(h.events)} dispatches`]);
  const mem = r.eventMemory;
  rows.push(['memory per queued event', `${mem.bytesPerEvent.toFixed(1)} bytes`, `${count(mem.events)} events${mem.collected ? ', after full GC' : ', NO forced GC (upper bound)'}`]);
  const ct = r.connectionTable;
  if (ct) {
    rows.push(['connection table: memory', `${ct.bytesPerConnection.toFixed(1)} bytes/conn`, `${count(ct.connections)} connections${ct.collected ? ', after full GC' : ', NO forced GC (upper bound)'}`]);
    rows.push(['  create', `${count(ct.createsPerSecond)} conns/s`, `table growing to ${count(ct.connections)}`]);
    rows.push(['  lookup, client side', `${count(ct.lookupsPerSecond)} lookups/s`, `${count(ct.connections)} entries, random order`]);
    rows.push(['  lookup, NAT reply', `${count(ct.replyLookupsPerSecond)} lookups/s`, `${count(ct.connections)} entries, random order`]);
  }
  const t = r.packetHops.traced;
  rows.push(['packet hops (trace in memory)', `${count(t.hopsPerSecond)} hops/s`, `${count(t.hops)} hops, ${count(t.pings)} pings, ${t.seconds.toFixed(2)} s`]);
  // Results written before the lab could detach its trace have no such run.
  const d: HopRun | undefined = r.packetHops.detached;
  rows.push(
    d
      ? ['packet hops (tracing detached)', `${count(d.hopsPerSecond)} hops/s`, `${count(d.hops)} hops, ${count(d.pings)} pings, ${d.seconds.toFixed(2)} s (median of 3)`]
      : ['packet hops (tracing detached)', 'n/a', 'not measured'],
  );
  const nat = r.natDirector;
  if (nat) {
    rows.push(['packets through a NAT director', `${count(nat.packetsPerSecond)} pkts/s`, `${count(nat.packets)} packets, ${count(nat.requests)} connections, untraced, ${nat.seconds.toFixed(2)} s (median of 3)`]);
  }
  const sw = r.sweep;
  if (sw) {
    rows.push(['fairness sweep (lvs-lab bench fairness)', `${sw.runsPerMinute.toFixed(1)} runs/min`, `${sw.runs} runs (seed 1, shard ${sw.shard}), ${sw.jobs} worker threads, ${sw.wallSeconds.toFixed(1)} s; full 14 x 11 x 30 sweep ~ ${sw.fullSweepMinutes.toFixed(1)} min`]);
  }
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  let out = `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform} ${m.arch}, node ${m.node}\n\n`;
  for (const [what, value, detail] of rows) out += `${what.padEnd(w0)}  ${value.padStart(w1)}  ${detail}\n`;
  return out + formatSchedulers(r.schedulers);
}

/** The scheduler table: decisions per second, one row per scheduler, one column per destination count. */
function formatSchedulers(f: SchedulerFigures): string {
  const head = ['scheduler decisions/s', ...f.dests.map((n) => `${n} dests`)];
  const body = f.rows.map((r) => [r.scheduler, ...r.perSecond.map(count)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd() + '\n';
  return `\n${line(head)}${body.map(line).join('')}(each decision opens a short-lived connection on the pick; see src/bench/schedulers.ts)\n`;
}
