// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../src/lab/index.ts';
import { BarChart } from '../../../../src/ui/charts/BarChart.ts';
import { ChartsPanel } from '../../../../src/ui/charts/ChartsPanel.ts';
import { LineChart, MAX_MARKERS } from '../../../../src/ui/charts/LineChart.ts';
import { seriesStyle } from '../../../../src/ui/charts/palette.ts';
import type { BarChartData, LineChartData } from '../../../../src/ui/charts/series.ts';
import { svgEl } from '../../../../src/ui/charts/svg.ts';

/** happy-dom replaces the global URL, so the file is found from the working directory (the project root). */
const scenarioText = (name: string) => readFileSync(join(process.cwd(), 'scenarios', `${name}.yaml`), 'utf8');

const S = 1e9;
const HOSTILE = '<img src=x onerror="alert(1)">&amp;';

function line(n: number, m = 2): LineChartData {
  return {
    title: 'Throughput',
    xLabel: 'simulated time',
    yLabel: 'responses per second',
    unit: 'perSecond',
    xMax: 9 * S,
    series: Array.from({ length: m }, (_, k) => ({
      id: `h${k}`,
      label: k === 1 ? HOSTILE : `host${k}`,
      points: Array.from({ length: n }, (_, i) => ({ x: ((i + 0.5) * 9 * S) / n, y: (k + 1) * 10 + i })),
    })),
  };
}

const texts = (root: Element, selector: string) => [...root.querySelectorAll(selector)].map((t) => t.textContent);

/** No element anywhere carries an event-handler attribute, a link or inline style. */
function expectInert(root: Element): void {
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) expect(a.name).not.toMatch(/^(on|style$|href$|xlink:href$)/);
  }
  expect(root.querySelector('img, script, foreignObject, a')).toBeNull();
}

describe('LineChart', () => {
  it('draws one polyline per series with as many points as the series has', () => {
    const chart = new LineChart(document);
    chart.update(line(36, 3));
    const polylines = chart.element.querySelectorAll('g.series polyline');
    expect(polylines.length).toBe(3);
    for (const p of polylines) expect(p.getAttribute('points')!.trim().split(/\s+/).length).toBe(36);
    chart.update(line(5, 1));
    expect(chart.element.querySelectorAll('g.series polyline').length).toBe(1);
    expect(chart.element.querySelector('g.series polyline')!.getAttribute('points')!.split(' ').length).toBe(5);
  });

  it('writes axis tick labels, axis titles and the legend as text', () => {
    const chart = new LineChart(document);
    chart.update(line(10));
    expect(texts(chart.element, 'text.x-tick')).toEqual(['0 s', '2 s', '4 s', '6 s', '8 s']);
    const y = texts(chart.element, 'text.y-tick');
    expect(y[0]).toBe('0/s');
    expect(y.every((t) => /^\d+(\.\d+)?\/s$/.test(t ?? ''))).toBe(true);
    expect(texts(chart.element, 'text.axis-title')).toEqual(['simulated time', 'responses per second']);
    expect(texts(chart.element, 'text.legend-label')).toEqual(['host0', HOSTILE]);
    expect(chart.element.querySelector('title')!.textContent).toBe('Throughput');
    expect(chart.element.querySelector('desc')!.textContent).toContain('host0: 19/s at 8.55 s');
    expect(chart.element.getAttribute('role')).toBe('img');
  });

  it('tells series apart by colour, dash pattern and marker shape, not colour alone', () => {
    const chart = new LineChart(document);
    chart.update(line(10, 4));
    const lines = [...chart.element.querySelectorAll('g.series polyline')];
    const strokes = lines.map((l) => l.getAttribute('stroke'));
    const dashes = lines.map((l) => l.getAttribute('stroke-dasharray'));
    expect(new Set(strokes).size).toBe(4);
    expect(new Set(dashes).size).toBe(4);
    expect(strokes).toEqual([0, 1, 2, 3].map((i) => seriesStyle(i).color));
    const firstMarker = (i: number) => chart.element.querySelectorAll('g.series')[i].querySelector('path.marker')!.getAttribute('d');
    // Same position, different shapes: the path data differ.
    expect(new Set([0, 1, 2, 3].map(firstMarker)).size).toBe(4);
    // Legend entries repeat each series' dash and marker.
    const legendDash = [...chart.element.querySelectorAll('g.legend-item line')].map((l) => l.getAttribute('stroke-dasharray'));
    expect(legendDash).toEqual(dashes);
  });

  it('puts a marker on every point of a short series and thins them on a long one', () => {
    const chart = new LineChart(document);
    chart.update(line(12, 1));
    expect(chart.element.querySelectorAll('g.series path.marker').length).toBe(12);
    chart.update(line(400, 1));
    const n = chart.element.querySelectorAll('g.series path.marker').length;
    expect(n).toBeGreaterThan(MAX_MARKERS / 2);
    expect(n).toBeLessThanOrEqual(MAX_MARKERS + 1);
  });

  it('puts hostile labels in as text and sets no handler, link or style', () => {
    const chart = new LineChart(document);
    chart.update({ ...line(3), title: HOSTILE, yLabel: HOSTILE });
    expectInert(chart.element);
    expect(chart.element.querySelector('title')!.textContent).toBe(HOSTILE);
    expect(texts(chart.element, 'text.legend-label')).toContain(HOSTILE);
  });

  it('says there is no data yet, in text, when no series has a point', () => {
    const chart = new LineChart(document);
    chart.update({ ...line(0), series: [] });
    expect(texts(chart.element, 'text.chart-empty')).toEqual(['No data yet']);
    expect(chart.element.querySelector('desc')!.textContent).toBe('Throughput: no data yet.');
    chart.update(line(2));
    expect(chart.element.querySelector('text.chart-empty')).toBeNull();
  });

  it('shows utilisation on a fixed 0..100 % axis', () => {
    const chart = new LineChart(document);
    chart.update({ title: 'CPU', xLabel: 't', yLabel: 'u', unit: 'percent', xMax: 2 * S, yMax: 1, series: [{ id: 'd', label: 'd', points: [{ x: S, y: 0.2 }] }] });
    const y = texts(chart.element, 'text.y-tick');
    expect(y[0]).toBe('0 %');
    expect(y[y.length - 1]).toBe('100 %');
  });
});

