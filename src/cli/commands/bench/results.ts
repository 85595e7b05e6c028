import { CDF_POINTS, summarizeFairness, type FairnessSummary, type MeanCi, type RunFairness } from '../../../metrics/index.ts';
import { escapeXml, groupedBars, heatMap, lineChart } from '../../output/plotSvg.ts';
import type { Shard, SweepPlan } from './sweep.ts';

/**
 * The files a sweep writes, all functions of the plan and the rows alone (no dates, no wall times, no host
 * names), so a merged set of slices produces the same bytes as one unsharded run:
 * runs.csv, runs.json, summary.csv, summary.md, jain.svg, share-WORKLOAD.svg, latency-WORKLOAD.svg,
 * disruption.svg (when a workload adds or removes a server) and report.html.
 */

export interface RunsFile {
  format: 'lvs-lab-fairness-runs';
  version: 1;
  plan: SweepPlan;
  /** The slice these runs are; null for a complete sweep (unsharded or merged). */
  shard: Shard | null;
  /** Each row with its index in the plan's canonical order. */
  runs: Array<{ index: number; row: RunFairness }>;
}

/** Six significant digits, no exponent for ordinary magnitudes; empty for NaN or missing. */
export function num(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

function maxServers(rows: readonly RunFairness[]): number {
  return rows.reduce((m, r) => Math.max(m, r.servers.length), 0);
}

export function runsCsv(rows: readonly RunFairness[]): string {
  const n = maxServers(rows);
  const idx = Array.from({ length: n }, (_, i) => i + 1);
  const head = ['scheduler', 'workload', 'seed', 'connections', 'responses', 'max_mean', 'cov', 'jain', 'jain_weighted', 'jain_work', 'p50_ms', 'p95_ms', 'p99_ms', 'refused', 'errors', 'drops', 'unscheduled', 'moved', 'necessary'];
  head.push(...idx.map((i) => `conn_share_${i}`), ...idx.map((i) => `work_share_${i}`), ...idx.map((i) => `ideal_share_${i}`));
  const body = rows.map((r) => {
    const per = (xs: readonly number[]) => idx.map((i) => num(xs[i - 1]));
    return [r.scheduler, r.workload, String(r.seed), num(r.connections), num(r.responses), num(r.maxMean), num(r.cov), num(r.jain), num(r.jainWeighted), num(r.jainWork), num(r.p50), num(r.p95), num(r.p99), num(r.refused), num(r.errors), num(r.drops), num(r.unscheduled), num(r.disruption?.moved), num(r.disruption?.necessary), ...per(r.connShare), ...per(r.workShare), ...per(r.ideal)];
  });
  return csv([head, ...body]);
}

/** Summaries per (workload, scheduler) cell in plan order, over the rows present. */
export function summaries(plan: SweepPlan, rows: readonly RunFairness[]): FairnessSummary[] {
  const out: FairnessSummary[] = [];
  for (const w of plan.workloads) {
    for (const s of plan.schedulers) {
      const cell = rows.filter((r) => r.workload === w.name && r.scheduler === s);
      if (cell.length > 0) out.push(summarizeFairness(cell));
    }
  }
  return out;
}

const ci = (m: MeanCi | undefined): [string, string] => [num(m?.mean), num(m?.half)];

export function summaryCsv(sums: readonly FairnessSummary[]): string {
  const metrics = ['jain', 'jain_weighted', 'jain_work', 'max_mean', 'cov', 'p50_ms', 'p95_ms', 'p99_ms', 'refused', 'errors', 'drops', 'moved', 'necessary'];
  const head = ['scheduler', 'workload', 'seeds', ...metrics.flatMap((m) => [m, `${m}_ci95`])];
  const body = sums.map((s) => [s.scheduler, s.workload, String(s.seeds), ...[s.jain, s.jainWeighted, s.jainWork, s.maxMean, s.cov, s.p50, s.p95, s.p99, s.refused, s.errors, s.drops, s.moved, s.necessary].flatMap(ci)]);
  return csv([head, ...body]);
}

/** `0.987 ± 0.004` (3 decimals), or the mean alone when there is no interval. */
function pm(m: MeanCi | undefined, digits = 3): string {
  if (m === undefined || !Number.isFinite(m.mean)) return '—';
  return Number.isFinite(m.half) ? `${m.mean.toFixed(digits)} ± ${m.half.toFixed(digits)}` : m.mean.toFixed(digits);
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function summaryMd(plan: SweepPlan, sums: readonly FairnessSummary[], shard: Shard | null): string {
  const lines: string[] = [];
  lines.push('# Scheduler fairness sweep', '');
  lines.push(`Schedulers: ${plan.schedulers.join(', ')}. Workloads: ${plan.workloads.map((w) => w.name).join(', ')}. Seeds: ${seedText(plan.seeds)} (${plan.seeds.length}). Sessions start for ${num(plan.seconds)} simulated seconds per run.`);
  if (shard !== null) lines.push('', `**This is slice ${shard.index} of ${shard.count}** (\`--shard ${shard.index}/${shard.count}\`): only its runs are summarised. Join the slices with \`lvs-lab bench merge\`.`);
  lines.push('', 'Means over seeds ± the half-width of the 95 % confidence interval (Student t). *Jain (w)* is Jain\'s index of each server\'s connection share over its weight-ideal share (1 = exactly weight-proportional); *max/mean* and *CoV* are over the same ratios; response times in ms; *moved* is the fraction of flows (a client and the destination it sent to) that changed server across the add/remove event, *needed* the fraction that had to.', '');
  lines.push('| workload | scheduler | Jain | Jain (w) | Jain work (w) | max/mean | CoV | p50 | p95 | p99 | refused | errors | drops | moved | needed |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of sums) {
    lines.push(`| ${mdCell(s.workload)} | ${mdCell(s.scheduler)} | ${pm(s.jain)} | ${pm(s.jainWeighted)} | ${pm(s.jainWork)} | ${pm(s.maxMean)} | ${pm(s.cov)} | ${pm(s.p50, 1)} | ${pm(s.p95, 1)} | ${pm(s.p99, 1)} | ${pm(s.refused, 1)} | ${pm(s.errors, 1)} | ${pm(s.drops, 1)} | ${pm(s.moved)} | ${pm(s.necessary)} |`);
  }
  lines.push('', '## Workloads', '');
  for (const w of plan.workloads) lines.push(`- **${mdCell(w.name)}**: ${mdCell(w.description)}`);
  return `${lines.join('\n')}\n`;
}

function seedText(seeds: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < seeds.length) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j] + 1) j++;
    parts.push(j > i ? `${seeds[i]}-${seeds[j]}` : String(seeds[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** File-name-safe form of a workload name (names are already [a-z0-9-]; kept defensive). */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9-]/g, '_');
}

