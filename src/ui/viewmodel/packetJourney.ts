import type { DropEvent, DropReason, PacketSummary, RouteEvent, RxEvent, TraceEvent, TxEvent } from '../../trace/index.ts';
import type { SegmentOf } from './topology.ts';

/**
 * The journey of a packet through the trace: every place it was sent, received, dropped or finally delivered,
 * in trace order, across the rewrites that give it a new identity.
 *
 * A packet keeps its id (`pkt.pid`) from hop to hop (a TTL decrement or a new Ethernet header is the same
 * packet); NAT, IPIP encapsulation and decapsulation make a new packet whose `pkt.parent` is the old id
 * (src/wire/Packet.ts). So a journey follows the lineage: up through the parents to the first packet, then down
 * through every child that is the same traffic rewritten. Children that are a reaction to the packet rather
 * than the packet itself — an ICMP error quoting it, an echo reply or a TCP reset answering it — are listed as
 * offshoots, not as hops.
 *
 * Only the trace is read: the index can be fed events as the simulation makes them.
 */

export type HopKind = 'tx' | 'rx' | 'drop' | 'deliver';

/** How a packet was made from its parent. */
export type Derivation = 'rewrite' | 'encap' | 'decap' | 'icmp-error' | 'reply';

export interface Hop {
  /**
   * `tx`: an interface put the frame on its cable; `rx`: an interface accepted it; `drop`: it was discarded
   * (at a host, or at a switch: `segment` set); `deliver`: a host kept it for itself (its local route, when
   * nothing more happened to it on that host: a director that forwards a packet to a real server after
   * routing it locally has no deliver hop).
   */
  readonly kind: HopKind;
  readonly t: number;
  readonly seq: number;
  readonly host?: string;
  readonly iface?: string;
  /** Set for drops at a switch. */
  readonly segment?: string;
  /** Transmission number on the segment (tx, rx, and drops of a frame on its way). */
  readonly frame?: number;
  readonly pid: number;
  readonly pkt: PacketSummary;
  readonly reason?: DropReason;
  readonly detail?: string;
  /**
   * Index (in `hops`) of the hop this one follows from: for an rx or a drop on the way, the tx of the same
   * frame; for a tx, a delivery or a drop inside a host, the last rx on that host. Absent where the packet
   * starts (the host that made it) or when the match is not in the trace.
   */
  readonly prev?: number;
  /** The rewrites between prev's packet and this one, in the order they happened; empty for the same packet. */
  readonly via: readonly Derivation[];
}

export interface Offshoot {
  readonly pid: number;
  readonly parent: number;
  readonly derivation: 'icmp-error' | 'reply';
  /** The first event that shows it. */
  readonly t: number;
  readonly seq: number;
  readonly host?: string;
  readonly pkt: PacketSummary;
}

export interface PacketJourney {
  /** The first packet of the lineage (the one with no parent in the same traffic). */
  readonly root: number;
  /** Every packet id of the lineage, root first, then children in the order they appeared. */
  readonly pids: readonly number[];
  readonly hops: readonly Hop[];
  readonly offshoots: readonly Offshoot[];
}

/** The events that place a packet somewhere. */
type PacketEvent = TxEvent | RxEvent | (DropEvent & { pkt: PacketSummary }) | RouteEvent;

interface PacketRecord {
  readonly pid: number;
  readonly parent?: number;
  /** The summary of its first event: what the packet was when it was made. */
  readonly first: PacketSummary;
  readonly firstSeq: number;
  readonly firstHost?: string;
  /** Its tx, rx, drop and route events, in trace order. */
  readonly events: PacketEvent[];
  readonly children: number[];
}

/**
 * Packet ids → their events and lineage, built incrementally (`add` each event in trace order). A journey
 * query costs the size of the lineage's events, not of the trace.
 */
export class PacketIndex {
  private readonly packets = new Map<number, PacketRecord>();
  /** `segment#frame` → the tx of that transmission. */
  private readonly txByFrame = new Map<string, TxEvent>();

  constructor(private readonly segmentOf: SegmentOf) {}

  addAll(events: Iterable<TraceEvent>): this {
    for (const e of events) this.add(e);
    return this;
  }

