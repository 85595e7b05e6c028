import { ipLocalOut, type Host } from '../../../../net/index.ts';
import type { SimTime } from '../../../../sim/index.ts';
import { IcmpType, payloadOfLength, type IcmpEcho, type Ipv4Address } from '../../../../wire/index.ts';
import type { CheckDone } from './CheckResult.ts';

/**
 * An ICMP echo check (ldirectord `checktype=ping`, keepalived PING_CHECK): one echo request from a ping socket;
 * success on the echo reply within `timeout`, failure on an ICMP error or silence.
 */
export function pingCheck(host: Host, address: Ipv4Address, timeout: SimTime, done: CheckDone): void {
  const sim = host.ctx.sim;
  const ident = host.stream('health-ping').int(0, 0xffff);
  let finished = false;
  const finish = (ok: boolean, detail: string) => {
    if (finished) return;
    finished = true;
    close();
    sim.cancel(timer);
    done({ ok, detail });
  };
  const close = host.sockets.openPing(ident, {
    onEchoReply: (from) => {
      if (from === address) finish(true, 'echo reply');
    },
    onError: (_from, m) => finish(false, `ICMP type ${m.type} code ${m.code}`),
  });
  const timer = sim.schedule(timeout, () => finish(false, 'no echo reply'));
  const echo: IcmpEcho = { proto: 'icmp', type: IcmpType.echoRequest, code: 0, ident, sequence: 1, payload: payloadOfLength(56) };
  const r = ipLocalOut(host, { dst: address, protocol: 1, l4: echo, df: false });
  if (!r.ok) sim.schedule(0, () => finish(false, r.errno));
}