export interface Plot {
  file: string;
  caption: string;
  svg: string;
}

export function plots(plan: SweepPlan, sums: readonly FairnessSummary[]): Plot[] {
  const out: Plot[] = [];
  const cell = (w: string, s: string) => sums.find((x) => x.workload === w && x.scheduler === s);
  const schedulers = plan.schedulers;
  const jainValues = schedulers.map((s) => plan.workloads.map((w) => cell(w.name, s)?.jainWeighted.mean ?? NaN));
  // The colour scale starts at the lowest value rounded down to a tenth (at most 0.9), so near-1 values differ.
  const jainLo = Math.min(0.9, Math.floor(Math.min(1, ...jainValues.flat().filter((x) => Number.isFinite(x))) * 10) / 10);
  out.push({
    file: 'jain.svg',
    caption: `Weighted Jain index (connection share over weight-ideal share), mean over seeds, by scheduler and workload; colours from ${jainLo.toFixed(1)} (dark) to 1 (light)`,
    svg: heatMap({
      title: 'Jain index (weighted) by scheduler and workload',
      rows: schedulers,
      columns: plan.workloads.map((w) => w.name),
      values: jainValues,
      lo: jainLo,
      hi: 1,
    }),
  });
  for (const w of plan.workloads) {
    const present = schedulers.filter((s) => cell(w.name, s) !== undefined);
    if (present.length === 0) continue;
    const servers = cell(w.name, present[0])!.servers;
    out.push({
      file: `share-${fileSafe(w.name)}.svg`,
      caption: `${w.name}: each real server's share of the connections per scheduler (bars, 95 % CI), with its weight-ideal share (black tick)`,
      svg: groupedBars({
        title: `${w.name}: connection share per real server`,
        yLabel: 'share of connections',
        series: servers,
        groups: present.map((s) => {
          const c = cell(w.name, s)!;
          return { label: s, values: c.connShare.map((m) => m.mean), errors: c.connShare.map((m) => m.half), marks: c.ideal };
        }),
      }),
    });
    out.push({
      file: `latency-${fileSafe(w.name)}.svg`,
      caption: `${w.name}: response-time CDF per scheduler (each percentile averaged over seeds)`,
      svg: lineChart({
        title: `${w.name}: response time CDF`,
        xLabel: 'response time (ms)',
        yLabel: 'fraction of responses',
        yMax: 1,
        xMax: Math.max(1, ...present.map((s) => cell(w.name, s)!.cdf[CDF_POINTS.indexOf(99)]).filter((x) => Number.isFinite(x))),
        lines: present.map((s) => ({ name: s, points: cell(w.name, s)!.cdf.map((ms, i) => [ms, CDF_POINTS[i] / 100] as const) })),
      }),
    });
  }
  const changing = plan.workloads.filter((w) => w.events.some((e) => e.kind !== 'slow'));
  if (changing.length > 0) {
    out.push({
      file: 'disruption.svg',
      caption: 'Fraction of flows (client and destination) that changed real server across the add/remove event (bars, 95 % CI); the black tick is the fraction that had to',
      svg: groupedBars({
        title: 'Flow disruption when a real server is added or removed',
        yLabel: 'fraction of flows moved',
        series: schedulers,
        yMax: 1,
        groups: changing.map((w) => ({
          label: w.name,
          values: schedulers.map((s) => cell(w.name, s)?.moved?.mean ?? NaN),
          errors: schedulers.map((s) => cell(w.name, s)?.moved?.half ?? NaN),
          marks: schedulers.map((s) => cell(w.name, s)?.necessary?.mean ?? NaN),
        })),
      }),
    });
  }
  return out;
}