  add(e: TraceEvent): void {
    if (e.kind !== 'tx' && e.kind !== 'rx' && e.kind !== 'drop' && e.kind !== 'route' && e.kind !== 'nf') return;
    const pkt = e.pkt;
    if (pkt === undefined) return;
    let rec = this.packets.get(pkt.pid);
    if (rec === undefined) {
      rec = { pid: pkt.pid, first: pkt, firstSeq: e.seq, events: [], children: [], ...(pkt.parent !== undefined ? { parent: pkt.parent } : {}), ...(e.host !== undefined ? { firstHost: e.host } : {}) };
      this.packets.set(pkt.pid, rec);
      if (pkt.parent !== undefined) this.packets.get(pkt.parent)?.children.push(pkt.pid);
    }
    // nf events only announce a packet (a rewrite's first sight); they are no place of their own.
    // (`pkt` was checked above; TypeScript does not carry that to `e`.)
    if (e.kind !== 'nf') rec.events.push(e as PacketEvent);
    if (e.kind === 'tx') {
      const key = this.frameKey(e);
      if (key !== undefined) this.txByFrame.set(key, e);
    }
  }

  has(pid: number): boolean {
    return this.packets.has(pid);
  }

  /** The journey of the lineage `pid` belongs to; undefined for an id the trace never showed. */
  journey(pid: number): PacketJourney | undefined {
    const start = this.packets.get(pid);
    if (start === undefined) return undefined;
    let root = start;
    for (;;) {
      const parent = root.parent !== undefined ? this.packets.get(root.parent) : undefined;
      if (parent === undefined || !isSameTraffic(derive(parent.first, root.first))) break;
      root = parent;
    }
    const lineage: PacketRecord[] = [];
    const offshoots: Offshoot[] = [];
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      const rec = queue[i];
      lineage.push(rec);
      for (const c of rec.children) {
        const child = this.packets.get(c)!;
        const d = derive(rec.first, child.first);
        if (isSameTraffic(d)) queue.push(child);
        else offshoots.push({ pid: c, parent: rec.pid, derivation: d as 'icmp-error' | 'reply', t: child.events[0]?.t ?? 0, seq: child.firstSeq, pkt: child.first, ...(child.firstHost !== undefined ? { host: child.firstHost } : {}) });
      }
    }
    offshoots.sort((a, b) => a.seq - b.seq);
    const inLineage = new Map(lineage.map((r) => [r.pid, r]));
    const events: PacketEvent[] = [];
    for (const r of lineage) {
      for (const e of r.events) {
        if (e.kind === 'route' ? this.isDelivery(e, r) : e.kind === 'tx' || e.kind === 'rx' || e.kind === 'drop') events.push(e);
      }
    }
    events.sort((a, b) => a.seq - b.seq);
    return { root: root.pid, pids: lineage.map((r) => r.pid), hops: this.link(events, inLineage), offshoots };
  }

  /**
   * A local route is the packet's end on that host unless something more happened to it there later: it was
   * routed again or sent (IPVS takes a locally routed packet at LOCAL_IN and sends it on), dropped, or made
   * into a child of the same traffic there (decapsulated, rewritten).
   */
  private isDelivery(e: RouteEvent, rec: PacketRecord): boolean {
    if (e.decision !== 'local') return false;
    for (const later of rec.events) {
      if (later.seq > e.seq && later.host === e.host && (later.kind === 'tx' || later.kind === 'route' || later.kind === 'drop')) return false;
    }
    for (const c of rec.children) {
      const child = this.packets.get(c)!;
      // An answer (echo reply, reset) or an ICMP error made there does not mean the packet went on.
      if (child.firstSeq > e.seq && child.firstHost === e.host && isSameTraffic(derive(rec.first, child.first))) return false;
    }
    return true;
  }

  /** Hops from events (in trace order), each linked to the hop it follows from. */
  private link(events: readonly PacketEvent[], lineage: ReadonlyMap<number, PacketRecord>): Hop[] {
    const hops: Hop[] = [];
    const indexBySeq = new Map<number, number>();
    const lastRxOnHost = new Map<string, number>();
    for (const e of events) {
      const kind: HopKind = e.kind === 'route' ? 'deliver' : (e.kind as HopKind);
      let prev: number | undefined;
      const onWire = (e.kind === 'rx' || e.kind === 'drop') && e.frame !== undefined;
      if (onWire) {
        const key = this.frameKey(e);
        const tx = key !== undefined ? this.txByFrame.get(key) : undefined;
        if (tx !== undefined && tx.seq < e.seq) prev = indexBySeq.get(tx.seq);
      } else if (e.host !== undefined) {
        prev = lastRxOnHost.get(e.host);
      }
      const via = prev !== undefined ? derivationsBetween(lineage, hops[prev].pid, e.pkt.pid) : [];
      const hop: Hop = {
        kind,
        t: e.t,
        seq: e.seq,
        pid: e.pkt.pid,
        pkt: e.pkt,
        via,
        ...(e.host !== undefined ? { host: e.host } : {}),
        ...(e.iface !== undefined ? { iface: e.iface } : {}),
        ...(e.kind === 'drop' && e.segment !== undefined ? { segment: e.segment } : {}),
        ...((e.kind === 'tx' || e.kind === 'rx' || e.kind === 'drop') && e.frame !== undefined ? { frame: e.frame } : {}),
        ...(e.kind === 'drop' ? { reason: e.reason, ...(e.detail !== undefined ? { detail: e.detail } : {}) } : {}),
        ...(prev !== undefined ? { prev } : {}),
      };
      indexBySeq.set(e.seq, hops.length);
      if (kind === 'rx' && e.host !== undefined) lastRxOnHost.set(e.host, hops.length);
      hops.push(hop);
    }
    return hops;
  }

  /** The segment-wide identity of a transmission: frame numbers count per segment (src/net/link/Switch.ts). */
  private frameKey(e: TraceEvent & { frame?: number }): string | undefined {
    if (e.frame === undefined) return undefined;
    const segment = e.segment ?? (e.host !== undefined && e.iface !== undefined ? this.segmentOf(e.host, e.iface) : undefined);
    return segment !== undefined ? `${segment}#${e.frame}` : undefined;
  }
}

