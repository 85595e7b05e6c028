import { describe, expect, it } from 'vitest';
import { formatMetrics } from '../../../src/cli/output/metricsReport.ts';
import { runMetrics } from '../../../src/metrics/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

const ev = (t: number, e: Record<string, unknown>) => ({ t, seq: t, ...e }) as unknown as TraceEvent;

describe('lvs-lab run: the metrics sections', () => {
  it('prints connections per real server, responses with percentiles per server, and the IPVS CPU', () => {
    const events = [
      ev(1, { kind: 'ipvs', host: 'd', event: 'conn', service: 'TCP 10.0.0.100:80', dest: '192.168.1.2:80' }),
      ev(2, { kind: 'ipvs', host: 'd', event: 'conn', service: 'TCP 10.0.0.100:80', dest: '192.168.1.3:80' }),
      ev(3, { kind: 'app', host: 'c', app: 'w', event: 'response', server: 'rs1', bytes: 1000, latency: 2_500_000 }),
      ev(4, { kind: 'app', host: 'c', app: 'w', event: 'error', detail: '#2 timeout' }),
      ev(5, { kind: 'cpu', host: 'd', busy: 250_000_000, processed: 10, refused: 1, queued: 0 }),
    ];
    const text = formatMetrics(runMetrics(events, 1_000_000_000));
    expect(text).toMatch(/^connections per real server:\n {2}director\s+service\s+real server\s+conns\s+share\n {2}d\s+TCP 10\.0\.0\.100:80\s+192\.168\.1\.2:80\s+1\s+50\.0%\n/m);
    expect(text).toContain('responses: 1 answered, 0 refused, 1 failed; response time p50 2.500ms, p90 2.500ms, p99 2.500ms, max 2.500ms\n');
    expect(text).toMatch(/^ {2}rs1\s+1\s+1000\s+0\s+2\.500ms\s+2\.500ms\s+2\.500ms$/m);
    expect(text).toMatch(/^ {2}d\s+25\.0%\s+100\.0%\s+10\s+1$/m);
  });

  it('prints nothing for a run without IPVS or applications', () => {
    expect(formatMetrics(runMetrics([ev(1, { kind: 'drop', host: 'h', reason: 'no-route' })], 10))).toBe('');
  });
});
