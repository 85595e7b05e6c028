import { formatValue } from './format.ts';
import { seriesStyle } from './palette.ts';
import type { BarChartData } from './series.ts';
import { svgEl, ticks } from './svg.ts';

const ROW = 18;
const LABEL_WIDTH = 140;
const VALUE_ROOM = 48;
const TOP = 8;
const BOTTOM = 40;

/**
 * Horizontal bars, one per datum, under a text heading per group (a director and its service), each bar named
 * by a text label and followed by its value as text: position and words carry the meaning, colour (the
 * group's, from the chart palette) only repeats it. Horizontal so that addresses fit as labels. The viewBox
 * grows with the number of bars; the SVG scales to its container's width.
 */
export class BarChart {
  readonly element: SVGSVGElement;
  private readonly doc: Document;
  private readonly width: number;

  constructor(doc: Document = document, width = 520) {
    this.doc = doc;
    this.width = width;
    this.element = svgEl(doc, 'svg', { viewBox: `0 0 ${width} ${TOP + BOTTOM}`, role: 'img', class: 'lvs-chart lvs-bar-chart', preserveAspectRatio: 'xMidYMin meet', 'font-size': 11, 'font-family': 'sans-serif' });
  }

  update(data: BarChartData): void {
    const el = (tag: Parameters<typeof svgEl>[1], attrs: Record<string, string | number> = {}, text?: string) => svgEl(this.doc, tag, attrs, text);
    const rows = data.groups.length + data.bars.length;
    const height = TOP + Math.max(rows, 1) * ROW + BOTTOM;
    this.element.setAttribute('viewBox', `0 0 ${this.width} ${height}`);
    const plotW = this.width - LABEL_WIDTH - VALUE_ROOM;
    const max = data.bars.reduce((m, b) => Math.max(m, b.value), 0);
    const xTicks = ticks(max > 0 ? max : 1, 4);
    const xTop = xTicks[xTicks.length - 1];
    const sx = (v: number) => LABEL_WIDTH + (Math.max(0, Math.min(v, xTop)) / xTop) * plotW;
    const axisY = TOP + Math.max(rows, 1) * ROW + 2;

    const nodes: SVGElement[] = [el('title', {}, data.title), el('desc', {}, describe(data))];
    const axes = el('g', { class: 'axes' });
    for (const v of xTicks) {
      axes.append(
        el('line', { x1: sx(v), y1: TOP, x2: sx(v), y2: axisY, class: 'grid', stroke: '#dddddd' }),
        el('text', { x: sx(v), y: axisY + 14, 'text-anchor': 'middle', class: 'tick-label x-tick' }, formatValue(v, data.unit)),
      );
    }
    axes.append(
      el('line', { x1: LABEL_WIDTH, y1: axisY, x2: LABEL_WIDTH + plotW, y2: axisY, stroke: '#333333', class: 'x-axis' }),
      el('text', { x: LABEL_WIDTH + plotW / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis-title x-title' }, data.valueLabel),
    );

    const bars = el('g', { class: 'bars' });
    let y = TOP;
    data.groups.forEach((group, gi) => {
      const color = seriesStyle(gi).color;
      bars.append(el('text', { x: 4, y: y + ROW - 5, class: 'group-label', 'font-weight': 'bold' }, group));
      y += ROW;
      for (const b of data.bars) {
        if (b.group !== group) continue;
        const g = el('g', { class: 'bar-row', 'data-bar': b.id });
        const rect = el('rect', { x: LABEL_WIDTH, y: y + 3, width: Math.max(0, sx(b.value) - LABEL_WIDTH), height: ROW - 6, fill: color, class: 'bar' });
        rect.append(el('title', {}, `${group}: ${b.label}: ${formatValue(b.value, data.unit)}`));
        g.append(
          el('text', { x: LABEL_WIDTH - 6, y: y + ROW - 5, 'text-anchor': 'end', class: 'bar-label' }, b.label),
          rect,
          el('text', { x: sx(b.value) + 4, y: y + ROW - 5, class: 'bar-value' }, formatValue(b.value, data.unit)),
        );
        bars.append(g);
        y += ROW;
      }
    });
    nodes.push(axes, bars);
    if (data.bars.length === 0) nodes.push(el('text', { x: this.width / 2, y: TOP + ROW - 5, 'text-anchor': 'middle', class: 'chart-empty' }, 'No data yet'));
    this.element.replaceChildren(...nodes);
  }
}

function describe(data: BarChartData): string {
  if (data.bars.length === 0) return `${data.title}: no data yet.`;
  return `${data.title} (${data.valueLabel}): ${data.bars.map((b) => `${b.group} ${b.label}: ${formatValue(b.value, data.unit)}`).join('; ')}.`;
}