/** report.html: the summary table and every plot; all text escaped, the plots linked as images. */
export function reportHtml(plan: SweepPlan, sums: readonly FairnessSummary[], figures: readonly Plot[], shard: Shard | null): string {
  const e = escapeXml;
  const rows = sums
    .map((s) => `<tr><td>${e(s.workload)}</td><td>${e(s.scheduler)}</td><td>${e(pm(s.jainWeighted))}</td><td>${e(pm(s.maxMean))}</td><td>${e(pm(s.cov))}</td><td>${e(pm(s.p50, 1))}</td><td>${e(pm(s.p95, 1))}</td><td>${e(pm(s.p99, 1))}</td><td>${e(pm(s.refused, 1))}</td><td>${e(pm(s.drops, 1))}</td><td>${e(pm(s.moved))}</td><td>${e(pm(s.necessary))}</td></tr>`)
    .join('\n');
  const figs = figures.map((p) => `<figure><img src="${e(encodeURIComponent(p.file))}" alt="${e(p.caption)}"><figcaption>${e(p.caption)}</figcaption></figure>`).join('\n');
  const slice = shard !== null ? `<p><strong>${e(`Slice ${shard.index} of ${shard.count}: only its runs are shown. Join the slices with lvs-lab bench merge.`)}</strong></p>` : '';
  const workloads = plan.workloads.map((w) => `<li><strong>${e(w.name)}</strong>: ${e(w.description)}</li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Scheduler fairness sweep</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
td:nth-child(-n+2), th:nth-child(-n+2) { text-align: left; }
figure { display: inline-block; margin: 1em; vertical-align: top; }
figcaption { max-width: 640px; font-size: 13px; }
</style>
</head>
<body>
<h1>Scheduler fairness sweep</h1>
<p>${e(`Schedulers: ${plan.schedulers.join(', ')}. Seeds: ${seedText(plan.seeds)}. Sessions start for ${num(plan.seconds)} simulated seconds per run. Means over seeds ± 95 % confidence half-widths (Student t); response times in ms.`)}</p>
${slice}
<h2>Summary</h2>
<table>
<tr><th>workload</th><th>scheduler</th><th>Jain (w)</th><th>max/mean</th><th>CoV</th><th>p50</th><th>p95</th><th>p99</th><th>refused</th><th>drops</th><th>moved</th><th>needed</th></tr>
${rows}
</table>
<h2>Plots</h2>
${figs}
<h2>Workloads</h2>
<ul>
${workloads}
</ul>
</body>
</html>
`;
}

/** Every output file of a set of rows, by name. */
export function sweepFiles(plan: SweepPlan, shard: Shard | null, indexed: ReadonlyArray<{ index: number; row: RunFairness }>): Map<string, string> {
  const sorted = [...indexed].sort((a, b) => a.index - b.index);
  const rows = sorted.map((r) => r.row);
  const runs: RunsFile = { format: 'lvs-lab-fairness-runs', version: 1, plan, shard, runs: sorted };
  const sums = summaries(plan, rows);
  const figures = plots(plan, sums);
  const files = new Map<string, string>();
  files.set('runs.csv', runsCsv(rows));
  files.set('runs.json', `${JSON.stringify(runs, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  files.set('summary.csv', summaryCsv(sums));
  files.set('summary.md', summaryMd(plan, sums, shard));
  for (const p of figures) files.set(p.file, p.svg);
  files.set('report.html', reportHtml(plan, sums, figures, shard));
  return files;
}
