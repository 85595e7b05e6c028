import { formatTime, formatValue } from './format.ts';
import { markerIsOpen, markerPath, seriesStyle } from './palette.ts';
import type { LineChartData } from './series.ts';
import { svgEl, ticks } from './svg.ts';

export interface LineChartSize {
  /** viewBox units; the SVG scales to its container's width. */
  width: number;
  height: number;
}

/** At most this many markers per series: enough to tell series apart, few enough not to hide the line. */
export const MAX_MARKERS = 30;

const MARGIN = { left: 56, right: 14, bottom: 40, legendRow: 18, top: 10 };
/** Rough width of one legend character in viewBox units (11 px sans-serif); only used to wrap the legend. */
const LEGEND_CHAR = 6.5;

/**
 * A line chart drawn as SVG with DOM calls (no chart library, no innerHTML): one polyline per series with its
 * own colour, dash pattern and markers, a text legend, axis tick labels and axis titles as <text>, and a
 * <title>/<desc> pair that gives screen readers the chart's name and its latest values.
 * `update` redraws from scratch: the page calls it a few times a second at most, and a few hundred nodes are
 * cheaper to rebuild than to diff.
 */
export class LineChart {
  readonly element: SVGSVGElement;
  private readonly doc: Document;
  private readonly size: LineChartSize;

  constructor(doc: Document = document, size: LineChartSize = { width: 520, height: 260 }) {
    this.doc = doc;
    this.size = size;
    this.element = svgEl(doc, 'svg', { viewBox: `0 0 ${size.width} ${size.height}`, role: 'img', class: 'lvs-chart lvs-line-chart', preserveAspectRatio: 'xMidYMid meet', 'font-size': 11, 'font-family': 'sans-serif' });
  }

  update(data: LineChartData): void {
    const { doc } = this;
    const { width, height } = this.size;
    const el = (tag: Parameters<typeof svgEl>[1], attrs: Record<string, string | number> = {}, text?: string) => svgEl(doc, tag, attrs, text);
    const nodes: SVGElement[] = [el('title', {}, data.title), el('desc', {}, describe(data))];

    // Legend first: its rows decide where the plot starts.
    const legend = el('g', { class: 'legend' });
    let lx = MARGIN.left;
    let row = 0;
    data.series.forEach((s, i) => {
      const w = 30 + s.label.length * LEGEND_CHAR + 14;
      if (lx + w > width - MARGIN.right && lx > MARGIN.left) {
        lx = MARGIN.left;
        row++;
      }
      const y = MARGIN.top + row * MARGIN.legendRow + 6;
      const st = seriesStyle(i);
      const item = el('g', { class: 'legend-item', 'data-series': s.id });
      item.append(
        el('line', { x1: lx, y1: y, x2: lx + 22, y2: y, stroke: st.color, 'stroke-width': 2, 'stroke-dasharray': st.dash }),
        marker(doc, st.marker, lx + 11, y, st.color),
        el('text', { x: lx + 28, y: y + 4, class: 'legend-label' }, s.label),
      );
      legend.append(item);
      lx += w;
    });
    const rows = data.series.length === 0 ? 0 : row + 1;
    const top = MARGIN.top + rows * MARGIN.legendRow + 8;
    const left = MARGIN.left;
    const plotW = width - left - MARGIN.right;
    const plotH = height - top - MARGIN.bottom;

    const xMax = data.xMax > 0 ? data.xMax : 1;
    let dataMax = 0;
    for (const s of data.series) for (const p of s.points) if (Number.isFinite(p.y)) dataMax = Math.max(dataMax, p.y);
    const yTicks = ticks(data.yMax ?? (dataMax > 0 ? dataMax : 1), 4);
    const yTop = yTicks[yTicks.length - 1];
    const sx = (x: number) => round(left + (Math.min(Math.max(x, 0), xMax) / xMax) * plotW);
    const sy = (y: number) => round(top + plotH - (Math.min(Math.max(y, 0), yTop) / yTop) * plotH);

    const axes = el('g', { class: 'axes' });
    for (const v of yTicks) {
      axes.append(
        el('line', { x1: left, y1: sy(v), x2: left + plotW, y2: sy(v), class: 'grid', stroke: '#dddddd', 'stroke-width': 1 }),
        el('text', { x: left - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'tick-label y-tick' }, formatValue(v, data.unit)),
      );
    }
    for (const v of ticks(xMax, 6).filter((t) => t <= xMax)) {
      axes.append(
        el('line', { x1: sx(v), y1: top + plotH, x2: sx(v), y2: top + plotH + 4, stroke: '#333333' }),
        el('text', { x: sx(v), y: top + plotH + 16, 'text-anchor': 'middle', class: 'tick-label x-tick' }, formatTime(v, xMax)),
      );
    }
    axes.append(
      el('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: '#333333', class: 'x-axis' }),
      el('line', { x1: left, y1: top, x2: left, y2: top + plotH, stroke: '#333333', class: 'y-axis' }),
      el('text', { x: left + plotW / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis-title x-title' }, data.xLabel),
      el('text', { x: 12, y: top + plotH / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${round(top + plotH / 2)})`, class: 'axis-title y-title' }, data.yLabel),
    );

    const plot = el('g', { class: 'plot' });
    data.series.forEach((s, i) => {
      const st = seriesStyle(i);
      const g = el('g', { class: 'series', 'data-series': s.id });
      const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
      g.append(el('polyline', { points: pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' '), fill: 'none', stroke: st.color, 'stroke-width': 2, 'stroke-dasharray': st.dash, 'stroke-linejoin': 'round' }));
      const every = Math.max(1, Math.ceil(pts.length / MAX_MARKERS));
      const markers = el('g', { class: 'markers' });
      pts.forEach((p, k) => {
        if (k % every === 0 || k === pts.length - 1) markers.append(marker(doc, st.marker, sx(p.x), sy(p.y), st.color));
      });
      g.append(markers);
      plot.append(g);
    });

    nodes.push(legend, axes, plot);
    if (!data.series.some((s) => s.points.length > 0)) {
      nodes.push(el('text', { x: left + plotW / 2, y: top + plotH / 2, 'text-anchor': 'middle', class: 'chart-empty' }, 'No data yet'));
    }
    this.element.replaceChildren(...nodes);
  }
}

function marker(doc: Document, shape: Parameters<typeof markerPath>[0], x: number, y: number, color: string): SVGPathElement {
  const open = markerIsOpen(shape);
  return svgEl(doc, 'path', { d: markerPath(shape, x, y, 3.5), class: 'marker', fill: open ? 'none' : color, stroke: color, 'stroke-width': open ? 1.8 : 1 });
}

/** The text alternative: each series' latest value. */
function describe(data: LineChartData): string {
  const parts: string[] = [];
  for (const s of data.series) {
    const last = s.points[s.points.length - 1];
    if (last !== undefined) parts.push(`${s.label}: ${formatValue(last.y, data.unit)} at ${formatTime(last.x, data.xMax)}`);
  }
  return parts.length === 0 ? `${data.title}: no data yet.` : `${data.title} (${data.yLabel}), latest: ${parts.join('; ')}.`;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
