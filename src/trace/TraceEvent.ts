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

/**
 * A neighbour entry changes state or link-layer address; or, with `event`, the garbage collector removed it
 * (`forced-gc`, `periodic-gc`: `state` and `lladdr` are what it had) or it could not be created because the
 * table is full (`table-full`, the kernel's "neighbor table overflow!": `state` is `NONE`).
 */
export interface NeighEvent extends Base {
  kind: 'neigh';
  address: string;
  state: string;
  lladdr?: string;
  event?: 'forced-gc' | 'periodic-gc' | 'table-full';
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
  /** Set when the cable (the carrier) changed rather than the interface's administrative state. */
  cable?: true;
}

/**
 * A change a scenario's timeline made to a host or a cable that is not a command or a link state: a crash, a
 * restart, a slow-down (`detail`: the factor) or packet loss on a cable (`iface`; `detail`: the probability).
 */
export interface FaultEvent extends Base {
  kind: 'fault';
  fault: 'crash' | 'restart' | 'slow' | 'loss';
  detail?: string;
}

/** A narration step is shown: its index in the scenario's `narration:` list and its text (safe markup). */
export interface NarrationEvent extends Base {
  kind: 'narration';
  step: number;
  text: string;
}

/** An application-level event (a request completed, a server answered). */
export interface AppEvent extends Base {
  kind: 'app';
  app: string;
  event: string;
  detail?: string;
  /** Workload outcomes (extension): the server that answered (its `Server:` name). */
  server?: string;
  /** Workload outcomes: body bytes received. */
  bytes?: number;
  /** Workload outcomes: ns from sending the request to the whole response. */
  latency?: SimTime;
}

/**
 * IPVS on a director: a connection scheduled to a real server (`conn`), a persistence template made
 * (`template`), an entry's protocol state changed (`state`), an entry left the table (`expire`), an entry was
 * created from a connection-sync message on a backup director (`sync`), or a kernel log
 * line (`log`, e.g. `IPVS: rr: TCP 10.0.0.100:80 - no destination available`). Extension: an application
 * helper made or refreshed an entry (`app`: ip_vs_ftp's data entry, the fields naming it and `detail` what the
 * helper read, `ftp: PASV 192.168.0.2:50000 → 81.57.54.100:50000`).
 */
export interface IpvsEvent extends Base {
  kind: 'ipvs';
  event: 'conn' | 'template' | 'state' | 'expire' | 'log' | 'sync' | 'app';
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

/**
 * A health checker (ldirectord or keepalived) on a director: a real server's check result changed what it
 * believes (`up`, `down`, a `failure` still within the retries), or it changed the IPVS table (`fallback-on`,
 * `fallback-off`, `sorry-on`, `sorry-off`). `action` says what IPVS was told (`added weight 3`, `removed`,
 * `weight 0`).
 */
export interface HealthEvent extends Base {
  kind: 'health';
  daemon: string;
  /** `TCP 10.0.0.100:80` or `FWM 1`. */
  service: string;
  /** `A.B.C.D:PORT` of the real (or fallback/sorry) server. */
  server: string;
  event: 'up' | 'down' | 'failure' | 'fallback-on' | 'fallback-off' | 'sorry-on' | 'sorry-off';
  check?: string;
  action?: string;
  detail?: string;
}

/** A VRRP instance changed state (`INIT`, `BACKUP`, `MASTER`, `FAULT`); `reason` says what made it. */
export interface VrrpEvent extends Base {
  kind: 'vrrp';
  instance: string;
  vrid: number;
  from: string;
  to: string;
  priority: number;
  reason: string;
}

/**
 * Extension (workloads): a sample of a host's IPVS CPU (src/ipvs/DirectorCpu.ts), taken every 100 ms while a
 * scenario runs workloads and only when the CPU did something since the last sample. Counters are cumulative
 * from the start of the run, so the utilisation between two samples is Δbusy / Δt.
 */
export interface CpuEvent extends Base {
  kind: 'cpu';
  /** ns of CPU time spent on IPVS packets so far. */
  busy: SimTime;
  /** Packets processed so far. */
  processed: number;
  /** Packets refused (backlog full) so far. */
  refused: number;
  /** Packets waiting or in service at the sample. */
  queued: number;
}

export type TraceEvent =
  | CpuEvent
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
  | FaultEvent
  | NarrationEvent
  | AppEvent
  | IpvsEvent
  | HealthEvent
  | VrrpEvent;

export type TraceKind = TraceEvent['kind'];

/** An event before the tracer stamps time and sequence on it. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 't' | 'seq'> : never) : never;
