/**
 * Building SVG with DOM calls only. Every text goes in as textContent; attribute names are checked so that no
 * event handler, link or inline style can be set through here, whatever a caller passes (trace and scenario
 * text reaches these charts as labels and data attributes).
 */

export const SVG_NS = 'http://www.w3.org/2000/svg';

const SAFE_ATTRIBUTE = /^(?!on)(?!style$)(?!href$)[a-z][a-z0-9-]*$/i;

export function svgEl<K extends keyof SVGElementTagNameMap>(doc: Document, tag: K, attrs: Readonly<Record<string, string | number>> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = doc.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (!SAFE_ATTRIBUTE.test(name)) throw new Error(`refusing to set SVG attribute ${JSON.stringify(name)}`);
    el.setAttribute(name, String(value));
  }
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A round step for about `count` ticks over 0..max (1, 2, 2.5, 5 × 10^k). */
export function niceStep(max: number, count: number): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const decade = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * decade >= raw) return m * decade;
  return 10 * decade;
}

/** 0, step, 2·step ... up to the first tick at or above max. */
export function ticks(max: number, count: number): number[] {
  const step = niceStep(max, count);
  const out: number[] = [];
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  for (let i = 0; i <= n; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Trims a number for a tick label: at most 3 significant decimals, no trailing zeros. */
export function shortNumber(v: number): string {
  if (Math.abs(v) >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (Math.abs(v) >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}
