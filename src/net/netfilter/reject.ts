import { IcmpType, type Ipv4Packet } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Interface } from '../Interface.ts';
import { icmpSend } from '../ipv4/icmpSend.ts';
import { sendRouted } from '../ipv4/ipOutput.ts';
import { routeOutput } from '../route/routeOutput.ts';
import { resetFor } from '../transport/TcpEndpoint.ts';
import type { CtRef } from './Conntrack.ts';
import type { RejectWith } from './IptRule.ts';

/** ICMP destination-unreachable codes of the REJECT target (ipt_REJECT.c reject_tg). */
const UNREACH_CODE: Record<Exclude<RejectWith, 'tcp-reset'>, number> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-proto-unreachable': 2,
  'icmp-port-unreachable': 3,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
};

/**
 * The answer REJECT sends before dropping (net/ipv4/netfilter/nf_reject_ipv4.c): an ICMP destination
 * unreachable through icmp_send, or for `tcp-reset` a RST built from the offending segment and sent from the
 * segment's destination address — which need not be ours when the rule is in FORWARD. The RST carries the
 * offending packet's connection, reversed (nf_ct_attach), so NAT translates it as an answer to that packet.
 */
export function sendReject(host: Host, p: Ipv4Packet, how: RejectWith, inDev: Interface | undefined, ct: CtRef | undefined): void {
  if (how !== 'tcp-reset') {
    icmpSend(host, p, IcmpType.destUnreachable, UNREACH_CODE[how], { inDev });
    return;
  }
  // nf_send_reset: never for a non-first fragment or in answer to a RST.
  if (p.l4.proto !== 'tcp' || p.ip.fragOffset !== 0) return;
  const rst = resetFor(p.l4);
  if (!rst) return;
  const r = routeOutput(host, p.ip.src, {});
  if (r.kind === 'error') return host.drop(p, 'no-route', undefined, `REJECT tcp-reset: ${r.detail}`);
  const packet: Ipv4Packet = {
    kind: 'ipv4',
    id: host.ctx.packetId(),
    parentId: p.id,
    ip: {
      tos: 0,
      ident: host.nextIpIdent(),
      df: true,
      mf: false,
      fragOffset: 0,
      ttl: host.sysctls.global('net.ipv4.ip_default_ttl') || 64,
      protocol: 6,
      src: p.ip.dst,
      dst: p.ip.src,
    },
    l4: rst,
  };
  const related: CtRef | undefined = ct && { entry: ct.entry, dir: ct.dir === 0 ? 1 : 0, info: 'related' };
  sendRouted(host, { packet, mark: 0, pktType: 'local', ct: related }, r.outDev, r.nexthop, r.local, r.broadcast);
}
