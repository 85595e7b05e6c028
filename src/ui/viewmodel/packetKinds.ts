import type { PacketSummary, TraceEvent } from '../../trace/index.ts';

/**
 * The colour classes of packets on the stage, and a palette that does not rely on colour alone.
 *
 * Most classes can be told from a packet's headers: ARP, a TCP SYN (or SYN-ACK), a TCP segment carrying data,
 * a bare TCP ACK, FIN or RST, ICMP, VRRP. A health check cannot: ldirectord's or keepalived's check of a real
 * server is an ordinary TCP connection (or ping) from the director's own address. What the trace does tell is
 * who opened a connection: a `tcp` event on the daemon's host going CLOSED → SYN_SENT names both ends. So the
 * classifier learns, from those events, the connections that a host running a checker daemon opened itself,
 * and calls every segment of them a health check. Honest limits: a ping check (PING_CHECK, checktype=ping)
 * looks like any other ping and is classed ICMP; and any TCP connection that a daemon host opens itself (a
 * student typing a client command on the director) counts as a health check too.
 */

export type PacketKind = 'arp' | 'syn' | 'data' | 'ack-fin' | 'icmp' | 'vrrp' | 'health' | 'other';

export const PACKET_KINDS: readonly PacketKind[] = ['arp', 'syn', 'data', 'ack-fin', 'icmp', 'vrrp', 'health', 'other'];

export interface KindStyle {
  readonly label: string;
  /** `#rrggbb`, from the Okabe–Ito palette (distinguishable with the common forms of colour blindness). */
  readonly color: string;
  /** A second cue beside colour: the sprite's outline. */
  readonly shape: 'circle' | 'square' | 'triangle' | 'diamond' | 'hexagon' | 'cross' | 'star' | 'ring';
  /** A third cue: one letter drawn on the sprite and used in the text list of packets. */
  readonly letter: string;
}

/**
 * Okabe & Ito, "Color Universal Design" (2008): orange E69F00, sky blue 56B4E9, bluish green 009E73,
 * yellow F0E442, blue 0072B2, vermillion D55E00, reddish purple CC79A7, and a neutral grey for the rest.
 */
export const PACKET_STYLES: Readonly<Record<PacketKind, KindStyle>> = {
  arp: { label: 'ARP', color: '#F0E442', shape: 'diamond', letter: 'A' },
  syn: { label: 'SYN', color: '#009E73', shape: 'triangle', letter: 'S' },
  data: { label: 'data', color: '#0072B2', shape: 'circle', letter: 'D' },
  'ack-fin': { label: 'ACK/FIN/RST', color: '#56B4E9', shape: 'square', letter: 'F' },
  icmp: { label: 'ICMP', color: '#D55E00', shape: 'cross', letter: 'I' },
  vrrp: { label: 'VRRP', color: '#CC79A7', shape: 'hexagon', letter: 'V' },
  health: { label: 'health check', color: '#E69F00', shape: 'star', letter: 'H' },
  other: { label: 'other', color: '#999999', shape: 'ring', letter: '?' },
};

type IpLayers = Omit<PacketSummary, 'pid' | 'parent' | 'eth' | 'arp'>;

/**
 * The class of a packet from its headers alone (no health-check knowledge). A tunnelled packet is classed by
 * what it carries (the stage draws the tunnel as a packet inside a packet); an ICMP error is ICMP, whatever it
 * quotes.
 */
export function headerKind(p: PacketSummary): Exclude<PacketKind, 'health'> {
  if (p.arp !== undefined || p.eth?.type === 'arp') return 'arp';
  if (p.ip === undefined) return 'other';
  return ipKind(p);
}

function ipKind(p: IpLayers): Exclude<PacketKind, 'health' | 'arp'> {
  if (p.ip?.proto === 'ipip' && p.inner !== undefined) return ipKind(p.inner);
  if (p.icmp !== undefined || p.ip?.proto === 'icmp') return 'icmp';
  if (p.vrrp !== undefined || p.ip?.proto === 'vrrp') return 'vrrp';
  if (p.tcp !== undefined) {
    if (p.tcp.flags.includes('S')) return 'syn';
    if (p.tcp.len > 0) return 'data';
    return 'ack-fin';
  }
  if (p.udp !== undefined) return 'data';
  return 'other';
}

/** Learns health-check connections from the trace (`observe` every event in order) and classes packets. */
export class PacketClassifier {
  private readonly checkerHosts: ReadonlySet<string>;
  /** `A.B.C.D:P>E.F.G.H:Q`, both directions, of connections a checker host opened. */
  private readonly checks = new Set<string>();

  /** `checkerHosts`: hosts running keepalived or ldirectord (a topology's HostNode.daemons tells). */
  constructor(checkerHosts: Iterable<string>) {
    this.checkerHosts = new Set(checkerHosts);
  }

  observe(e: TraceEvent): void {
    if (e.kind !== 'tcp' || e.host === undefined || !this.checkerHosts.has(e.host)) return;
    // An active open: the daemon's connect(). A passive open (a service on the director) is not a check.
    if (e.from === 'CLOSED' && e.to === 'SYN_SENT') {
      this.checks.add(`${e.local}>${e.remote}`);
      this.checks.add(`${e.remote}>${e.local}`);
    }
  }

  observeAll(events: Iterable<TraceEvent>): this {
    for (const e of events) this.observe(e);
    return this;
  }

  classify(p: PacketSummary): PacketKind {
    const k = headerKind(p);
    if (k === 'arp' || k === 'other' || k === 'icmp' || k === 'vrrp') return k;
    return this.isCheck(p) ? 'health' : k;
  }

  private isCheck(p: IpLayers): boolean {
    if (this.checks.size === 0 || p.ip === undefined) return false;
    if (p.ip.proto === 'ipip' && p.inner !== undefined) return this.isCheck(p.inner);
    if (p.tcp === undefined) return false;
    return this.checks.has(`${p.ip.src}:${p.tcp.sport}>${p.ip.dst}:${p.tcp.dport}`);
  }
}
