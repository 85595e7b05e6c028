import { shortNumber } from './svg.ts';
import type { ValueUnit } from './series.ts';

/** A chart value as text in its unit (`92/s`, `45 %`, `120 ms`, `1.2 MB/s`). */
export function formatValue(v: number, unit: ValueUnit): string {
  switch (unit) {
    case 'percent':
      return `${Math.round(v * 100)} %`;
    case 'ms':
      return `${shortNumber(v)} ms`;
    case 'perSecond':
      return `${shortNumber(v)}/s`;
    case 'bytesPerSecond':
      if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))} MB/s`;
      if (v >= 1e3) return `${Number((v / 1e3).toPrecision(3))} kB/s`;
      return `${shortNumber(v)} B/s`;
    case 'count':
      return shortNumber(v);
  }
}

/** A simulated time (ns) as an axis label: seconds when the axis spans a second or more, else milliseconds. */
export function formatTime(ns: number, axisMax: number): string {
  if (axisMax >= 1e9) return `${Number((ns / 1e9).toPrecision(6))} s`;
  return `${Number((ns / 1e6).toPrecision(6))} ms`;
}
