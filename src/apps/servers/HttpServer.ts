import type { Host, TcpConnection, TcpListener } from '../../net/index.ts';

/** What a listener's accept returns (net/index.ts does not export the callbacks type itself). */
type ConnectionCallbacks = ReturnType<TcpListener['accept']>;
import { formatIpv4, payloadOfLength, textPayload, type Payload } from '../../wire/index.ts';
import { httpResponseHead, parseRequestHead, RequestHeadReader, requestedBytes, type HttpRequestHead } from '../httpProtocol.ts';
import { slowdownOf } from '../slowdown.ts';
import { CapacityModel, UNLIMITED, type CapacitySpec } from './CapacityModel.ts';
import { DEFAULT_CHECK_FILE, type CheckFile } from './CheckFile.ts';

export interface HttpServerOptions {
  /** Body bytes for a request that does not ask for a size (`GET /`). */
  readonly response: number;
  readonly capacity?: CapacitySpec;
  readonly check?: CheckFile;
}

/**
 * A real server's web server on one port: every request waits for a worker of its capacity model, then gets a
 * response naming the host (`Server: rs1`) — the body size it asked for, the check file, or the default size.
 * HTTP/1.0 requests are answered and the connection closed (what the `traffic:` client expects); keep-alive
 * requests leave it open for the next one. A request refused by a full queue gets `503 Service Unavailable`
 * and the connection closes; the refusal is an `app` event on the server.
 */
export class HttpServer {
  private stopListening: (() => void) | undefined;
  readonly capacity: CapacityModel;
  readonly check: CheckFile;

  constructor(
    private readonly host: Host,
    readonly port: number,
    private readonly opts: HttpServerOptions,
  ) {
    this.capacity = new CapacityModel(host.ctx.sim, opts.capacity ?? UNLIMITED, host.stream(`http:${port}/service-time`), () => slowdownOf(host));
    this.check = opts.check ?? DEFAULT_CHECK_FILE;
  }

  get served(): number {
    return this.capacity.served;
  }

  start(): void {
    this.stopListening = this.host.sockets.listen({ addr: 0, port: this.port, accept: (conn) => this.connection(conn) });
  }

  stop(): void {
    this.stopListening?.();
  }

  private connection(conn: TcpConnection): ConnectionCallbacks {
    const reader = new RequestHeadReader();
    const pending: HttpRequestHead[] = [];
    let working = false;
    let closed = false;
    let peerClosed = false;
    const ep = conn.endpoint;
    const close = () => {
      if (closed) return;
      closed = true;
      ep.close();
    };
    const next = (): void => {
      if (working || closed) return;
      const req = pending.shift();
      if (req === undefined) {
        if (peerClosed) close();
        return;
      }
      working = true;
      const admitted = this.capacity.submit(() => {
        working = false;
        if (closed) return;
        this.answer(conn, req);
        if (!req.keepAlive) close();
        else next();
      });
      if (admitted === 'refused') {
        working = false;
        this.event('refused', `${formatIpv4(conn.remoteAddr)}:${conn.remotePort} ${req.path}: every worker busy and ${this.capacity.spec.queue} waiting`);
        ep.send(httpResponseHead(req.version, 503, this.host.name, 0, false));
        close();
      }
    };
    return {
      onData: (d: Payload) => {
        if (closed) return;
        for (const head of reader.push(d)) {
          const req = parseRequestHead(head);
          if (req === undefined) {
            ep.send(httpResponseHead('1.0', 400, this.host.name, 0, false));
            close();
            return;
          }
          pending.push(req);
        }
        next();
      },
      onRemoteClose: () => {
        peerClosed = true;
        if (!working && pending.length === 0) close();
      },
    };
  }

  private answer(conn: TcpConnection, req: HttpRequestHead): void {
    const ep = conn.endpoint;
    if (req.path === this.check.path) {
      ep.send(httpResponseHead(req.version, 200, this.host.name, this.check.body.length, req.keepAlive));
      if (this.check.body.length > 0) ep.send(textPayload(this.check.body));
      return;
    }
    const size = requestedBytes(req.path) ?? this.opts.response;
    ep.send(httpResponseHead(req.version, 200, this.host.name, size, req.keepAlive));
    if (size > 0) ep.send(payloadOfLength(size));
  }

  private event(event: string, detail: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: `http:${this.port}`, event, detail });
  }
}
