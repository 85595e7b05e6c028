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
 *
 * Stopping it is httpd's graceful stop (RHEL's httpd.service stops it with SIGWINCH): the listening socket
 * closes at once, so a new connection is refused with a reset; a connection keeps the request it is on (or the
 * first one, if it was accepted and its request has not arrived yet), gets its response and is then closed —
 * a kept-alive connection waiting for its next request is closed at once, and requests pipelined behind the
 * current one are not answered (a prefork child checks for the stop between requests).
 */
export class HttpServer {
  private stopListening: (() => void) | undefined;
  /** Open connections in the order they were accepted, for the graceful stop. */
  private readonly open = new Set<HttpServerConnection>();
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

  /**
   * `graceful`: `systemctl stop httpd`, as above. Not graceful: the host crashed, its connections are gone
   * with it and nothing is sent.
   */
  stop(graceful = true): void {
    this.stopListening?.();
    this.stopListening = undefined;
    const open = [...this.open];
    this.open.clear();
    if (graceful) for (const c of open) c.stopAfterCurrent();
  }

  private connection(conn: TcpConnection): ConnectionCallbacks {
    const c = new HttpServerConnection(this, conn);
    this.open.add(c);
    return c;
  }

  /** The connection is over (closed by either side, reset or timed out): the stop no longer concerns it. */
  forget(c: HttpServerConnection): void {
    this.open.delete(c);
  }

  /** A connection's request could not be admitted (every worker busy, the queue full): 503 and close. */
  refuse(conn: TcpConnection, req: HttpRequestHead): void {
    this.event('refused', `${formatIpv4(conn.remoteAddr)}:${conn.remotePort} ${req.path}: every worker busy and ${this.capacity.spec.queue} waiting`);
    conn.endpoint.send(httpResponseHead(req.version, 503, this.host.name, 0, false));
  }

  badRequest(conn: TcpConnection): void {
    conn.endpoint.send(httpResponseHead('1.0', 400, this.host.name, 0, false));
  }

  answer(conn: TcpConnection, req: HttpRequestHead): void {
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

/**
 * One connection to the server: requests in arrival order, one at a time through the capacity model. It is
 * the connection's callbacks (methods rather than closures: a server accepts thousands of connections).
 */
class HttpServerConnection {
  private readonly reader = new RequestHeadReader();
  private readonly pending: HttpRequestHead[] = [];
  private working = false;
  private closed = false;
  private peerClosed = false;
  /** The server is stopping: the current (or first) request is answered, then the connection closes. */
  private stopping = false;
  private answered = 0;

  constructor(
    private readonly server: HttpServer,
    private readonly conn: TcpConnection,
  ) {}

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.endpoint.close();
  }

  /** httpd's graceful stop reached this connection. */
  stopAfterCurrent(): void {
    this.stopping = true;
    if (!this.working && this.answered > 0) this.close();
  }

  private next(): void {
    if (this.working || this.closed) return;
    if (this.stopping && this.answered > 0) return this.close();
    const req = this.pending.shift();
    if (req === undefined) {
      if (this.peerClosed) this.close();
      return;
    }
    this.working = true;
    const admitted = this.server.capacity.submit(() => this.served(req));
    if (admitted === 'refused') {
      this.working = false;
      this.server.refuse(this.conn, req);
      this.close();
    }
  }

  /** A worker finished `req`: the response, then the next request or the close. */
  private served(req: HttpRequestHead): void {
    this.working = false;
    if (this.closed) return;
    this.server.answer(this.conn, req);
    this.answered++;
    if (!req.keepAlive) this.close();
    else this.next();
  }

  onData(d: Payload): void {
    if (this.closed) return;
    for (const head of this.reader.push(d)) {
      const req = parseRequestHead(head);
      if (req === undefined) {
        this.server.badRequest(this.conn);
        this.close();
        return;
      }
      this.pending.push(req);
    }
    this.next();
  }

  onRemoteClose(): void {
    this.peerClosed = true;
    if (!this.working && this.pending.length === 0) this.close();
  }

  onClosed(): void {
    this.closed = true;
    this.server.forget(this);
  }
}
