import { formatDuration, type EventHandle } from '../../sim/index.ts';
import type { TcpConnection } from '../../net/index.ts';
import { formatIpv4 } from '../../wire/index.ts';
import { httpRequest, HttpResponseReader } from '../httpProtocol.ts';
import type { Session, SessionContext } from './Session.ts';

/**
 * An HTTP-like session: one TCP connection, `requests` requests on it one after another (HTTP/1.1 keep-alive
 * when more than one; the last says `Connection: close`), each `GET /bytes/N` for a drawn N. A response other
 * than 200 (503 from a full server) is a refusal and ends the session; so does the server closing a connection
 * the client meant to reuse.
 */
export const httpSession: Session = (ctx: SessionContext, done: () => void) => {
  const sim = ctx.host.ctx.sim;
  const reader = new HttpResponseReader();
  let left = ctx.requests;
  let id = 0;
  let sentAt = 0;
  let outstanding = false;
  let finished = false;
  let timer: EventHandle | undefined;
  let conn: TcpConnection | undefined;

  const finish = () => {
    sim.cancel(timer);
    timer = undefined;
    if (finished) return;
    finished = true;
    done();
  };
  const fail = (what: string) => {
    if (finished) return;
    if (id === 0) {
      // Failed before the first request went out (refused, reset, no route): still one failed exchange.
      id = ctx.report.id();
      outstanding = true;
    }
    if (outstanding) ctx.report.error(id, what);
    outstanding = false;
    finish();
  };
  const send = () => {
    if (!conn) return;
    left--;
    id = ctx.report.id();
    outstanding = true;
    sentAt = sim.now();
    conn.endpoint.send(httpRequest(`/bytes/${ctx.drawResponse()}`, ctx.drawRequest(), left > 0));
    if (ctx.timeout !== undefined) {
      timer = sim.schedule(ctx.timeout, () => {
        timer = undefined;
        fail(`timeout after ${formatDuration(ctx.timeout ?? 0)}`);
        conn?.endpoint.abort();
      });
    }
  };

  const r = ctx.host.sockets.connect(
    ctx.to,
    ctx.port,
    {
      onEstablished: () => {
        sim.cancel(timer);
        send();
      },
      onData: (d) => {
        if (!outstanding) return;
        const resp = reader.push(d);
        if (!resp) return;
        outstanding = false;
        sim.cancel(timer);
        timer = undefined;
        const latency = sim.now() - sentAt;
        if (resp.status !== 200) {
          ctx.report.refusal(id, resp.server, `HTTP ${resp.status}`, latency);
          conn?.endpoint.close();
          return finish();
        }
        ctx.report.response(id, resp.server, resp.bytes, latency);
        if (left > 0 && resp.keepAlive) return send();
        conn?.endpoint.close();
        finish();
      },
      onRemoteClose: () => {
        conn?.endpoint.close();
        fail('connection closed by the server');
      },
      onClosed: (reason) => fail(reason === 'normal' ? 'connection closed' : `connection ${reason}`),
    },
    { src: ctx.src },
  );
  if ('errno' in r) {
    fail(`${r.errno} connecting to ${formatIpv4(ctx.to)}:${ctx.port}`);
    return;
  }
  conn = r;
  // A connection that never gets established (SYN lost, no answer) also times out.
  if (ctx.timeout !== undefined) {
    timer = sim.schedule(ctx.timeout, () => {
      timer = undefined;
      if (conn?.endpoint.state === 'SYN_SENT') {
        fail(`connect timeout after ${formatDuration(ctx.timeout ?? 0)}`);
        conn.endpoint.abort();
      }
    });
  }
};
