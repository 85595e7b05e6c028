import { formatIpv4, IcmpType, isIcmpEcho, isIcmpError, ipTotalLength, tcpFlagsText } from '../wire/index.ts';
import type { ArpBody, Frame, Ipv4Packet } from '../wire/index.ts';

/**
 * The `pkt` field of trace events (docs/scenario-format.md): outermost header first, only the headers the
 * frame has, every number an integer, addresses as dotted quads and MACs lower-case. Keys are inserted in
 * one fixed order, which the canonical JSON writer preserves.
 */
export interface PacketSummary {
  pid: number;
  parent?: number;
  eth?: { src: string; dst: string; type: string | number };
  arp?: { op: string | number; sha: string; spa: string; tha: string; tpa: string };
  ip?: IpSummary;
  tcp?: { sport: number; dport: number; flags: string; seq: number; ack: number; len: number };
  udp?: { sport: number; dport: number; len: number };
  icmp?: { type: number; code: number; id?: number; seq?: number; mtu?: number; gateway?: string };
  inner?: Omit<PacketSummary, 'pid' | 'parent' | 'eth' | 'arp'>;
}

export interface IpSummary {
  src: string;
  dst: string;
  ttl: number;
  proto: string | number;
  id: number;
  len: number;
}

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 4: 'ipip', 6: 'tcp', 17: 'udp' };

export function summarizeFrame(f: Frame): PacketSummary {
  const s: PacketSummary = { pid: f.body.id };
  if (f.body.kind === 'ipv4' && f.body.parentId !== undefined) s.parent = f.body.parentId;
  const type = f.eth.etherType === 0x0800 ? 'ipv4' : f.eth.etherType === 0x0806 ? 'arp' : f.eth.etherType;
  s.eth = { src: f.eth.src, dst: f.eth.dst, type };
  if (f.body.kind === 'arp') s.arp = summarizeArp(f.body);
  else if (f.body.kind === 'ipv4') addIp(s, f.body);
  return s;
}

export function summarizePacket(p: Ipv4Packet): PacketSummary {
  const s: PacketSummary = { pid: p.id };
  if (p.parentId !== undefined) s.parent = p.parentId;
  addIp(s, p);
  return s;
}

function summarizeArp(b: ArpBody): NonNullable<PacketSummary['arp']> {
  const a = b.arp;
  const op = a.op === 1 ? 'request' : a.op === 2 ? 'reply' : a.op;
  return { op, sha: a.sha, spa: formatIpv4(a.spa), tha: a.tha, tpa: formatIpv4(a.tpa) };
}

function addIp(s: Omit<PacketSummary, 'pid'>, p: Ipv4Packet): void {
  const proto = PROTO_NAMES[p.ip.protocol] ?? p.ip.protocol;
  s.ip = { src: formatIpv4(p.ip.src), dst: formatIpv4(p.ip.dst), ttl: p.ip.ttl, proto, id: p.ip.ident, len: ipTotalLength(p) };
  const l4 = p.l4;
  switch (l4.proto) {
    case 'tcp':
      s.tcp = { sport: l4.sport, dport: l4.dport, flags: tcpFlagsText(l4.flags), seq: l4.seq, ack: l4.ack, len: l4.payload.length };
      break;
    case 'udp':
      s.udp = { sport: l4.sport, dport: l4.dport, len: l4.payload.length };
      break;
    case 'icmp': {
      const icmp: NonNullable<PacketSummary['icmp']> = { type: l4.type, code: l4.code };
      if (isIcmpEcho(l4)) {
        icmp.id = l4.ident;
        icmp.seq = l4.sequence;
      } else if (isIcmpError(l4)) {
        if (l4.type === IcmpType.destUnreachable && l4.code === 4) icmp.mtu = l4.mtu;
        if (l4.type === IcmpType.redirect) icmp.gateway = formatIpv4(l4.gateway);
      }
      s.icmp = icmp;
      if (isIcmpError(l4)) {
        const inner: Omit<PacketSummary, 'pid'> = {};
        addIp(inner, l4.original);
        s.inner = inner;
      }
      break;
    }
    case 'ipip': {
      const inner: Omit<PacketSummary, 'pid'> = {};
      addIp(inner, l4.inner);
      s.inner = inner;
      break;
    }
    case 'raw':
      break;
  }
}
