import type { SimTime } from '../../sim/index.ts';
import type { Host } from '../../net/index.ts';
import { formatIpv4, type Ipv4Address } from '../../wire/index.ts';
import { requestPayload, ResponseReader } from '../httpMessages.ts';

export interface RequestPlan {
  to: Ipv4Address;
  port: number;
  request: number;
  count: number;
  interval: SimTime;
}

/**
 * Opens `count` connections `interval` apart; on each sends one request and reads the response. Every outcome
 * is an `app` trace event: `request` when it starts, `response` (detail: the server's name and the time taken)
 * or `error` (refused, reset, timeout, no route).
 */
export class RequestClient {
  completed = 0;
  failed = 0;

  constructor(
    private readonly host: Host,
    private readonly plan: RequestPlan,
    private readonly name = 'client',
  ) {}

  start(): void {
    for (let i = 0; i < this.plan.count; i++) this.host.ctx.sim.schedule(i * this.plan.interval, () => this.one(i + 1));
  }

  private one(n: number): void {
    const sim = this.host.ctx.sim;
    const t0 = sim.now();
    const target = `${formatIpv4(this.plan.to)}:${this.plan.port}`;
    this.event('request', `#${n} to ${target}`);
    const reader = new ResponseReader();
    let done = false;
    const r = this.host.sockets.connect(this.plan.to, this.plan.port, {
      onEstablished: () => {
        if ('endpoint' in r) r.endpoint.send(requestPayload(this.plan.request));
      },
      onData: (d) => {
        if (done || !reader.push(d)) return;
        done = true;
        this.completed++;
        this.event('response', `#${n} from ${reader.server || '?'} in ${sim.now() - t0}ns`);
      },
      onRemoteClose: () => {
        if ('endpoint' in r) r.endpoint.close();
      },
      onClosed: (reason) => {
        if (!done) {
          done = true;
          this.failed++;
          this.event('error', `#${n} ${reason}`);
        }
      },
    });
    if ('errno' in r) {
      this.failed++;
      this.event('error', `#${n} ${r.errno}`);
    }
  }

  private event(event: string, detail: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: this.name, event, detail });
  }
}
