import type { TraceEvent } from '../../trace/index.ts';
import { BarChart } from './BarChart.ts';
import { LineChart } from './LineChart.ts';
import { ChartSeries, type ChartSeriesOptions } from './series.ts';

/**
 * The live charts panel: connections per real server, throughput, response time and director CPU, one
 * <figure> each with a text caption, fed from the trace as it grows. `update` reads only the new events and
 * redraws only when something it shows changed (new events, or the clock entering a new interval), so the page
 * may call it on every animation frame; it never touches the Lab, so it cannot change the trace.
 */
export class ChartsPanel {
  readonly element: HTMLElement;
  readonly series: ChartSeries;
  private readonly connections: BarChart;
  private readonly throughput: LineChart;
  private readonly latency: LineChart;
  private readonly cpu: LineChart;
  private drawnEvents = -1;
  private drawnBins = -1;
  private drawnSource: readonly TraceEvent[] | undefined;

  constructor(opts: ChartSeriesOptions, doc: Document = document) {
    this.series = new ChartSeries(opts);
    this.element = doc.createElement('section');
    this.element.className = 'lvs-charts';
    this.element.setAttribute('aria-label', 'Charts');
    this.connections = new BarChart(doc);
    this.throughput = new LineChart(doc);
    this.latency = new LineChart(doc);
    this.cpu = new LineChart(doc);
    const figure = (name: string, caption: string, svg: SVGSVGElement) => {
      const f = doc.createElement('figure');
      f.className = `lvs-chart-figure lvs-chart-${name}`;
      const c = doc.createElement('figcaption');
      c.textContent = caption;
      f.append(c, svg);
      return f;
    };
    this.element.append(
      figure('connections', 'Connections per real server', this.connections.element),
      figure('throughput', 'Throughput (responses per second, per client host)', this.throughput.element),
      figure('latency', 'Response time (p50, p95, p99)', this.latency.element),
      figure('cpu', 'Director CPU utilisation (IPVS)', this.cpu.element),
    );
  }

  /** `events`: the Lab's event list (the same array as it grows; a new array after a restart); `now`: lab.now(). */
  update(events: readonly TraceEvent[], now: number): void {
    this.series.sync(events);
    const bins = Math.floor(Math.min(now, this.series.duration) / this.series.interval) + (now >= this.series.duration ? 1 : 0);
    if (events === this.drawnSource && this.series.eventsRead === this.drawnEvents && bins === this.drawnBins) return;
    this.drawnSource = events;
    this.drawnEvents = this.series.eventsRead;
    this.drawnBins = bins;
    this.connections.update(this.series.connections());
    this.throughput.update(this.series.throughput(now));
    this.latency.update(this.series.responseTime(now));
    this.cpu.update(this.series.cpuUtilisation(now));
  }

  destroy(): void {
    this.element.remove();
    this.series.reset();
  }
}
