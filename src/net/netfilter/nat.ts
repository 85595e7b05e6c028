import { isIcmpEcho, isIcmpError, type Ipv4Packet, type L4, type PacketId } from '../../wire/index.ts';
import type { HookPoint } from './Hooks.ts';
import { CtStatus, invertTuple, tupleEqual, type Conntrack, type CtEntry, type CtTuple } from './Conntrack.ts';
import type { NatRange, PortRange } from './IptRule.ts';

/**
 * Network address translation on top of conntrack (net/netfilter/nf_nat_core.c, nf_nat_proto.c).
 *
 * The nat table decides a binding once per connection and per manipulation type — destination at PREROUTING
 * and OUTPUT, source at POSTROUTING and INPUT — by rewriting the entry's reply tuple. Every later packet, in
 * either direction, is then rewritten from the tuples alone: an original-direction packet takes the inverse of
 * the reply tuple, a reply-direction packet the inverse of the original tuple, each at the hook of the matching
 * manipulation type (so replies to a DNAT are restored at POSTROUTING/INPUT, replies to an SNAT at
 * PREROUTING/OUTPUT). ICMP errors about a connection have their quoted packet translated too.
 *
 * Simplification: where the kernel picks a port or address from a range with a random or hashed offset, this
 * one starts at the original value and walks the range in order, so choices are deterministic.
 */

export type Manip = 'src' | 'dst';

/** HOOK2MANIP: destination NAT before routing (PREROUTING, OUTPUT), source NAT after it. */
export function hookManip(hook: HookPoint): Manip {
  return hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : 'src';
}

/** nf_nat_initialized: the nat table has decided this manipulation type for the connection. */
export function natInitialized(e: CtEntry, m: Manip): boolean {
  return (e.status & (m === 'src' ? CtStatus.srcNatDone : CtStatus.dstNatDone)) !== 0;
}

/** An address range with optional ports, and whether the ports were given (NF_NAT_RANGE_PROTO_SPECIFIED). */
export interface NatRequest {
  readonly range: NatRange;
  /** Which target asked, for trace events. */
  readonly by: string;
}

/**
 * nf_nat_setup_info: choose a unique tuple for the connection within `range` and record it as the new reply
 * tuple; mark the manipulation type done.
 */
export function setupNat(ct: Conntrack, e: CtEntry, m: Manip, req: NatRequest): void {
  const curr = invertTuple(e.reply);
  const next = uniqueTuple(ct, e, curr, req.range, m);
  if (!tupleEqual(next, curr)) {
    ct.alterReply(e, invertTuple(next));
    e.status |= m === 'src' ? CtStatus.srcNat : CtStatus.dstNat;
    if (m === 'src') e.srcNatBy = req.by;
    else e.dstNatBy = req.by;
  }
  e.status |= m === 'src' ? CtStatus.srcNatDone : CtStatus.dstNatDone;
}

/** nf_nat_alloc_null_binding: no rule matched — keep the address (a source port may still move on a clash). */
export function nullBinding(ct: Conntrack, e: CtEntry, m: Manip): void {
  const curr = invertTuple(e.reply);
  const a = m === 'src' ? curr.src : curr.dst;
  setupNat(ct, e, m, { range: { minAddr: a, maxAddr: a }, by: m === 'src' ? 'SNAT' : 'DNAT' });
}

/** get_unique_tuple (nf_nat_core.c). */
function uniqueTuple(ct: Conntrack, e: CtEntry, orig: CtTuple, range: NatRange, m: Manip): CtTuple {
  const used = (t: CtTuple): boolean => ct.tupleTaken(invertTuple(t), e);
  // Source NAT first tries to keep the tuple as it is.
  if (m === 'src' && addrInRange(orig.src, range) && portInRange(orig, m, range.ports) && !used(orig)) return orig;
  const addr = pickAddress(orig, range, m);
  let t: CtTuple = m === 'src' ? { ...orig, src: addr } : { ...orig, dst: addr };
  if (range.ports) {
    if (portInRange(t, m, range.ports) && (range.ports.min === range.ports.max || !used(t))) return t;
  } else if (!used(t)) {
    return t;
  }
  t = uniquePort(t, m, range.ports, used);
  return t;
}

function addrInRange(a: number, r: NatRange): boolean {
  return a >= r.minAddr && a <= r.maxAddr;
}

/** The "port" a manipulation changes: TCP/UDP source or destination port, the ICMP echo id either way. */
function keyPort(t: CtTuple, m: Manip): number {
  if (t.proto === 1) return t.sport;
  return m === 'src' ? t.sport : t.dport;
}

function withKeyPort(t: CtTuple, m: Manip, port: number): CtTuple {
  if (t.proto === 1 || m === 'src') return { ...t, sport: port };
  return { ...t, dport: port };
}

function hasPorts(proto: number): boolean {
  return proto === 6 || proto === 17 || proto === 1;
}

function portInRange(t: CtTuple, m: Manip, ports: PortRange | undefined): boolean {
  if (!ports || !hasPorts(t.proto)) return true;
  const p = keyPort(t, m);
  return p >= ports.min && p <= ports.max;
}