describe('BarChart', () => {
  const data: BarChartData = {
    title: 'Connections per real server',
    valueLabel: 'connections scheduled',
    unit: 'count',
    groups: ['nat · TCP 10.1.0.100:80', 'dr · TCP 192.168.2.110:80'],
    bars: [
      { id: 'a', label: '192.168.1.1:80', value: 155, group: 'nat · TCP 10.1.0.100:80' },
      { id: 'b', label: HOSTILE, value: 119, group: 'nat · TCP 10.1.0.100:80' },
      { id: 'c', label: '192.168.2.1:80', value: 173, group: 'dr · TCP 192.168.2.110:80' },
    ],
  };

  it('draws one bar per datum, with its label and value as text, under its group heading', () => {
    const chart = new BarChart(document);
    chart.update(data);
    expect(chart.element.querySelectorAll('rect.bar').length).toBe(3);
    expect(texts(chart.element, 'text.bar-label')).toEqual(['192.168.1.1:80', HOSTILE, '192.168.2.1:80']);
    expect(texts(chart.element, 'text.bar-value')).toEqual(['155', '119', '173']);
    expect(texts(chart.element, 'text.group-label')).toEqual(data.groups);
    const widths = [...chart.element.querySelectorAll('rect.bar')].map((r) => Number(r.getAttribute('width')));
    expect(widths[2]).toBeGreaterThan(widths[0]);
    expect(widths[0]).toBeGreaterThan(widths[1]);
    // The two groups get different colours; the headings say which is which.
    const fills = [...chart.element.querySelectorAll('rect.bar')].map((r) => r.getAttribute('fill'));
    expect(fills[0]).toBe(fills[1]);
    expect(fills[2]).not.toBe(fills[0]);
    expect(texts(chart.element, 'text.x-tick')[0]).toBe('0');
    expectInert(chart.element);
  });

  it('grows its viewBox with the bars and says when it is empty', () => {
    const chart = new BarChart(document);
    chart.update({ ...data, groups: [], bars: [] });
    const h0 = Number(chart.element.getAttribute('viewBox')!.split(' ')[3]);
    expect(texts(chart.element, 'text.chart-empty')).toEqual(['No data yet']);
    chart.update(data);
    expect(Number(chart.element.getAttribute('viewBox')!.split(' ')[3])).toBeGreaterThan(h0);
  });
});

describe('svgEl', () => {
  it('refuses event handlers, links and inline style', () => {
    for (const name of ['onload', 'onclick', 'href', 'style', 'xlink:href', 'ONLOAD']) expect(() => svgEl(document, 'g', { [name]: 'x' })).toThrow(/refusing/);
  });
});

describe('ChartsPanel over a live run', () => {
  it('fills as the lab runs, redraws only on change, and leaves the trace alone', () => {
    const lab = Lab.fromText(scenarioText('lessons/nat-bottleneck'), { file: 'nat-bottleneck.yaml' });
    const panel = new ChartsPanel({ duration: lab.duration }, document);
    document.body.append(panel.element);
    const figures = panel.element.querySelectorAll('figure');
    expect([...figures].map((f) => f.querySelector('figcaption')!.textContent)).toEqual([
      'Connections per real server',
      'Throughput (responses per second, per client host)',
      'Response time (p50, p95, p99)',
      'Director CPU utilisation (IPVS)',
    ]);
    lab.runUntil(1 * S);
    panel.update(lab.events, lab.now());
    const throughputSvg = figures[1].querySelector('svg')!;
    const title = throughputSvg.querySelector('title');
    const polyPoints = () => [...throughputSvg.querySelectorAll('polyline')].map((p) => p.getAttribute('points')!.split(' ').length);
    expect(polyPoints()).toEqual([4, 4]); // 1 s of 250 ms intervals, two client hosts
    panel.update(lab.events, lab.now());
    expect(throughputSvg.querySelector('title')).toBe(title); // nothing changed: not redrawn
    const digest = lab.digest();
    lab.runUntil(3 * S);
    panel.update(lab.events, lab.now());
    expect(polyPoints()).toEqual([12, 12]);
    expect(figures[0].querySelectorAll('rect.bar').length).toBe(4); // two real servers on each side by 3 s
    expect(figures[3].querySelectorAll('polyline').length).toBe(2);
    // The panel only reads: a fresh run to the same time has the same digest as the one the panel watched.
    const again = Lab.fromText(scenarioText('lessons/nat-bottleneck'), { file: 'nat-bottleneck.yaml' });
    again.runUntil(1 * S);
    expect(again.digest()).toBe(digest);
    panel.destroy();
    expect(panel.element.isConnected).toBe(false);
  });
});
