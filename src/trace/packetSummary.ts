import { decodeVrrp, formatIpv4, IcmpType, isIcmpEcho, isIcmpError, ipTotalLength, tcpFlagsText, VRRP_PROTOCOL } from '../wire/index.ts';
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
  /** A VRRP advertisement (IP protocol 112 carried as raw bytes): version, VRID, priority, interval as carried. */
  vrrp?: { v: number; vrid: number; prio: number; int: number; addrs: number };
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

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 4: 'ipip', 6: 'tcp', 17: 'udp', 112: 'vrrp' };

/**
 * Memo tables. Frames and packets are immutable, so a summary depends on the object alone: a frame's `tx`
 * and each of its `rx`/`drop` events share one summary, and a packet's `route` event shares its `ip` and
 * transport parts with the frames that carry it. That keeps a recorded trace small and spares rebuilding
 * strings for every event. Weak keys: an entry lives as long as its frame or packet. Summaries are shared,
 * so nobody may modify one (no trace consumer does).
 */
const frameMemo = new WeakMap<Frame, PacketSummary>();
const packetMemo = new WeakMap<Ipv4Packet, PacketSummary>();

/** Dotted quads already written (bounded): a trace names the same few addresses over and over. */
const ipTexts = new Map<number, string>();
const IP_TEXT_LIMIT = 4096;

/** `formatIpv4`, remembering what it wrote: for trace fields that name addresses on every event. */
export function ipText(a: number): string {
  let t = ipTexts.get(a);
  if (t === undefined) {
    if (ipTexts.size >= IP_TEXT_LIMIT) ipTexts.clear();
    t = formatIpv4(a);
    ipTexts.set(a, t);
  }
  return t;
}

export function summarizeFrame(f: Frame): PacketSummary {
  let s = frameMemo.get(f);
  if (s) return s;
  s = { pid: f.body.id };
  if (f.body.kind === 'ipv4' && f.body.parentId !== undefined) s.parent = f.body.parentId;
  const type = f.eth.etherType === 0x0800 ? 'ipv4' : f.eth.etherType === 0x0806 ? 'arp' : f.eth.etherType;
  s.eth = { src: f.eth.src, dst: f.eth.dst, type };
  if (f.body.kind === 'arp') s.arp = summarizeArp(f.body);
  else if (f.body.kind === 'ipv4') copyIpParts(s, summarizePacket(f.body));
  frameMemo.set(f, s);
  return s;
}

export function summarizePacket(p: Ipv4Packet): PacketSummary {
  let s = packetMemo.get(p);
  if (s) return s;
  s = { pid: p.id };
  if (p.parentId !== undefined) s.parent = p.parentId;
  addIp(s, p);
  packetMemo.set(p, s);
  return s;
}

/** The IP-level parts of a packet's summary, in summary key order, onto a frame's summary. */
function copyIpParts(to: PacketSummary, from: PacketSummary): void {
  to.ip = from.ip;
  if (from.tcp) to.tcp = from.tcp;
  if (from.udp) to.udp = from.udp;
  if (from.icmp) to.icmp = from.icmp;
  if (from.vrrp) to.vrrp = from.vrrp;
  if (from.inner) to.inner = from.inner;
}

function summarizeArp(b: ArpBody): NonNullable<PacketSummary['arp']> {
  const a = b.arp;
  const op = a.op === 1 ? 'request' : a.op === 2 ? 'reply' : a.op;
  return { op, sha: a.sha, spa: ipText(a.spa), tha: a.tha, tpa: ipText(a.tpa) };
}

function addIp(s: Omit<PacketSummary, 'pid'>, p: Ipv4Packet): void {
  const proto = PROTO_NAMES[p.ip.protocol] ?? p.ip.protocol;
  s.ip = { src: ipText(p.ip.src), dst: ipText(p.ip.dst), ttl: p.ip.ttl, proto, id: p.ip.ident, len: ipTotalLength(p) };
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
        if (l4.type === IcmpType.redirect) icmp.gateway = ipText(l4.gateway);
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
      if (p.ip.protocol === VRRP_PROTOCOL) {
        const d = decodeVrrp(l4.payload, p.ip.src, p.ip.dst);
        if (d.ok) s.vrrp = { v: d.advert.version, vrid: d.advert.vrid, prio: d.advert.priority, int: d.advert.interval, addrs: d.advert.addresses.length };
      }
      break;
  }
}
