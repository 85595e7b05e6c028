import { formatDuration, SECOND, type EventHandle } from '../../sim/index.ts';
import { formatIpv4, type Ipv4Address, type Payload } from '../../wire/index.ts';
import { dnsQuery, MAX_DATAGRAM, parseDnsAnswer } from '../dnsLikeProtocol.ts';
import type { Session, SessionContext } from './Session.ts';

/** glibc's resolver waits 5 s for an answer by default (resolv.conf `timeout:5`). */
export const DNS_DEFAULT_TIMEOUT = 5 * SECOND;

/** Linux's ephemeral range, which a UDP client's unbound socket draws its port from. */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_SPAN = 60999 - 32768 + 1;

/**
 * A DNS-like session: one UDP socket on an ephemeral port, connected to the server as glibc's resolver connects
 * its socket (send_dg), `requests` queries one after another, each waiting for its answer (matched by id) or the
 * timeout; a query without an answer is an error. Being connected, the socket hears of a hard ICMP error such
 * as port unreachable (ECONNREFUSED), which ends the query at once as an error; a full server or a lost
 * datagram still ends in a timeout. Sizes are clipped to one unfragmented datagram.
 * The port starts from a draw of the host's `udp-port:<workload>` stream and counts up, so the sessions of one
 * workload use distinct ports (until the 28k-port range wraps).
 */
export const dnsLikeSession: Session = (ctx: SessionContext, done: () => void) => {
  const sim = ctx.host.ctx.sim;
  const timeout = ctx.timeout ?? DNS_DEFAULT_TIMEOUT;
  const sport = nextPort(ctx);
  let left = ctx.requests;
  let id = 0;
  let sentAt = 0;
  let timer: EventHandle | undefined;
  let finished = false;

  const finish = () => {
    if (finished) return;
    finished = true;
    sim.cancel(timer);
    unbind();
    done();
  };
  const ask = () => {
    left--;
    id = ctx.report.id();
    sentAt = sim.now();
    const query = dnsQuery(id, Math.min(MAX_DATAGRAM, ctx.drawRequest()), Math.min(MAX_DATAGRAM, ctx.drawResponse()));
    if (!ctx.host.sockets.sendUdp(ctx.to, ctx.port, sport, query, ctx.src)) {
      ctx.report.error(id, `cannot send to ${formatIpv4(ctx.to)}:${ctx.port}`);
      return finish();
    }
    timer = sim.schedule(timeout, () => {
      timer = undefined;
      ctx.report.error(id, `no answer within ${formatDuration(timeout)}`);
      finish();
    });
  };
  const unbind = ctx.host.sockets.bindUdp({
    addr: ctx.src ?? 0,
    port: sport,
    peer: { addr: ctx.to, port: ctx.port },
    onDatagram: (_from: Ipv4Address, _fromPort: number, _to: Ipv4Address, payload: Payload) => {
      const a = parseDnsAnswer(payload);
      if (finished || a === undefined || a.id !== id || timer === undefined) return; // late or stray answer
      sim.cancel(timer);
      timer = undefined;
      ctx.report.response(id, a.server, payload.length, sim.now() - sentAt);
      if (left > 0) ask();
      else finish();
    },
    onError: (errno: string, from: Ipv4Address) => {
      if (finished || timer === undefined) return;
      sim.cancel(timer);
      timer = undefined;
      ctx.report.error(id, `${errno} from ${formatIpv4(from)}`);
      finish();
    },
  });
  ask();
};

/** Per-host port counters would be global state; the report (one per workload) holds this workload's. */
function nextPort(ctx: SessionContext): number {
  const r = ctx.report;
  if (r.udpPortCursor < 0) r.udpPortCursor = ctx.host.stream(`udp-port:${r.app}`).int(0, EPHEMERAL_SPAN - 1);
  const port = EPHEMERAL_LOW + r.udpPortCursor;
  r.udpPortCursor = (r.udpPortCursor + 1) % EPHEMERAL_SPAN;
  return port;
}
