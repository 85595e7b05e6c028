import type { Host } from '../../../../net/index.ts';
import type { SimTime } from '../../../../sim/index.ts';
import type { CheckDone, CheckTarget } from './CheckResult.ts';

/**
 * A TCP connect check (keepalived TCP_CHECK, ldirectord `checktype=connect`): success when the three-way
 * handshake completes within `timeout`, after which the connection is closed; failure on a reset (refused), an
 * ICMP error, no route, or the timeout (the attempt is then aborted).
 */
export function tcpConnectCheck(host: Host, target: CheckTarget, timeout: SimTime, done: CheckDone): void {
  const sim = host.ctx.sim;
  let finished = false;
  const finish = (ok: boolean, detail: string) => {
    if (finished) return;
    finished = true;
    sim.cancel(timer);
    done({ ok, detail });
  };
  const r = host.sockets.connect(target.address, target.port, {
    onEstablished: () => {
      if ('endpoint' in r) r.endpoint.close();
      finish(true, 'connected');
    },
    onClosed: (reason) => finish(false, reason === 'refused' ? 'connection refused' : `connection ${reason}`),
  });
  const timer = sim.schedule(timeout, () => {
    if (finished) return;
    finish(false, 'connect timeout');
    if ('endpoint' in r) r.endpoint.abort();
  });
  if ('errno' in r) sim.schedule(0, () => finish(false, r.errno));
}
