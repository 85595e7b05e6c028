import { SECOND, type Simulator, type SimTime } from '../../sim/index.ts';
import { IcmpType, isIcmpEcho, isIcmpError, protocolNumber, TcpFlag, type Ipv4Address, type Ipv4Packet } from '../../wire/index.ts';
import type { Skb } from '../Skb.ts';

/**
 * Connection tracking, the subset NAT and the state match need (net/netfilter/nf_conntrack_core.c,
 * nf_conntrack_proto_{tcp,udp,icmp,generic}.c).
 *
 * A connection is a pair of tuples: the original direction as first seen and the reply direction the other end
 * will use (the inverse, until NAT alters it). Both tuples are keys of one table, so a packet finds its entry
 * and its direction with one lookup. A new entry is unconfirmed — attached to the packet only — until the packet
 * leaves the last hook (INPUT or POSTROUTING); a packet dropped on the way leaves no entry behind.
 *
 * Simplifications: TCP state follows flags only (no window tracking) through a reduced state set with the
 * kernel's default timeouts; expiry is lazy (checked on lookup, plus a sweep when the table has doubled) instead
 * of a timer per entry; no helpers, expectations, zones or table size limit.
 */

/** A connection's address/port tuple. ICMP: `sport` is the echo identifier in both directions, `dport` the type. */
export interface CtTuple {
  readonly proto: number;
  readonly src: Ipv4Address;
  readonly sport: number;
  readonly dst: Ipv4Address;
  readonly dport: number;
}

/** ct->status bits (include/uapi/linux/netfilter/nf_conntrack_common.h), the ones modelled. */
export const CtStatus = {
  seenReply: 1 << 1,
  assured: 1 << 2,
  confirmed: 1 << 3,
  srcNat: 1 << 4,
  dstNat: 1 << 5,
  srcNatDone: 1 << 7,
  dstNatDone: 1 << 8,
} as const;

/** Reduced TCP conntrack states (enum tcp_conntrack). */
export type CtTcpState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

/** Default timeouts (nf_conntrack_proto_*.c; UDP as the classic 30 s unreplied / 180 s stream). */
const TCP_TIMEOUT: Record<CtTcpState, SimTime> = {
  SYN_SENT: 120 * SECOND,
  SYN_RECV: 60 * SECOND,
  ESTABLISHED: 432_000 * SECOND,
  FIN_WAIT: 120 * SECOND,
  LAST_ACK: 30 * SECOND,
  TIME_WAIT: 120 * SECOND,
  CLOSE: 10 * SECOND,
};
const UDP_TIMEOUT = 30 * SECOND;
const UDP_STREAM_TIMEOUT = 180 * SECOND;
const ICMP_TIMEOUT = 30 * SECOND;
const GENERIC_TIMEOUT = 600 * SECOND;

export class CtEntry {
  status = 0;
  tcpState: CtTcpState | undefined;
  /** Direction that sent the first FIN (for the FIN_WAIT → LAST_ACK step). */
  finDir: 0 | 1 | undefined;
  /** The target that set up each binding, for trace names (`MASQUERADE`, `SNAT`, `DNAT`, `REDIRECT`). */
  srcNatBy: string | undefined;
  dstNatBy: string | undefined;

  constructor(
    readonly id: number,
    public orig: CtTuple,
    public reply: CtTuple,
    public expires: SimTime,
  ) {}

  tuple(dir: 0 | 1): CtTuple {
    return dir === 0 ? this.orig : this.reply;
  }
}

/** ctinfo: how a packet relates to its entry. */
export type CtInfo = 'new' | 'established' | 'related';

/** What conntrack attaches to a packet (skb->_nfct and ctinfo). */
export interface CtRef {
  readonly entry: CtEntry;
  readonly dir: 0 | 1;
  readonly info: CtInfo;
}

/** The entry a packet carries, if conntrack looked at it and found or created one. */
export function ctOf(skb: Skb): CtRef | undefined {
  return skb.ct as CtRef | undefined;
}

export function tupleKey(t: CtTuple): string {
  return `${t.proto}|${t.src}|${t.sport}|${t.dst}|${t.dport}`;
}

export function tupleEqual(a: CtTuple, b: CtTuple): boolean {
  return a.proto === b.proto && a.src === b.src && a.sport === b.sport && a.dst === b.dst && a.dport === b.dport;
}

/** ICMP query types and their answers (nf_conntrack_proto_icmp.c invmap). */
const ICMP_INVERSE: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };

