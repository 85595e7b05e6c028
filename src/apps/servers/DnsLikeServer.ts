import type { Host } from '../../net/index.ts';
import type { Ipv4Address, Payload } from '../../wire/index.ts';
import { dnsAnswer, parseDnsQuery } from '../dnsLikeProtocol.ts';
import { slowdownOf } from '../slowdown.ts';
import { CapacityModel, UNLIMITED, type CapacitySpec } from './CapacityModel.ts';

/**
 * A UDP request/response service (a DNS server, in spirit): each query waits for a worker of the capacity
 * model, then one answer goes back from the address the query was sent to — the VIP on a DR or TUN real
 * server, so the client sees the answer come from where it asked. A query the full queue refuses gets no
 * answer at all (UDP has no refusal: the client times out), and the server traces the refusal.
 */
export class DnsLikeServer {
  private unbind: (() => void) | undefined;
  readonly capacity: CapacityModel;

  constructor(
    private readonly host: Host,
    readonly port: number,
    capacity: CapacitySpec = UNLIMITED,
  ) {
    this.capacity = new CapacityModel(host.ctx.sim, capacity, host.stream(`udp:${port}/service-time`), () => slowdownOf(host));
  }

  get served(): number {
    return this.capacity.served;
  }

  start(): void {
    this.unbind = this.host.sockets.bindUdp({
      addr: 0,
      port: this.port,
      onDatagram: (from, fromPort, to, payload) => this.query(from, fromPort, to, payload),
    });
  }

  stop(): void {
    this.unbind?.();
  }

  private query(from: Ipv4Address, fromPort: number, to: Ipv4Address, payload: Payload): void {
    const q = parseDnsQuery(payload);
    if (q === undefined) return; // not ours: a real server ignores garbage
    const admitted = this.capacity.submit(() => {
      this.host.sockets.sendUdp(from, fromPort, this.port, dnsAnswer(q.id, this.host.name, q.answerBytes), to);
    });
    if (admitted === 'refused') {
      const t = this.host.ctx.tracer;
      if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: `udp:${this.port}`, event: 'refused', detail: `query ${q.id}: every worker busy and ${this.capacity.spec.queue} waiting` });
    }
  }
}
