import type { SimTime } from '../../sim/index.ts';
import type { Host } from '../../net/index.ts';

/**
 * How a workload's sessions tell the trace what happened: one `app` event per request outcome, on the client
 * host, named after the workload. `response` carries the answering server, the body bytes and the response
 * time as fields (what src/metrics reads); `refused` is a server's explicit refusal (HTTP 503, FTP 421);
 * `error` is everything else (connection refused or reset, no route, timeout). Counters for tests and reports.
 */
export class SessionReport {
  private nextId = 0;
  responses = 0;
  refused = 0;
  errors = 0;
  bytes = 0;
  /** The DNS-like sessions' next UDP port offset (-1 until first drawn). */
  udpPortCursor = -1;

  constructor(
    private readonly host: Host,
    readonly app: string,
  ) {}

  /** A fresh request number (`#n` in event details). */
  id(): number {
    return ++this.nextId;
  }

  response(id: number, server: string, bytes: number, latency: SimTime): void {
    this.responses++;
    this.bytes += bytes;
    const t = this.host.ctx.tracer;
    if (t.enabled) {
      t.emit({ kind: 'app', host: this.host.name, app: this.app, event: 'response', detail: `#${id} from ${server || '?'} ${bytes}B in ${latency}ns`, server, bytes, latency });
    }
  }

  refusal(id: number, server: string, what: string, latency: SimTime): void {
    this.refused++;
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: this.app, event: 'refused', detail: `#${id} ${what} from ${server || '?'}`, server, latency });
  }

  error(id: number, what: string): void {
    this.errors++;
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: this.app, event: 'error', detail: `#${id} ${what}` });
  }
}
