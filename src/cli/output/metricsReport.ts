import type { RunMetrics } from '../../metrics/index.ts';
import { formatTable } from './table.ts';

/** ns as milliseconds with three decimals (`12.345ms`): response times read best in ms. */
export function formatMs(ns: number | undefined): string {
  return ns === undefined ? '-' : `${(ns / 1e6).toFixed(3)}ms`;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * The run's metrics (src/metrics) as `lvs-lab run` prints them, after the per-host table: connections per real
 * server, the clients' responses with their response-time percentiles overall and per answering server, and
 * each director's IPVS CPU. A section with nothing to show is left out.
 */
export function formatMetrics(m: RunMetrics): string {
  let out = '';
  if (m.destinations.length > 0) {
    out += '\nconnections per real server:\n';
    out += formatTable(
      [{ header: 'director' }, { header: 'service' }, { header: 'real server' }, { header: 'conns', align: 'right' }, { header: 'share', align: 'right' }],
      m.destinations.map((d) => [d.director, d.service, d.dest, d.connections, percent(d.share)]),
      '  ',
    );
  }
  if (m.responses + m.refused + m.errors > 0) {
    const l = m.latency;
    out += `\nresponses: ${m.responses} answered, ${m.refused} refused, ${m.errors} failed; response time p50 ${formatMs(l.p50)}, p90 ${formatMs(l.p90)}, p99 ${formatMs(l.p99)}, max ${formatMs(l.max)}\n`;
    if (m.servers.length > 0) {
      out += formatTable(
        [
          { header: 'server' },
          { header: 'responses', align: 'right' },
          { header: 'bytes', align: 'right' },
          { header: 'refused', align: 'right' },
          { header: 'p50', align: 'right' },
          { header: 'p90', align: 'right' },
          { header: 'p99', align: 'right' },
        ],
        m.servers.map((s) => [s.server, s.responses, s.bytes, s.refused, formatMs(s.latency.p50), formatMs(s.latency.p90), formatMs(s.latency.p99)]),
        '  ',
      );
    }
  }
  if (m.cpu.length > 0) {
    out += '\nIPVS CPU:\n';
    out += formatTable(
      [{ header: 'host' }, { header: 'utilisation', align: 'right' }, { header: 'peak', align: 'right' }, { header: 'packets', align: 'right' }, { header: 'refused', align: 'right' }],
      m.cpu.map((c) => [c.host, percent(c.utilisation), percent(c.peak), c.processed, c.refused]),
      '  ',
    );
  }
  return out;
}
