import { formatDuration, type EventHandle, type Simulator } from '../../sim/index.ts';
import type { TcpConnection } from '../../net/index.ts';
import { formatIpv4, type Payload } from '../../wire/index.ts';
import { httpRequest, HttpResponseReader } from '../httpProtocol.ts';
import type { Session, SessionContext } from './Session.ts';

/**
 * An HTTP-like session: one TCP connection, `requests` requests on it one after another (HTTP/1.1 keep-alive
 * when more than one; the last says `Connection: close`), each `GET /bytes/N` for a drawn N. A response other
 * than 200 (503 from a full server) is a refusal and ends the session; so does the server closing a connection
 * the client meant to reuse.
 */
export const httpSession: Session = (ctx: SessionContext, done: () => void) => {
  new HttpSessionRun(ctx, done).start();
};

/**
 * One session's state; it is also the connection's callbacks (methods rather than closures: a workload starts
 * thousands of sessions).
 */
class HttpSessionRun {
  private readonly sim: Simulator;
  private readonly reader = new HttpResponseReader();
  private left: number;
  private id = 0;
  private sentAt = 0;
  private outstanding = false;
  private finished = false;
  private timer: EventHandle | undefined;
  private conn: TcpConnection | undefined;

  constructor(
    private readonly ctx: SessionContext,
    private readonly done: () => void,
  ) {
    this.sim = ctx.host.ctx.sim;
    this.left = ctx.requests;
  }

  start(): void {
    const ctx = this.ctx;
    const r = ctx.host.sockets.connect(ctx.to, ctx.port, this, { src: ctx.src });
    if ('errno' in r) {
      this.fail(`${r.errno} connecting to ${formatIpv4(ctx.to)}:${ctx.port}`);
      return;
    }
    this.conn = r;
    // A connection that never gets established (SYN lost, no answer) also times out.
    if (ctx.timeout !== undefined) this.timer = this.sim.scheduleWith(ctx.timeout, connectTimeout, this);
  }

  private finish(): void {
    this.sim.cancel(this.timer);
    this.timer = undefined;
    if (this.finished) return;
    this.finished = true;
    this.done();
  }

  private fail(what: string): void {
    if (this.finished) return;
    if (this.id === 0) {
      // Failed before the first request went out (refused, reset, no route): still one failed exchange.
      this.id = this.ctx.report.id();
      this.outstanding = true;
    }
    if (this.outstanding) this.ctx.report.error(this.id, what);
    this.outstanding = false;
    this.finish();
  }

  private send(): void {
    const conn = this.conn;
    if (!conn) return;
    const ctx = this.ctx;
    this.left--;
    this.id = ctx.report.id();
    this.outstanding = true;
    this.sentAt = this.sim.now();
    conn.endpoint.send(httpRequest(`/bytes/${ctx.drawResponse()}`, ctx.drawRequest(), this.left > 0));
    if (ctx.timeout !== undefined) this.timer = this.sim.scheduleWith(ctx.timeout, exchangeTimeout, this);
  }

  /** The connect timer: still no connection. */
  connectTimedOut(): void {
    this.timer = undefined;
    if (this.conn?.endpoint.state === 'SYN_SENT') {
      this.fail(`connect timeout after ${formatDuration(this.ctx.timeout ?? 0)}`);
      this.conn.endpoint.abort();
    }
  }

  /** The exchange timer: no answer. */
  exchangeTimedOut(): void {
    this.timer = undefined;
    this.fail(`timeout after ${formatDuration(this.ctx.timeout ?? 0)}`);
    this.conn?.endpoint.abort();
  }

  // The connection's callbacks (TcpEndpointCallbacks).

  onEstablished(): void {
    this.sim.cancel(this.timer);
    this.send();
  }

  onData(d: Payload): void {
    if (!this.outstanding) return;
    const resp = this.reader.push(d);
    if (!resp) return;
    this.outstanding = false;
    this.sim.cancel(this.timer);
    this.timer = undefined;
    const latency = this.sim.now() - this.sentAt;
    if (resp.status !== 200) {
      this.ctx.report.refusal(this.id, resp.server, `HTTP ${resp.status}`, latency);
      this.conn?.endpoint.close();
      return this.finish();
    }
    this.ctx.report.response(this.id, resp.server, resp.bytes, latency);
    if (this.left > 0 && resp.keepAlive) return this.send();
    this.conn?.endpoint.close();
    this.finish();
  }

  onRemoteClose(): void {
    this.conn?.endpoint.close();
    this.fail('connection closed by the server');
  }

  onClosed(reason: string): void {
    this.fail(reason === 'normal' ? 'connection closed' : `connection ${reason}`);
  }
}

function connectTimeout(s: HttpSessionRun): void {
  s.connectTimedOut();
}

function exchangeTimeout(s: HttpSessionRun): void {
  s.exchangeTimedOut();
}
