import type { Ipv4Packet } from '../wire/index.ts';
import { IPPROTO_TCP, IPPROTO_UDP } from './Connection.ts';

/**
 * A packet's protocol number and ports as IPVS keys its connections (ip_vs_conn_fill_param_proto): TCP and UDP
 * only; anything else has no entry. Used for packets IPVS sees and for the packets ICMP errors quote.
 */
export function packetPorts(p: Ipv4Packet): { proto: number; sport: number; dport: number } | undefined {
  const l4 = p.l4;
  if (l4.proto === 'tcp') return { proto: IPPROTO_TCP, sport: l4.sport, dport: l4.dport };
  if (l4.proto === 'udp') return { proto: IPPROTO_UDP, sport: l4.sport, dport: l4.dport };
  return undefined;
}
