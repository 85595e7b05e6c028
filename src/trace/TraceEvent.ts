import type { SimTime } from '../sim/Time.ts';
import type { DropReason } from './DropReason.ts';
import type { PacketSummary } from './packetSummary.ts';

/**
 * The trace vocabulary: every face (CLI, browser, pcap, metrics, expectations) learns what happened only from
 * these events. `t` is integer nanoseconds; `seq` is the global order. Kinds and fields named in
 * docs/scenario-format.md are a contract; the others extend it.
 */
interface Base {
  t: SimTime;
  seq: number;
  host?: string;
  iface?: string;
  /** The L2 segment, for events that happen at a switch rather than on a host. */
  segment?: string;
}

/** An interface puts a frame on its cable. */
export interface TxEvent extends Base {
  kind: 'tx';
  /** Transmission number: every copy of this frame that the switch floods carries it to its rx or drop. */
  frame: number;
  pkt: PacketSummary;
}

/** An interface accepts a frame from its cable. */
export interface RxEvent extends Base {
  kind: 'rx';
  frame: number;
  pkt: PacketSummary;
}

/** A frame or packet is discarded; `detail` says more in words where the reason alone is not enough. */
export interface DropEvent extends Base {
  kind: 'drop';
  /** Set when the drop ends a transmission on a cable or at a switch (see TxEvent.frame). */
  frame?: number;
  pkt?: PacketSummary;
  reason: DropReason;
  detail?: string;
}

/** A neighbour entry changes state or link-layer address. */
export interface NeighEvent extends Base {
  kind: 'neigh';
  address: string;
  state: string;
  lladdr?: string;
}

/** An admin command ran (or finished, for commands that take simulated time). */
export interface CommandEvent extends Base {
  kind: 'command';
  run: string;
  exit: number;
  output: string;
}

/** A host forwards a packet: the route it chose. */
export interface RouteEvent extends Base {
  kind: 'route';
  pkt: PacketSummary;
  decision: 'forward' | 'local' | 'output';
  via?: string;
  oif?: string;
  table?: number;
}

/** A netfilter rule changed a packet or decided its fate (mark, DNAT/REDIRECT, MASQUERADE, DROP, REJECT). */
export interface NfEvent extends Base {
  kind: 'nf';
  hook: string;
  table: string;
  target: string;
  pkt: PacketSummary;
}

/** ICMP messages sent by the stack in reaction to a packet (redirect, unreachable, time exceeded). */
export interface IcmpSentEvent extends Base {
  kind: 'icmp';
  type: number;
  code: number;
  to: string;
  about: number;
}

/** A TCP connection endpoint changes state. */
export interface TcpStateEvent extends Base {
  kind: 'tcp';
  local: string;
  remote: string;
  from: string;
  to: string;
}

/** An interface or cable changes administrative or link state. */
export interface LinkEvent extends Base {
  kind: 'link';
  state: 'up' | 'down';
}

/** An application-level event (a request completed, a server answered). */
export interface AppEvent extends Base {
  kind: 'app';
  app: string;
  event: string;
  detail?: string;
}

/**
 * IPVS on a director: a connection scheduled to a real server (`conn`), a persistence template made
 * (`template`), an entry's protocol state changed (`state`), an entry left the table (`expire`), or a kernel log
 * line (`log`, e.g. `IPVS: rr: TCP 10.0.0.100:80 - no destination available`).
 */
export interface IpvsEvent extends Base {
  kind: 'ipvs';
  event: 'conn' | 'template' | 'state' | 'expire' | 'log';
  /** `TCP 10.0.0.100:80` or `FWM 1`. */
  service?: string;
  /** `TCP`, `UDP` or `IP` (fwmark templates). */
  proto?: string;
  client?: string;
  virtual?: string;
  dest?: string;
  /** `masq`, `tunnel` or `route`. */
  fwd?: string;
  state?: string;
  detail?: string;
}

export type TraceEvent =
  | TxEvent
  | RxEvent
  | DropEvent
  | NeighEvent
  | CommandEvent
  | RouteEvent
  | NfEvent
  | IcmpSentEvent
  | TcpStateEvent
  | LinkEvent
  | AppEvent
  | IpvsEvent;

export type TraceKind = TraceEvent['kind'];

/** An event before the tracer stamps time and sequence on it. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 't' | 'seq'> : never) : never;