/** nf_ct_invert_tuple. */
export function invertTuple(t: CtTuple): CtTuple {
  if (t.proto === 1) return { proto: 1, src: t.dst, sport: t.sport, dst: t.src, dport: ICMP_INVERSE[t.dport] ?? t.dport };
  return { proto: t.proto, src: t.dst, sport: t.dport, dst: t.src, dport: t.sport };
}

/** The tuple of a packet (nf_ct_get_tuple); undefined for ICMP messages that are neither queries nor answers. */
export function packetTuple(p: Ipv4Packet): CtTuple | undefined {
  const l4 = p.l4;
  const proto = protocolNumber(l4, p.ip);
  switch (l4.proto) {
    case 'tcp':
    case 'udp':
      return { proto, src: p.ip.src, sport: l4.sport, dst: p.ip.dst, dport: l4.dport };
    case 'icmp':
      if (isIcmpEcho(l4)) return { proto, src: p.ip.src, sport: l4.ident, dst: p.ip.dst, dport: l4.type };
      return undefined;
    default:
      return { proto, src: p.ip.src, sport: 0, dst: p.ip.dst, dport: 0 };
  }
}

export class Conntrack {
  private readonly table = new Map<string, { entry: CtEntry; dir: 0 | 1 }>();
  private nextId = 1;
  private sweepAt = 1024;

  constructor(private readonly sim: Simulator) {}

  /** Confirmed connections (each once, in the order they were confirmed). */
  entries(): CtEntry[] {
    this.sweep();
    const out: CtEntry[] = [];
    for (const v of this.table.values()) if (v.dir === 0) out.push(v.entry);
    return out;
  }

  /**
   * nf_conntrack_in: the entry of a packet, found or new (unconfirmed), with its ctinfo; undefined when the
   * packet is INVALID (an ICMP error about no known connection, a reply-only ICMP type, a TCP segment that
   * cannot open a connection).
   */
  inbound(p: Ipv4Packet): CtRef | undefined {
    const l4 = p.l4;
    if (l4.proto === 'icmp' && isIcmpError(l4)) return this.related(l4.original);
    const t = packetTuple(p);
    if (!t) return undefined;
    const now = this.sim.now();
    const hit = this.lookup(t, now);
    if (hit) {
      const { entry, dir } = hit;
      if (t.proto === 6 && l4.proto === 'tcp' && dir === 0 && (l4.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && (entry.tcpState === 'TIME_WAIT' || entry.tcpState === 'CLOSE')) {
        // A new SYN on a closed connection's tuple starts a new connection (tcp_packet's -NF_REPEAT).
        this.remove(entry);
        return this.create(t, p, now);
      }
      if (dir === 1) entry.status |= CtStatus.seenReply;
      this.refresh(entry, dir, p, now);
      const info: CtInfo = dir === 1 || (entry.status & CtStatus.seenReply) !== 0 ? 'established' : 'new';
      return { entry, dir, info };
    }
    return this.create(t, p, now);
  }

  /** Inserts a new entry's tuples when its first packet leaves the last hook (__nf_conntrack_confirm). */
  confirm(ref: CtRef): void {
    const e = ref.entry;
    if (e.status & CtStatus.confirmed) return;
    const ko = tupleKey(e.orig);
    const kr = tupleKey(e.reply);
    // A clash (two unconfirmed entries for one tuple) keeps the first; the kernel drops the late packet.
    if (this.table.has(ko) || this.table.has(kr)) return;
    e.status |= CtStatus.confirmed;
    this.table.set(ko, { entry: e, dir: 0 });
    this.table.set(kr, { entry: e, dir: 1 });
    if (this.table.size > this.sweepAt) {
      this.sweep();
      this.sweepAt = Math.max(1024, 2 * this.table.size);
    }
  }

  /** nf_conntrack_tuple_taken: whether another entry already uses `t` in either direction. */
  tupleTaken(t: CtTuple, ignore: CtEntry): boolean {
    const hit = this.table.get(tupleKey(t));
    if (!hit || hit.entry === ignore) return false;
    if (hit.entry.expires <= this.sim.now()) {
      this.remove(hit.entry);
      return false;
    }
    return true;
  }

  /** nf_conntrack_alter_reply: NAT changed the reply tuple; a confirmed entry is re-keyed. */
  alterReply(e: CtEntry, reply: CtTuple): void {
    if (e.status & CtStatus.confirmed) {
      this.table.delete(tupleKey(e.reply));
      this.table.set(tupleKey(reply), { entry: e, dir: 1 });
    }
    e.reply = reply;
  }

  /** Forgets every connection (`conntrack -F`). */
  flush(): void {
    this.table.clear();
  }

  get size(): number {
    return this.table.size / 2;
  }

  private lookup(t: CtTuple, now: SimTime): { entry: CtEntry; dir: 0 | 1 } | undefined {
    const hit = this.table.get(tupleKey(t));
    if (!hit) return undefined;
    if (hit.entry.expires <= now) {
      this.remove(hit.entry);
      return undefined;
    }
    return hit;
  }

  /** icmp_error_message: an ICMP error belongs to the connection of the packet it quotes. */
  private related(inner: Ipv4Packet): CtRef | undefined {
    const t = packetTuple(inner);
    if (!t) return undefined;
    // The quoted packet travelled the other way: invert its tuple to find the connection.
    const hit = this.lookup(invertTuple(t), this.sim.now());
    if (!hit) return undefined;
    return { entry: hit.entry, dir: hit.dir, info: 'related' };
  }

  private create(t: CtTuple, p: Ipv4Packet, now: SimTime): CtRef | undefined {
    const l4 = p.l4;
    let tcpState: CtTcpState | undefined;
    if (l4.proto === 'tcp') {
      // tcp_new: only a SYN, or a bare ACK picked up mid-stream (nf_conntrack_tcp_loose=1), opens an entry.
      const f = l4.flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST | TcpFlag.FIN);
      if (f === TcpFlag.SYN) tcpState = 'SYN_SENT';
      else if (f === TcpFlag.ACK) tcpState = 'ESTABLISHED';
      else return undefined;
    } else if (l4.proto === 'icmp') {
      // icmp_new: only queries open an entry; an echo reply with no request is INVALID.
      if (!(l4.type === IcmpType.echoRequest || l4.type === 13 || l4.type === 15 || l4.type === 17)) return undefined;
    }
    const e = new CtEntry(this.nextId++, t, invertTuple(t), now);
    e.tcpState = tcpState;
    this.refresh(e, 0, p, now);
    return { entry: e, dir: 0, info: 'new' };
  }

