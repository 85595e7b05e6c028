import { formatDuration, formatTimestamp, markupToPlainText, type ExpectationResult, type MarkupNode, type RunSummary, type SimTime } from '../../lab/index.ts';
import type { RunMetrics } from '../../metrics/index.ts';
import { formatMetrics } from './metricsReport.ts';
import { formatTable } from './table.ts';

export interface RunReportInput {
  /** The scenario file as the user named it; expectations are reported as `file:line`. */
  file: string;
  scenario: string;
  seed: number;
  /** Simulated time the run reached. */
  ranTo: SimTime;
  summary: RunSummary;
  expectations: readonly ExpectationResult[];
  /** Narration steps shown during the run, in order (none: the section is left out). */
  narration?: ReadonlyArray<{ t: SimTime; markup: MarkupNode[] }>;
  /** The run's metrics (connections per real server, response times, IPVS CPU); none: left out. */
  metrics?: RunMetrics;
}

/**
 * What `lvs-lab run` prints: the totals, drops by reason, a per-host table, then every expectation with what
 * was expected, what happened and where in the file it is written. Everything comes from the trace (through
 * `lab.summary()` and `lab.expectations()`), never from the model's objects.
 */
export function formatRunReport(r: RunReportInput): string {
  const s = r.summary;
  const dropped = s.drops.reduce((n, d) => n + d.count, 0);
  let out = `${r.scenario} (seed ${r.seed}, simulated ${formatDuration(r.ranTo)}, ${s.events} trace events)\n`;
  out += `frames: ${s.framesSent} sent, ${s.framesReceived} delivered, ${dropped} dropped\n`;
  if (s.drops.length > 0) {
    out += '\ndropped by reason:\n';
    out += formatTable([{ header: 'reason' }, { header: 'count', align: 'right' }], s.drops.map((d) => [d.reason, d.count]), '  ');
  }
  out += '\nper host:\n';
  out += formatTable(
    [{ header: 'host' }, { header: 'tx', align: 'right' }, { header: 'rx', align: 'right' }, { header: 'dropped', align: 'right' }],
    s.hosts.map((h) => [h.host, h.tx, h.rx, h.dropped]),
    '  ',
  );
  if (r.metrics !== undefined) out += formatMetrics(r.metrics);
  if (r.narration !== undefined && r.narration.length > 0) {
    out += '\nnarration:\n';
    for (const n of r.narration) out += `  ${formatTimestamp(n.t)}  ${markupToPlainText(n.markup).replace(/\s*\n\s*/g, ' ')}\n`;
  }
  out += '\n' + formatExpectations(r.file, r.expectations);
  return out;
}

export function formatExpectations(file: string, results: readonly ExpectationResult[]): string {
  if (results.length === 0) return 'expectations: none\n';
  const failed = results.filter((e) => !e.pass).length;
  let out = `expectations: ${results.length - failed} passed, ${failed} failed\n`;
  for (const e of results) {
    out += `  ${e.pass ? 'PASS' : 'FAIL'}  ${file}:${e.line}${e.goal ? '  (exercise goal)' : ''}\n`;
    out += `        expected: ${e.expected}\n`;
    out += `        actual:   ${e.actual}\n`;
  }
  return out;
}
