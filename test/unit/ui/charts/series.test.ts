import { beforeAll, describe, expect, it } from 'vitest';
import { connectionsPerDestination, directorCpu, percentile, throughput } from '../../../../src/metrics/index.ts';
import type { TraceEvent } from '../../../../src/trace/index.ts';
import { ChartSeries, chooseInterval, type LineChartData } from '../../../../src/ui/charts/series.ts';
import { runScenario } from '../lessonTraces.ts';

const S = 1e9;
const MS = 1e6;

/** The NAT-bottleneck lesson, run once to its end with the real core. */
let events: readonly TraceEvent[];
let duration: number;
beforeAll(() => {
  const run = runScenario('lessons/nat-bottleneck');
  events = run.events;
  duration = run.lab.duration;
});

function seriesOf(data: LineChartData, id: string) {
  const s = data.series.find((x) => x.id === id);
  if (!s) throw new Error(`no series ${id} in ${data.title}`);
  return s;
}

/** Mean of a series' values whose x lies in [from, to) (ns). */
function meanIn(points: ReadonlyArray<{ x: number; y: number }>, from: number, to: number): number {
  const ys = points.filter((p) => p.x >= from && p.x < to).map((p) => p.y);
  expect(ys.length).toBeGreaterThan(0);
  return ys.reduce((a, b) => a + b, 0) / ys.length;
}

/** Phase k (k real servers) measures from 1.5(k-1)+0.5 s to 1.5k s; skip its first 250 ms (the ramp). */
const phase = (k: number): [number, number] => [(1.5 * (k - 1) + 0.75) * S, 1.5 * k * S];

describe('the NAT-bottleneck lesson shows its knee in the chart data', () => {
  it('throughput grows with every server under DR but levels off under NAT from the fourth', () => {
    const series = new ChartSeries({ duration });
    series.sync(events);
    const tp = series.throughput(duration);
    const nat = [1, 2, 3, 4, 5, 6].map((k) => meanIn(seriesOf(tp, 'natclient').points, ...phase(k)));
    const dr = [1, 2, 3, 4, 5, 6].map((k) => meanIn(seriesOf(tp, 'drclient').points, ...phase(k)));
    // Up to three servers both sides grow by about 25 responses a second per server.
    for (const side of [nat, dr]) {
      expect(side[0]).toBeGreaterThan(20);
      expect(side[0]).toBeLessThan(30);
      expect(side[1]).toBeGreaterThan(side[0] * 1.7);
      expect(side[2]).toBeGreaterThan(side[1] * 1.3);
    }
    // DR keeps growing: every phase above the previous one, six servers at about 150 a second.
    for (let k = 1; k < 6; k++) expect(dr[k]).toBeGreaterThan(dr[k - 1] * 1.12);
    expect(dr[5]).toBeGreaterThan(130);
    // NAT levels off at its director's 2000 / 22 ≈ 91 a second: phases 4, 5 and 6 within 10 % of each other.
    const plateau = nat.slice(3);
    expect(Math.max(...plateau) / Math.min(...plateau)).toBeLessThan(1.1);
    for (const v of plateau) {
      expect(v).toBeGreaterThan(80);
      expect(v).toBeLessThan(100);
    }
    expect(nat[5]).toBeLessThan(dr[5] * 0.7);
  });

  it('the NAT director CPU is saturated on the plateau while the DR director is not', () => {
    const series = new ChartSeries({ duration });
    series.sync(events);
    const cpu = series.cpuUtilisation(duration);
    expect(cpu.series.map((s) => s.id)).toEqual(['nat', 'dr']);
    expect(cpu.yMax).toBe(1);
    for (const k of [4, 5, 6]) {
      expect(meanIn(seriesOf(cpu, 'nat').points, ...phase(k))).toBeGreaterThan(0.95);
      expect(meanIn(seriesOf(cpu, 'dr').points, ...phase(k))).toBeLessThan(0.9);
    }
    expect(meanIn(seriesOf(cpu, 'nat').points, ...phase(1))).toBeLessThan(0.5);
  });
});