  /** Per-protocol state update and timeout refresh (nf_ct_refresh_acct). */
  private refresh(e: CtEntry, dir: 0 | 1, p: Ipv4Packet, now: SimTime): void {
    const l4 = p.l4;
    let timeout: SimTime;
    if (l4.proto === 'tcp') {
      e.tcpState = nextTcpState(e, dir, l4.flags);
      if (e.tcpState === 'ESTABLISHED' && (e.status & CtStatus.seenReply) !== 0) e.status |= CtStatus.assured;
      timeout = TCP_TIMEOUT[e.tcpState];
    } else if (l4.proto === 'udp') {
      timeout = e.status & CtStatus.seenReply ? UDP_STREAM_TIMEOUT : UDP_TIMEOUT;
    } else if (l4.proto === 'icmp') {
      timeout = ICMP_TIMEOUT;
    } else {
      timeout = GENERIC_TIMEOUT;
    }
    e.expires = now + timeout;
  }

  private remove(e: CtEntry): void {
    const ko = tupleKey(e.orig);
    const kr = tupleKey(e.reply);
    if (this.table.get(ko)?.entry === e) this.table.delete(ko);
    if (this.table.get(kr)?.entry === e) this.table.delete(kr);
  }

  private sweep(): void {
    const now = this.sim.now();
    for (const [k, v] of this.table) if (v.entry.expires <= now) this.table.delete(k);
  }
}

/** A reduced tcp_conntracks table: flags move the entry between the states whose timeouts differ. */
function nextTcpState(e: CtEntry, dir: 0 | 1, flags: number): CtTcpState {
  const s = e.tcpState ?? 'SYN_SENT';
  if (flags & TcpFlag.RST) return 'CLOSE';
  const syn = (flags & TcpFlag.SYN) !== 0;
  const ack = (flags & TcpFlag.ACK) !== 0;
  if (syn) return ack && dir === 1 && (s === 'SYN_SENT' || s === 'SYN_RECV') ? 'SYN_RECV' : s;
  if (flags & TcpFlag.FIN) {
    if (s === 'ESTABLISHED' || s === 'SYN_RECV') {
      e.finDir = dir;
      return 'FIN_WAIT';
    }
    if (s === 'FIN_WAIT' && e.finDir !== dir) return 'LAST_ACK';
    return s;
  }
  if (ack) {
    if (s === 'SYN_RECV' && dir === 0) return 'ESTABLISHED';
    if (s === 'LAST_ACK') return 'TIME_WAIT';
  }
  return s;
}