/** find_best_ips_proto: one address of the range, the same for the same pair of hosts. */
function pickAddress(t: CtTuple, r: NatRange, m: Manip): number {
  const current = m === 'src' ? t.src : t.dst;
  if (r.minAddr === r.maxAddr) return r.minAddr;
  if (current >= r.minAddr && current <= r.maxAddr) return current;
  const size = r.maxAddr - r.minAddr + 1;
  const other = m === 'src' ? t.dst : 0;
  const h = (Math.imul((m === 'src' ? t.src : t.dst) ^ other, 0x9e3779b1) >>> 0) % size;
  return r.minAddr + h;
}

/** nf_nat_l4proto_unique_tuple: walk the port (or echo id) range for a free tuple. */
function uniquePort(t: CtTuple, m: Manip, ports: PortRange | undefined, used: (t: CtTuple) => boolean): CtTuple {
  if (!hasPorts(t.proto)) return t;
  const cur = keyPort(t, m);
  let min: number;
  let size: number;
  if (ports) {
    min = ports.min;
    size = ports.max - ports.min + 1;
  } else if (t.proto === 1) {
    min = 0;
    size = 65536;
  } else if (m === 'dst') {
    return t; // a destination port is never changed unless asked for
  } else if (cur < 1024) {
    // Low ports stay low: 1–511, or 600–1023 (the "credential passing" convention).
    min = cur < 512 ? 1 : 600;
    size = cur < 512 ? 511 : 424;
  } else {
    min = 1024;
    size = 65535 - 1024 + 1;
  }
  const off = (((cur - min) % size) + size) % size;
  let cand = t;
  for (let i = 0; i < size; i++) {
    cand = withKeyPort(t, m, min + ((off + i) % size));
    if (!used(cand)) return cand;
  }
  return cand;
}

/**
 * nf_nat_packet: the packet rewritten for its connection's bindings at a hook of manipulation type `m`, or
 * undefined when nothing changes.
 */
export function natPacket(e: CtEntry, dir: 0 | 1, m: Manip, p: Ipv4Packet, newId: () => PacketId): Ipv4Packet | undefined {
  if (!natApplies(e, dir, m)) return undefined;
  // The packet is made to look like the inverse of the other direction's tuple.
  const target = invertTuple(e.tuple(dir === 0 ? 1 : 0));
  return rewrite(p, target, m, newId);
}

function natApplies(e: CtEntry, dir: 0 | 1, m: Manip): boolean {
  let bit: number = m === 'src' ? CtStatus.srcNat : CtStatus.dstNat;
  // A reply undoes the other kind of binding: replies to a source NAT get their destination changed.
  if (dir === 1) bit = bit === CtStatus.srcNat ? CtStatus.dstNat : CtStatus.srcNat;
  return (e.status & bit) !== 0;
}

/**
 * nf_nat_icmp_reply_translation: an ICMP error related to a NATed connection. The quoted packet is translated
 * with the opposite manipulation from the other direction's tuple, then the outer header as a reply would be.
 * Redirects about NATed connections are dropped (undefined with `drop`).
 */
export function natIcmpError(e: CtEntry, dir: 0 | 1, m: Manip, p: Ipv4Packet, newId: () => PacketId): { packet?: Ipv4Packet; drop?: boolean } {
  const l4 = p.l4;
  if (l4.proto !== 'icmp' || !isIcmpError(l4)) return {};
  if (l4.type === 5 && (e.status & (CtStatus.srcNat | CtStatus.dstNat)) !== 0) return { drop: true };
  if (!natApplies(e, dir, m)) return {};
  const other = e.tuple(dir === 0 ? 1 : 0);
  const inner = rewriteInPlace(l4.original, other, m === 'src' ? 'dst' : 'src');
  const target = invertTuple(other);
  const outerIp = m === 'src' ? { ...p.ip, src: target.src } : { ...p.ip, dst: target.dst };
  return { packet: { kind: 'ipv4', id: newId(), parentId: p.id, ip: outerIp, l4: { ...l4, original: inner } } };
}

/** Rewrites a packet's source or destination (address and port/echo id) to those of `target`. */
function rewrite(p: Ipv4Packet, target: CtTuple, m: Manip, newId: () => PacketId): Ipv4Packet | undefined {
  const q = rewriteInPlace(p, target, m);
  if (q === p) return undefined;
  return { ...q, id: newId(), parentId: p.id };
}

/** The same rewrite keeping the packet id (for the packet quoted inside an ICMP error); `p` itself if unchanged. */
function rewriteInPlace(p: Ipv4Packet, target: CtTuple, m: Manip): Ipv4Packet {
  const addr = m === 'src' ? target.src : target.dst;
  const l4 = rewriteL4(p.l4, target, m);
  const addrSame = (m === 'src' ? p.ip.src : p.ip.dst) === addr;
  if (addrSame && l4 === p.l4) return p;
  const ip = m === 'src' ? { ...p.ip, src: addr } : { ...p.ip, dst: addr };
  return { ...p, ip, l4 };
}

function rewriteL4(l4: L4, target: CtTuple, m: Manip): L4 {
  switch (l4.proto) {
    case 'tcp':
    case 'udp':
      if (m === 'src') return l4.sport === target.sport ? l4 : { ...l4, sport: target.sport };
      return l4.dport === target.dport ? l4 : { ...l4, dport: target.dport };
    case 'icmp':
      // Only query/answer messages carry an id (icmp_manip_pkt); errors keep their header.
      if (isIcmpEcho(l4) && l4.ident !== target.sport) return { ...l4, ident: target.sport };
      return l4;
    default:
      return l4;
  }
}