describe('ChartSeries agrees with src/metrics over a finished trace', () => {
  it('connections per real server are metrics.connectionsPerDestination, grouped the same way', () => {
    const series = new ChartSeries({ duration });
    series.sync(events);
    const bars = series.connections();
    const expected = connectionsPerDestination(events);
    expect(bars.bars.map((b) => [b.label, b.value])).toEqual(expected.map((d) => [d.dest, d.connections]));
    expect(bars.groups).toEqual(['nat · TCP 10.1.0.100:80', 'dr · TCP 192.168.2.110:80']);
    expect(bars.bars.every((b, i) => b.group === `${expected[i].director} · ${expected[i].service}`)).toBe(true);
  });

  it('throughput per client host is metrics.throughput per interval, as a rate', () => {
    const interval = 500 * MS;
    const series = new ChartSeries({ duration, interval });
    series.sync(events);
    const tp = series.throughput(duration);
    for (const host of ['natclient', 'drclient']) {
      const bins = throughput(events, interval, duration, (e) => e.host === host);
      const points = seriesOf(tp, host).points;
      expect(points.length).toBe(bins.length);
      points.forEach((p, i) => {
        expect(p.x).toBe(bins[i].from + interval / 2);
        expect(p.y).toBeCloseTo((bins[i].responses * S) / interval, 9);
      });
    }
    const bytes = series.throughput(duration, 'bytes');
    expect(seriesOf(bytes, 'natclient').points[4].y).toBeCloseTo((throughput(events, interval, duration, (e) => e.host === 'natclient')[4].bytes * S) / interval, 6);
  });

  it('the CPU series peaks where metrics.directorCpu says', () => {
    const series = new ChartSeries({ duration });
    series.sync(events);
    const cpu = series.cpuUtilisation(duration);
    for (const u of directorCpu(events, duration)) {
      expect(Math.max(...seriesOf(cpu, u.host).points.map((p) => p.y))).toBeCloseTo(u.peak, 12);
    }
  });

  it('response-time percentiles of an interval are the nearest-rank percentiles of its responses', () => {
    const interval = 400 * MS;
    const series = new ChartSeries({ duration, interval });
    series.sync(events);
    const rt = series.responseTime(duration);
    expect(rt.series.map((s) => s.id)).toEqual(['p50', 'p95', 'p99']);
    const inBin = (i: number) =>
      events
        .filter((e): e is Extract<TraceEvent, { kind: 'app' }> => e.kind === 'app' && e.event === 'response' && Math.floor(e.t / interval) === i)
        .map((e) => e.latency!)
        .sort((a, b) => a - b);
    const p95 = seriesOf(rt, 'p95').points;
    // Interval 0 has no response (the workloads start at 0.5 s): no point, not a zero.
    expect(inBin(0)).toEqual([]);
    expect(p95[0].x).toBe(0.6 * S);
    expect(p95[0].y).toBe(percentile(inBin(1), 95)! / MS);
    const at = (id: string, i: number) => seriesOf(rt, id).points.find((p) => p.x === i * interval + Math.min(interval, duration - i * interval) / 2)?.y;
    let checked = 0;
    for (let i = 0; i < 23; i++) {
      const sample = inBin(i);
      if (sample.length === 0) {
        expect(at('p50', i)).toBeUndefined();
        continue;
      }
      expect(at('p50', i)).toBe(percentile(sample, 50)! / MS);
      expect(at('p99', i)).toBe(percentile(sample, 99)! / MS);
      checked++;
    }
    expect(checked).toBe(p95.length);
    for (let i = 0; i < p95.length; i++) {
      expect(seriesOf(rt, 'p50').points[i].y).toBeLessThanOrEqual(p95[i].y);
      expect(p95[i].y).toBeLessThanOrEqual(seriesOf(rt, 'p99').points[i].y);
    }
  });
});

describe('ChartSeries is live and incremental', () => {
  it('reading a growing trace in chunks gives what reading it once gives', () => {
    const once = new ChartSeries({ duration });
    once.sync(events);
    const live = new ChartSeries({ duration });
    const growing: TraceEvent[] = [];
    for (let i = 0; i < events.length; i += 7919) {
      growing.push(...events.slice(i, i + 7919));
      live.sync(growing);
      expect(live.eventsRead).toBe(growing.length);
    }
    expect(live.connections()).toEqual(once.connections());
    expect(live.throughput(duration)).toEqual(once.throughput(duration));
    expect(live.responseTime(duration)).toEqual(once.responseTime(duration));
    expect(live.cpuUtilisation(duration)).toEqual(once.cpuUtilisation(duration));
  });

  it('shows only complete intervals before the end, and the last short one at the end', () => {
    const interval = 2 * S; // 9 s: four whole intervals and a 1 s one
    const series = new ChartSeries({ duration, interval });
    const now = 5.3 * S;
    series.sync(events.filter((e) => e.t <= now));
    const mid = seriesOf(series.throughput(now), 'drclient').points;
    expect(mid.map((p) => p.x)).toEqual([1 * S, 3 * S]);
    series.sync(events);
    const end = seriesOf(series.throughput(duration), 'drclient').points;
    expect(end.map((p) => p.x)).toEqual([1 * S, 3 * S, 5 * S, 7 * S, 8.5 * S]);
    const lastCount = events.filter((e) => e.kind === 'app' && e.event === 'response' && e.host === 'drclient' && e.t >= 8 * S).length;
    expect(end[4].y).toBeCloseTo(lastCount, 9); // per second over the 1 s interval
    expect(series.throughput(duration).xMax).toBe(duration);
  });

  it('starts over on a new event list (a re-simulation) and on a shorter one', () => {
    const series = new ChartSeries({ duration });
    series.sync(events);
    const before = series.connections().bars.reduce((a, b) => a + b.value, 0);
    expect(before).toBeGreaterThan(400);
    const prefix = events.filter((e) => e.t < 1 * S);
    series.sync(prefix);
    const after = series.connections().bars.reduce((a, b) => a + b.value, 0);
    expect(after).toBe(prefix.filter((e) => e.kind === 'ipvs' && e.event === 'conn').length);
    const same = prefix.slice(0, 10);
    series.sync(same);
    expect(series.eventsRead).toBe(10);
  });

  it('is empty for a trace without workloads', () => {
    const series = new ChartSeries({ duration: 2 * S });
    series.sync([]);
    expect(series.connections().bars).toEqual([]);
    expect(series.throughput(2 * S).series).toEqual([]);
    expect(series.responseTime(2 * S).series).toEqual([]);
    expect(series.cpuUtilisation(2 * S).series).toEqual([]);
  });
});

describe('chooseInterval', () => {
  it('picks a round interval for about 40 points', () => {
    expect(chooseInterval(9 * S)).toBe(250 * MS);
    expect(chooseInterval(4 * S)).toBe(100 * MS);
    expect(chooseInterval(60 * S)).toBe(2 * S);
    expect(chooseInterval(10 * MS)).toBe(1 * MS);
  });
});
