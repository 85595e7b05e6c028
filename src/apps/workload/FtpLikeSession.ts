import { formatDuration, type EventHandle } from '../../sim/index.ts';
import type { TcpConnection } from '../../net/index.ts';
import { formatIpv4, textPayload } from '../../wire/index.ts';
import { greetingServer, LineReader, pasvPort, portCommand } from '../ftpLikeProtocol.ts';
import type { Session, SessionContext } from './Session.ts';

/**
 * An FTP-like session (ftpLikeProtocol.ts): control connection to `port`, then per request `PASV`, a data
 * connection to the port the server names (at the address the control connection went to: the VIP), `RETR
 * /bytes/N`, N bytes on the data connection and `226` on the control one; `QUIT` at the end. The response time
 * runs from `PASV` to the later of the data connection's end and `226`. If the data connection is refused —
 * the director sent it to a real server that never handed out that port — the session fails: that is what
 * happens to FTP behind a director without port-0 (or fwmark) persistence.
 */
export const ftpLikeSession: Session = (ctx: SessionContext, done: () => void) => {
  const sim = ctx.host.ctx.sim;
  const reader = new LineReader();
  let server = '';
  let left = ctx.requests;
  let id = 0;
  let startedAt = 0;
  let outstanding = false;
  let finished = false;
  let dataBytes = 0;
  let dataDone = false;
  let completeSeen = false;
  let wantBytes = 0;
  let timer: EventHandle | undefined;
  let control: TcpConnection | undefined;
  let data: TcpConnection | undefined;
  /** Active mode: stops the listener waiting for the server's data connection. */
  let unlisten: (() => void) | undefined;
  const say = (line: string) => control?.endpoint.send(textPayload(`${line}\r\n`));

  const finish = () => {
    sim.cancel(timer);
    timer = undefined;
    if (finished) return;
    finished = true;
    done();
  };
  const fail = (what: string) => {
    if (finished) return;
    if (id === 0) id = ctx.report.id();
    ctx.report.error(id, what);
    outstanding = false;
    unlisten?.();
    unlisten = undefined;
    data?.endpoint.abort();
    control?.endpoint.close();
    finish();
  };
  const request = () => {
    left--;
    id = ctx.report.id();
    outstanding = true;
    startedAt = sim.now();
    dataBytes = 0;
    dataDone = false;
    completeSeen = false;
    wantBytes = ctx.drawResponse();
    if (ctx.ftpMode === 'active') listenForData();
    else say('PASV');
    if (ctx.timeout !== undefined) {
      timer = sim.schedule(ctx.timeout, () => {
        timer = undefined;
        fail(`timeout after ${formatDuration(ctx.timeout ?? 0)}`);
      });
    }
  };
  const maybeComplete = () => {
    if (!outstanding || !dataDone || !completeSeen) return;
    outstanding = false;
    sim.cancel(timer);
    timer = undefined;
    ctx.report.response(id, server, dataBytes, sim.now() - startedAt);
    if (left > 0) return request();
    say('QUIT');
  };
  const openData = (port: number) => {
    const dst = control!.remoteAddr;
    // This data connection belongs to request `mine`; its teardown may end after the next request began.
    const mine = id;
    let received = false;
    const r = ctx.host.sockets.connect(
      dst,
      port,
      {
        onEstablished: () => say(`RETR /bytes/${wantBytes}`),
        onData: (d) => {
          if (mine === id) dataBytes += d.length;
        },
        onRemoteClose: () => {
          r2?.endpoint.close();
          received = true;
          if (mine !== id) return;
          dataDone = true;
          maybeComplete();
        },
        onClosed: (reason) => {
          if (!received && mine === id && outstanding) fail(`data connection to ${formatIpv4(dst)}:${port} ${reason}`);
        },
      },
      { src: control!.localAddr },
    );
    if ('errno' in r) return fail(`${r.errno} opening the data connection`);
    const r2: TcpConnection = r;
    data = r2;
  };
  // Active mode (PORT): listen on a free port of the control connection's own address, name it to the server,
  // and take the one connection it opens (from its port 20) — from whatever address it comes, as curl does.
  const listenForData = () => {
    const addr = control!.localAddr;
    const port = ctx.host.sockets.ephemeralListenPort(addr);
    if (port === undefined) return fail('no free port to listen at for the data connection');
    const mine = id;
    let received = false;
    const stop = ctx.host.sockets.listen({
      addr,
      port,
      accept: (dc) => {
        stop();
        if (unlisten === stop) unlisten = undefined;
        if (mine === id) data = dc;
        return {
          onData: (d) => {
            if (mine === id) dataBytes += d.length;
          },
          onRemoteClose: () => {
            dc.endpoint.close();
            received = true;
            if (mine !== id) return;
            dataDone = true;
            maybeComplete();
          },
          onClosed: (reason) => {
            if (!received && mine === id && outstanding) fail(`data connection from ${formatIpv4(dc.remoteAddr)}:${dc.remotePort} ${reason}`);
          },
        };
      },
    });
    unlisten = stop;
    say(portCommand(addr, port));
  };
  const reply = (line: string) => {
    const code = line.slice(0, 3);
    if (code === '220') {
      sim.cancel(timer);
      timer = undefined;
      server = greetingServer(line);
      return request();
    }
    if (code === '227') {
      const port = pasvPort(line);
      return port === undefined ? fail(`bad PASV reply "${line}"`) : openData(port);
    }
    if (code === '200' && ctx.ftpMode === 'active' && outstanding) return say(`RETR /bytes/${wantBytes}`);
    if (code === '226') {
      completeSeen = true;
      return maybeComplete();
    }
    if (code === '150' || code === '221') return;
    if (code === '421') {
      if (outstanding) ctx.report.refusal(id, server, 'FTP 421', sim.now() - startedAt);
      outstanding = false;
      control?.endpoint.close();
      return finish();
    }
    fail(`unexpected reply "${line}"`);
  };

  const r = ctx.host.sockets.connect(
    ctx.to,
    ctx.port,
    {
      onData: (d) => {
        for (const line of reader.push(d)) reply(line);
      },
      onRemoteClose: () => {
        control?.endpoint.close();
        if (outstanding || id === 0) fail('control connection closed by the server');
        else finish();
      },
      onClosed: (reason) => {
        if (outstanding || id === 0) fail(`control connection ${reason}`);
        else finish();
      },
    },
    { src: ctx.src },
  );
  if ('errno' in r) return fail(`${r.errno} connecting to ${formatIpv4(ctx.to)}:${ctx.port}`);
  control = r;
  // An FTP client reads the server's 220 greeting before it sends anything, and gives up waiting for it as it
  // gives up on any reply (curl: --max-time, or its built-in server-response timeout, RESP_TIMEOUT): a
  // control connection that reached a server which never greets — an HTTP server behind a mistyped port —
  // ends in an error after `timeout`, not in a session that hangs.
  if (ctx.timeout !== undefined) {
    timer = sim.schedule(ctx.timeout, () => {
      timer = undefined;
      fail(`no greeting within ${formatDuration(ctx.timeout ?? 0)}`);
    });
  }
};
