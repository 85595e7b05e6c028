import type { ConnectionView } from '../../ipvs/IpvsControl.ts';
import { SECOND } from '../../sim/index.ts';
import type { ServiceProtocol } from './etcServices.ts';
import { padEnd } from './formatList.ts';
import { addrPortName } from './names.ts';

/**
 * `ipvsadm -L -c [-n] [--persistent-conn]` (list_conn and print_conn of ipvsadm 1.31 over the kernel's
 * /proc/net/ip_vs_conn, ip_vs_conn_seq_show). The kernel prints the seconds left on each entry's timer,
 * rounded down (a timer already due shows 0); ipvsadm turns them into MM:SS, minutes unbounded. Without `-n`
 * ports are named for TCP and UDP entries; templates of fwmark services (protocol IP) keep numbers.
 * `--persistent-conn` adds the persistence-engine columns to the title; no entry carries engine data in the
 * lab (no engine is modelled), so rows keep the plain layout.
 */
export function formatConnections(conns: readonly ConnectionView[], numeric: boolean, persistentConn: boolean): string {
  let out = 'IPVS connection entries\n';
  out += persistentConn
    ? `pro expire ${padEnd('state', 11)} ${padEnd('source', 18)} ${padEnd('virtual', 18)} ${padEnd('destination', 18)} ${padEnd('pe name', 16)} pe_data\n`
    : `pro expire ${padEnd('state', 11)} ${padEnd('source', 18)} ${padEnd('virtual', 18)} destination\n`;
  for (const c of conns) out += connectionLine(c, numeric);
  return out;
}

function connectionLine(c: ConnectionView, numeric: boolean): string {
  const proto: ServiceProtocol | undefined = c.protocol === 'TCP' ? 'tcp' : c.protocol === 'UDP' ? 'udp' : c.protocol === 'SCTP' ? 'sctp' : undefined;
  const expires = Math.max(0, Math.floor(c.expiresIn / SECOND));
  const expire = `${String(Math.floor(expires / 60)).padStart(2, '0')}:${String(expires % 60).padStart(2, '0')}`;
  const src = addrPortName(c.caddr, c.cport, proto, numeric);
  const vip = addrPortName(c.vaddr, c.vport, proto, numeric);
  const dst = addrPortName(c.daddr, c.dport, proto, numeric);
  return `${padEnd(c.protocol, 3)} ${padEnd(expire, 6)} ${padEnd(c.state, 11)} ${padEnd(src, 18)} ${padEnd(vip, 18)} ${dst}\n`;
}
