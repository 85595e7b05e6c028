import type { PacketSummary, RxEvent, TraceEvent, TxEvent } from '../../trace/index.ts';
import { buildTopology, type TopologySource, type Topology } from '../viewmodel/topology.ts';

/**
 * A synthetic trace with exactly N frames in flight at every moment of a time window, for measuring the
 * stage's frame rate (`npm run bench:ui`) at 200, 2,000 and 20,000 packets in flight. Deterministic: the same
 * N and seed give the same events, so runs on different days compare.
 *
 * Frame i is sent at i·STEP and received at i·STEP + N·STEP (the cable time is N·STEP), so at any t in
 * [N·STEP, M·STEP) the frames in the air are those with t − N·STEP < i·STEP ≤ t: exactly N of them. Senders,
 * receivers and kinds (ARP, SYN, data, ACK, ICMP, VRRP, IPIP-tunnelled data) are drawn from a seeded generator
 * over a two-segment LVS-like topology, so every glyph and every cable is exercised.
 */

/** ns between two transmissions. */
const STEP = 10;

export interface SyntheticLoad {
  readonly inFlight: number;
  readonly source: TopologySource;
  readonly topology: Topology;
  /** tx and rx events in trace order. */
  readonly events: readonly TraceEvent[];
  /** The window [start, end) of simulated time over which exactly `inFlight` frames are in the air. */
  readonly start: number;
  readonly end: number;
  /** Simulated ns a frame takes to cross (sender to receiver). */
  readonly crossing: number;
  /**
   * The simulated time to show `wallMs` after the start, with a frame crossing in `crossMs` of wall time,
   * looping over the window (so a benchmark can run as long as it likes).
   */
  timeAt(wallMs: number, crossMs?: number): number;
}

export interface SyntheticLoadOptions {
  seed?: number;
  /** How many crossing times the window lasts (default 4). */
  crossings?: number;
}

const SOURCE: TopologySource = {
  segments: [{ name: 'wan' }, { name: 'lan' }],
  hosts: [
    { name: 'client', role: 'client', position: [60, 200], interfaces: [{ name: 'eth0', segment: 'wan', addresses: [{ text: '10.0.0.2/24' }] }] },
    {
      name: 'router',
      role: 'router',
      position: [220, 200],
      interfaces: [
        { name: 'eth0', segment: 'wan', addresses: [{ text: '10.0.0.1/24' }] },
        { name: 'eth1', segment: 'lan', addresses: [{ text: '192.168.1.254/24' }] },
      ],
    },
    { name: 'director', role: 'director', position: [420, 200], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [{ text: '192.168.1.1/24' }] }] },
    { name: 'rs1', role: 'real-server', position: [600, 80], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [{ text: '192.168.1.2/24' }] }] },
    { name: 'rs2', role: 'real-server', position: [600, 160], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [{ text: '192.168.1.3/24' }] }] },
    { name: 'rs3', role: 'real-server', position: [600, 240], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [{ text: '192.168.1.4/24' }] }] },
    { name: 'rs4', role: 'real-server', position: [600, 320], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [{ text: '192.168.1.5/24' }] }] },
  ],
};

/** Every (host, iface) on each segment, in file order. */
function ports(source: TopologySource): Map<string, Array<{ host: string; iface: string; ip: string; mac: string }>> {
  const out = new Map<string, Array<{ host: string; iface: string; ip: string; mac: string }>>();
  let n = 0;
  for (const h of source.hosts) {
    for (const i of h.interfaces) {
      if (i.segment === undefined) continue;
      n++;
      const list = out.get(i.segment) ?? [];
      list.push({ host: h.name, iface: i.name, ip: i.addresses[0]?.text.replace(/\/\d+$/, '') ?? '0.0.0.0', mac: `02:00:00:00:00:${n.toString(16).padStart(2, '0')}` });
      out.set(i.segment, list);
    }
  }
  return out;
}

