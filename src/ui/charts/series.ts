import { percentile, responseTimeOf } from '../../metrics/index.ts';
import type { AppEvent, TraceEvent } from '../../trace/index.ts';

/**
 * The numbers behind the live charts, computed incrementally from the trace as it grows: the page calls
 * `sync(events)` with the Lab's (growing) event list and reads chart data for the current simulated time. Only
 * the events not seen before are read, so a refresh costs what the trace grew by, not the whole trace.
 *
 * The aggregates are the ones src/metrics computes over a finished trace (tests check that they agree):
 * connections per real server as `connectionsPerDestination`, responses per interval as `throughput`, the CPU's
 * busiest interval as `directorCpu`'s peak; response times use metrics' `responseTimeOf` and nearest-rank
 * `percentile`.
 *
 * Pure: no DOM, no clock. Times are integer ns like the trace's.
 */

export interface ChartPoint {
  /** Simulated time, ns. */
  x: number;
  /** In the chart's unit (see ValueUnit). */
  y: number;
}

export interface ChartSeriesData {
  /** Stable across refreshes (a host name, `p50`): the drawing keys styles and DOM on it. */
  id: string;
  label: string;
  points: ChartPoint[];
}

/** How a value is shown: utilisation 0..1 as %, milliseconds, a rate per second, bytes per second, a count. */
export type ValueUnit = 'percent' | 'ms' | 'perSecond' | 'bytesPerSecond' | 'count';

export interface LineChartData {
  title: string;
  /** Axis titles (text). */
  xLabel: string;
  yLabel: string;
  unit: ValueUnit;
  /** The x axis spans 0..xMax ns (the scenario's duration, so the chart does not rescale as it fills). */
  xMax: number;
  /** A fixed top of the y axis (1 for utilisation); otherwise the drawing picks one above the data. */
  yMax?: number;
  series: ChartSeriesData[];
}

export interface BarDatum {
  id: string;
  label: string;
  value: number;
  /** The group the bar is drawn under (a director and its virtual service). */
  group: string;
}

export interface BarChartData {
  title: string;
  valueLabel: string;
  unit: ValueUnit;
  /** Group names in drawing order; every bar's group is one of them and bars come grouped in this order. */
  groups: string[];
  bars: BarDatum[];
}

export interface ChartSeriesOptions {
  /** The scenario's duration (ns): the x axis' extent, and when the last, shorter interval counts. */
  duration: number;
  /** Width of a throughput / response-time interval (ns); default `chooseInterval(duration)`. */
  interval?: number;
}

/** The p-values of the response-time chart. */
export const LATENCY_PERCENTILES = [50, 95, 99] as const;

const NS_PER_S = 1e9;
const NS_PER_MS = 1e6;

/**
 * An interval for about 40 points over `duration`, from the steps 1, 2, 2.5, 5 × 10^k ms (9 s → 250 ms), so
 * tick and bin boundaries fall on round times. At least 1 ms.
 */
export function chooseInterval(duration: number, targetPoints = 40): number {
  const want = duration / targetPoints;
  for (let decade = NS_PER_MS; ; decade *= 10) {
    for (const m of [1, 2, 2.5, 5]) if (m * decade >= want) return m * decade;
  }
}

interface ConnRow {
  director: string;
  service: string;
  dest: string;
  count: number;
}

/** One client host's responses per interval. */
interface ClientBins {
  host: string;
  responses: number[];
  bytes: number[];
}

interface CpuTrack {
  host: string;
  lastT: number;
  lastBusy: number;
  points: ChartPoint[];
}

/** A response-time interval's sample and, once computed for its current size, its percentiles. */
interface LatencyBin {
  times: number[];
  cachedFor: number;
  cached: number[];
}

export class ChartSeries {
  readonly duration: number;
  readonly interval: number;

  private source: readonly TraceEvent[] | undefined;
  private seen = 0;
  /** Key director\0service\0dest, in first-appearance order. */
  private conns = new Map<string, ConnRow>();
  /** director\0service keys in first-appearance order (metrics' grouping). */
  private services: string[] = [];
  private clients = new Map<string, ClientBins>();
  private latency: LatencyBin[] = [];
  private cpu = new Map<string, CpuTrack>();

  constructor(opts: ChartSeriesOptions) {
    if (!(opts.duration > 0)) throw new RangeError(`duration must be above 0, got ${opts.duration}`);
    this.duration = opts.duration;
    this.interval = opts.interval ?? chooseInterval(opts.duration);
    if (!(this.interval > 0)) throw new RangeError(`interval must be above 0, got ${this.interval}`);
  }

  /**
   * Reads the events of `events` not read yet. A different array, or a shorter one, is a new run (the playback
   * went back and re-simulated): everything is recomputed from its start.
   */
  sync(events: readonly TraceEvent[]): void {
    if (events !== this.source || events.length < this.seen) {
      this.reset();
      this.source = events;
    }
    for (let i = this.seen; i < events.length; i++) this.add(events[i]);
    this.seen = events.length;
  }

  /** How many events have been read (for a caller deciding whether a redraw is due). */
  get eventsRead(): number {
    return this.seen;
  }

  reset(): void {
    this.source = undefined;
    this.seen = 0;
    this.conns = new Map();
    this.services = [];
    this.clients = new Map();
    this.latency = [];
    this.cpu = new Map();
  }

