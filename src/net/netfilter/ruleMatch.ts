import { protocolNumber, type Ipv4Packet } from '../../wire/index.ts';
import type { Skb } from '../Skb.ts';
import { ctOf } from './Conntrack.ts';
import { CtStateBit, type IfaceSpec, type IptRule, type MatchSpec, type PortRange } from './IptRule.ts';

/**
 * Whether a packet matches a rule: the IP part (ip_packet_match in net/ipv4/netfilter/ip_tables.c), then each
 * extension match in order (xt_tcpudp.c, ipt_icmp in ip_tables.c, xt_mark.c, xt_state.c/xt_conntrack.c,
 * xt_comment.c). `inName`/`outName` are the devices at this hook, '' where there is none (no input device on
 * OUTPUT, no output device on PREROUTING/INPUT).
 */
export function ruleMatches(r: IptRule, skb: Skb, inName: string, outName: string): boolean {
  const p = skb.packet;
  if (r.src && ((((p.ip.src & r.src.mask) >>> 0) === r.src.addr) === r.src.invert)) return false;
  if (r.dst && ((((p.ip.dst & r.dst.mask) >>> 0) === r.dst.addr) === r.dst.invert)) return false;
  if (r.inIface && ifaceMatches(r.inIface, inName) === r.inIface.invert) return false;
  if (r.outIface && ifaceMatches(r.outIface, outName) === r.outIface.invert) return false;
  if (r.proto !== 0 || r.protoInvert) {
    if ((protocolNumber(p.l4, p.ip) === r.proto) === r.protoInvert) return false;
  }
  for (const m of r.matches) if (!extensionMatches(m, skb, p)) return false;
  return true;
}

/** ifname match with the `+` wildcard (the kernel compares under a mask that stops before the `+`). */
function ifaceMatches(spec: IfaceSpec, name: string): boolean {
  const n = spec.name;
  if (n.endsWith('+')) return name.startsWith(n.slice(0, -1));
  return name === n;
}

function inRange(port: number, r: PortRange | undefined, invert: boolean): boolean {
  if (!r) return true;
  return (port >= r.min && port <= r.max) !== invert;
}

function extensionMatches(m: MatchSpec, skb: Skb, p: Ipv4Packet): boolean {
  switch (m.kind) {
    case 'tcp':
    case 'udp': {
      const l4 = p.l4;
      // Non-first fragments carry no ports and never match (tcp_mt/udp_mt).
      if (l4.proto !== m.kind || p.ip.fragOffset !== 0) return false;
      return inRange(l4.sport, m.sport, m.sportInvert) && inRange(l4.dport, m.dport, m.dportInvert);
    }
    case 'icmp': {
      const l4 = p.l4;
      if (l4.proto !== 'icmp' || p.ip.fragOffset !== 0) return false;
      const hit = m.type === 0xff || (l4.type === m.type && l4.code >= m.codeMin && l4.code <= m.codeMax);
      return hit !== m.invert;
    }
    case 'mark':
      return (((skb.mark & m.mask) >>> 0) === m.value) !== m.invert;
    case 'state':
    case 'conntrack':
      return ((ctStateBit(skb) & m.states) !== 0) !== m.invert;
    case 'comment':
      return true;
  }
}

/** The packet's conntrack state as the state match sees it (XT_STATE_BIT(ctinfo), INVALID, UNTRACKED). */
export function ctStateBit(skb: Skb): number {
  if (skb.ipvsProperty) return CtStateBit.UNTRACKED;
  const ref = ctOf(skb);
  if (!ref) return CtStateBit.INVALID;
  switch (ref.info) {
    case 'new':
      return CtStateBit.NEW;
    case 'established':
      return CtStateBit.ESTABLISHED;
    case 'related':
      return CtStateBit.RELATED;
  }
}