/** mulberry32: a small seeded generator (the bench must not depend on Math.random). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Port = { host: string; iface: string; ip: string; mac: string };

function packet(pid: number, shape: number, from: Port, to: Port): PacketSummary {
  const eth = { src: from.mac, dst: to.mac, type: 'ipv4' as string | number };
  const tcp = (flags: string, len: number) => ({ sport: 40000 + (pid % 20000), dport: 80, flags, seq: pid, ack: 1, len });
  const ip = (proto: string, len: number) => ({ src: from.ip, dst: to.ip, ttl: 64, proto, id: pid & 0xffff, len });
  switch (shape) {
    case 0:
      return { pid, eth: { ...eth, type: 'arp' }, arp: { op: 'request', sha: from.mac, spa: from.ip, tha: '00:00:00:00:00:00', tpa: to.ip } };
    case 1:
      return { pid, eth, ip: ip('tcp', 60), tcp: tcp('S', 0) };
    case 2:
      return { pid, eth, ip: ip('tcp', 1040), tcp: tcp('.P', 1000) };
    case 3:
      return { pid, eth, ip: ip('tcp', 40), tcp: tcp('.', 0) };
    case 4:
      return { pid, eth, ip: ip('icmp', 84), icmp: { type: 8, code: 0, id: 1, seq: pid & 0xffff } };
    case 5:
      return { pid, eth, ip: ip('vrrp', 40), vrrp: { v: 2, vrid: 51, prio: 100, int: 1, addrs: 1 } };
    default:
      return { pid, eth, ip: ip('ipip', 1060), inner: { ip: { src: '10.0.0.2', dst: '192.168.1.110', ttl: 63, proto: 'tcp', id: pid & 0xffff, len: 1040 }, tcp: tcp('.P', 1000) } };
  }
}

export function syntheticLoad(inFlight: number, options: SyntheticLoadOptions = {}): SyntheticLoad {
  if (!Number.isInteger(inFlight) || inFlight < 1) throw new Error(`syntheticLoad: inFlight must be a positive integer, got ${inFlight}`);
  const crossings = Math.max(2, Math.floor(options.crossings ?? 4));
  const random = generator(options.seed ?? 1);
  const bySegment = ports(SOURCE);
  const segments = [...bySegment.keys()];
  const total = inFlight * crossings;
  const crossing = inFlight * STEP;
  const frames = new Map<string, number>();
  // Sends and arrivals, merged in time order: at a tie the arrival (of frame i − N) comes before the send.
  const sends: TxEvent[] = [];
  const arrivals: RxEvent[] = [];
  for (let i = 0; i < total; i++) {
    const seg = segments[Math.floor(random() * segments.length)];
    const list = bySegment.get(seg)!;
    const a = Math.floor(random() * list.length);
    let b = Math.floor(random() * (list.length - 1));
    if (b >= a) b++;
    const frame = (frames.get(seg) ?? 0) + 1;
    frames.set(seg, frame);
    const pkt = packet(i + 1, Math.floor(random() * 7), list[a], list[b]);
    sends.push({ kind: 'tx', t: i * STEP, seq: 0, host: list[a].host, iface: list[a].iface, frame, pkt });
    arrivals.push({ kind: 'rx', t: i * STEP + crossing, seq: 0, host: list[b].host, iface: list[b].iface, frame, pkt });
  }
  const events: TraceEvent[] = [];
  let s = 0;
  let r = 0;
  while (s < sends.length || r < arrivals.length) {
    const next = r < arrivals.length && (s >= sends.length || arrivals[r].t <= sends[s].t) ? arrivals[r++] : sends[s++];
    next.seq = events.length;
    events.push(next);
  }
  const start = crossing;
  const end = total * STEP;
  return {
    inFlight,
    source: SOURCE,
    topology: buildTopology(SOURCE),
    events,
    start,
    end,
    crossing,
    timeAt(wallMs: number, crossMs = 1500): number {
      const span = end - start;
      const sim = Math.floor((wallMs / crossMs) * crossing);
      return start + (((sim % span) + span) % span);
    },
  };
}
