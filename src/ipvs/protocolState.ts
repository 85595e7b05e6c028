import type { SimTime } from '../sim/index.ts';
import { SECOND } from '../sim/index.ts';
import type { L4 } from '../wire/index.ts';
import { Connection, IPPROTO_TCP, IPPROTO_UDP, TemplateState } from './Connection.ts';
import { DEFAULT_TCP_TIMEOUTS, TCP_STATE_ACTIVE, TcpState, nextTcpState, tcpPacketClass, type TcpDirection } from './tcpStates.ts';

/** UDP's connection timeout on a fresh host, seconds (ip_vs_proto_udp.c udp_timeouts). */
const DEFAULT_UDP_TIMEOUT = 300;

/** What `ipvsadm -L --timeout` shows on a fresh host: `900 120 300`. */
export const DEFAULT_IPVS_TIMEOUTS = { tcp: DEFAULT_TCP_TIMEOUTS[TcpState.ESTABLISHED], tcpfin: DEFAULT_TCP_TIMEOUTS[TcpState.FIN_WAIT], udp: DEFAULT_UDP_TIMEOUT } as const;

/** Per-host protocol timeouts in seconds: the TCP table (indexed by state) and UDP's single one. */
export class ProtocolTimeouts {
  readonly tcp: number[] = [...DEFAULT_TCP_TIMEOUTS];
  udp = DEFAULT_UDP_TIMEOUT;

  tcpTimeout(state: number): SimTime {
    return this.tcp[state] * SECOND;
  }
}

/**
 * ip_vs_set_state for TCP (set_tcp_state) and UDP (udp_state_transition). Returns true when the TCP state
 * changed. `secureTcp` selects the defence table (secure_tcp = 3; the lab never runs short of memory, so 1
 * and 2 stay on the normal table).
 */
export function stateTransition(cp: Connection, dir: 'input' | 'output', l4: L4, timeouts: ProtocolTimeouts, secureTcp: boolean): boolean {
  if (cp.protocol === IPPROTO_UDP) {
    cp.timeout = timeouts.udp * SECOND;
    return false;
  }
  if (cp.protocol !== IPPROTO_TCP || l4.proto !== 'tcp') return false;
  let d: TcpDirection = dir;
  // A reply seen on a DR/TUN connection clears NOOUTPUT; until then inbound packets use the INPUT-ONLY rows.
  if (cp.noOutput) {
    if (dir === 'output') cp.noOutput = false;
    else d = 'inputOnly';
  }
  const next = nextTcpState(d, tcpPacketClass(l4.flags), cp.state as never, secureTcp);
  const changed = next !== cp.state;
  if (changed) {
    const dest = cp.dest;
    if (dest) {
      if (!cp.inactive && !TCP_STATE_ACTIVE[next]) {
        dest.activeConns--;
        cp.inactive = true;
      } else if (cp.inactive && TCP_STATE_ACTIVE[next]) {
        dest.activeConns++;
        cp.inactive = false;
      }
    }
    // ip_vs_control_assure_ct: an established connection makes its template ASSURED (an FTP data connection's
    // controller is the control connection, not a template, and keeps its TCP state).
    if (next === TcpState.ESTABLISHED && cp.control && cp.control.template) cp.control.state |= TemplateState.ASSURED;
  }
  cp.state = next;
  cp.timeout = timeouts.tcpTimeout(next);
  return changed;
}
