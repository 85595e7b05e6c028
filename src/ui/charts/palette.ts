/**
 * How the charts tell series apart without relying on colour: each style is an Okabe–Ito colour (Okabe & Ito,
 * "Color Universal Design", 2008: distinguishable with the common colour-vision deficiencies) *and* a dash
 * pattern *and* a marker shape, and every series is named in a text legend. Yellow (F0E442) is left out: it
 * vanishes on a white background. Past seven series the colours repeat but the dash/marker pairs do not
 * repeat with them (the marker list is one shorter than the colour list).
 */

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'plus';

export interface SeriesStyle {
  readonly color: string;
  /** An SVG stroke-dasharray; '' is a solid line. */
  readonly dash: string;
  readonly marker: MarkerShape;
}

const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '10 3', '1 3'] as const;
const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus'];

/** The style of the i-th series of a chart (i ≥ 0). */
export function seriesStyle(i: number): SeriesStyle {
  return { color: COLORS[i % COLORS.length], dash: DASHES[i % DASHES.length], marker: MARKERS[i % MARKERS.length] };
}

/** An SVG path for a marker of `shape` centred on (x, y), about 2r across. */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  const f = (n: number) => Number(n.toFixed(2));
  switch (shape) {
    case 'circle':
      return `M${f(x - r)},${f(y)}a${f(r)},${f(r)} 0 1,0 ${f(2 * r)},0a${f(r)},${f(r)} 0 1,0 ${f(-2 * r)},0Z`;
    case 'square':
      return `M${f(x - r)},${f(y - r)}h${f(2 * r)}v${f(2 * r)}h${f(-2 * r)}Z`;
    case 'triangle':
      return `M${f(x)},${f(y - r)}L${f(x + r)},${f(y + r)}L${f(x - r)},${f(y + r)}Z`;
    case 'diamond':
      return `M${f(x)},${f(y - r)}L${f(x + r)},${f(y)}L${f(x)},${f(y + r)}L${f(x - r)},${f(y)}Z`;
    case 'cross':
      return `M${f(x - r)},${f(y - r)}L${f(x + r)},${f(y + r)}M${f(x - r)},${f(y + r)}L${f(x + r)},${f(y - r)}`;
    case 'plus':
      return `M${f(x - r)},${f(y)}H${f(x + r)}M${f(x)},${f(y - r)}V${f(y + r)}`;
  }
}

/** Crosses and pluses are strokes only; the others are filled. */
export function markerIsOpen(shape: MarkerShape): boolean {
  return shape === 'cross' || shape === 'plus';
}
