/**
 * Small, dependency-free SVG charts for the benchmark reports: grouped bars, line charts and a heat map.
 * Every piece of text goes through `escapeXml`, so names from a user's workload file cannot inject markup.
 * Numbers are written with at most 2 decimals, so the same data gives the same bytes.
 */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A colour-blind-safe qualitative palette (Okabe–Ito, then Tol's muted), cycled. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000', '#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#AA4499'];

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

const f = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0');

function svgOpen(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${f(width / 2)}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}

function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function ticks(max: number): number[] {
  return [0, 0.25, 0.5, 0.75, 1].map((k) => k * max);
}

function tickText(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Math.round(v * 1000) / 1000);
}

function legend(out: string[], names: readonly string[], x: number, y: number): void {
  names.forEach((n, i) => {
    const yy = y + i * 14;
    out.push(`<rect x="${f(x)}" y="${f(yy - 8)}" width="10" height="10" fill="${colour(i)}"/>`);
    out.push(`<text x="${f(x + 14)}" y="${f(yy + 1)}">${escapeXml(n)}</text>`);
  });
}

export interface BarGroup {
  label: string;
  /** One value per series; NaN draws nothing. */
  values: number[];
  /** Optional error bars (half-widths), one per series. */
  errors?: number[];
  /** Optional reference marks (e.g. the ideal share), one per series, drawn as a black tick. */
  marks?: number[];
}