  private add(e: TraceEvent): void {
    if (e.kind === 'ipvs') {
      if (e.event === 'conn' && e.dest !== undefined) this.addConnection(e.host ?? '', e.service ?? '', e.dest);
    } else if (e.kind === 'app') {
      if (e.event === 'response') this.addResponse(e);
    } else if (e.kind === 'cpu' && e.host !== undefined) {
      let track = this.cpu.get(e.host);
      if (!track) this.cpu.set(e.host, (track = { host: e.host, lastT: 0, lastBusy: 0, points: [] }));
      const dt = e.t - track.lastT;
      // Samples are cumulative: the utilisation since the previous sample is Δbusy / Δt (metrics/directorCpu).
      if (dt > 0) track.points.push({ x: e.t, y: Math.min(1, (e.busy - track.lastBusy) / dt) });
      track.lastT = e.t;
      track.lastBusy = e.busy;
    }
  }

  private addConnection(director: string, service: string, dest: string): void {
    const key = `${director}\u0000${service}\u0000${dest}`;
    let row = this.conns.get(key);
    if (!row) {
      this.conns.set(key, (row = { director, service, dest, count: 0 }));
      const sk = `${director}\u0000${service}`;
      if (!this.services.includes(sk)) this.services.push(sk);
    }
    row.count++;
  }

  private addResponse(e: AppEvent): void {
    const bin = Math.floor(e.t / this.interval);
    const host = e.host ?? '';
    let c = this.clients.get(host);
    if (!c) this.clients.set(host, (c = { host, responses: [], bytes: [] }));
    c.responses[bin] = (c.responses[bin] ?? 0) + 1;
    c.bytes[bin] = (c.bytes[bin] ?? 0) + (e.bytes ?? 0);
    const t = responseTimeOf(e);
    if (t !== undefined) (this.latency[bin] ??= { times: [], cachedFor: -1, cached: [] }).times.push(t);
  }

  /**
   * The intervals `now` has covered: every complete one, and the last, shorter one once the run reached its
   * duration. An interval still filling is left out, so a rate never dips because its interval is half over.
   */
  private bins(now: number): Array<{ index: number; from: number; length: number }> {
    const out: Array<{ index: number; from: number; length: number }> = [];
    const complete = Math.floor(Math.min(now, this.duration) / this.interval);
    for (let i = 0; i < complete; i++) out.push({ index: i, from: i * this.interval, length: this.interval });
    const from = complete * this.interval;
    if (now >= this.duration && from < this.duration) out.push({ index: complete, from, length: this.duration - from });
    return out;
  }

  /** New connections each director scheduled to each real server so far, grouped by director and service. */
  connections(): BarChartData {
    const groups = this.services.map((sk) => groupName(...(sk.split('\u0000') as [string, string])));
    const bars: BarDatum[] = [];
    for (const sk of this.services) {
      for (const row of this.conns.values()) {
        if (`${row.director}\u0000${row.service}` !== sk) continue;
        bars.push({ id: `${row.director} ${row.service} ${row.dest}`, label: row.dest, value: row.count, group: groupName(row.director, row.service) });
      }
    }
    return { title: 'Connections per real server', valueLabel: 'connections scheduled', unit: 'count', groups, bars };
  }

  /** Responses (or body bytes) per second received by each client host, per interval, up to `now`. */
  throughput(now: number, measure: 'responses' | 'bytes' = 'responses'): LineChartData {
    const bins = this.bins(now);
    const series: ChartSeriesData[] = [];
    for (const c of this.clients.values()) {
      const counts = measure === 'responses' ? c.responses : c.bytes;
      series.push({
        id: c.host,
        label: c.host,
        points: bins.map((b) => ({ x: b.from + b.length / 2, y: ((counts[b.index] ?? 0) * NS_PER_S) / b.length })),
      });
    }
    return {
      title: measure === 'responses' ? 'Throughput' : 'Throughput (bytes)',
      xLabel: 'simulated time',
      yLabel: measure === 'responses' ? 'responses per second' : 'bytes per second',
      unit: measure === 'responses' ? 'perSecond' : 'bytesPerSecond',
      xMax: this.duration,
      series,
    };
  }

  /**
   * Response-time percentiles of the responses completed in each interval, in ms; intervals without a response
   * have no point (there is no response time to show, and zero would be a lie).
   */
  responseTime(now: number): LineChartData {
    const series: ChartSeriesData[] = LATENCY_PERCENTILES.map((p) => ({ id: `p${p}`, label: `p${p}`, points: [] }));
    for (const b of this.bins(now)) {
      const bin = this.latency[b.index];
      if (bin === undefined || bin.times.length === 0) continue;
      if (bin.cachedFor !== bin.times.length) {
        const sorted = [...bin.times].sort((x, y) => x - y);
        bin.cached = LATENCY_PERCENTILES.map((p) => percentile(sorted, p)!);
        bin.cachedFor = bin.times.length;
      }
      const x = b.from + b.length / 2;
      bin.cached.forEach((v, i) => series[i].points.push({ x, y: v / NS_PER_MS }));
    }
    return { title: 'Response time', xLabel: 'simulated time', yLabel: 'response time (ms)', unit: 'ms', xMax: this.duration, series: series.some((s) => s.points.length > 0) ? series : [] };
  }

  /** Each director's IPVS CPU utilisation (0..1) between consecutive `cpu` samples, at the sample times. */
  cpuUtilisation(now: number): LineChartData {
    const series: ChartSeriesData[] = [];
    for (const t of this.cpu.values()) series.push({ id: t.host, label: t.host, points: t.points.filter((p) => p.x <= now) });
    return { title: 'Director CPU', xLabel: 'simulated time', yLabel: 'IPVS CPU utilisation', unit: 'percent', xMax: this.duration, yMax: 1, series };
  }
}

function groupName(director: string, service: string): string {
  return service === '' ? director : `${director} · ${service}`;
}