/** The journey of `pid` in a whole trace (builds an index; keep a PacketIndex for repeated queries). */
export function packetJourney(events: Iterable<TraceEvent>, pid: number, segmentOf: SegmentOf): PacketJourney | undefined {
  return new PacketIndex(segmentOf).addAll(events).journey(pid);
}

function isSameTraffic(d: Derivation): boolean {
  return d === 'rewrite' || d === 'encap' || d === 'decap';
}

function isIcmpError(p: PacketSummary): boolean {
  return p.icmp !== undefined && p.inner !== undefined;
}

/**
 * How `child` was made from `parent`, from their headers: an IPIP header appearing or going is encapsulation
 * or decapsulation; a new ICMP error about a packet that was not one is the stack's reaction; a packet between
 * the same two addresses the other way round is an answer (echo reply, TCP reset); anything else is a
 * rewrite (NAT: IPVS masquerading, iptables DNAT/SNAT, including NAT of an ICMP error).
 */
export function derive(parent: PacketSummary, child: PacketSummary): Derivation {
  const pIpip = parent.ip?.proto === 'ipip';
  const cIpip = child.ip?.proto === 'ipip';
  if (cIpip && !pIpip) return 'encap';
  if (pIpip && !cIpip) return 'decap';
  if (isIcmpError(child) && !isIcmpError(parent)) return 'icmp-error';
  if (parent.ip !== undefined && child.ip !== undefined && child.ip.src === parent.ip.dst && child.ip.dst === parent.ip.src) return 'reply';
  return 'rewrite';
}

/** The derivations from ancestor `from` down to `to`, oldest first; empty when equal or not related. */
function derivationsBetween(lineage: ReadonlyMap<number, PacketRecord>, from: number, to: number): Derivation[] {
  const out: Derivation[] = [];
  let cur = lineage.get(to);
  while (cur !== undefined && cur.pid !== from) {
    const parent = cur.parent !== undefined ? lineage.get(cur.parent) : undefined;
    if (parent === undefined) return [];
    out.push(derive(parent.first, cur.first));
    cur = parent;
  }
  return out.reverse();
}