/** Grouped vertical bars: one group per label, one bar per series, with optional error bars and marks. */
export function groupedBars(o: { title: string; yLabel: string; series: readonly string[]; groups: readonly BarGroup[]; yMax?: number }): string {
  const left = 56;
  const right = 130;
  const top = 30;
  const bottom = 46;
  const barW = Math.max(3, Math.min(14, 200 / Math.max(1, o.series.length)));
  const groupW = o.series.length * barW + 12;
  const width = left + right + Math.max(200, o.groups.length * groupW);
  const height = 300;
  const plotH = height - top - bottom;
  let max = o.yMax ?? 0;
  if (o.yMax === undefined) for (const g of o.groups) g.values.forEach((v, i) => (max = Math.max(max, (Number.isFinite(v) ? v : 0) + (g.errors?.[i] ?? 0) || 0, g.marks?.[i] ?? 0)));
  max = niceMax(max);
  const y = (v: number) => top + plotH - (Math.max(0, Math.min(v, max)) / max) * plotH;
  const out = svgOpen(width, height, o.title);
  axes(out, left, top, width - right, plotH, max, o.yLabel);
  o.groups.forEach((g, gi) => {
    const x0 = left + 6 + gi * groupW;
    g.values.forEach((v, si) => {
      if (!Number.isFinite(v)) return;
      const x = x0 + si * barW;
      out.push(`<rect x="${f(x)}" y="${f(y(v))}" width="${f(barW - 1)}" height="${f(top + plotH - y(v))}" fill="${colour(si)}"><title>${escapeXml(`${g.label} ${o.series[si]}: ${tickText(v)}`)}</title></rect>`);
      const e = g.errors?.[si];
      if (e !== undefined && Number.isFinite(e) && e > 0) {
        const cx = x + (barW - 1) / 2;
        out.push(`<line x1="${f(cx)}" x2="${f(cx)}" y1="${f(y(v + e))}" y2="${f(y(v - e))}" stroke="#333" stroke-width="1"/>`);
      }
      const m = g.marks?.[si];
      if (m !== undefined && Number.isFinite(m)) out.push(`<line x1="${f(x - 1)}" x2="${f(x + barW)}" y1="${f(y(m))}" y2="${f(y(m))}" stroke="#000" stroke-width="2"/>`);
    });
    out.push(`<text x="${f(x0 + (groupW - 12) / 2)}" y="${f(top + plotH + 14)}" text-anchor="middle">${escapeXml(g.label)}</text>`);
  });
  legend(out, o.series, width - right + 10, top + 10);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function axes(out: string[], left: number, top: number, rightX: number, plotH: number, max: number, yLabel: string, xLabel?: string, xTicks?: Array<[number, string]>): void {
  for (const t of ticks(max)) {
    const yy = top + plotH - (t / max) * plotH;
    out.push(`<line x1="${left}" x2="${f(rightX)}" y1="${f(yy)}" y2="${f(yy)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 4}" y="${f(yy + 4)}" text-anchor="end">${escapeXml(tickText(t))}</text>`);
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${f(top + plotH)}" stroke="#333"/>`);
  out.push(`<line x1="${left}" x2="${f(rightX)}" y1="${f(top + plotH)}" y2="${f(top + plotH)}" stroke="#333"/>`);
  out.push(`<text transform="translate(14 ${f(top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  if (xLabel !== undefined) out.push(`<text x="${f((left + rightX) / 2)}" y="${f(top + plotH + 32)}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  for (const [x, label] of xTicks ?? []) out.push(`<text x="${f(x)}" y="${f(top + plotH + 14)}" text-anchor="middle">${escapeXml(label)}</text>`);
}

export interface Line {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** A line chart (x and y linear from 0), e.g. response-time CDFs: x = time, y = fraction. */
export function lineChart(o: { title: string; xLabel: string; yLabel: string; lines: readonly Line[]; yMax?: number; xMax?: number }): string {
  const left = 56;
  const right = 130;
  const top = 30;
  const bottom = 46;
  const width = 640;
  const height = 320;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  let xm = 0;
  let ym = 0;
  for (const l of o.lines) for (const [x, y] of l.points) if (Number.isFinite(x) && Number.isFinite(y)) ((xm = Math.max(xm, x)), (ym = Math.max(ym, y)));
  const xMax = niceMax(o.xMax ?? xm);
  const yMax = o.yMax ?? niceMax(ym);
  const X = (x: number) => left + (Math.max(0, Math.min(x, xMax)) / xMax) * plotW;
  const Y = (y: number) => top + plotH - (Math.max(0, Math.min(y, yMax)) / yMax) * plotH;
  const out = svgOpen(width, height, o.title);
  axes(out, left, top, left + plotW, plotH, yMax, o.yLabel, o.xLabel, ticks(xMax).map((t) => [X(t), tickText(t)]));
  o.lines.forEach((l, i) => {
    const pts = l.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) return;
    out.push(`<polyline fill="none" stroke="${colour(i)}" stroke-width="1.5" points="${pts.map(([x, y]) => `${f(X(x))},${f(Y(y))}`).join(' ')}"><title>${escapeXml(l.name)}</title></polyline>`);
  });
  legend(
    out,
    o.lines.map((l) => l.name),
    width - right + 10,
    top + 10,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A heat map of values in [lo, hi] (rows × columns) with each cell's value written in it; NaN cells are grey. */
export function heatMap(o: { title: string; rows: readonly string[]; columns: readonly string[]; values: readonly (readonly number[])[]; lo: number; hi: number; digits?: number }): string {
  const cellW = 78;
  const cellH = 20;
  const left = 60;
  const top = 100;
  const width = Math.max(left + o.columns.length * cellW + 20, 40 + o.title.length * 7.5);
  const height = top + o.rows.length * cellH + 20;
  const out = svgOpen(width, height, o.title);
  o.columns.forEach((c, j) => {
    const x = left + j * cellW + cellW / 2;
    out.push(`<text transform="translate(${f(x)} ${top - 6}) rotate(-35)" text-anchor="start">${escapeXml(c)}</text>`);
  });
  o.rows.forEach((r, i) => {
    const y = top + i * cellH;
    out.push(`<text x="${left - 6}" y="${f(y + 14)}" text-anchor="end">${escapeXml(r)}</text>`);
    o.columns.forEach((_, j) => {
      const v = o.values[i]?.[j] ?? NaN;
      const x = left + j * cellW;
      const fill = Number.isFinite(v) ? ramp((v - o.lo) / (o.hi - o.lo)) : '#cccccc';
      out.push(`<rect x="${f(x)}" y="${f(y)}" width="${cellW - 1}" height="${cellH - 1}" fill="${fill}"/>`);
      const text = Number.isFinite(v) ? v.toFixed(o.digits ?? 3) : '—';
      const dark = Number.isFinite(v) && (v - o.lo) / (o.hi - o.lo) < 0.45;
      out.push(`<text x="${f(x + cellW / 2)}" y="${f(y + 14)}" text-anchor="middle" fill="${dark ? '#ffffff' : '#000000'}">${escapeXml(text)}</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A sequential ramp from dark blue (0) to pale yellow (1) (viridis-like, readable in grey). */
function ramp(u: number): string {
  const stops: Array<[number, number, number]> = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.max(0, Math.min(1, Number.isFinite(u) ? u : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const t = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
