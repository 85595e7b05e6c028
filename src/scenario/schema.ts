import { SECOND, US, type SimTime } from '../sim/index.ts';
import type { Ipv4Address, Ipv4Cidr } from '../wire/index.ts';
import type { SourcePos } from './ScenarioError.ts';
import type { ServiceExtras, WorkloadSpec } from './workloadSchema.ts';
import type { KeepalivedSpec, LdirectordSpec } from './daemonSchema.ts';

export type { ServiceExtras, WorkloadSpec } from './workloadSchema.ts';

/**
 * What a scenario file says, validated and typed: the output of `loadScenario` and the input of the builder.
 * The file format is /work/shared/design/scenario-format.md (an external contract) plus the extensions marked
 * below. Every list keeps file order (the switch floods in interface order; commands run in order), and every
 * entry keeps the position of its key or value so later stages can report errors at the right line.
 */

export type { SourcePos };

export interface ScenarioSpec {
  file: string;
  name: string;
  description?: string;
  seed: number;
  duration: SimTime;
  /** In file order. */
  segments: SegmentSpec[];
  /** In file order. */
  hosts: HostSpec[];
  /** In file order. */
  timeline: TimelineSpec[];
  /** In file order. */
  expect: ExpectSpec[];
  /** Extension: request/response exchanges started at given times. */
  traffic: TrafficSpec[];
  /** Extension (issue 5): client populations running sessions against services. In file order. */
  workload: WorkloadSpec[];
  /** Extension: steps of text shown at times or when a condition first holds, in file order. */
  narration: NarrationSpec[];
  /** Extension: the scenario is an exercise (a broken setup, a goal, hints). */
  exercise?: ExerciseSpec;
}

export interface SegmentSpec {
  name: string;
  /** bit/s: the default rate of every cable into this segment's switch. */
  bandwidth: number;
  /** The default one-way propagation delay of every cable into this switch. */
  latency: SimTime;
  /** The default drop-tail queue per switch port, in packets. */
  queue: number;
  /** Position of the segment's name key. */
  pos: SourcePos;
}

export const HOST_ROLES = ['client', 'router', 'director', 'real-server', 'server'] as const;
export type HostRole = (typeof HOST_ROLES)[number];

export interface HostSpec {
  name: string;
  /** Display only. */
  role?: HostRole;
  /** The browser stage's coordinates. */
  position?: [number, number];
  /**
   * The declared interfaces in file order. The implicit `lo` (127.0.0.1/8) every host has is not listed
   * unless the file declares `lo` to add addresses to it; the builder creates it in any case.
   */
  interfaces: InterfaceSpec[];
  /** Applied before `commands`, in file order. */
  sysctl: SysctlSpec[];
  /** Run in order at time 0, like a shell script. */
  commands: CommandSpec[];
  /** Extension: servers listening on this host. */
  services: ServiceSpec[];
  /** The director's packet-processing cost for IPVS (`cpu:`); the IPVS default when absent. */
  cpu?: CpuSpec;
  /** Extension (issue 5): keepalived on this host (VRRP, checkers, the IPVS sync daemon). */
  keepalived?: KeepalivedSpec;
  /** Extension (issue 5): ldirectord on this host. */
  ldirectord?: LdirectordSpec;
  /** Position of the host's name key. */
  pos: SourcePos;
}

export interface InterfaceSpec {
  name: string;
  /** The segment this interface's cable plugs into; absent only for `lo`. */
  segment?: string;
  /** Lower-case `aa:bb:cc:dd:ee:ff`; absent means derived from host and interface names by the builder. */
  mac?: string;
  addresses: InterfaceAddressSpec[];
  /** This cable's own propagation delay (overrides the segment's). */
  latency?: SimTime;
  /** This cable's own rate in bit/s (overrides the segment's). */
  bandwidth?: number;
  /** Position of the interface's name key. */
  pos: SourcePos;
  /** Position of the `segment` value (absent with `segment`). */
  segmentPos?: SourcePos;
}

export interface InterfaceAddressSpec {
  cidr: Ipv4Cidr;
  /** As written in the file (`192.168.1.254/24`), for `ip addr add`. */
  text: string;
  pos: SourcePos;
}

export interface SysctlSpec {
  key: string;
  /** Numbers and booleans are kept as the text the file wrote (`1`, `0x10`, `true`). */
  value: string;
  /** Position of the key. */
  pos: SourcePos;
}

export interface CommandSpec {
  run: string;
  pos: SourcePos;
}

/**
 * A trace-event filter (the language of `count:`): every key it gives must equal the event's value at the same
 * path; nested objects match by subset. Null-prototype objects; values are strings, numbers, booleans or
 * nested filters.
 */
export type TraceFilter = Record<string, unknown>;

/**
 * A timeline entry: an action at a time (`at`) or when a trace condition first holds (`when`, a count filter;
 * the action then runs at the same simulated instant, after the event that matched). Extension: every action
 * but `run`.
 */
export interface TimelineSpec {
  /** The time of an `at:` entry; 0 for a `when:` entry. */
  at: SimTime;
  /** Extension: the condition of a `when:` entry. */
  when?: TraceFilter;
  /** The host the action happens on (for an interface or a cable: its host). */
  host: string;
  action: TimelineAction;
  /** Position of the entry (its first key). */
  pos: SourcePos;
}

export type TimelineAction =
  /** A command typed on `host` (the contract's form). */
  | { kind: 'run'; run: string; runPos: SourcePos; /** The command is meant to fail: `check` leaves it alone. */ fails?: boolean }
  /** `link: HOST/IFACE, state:` the interface's administrative state, as `ip link set IFACE up|down`. */
  | { kind: 'link'; iface: string; up: boolean }
  /** `cable: HOST/IFACE, state:` the cable between the interface and its switch, unplugged or plugged in. */
  | { kind: 'cable'; iface: string; up: boolean }
  | { kind: 'crash' }
  | { kind: 'restart' }
  /** `slow: HOST, factor:` the host's servers take `factor` times their work (1 = normal again). */
  | { kind: 'slow'; factor: number }
  /** `loss: HOST/IFACE, probability:` frames lost on the interface's cable, both directions (0 = none). */
  | { kind: 'loss'; iface: string; probability: number };

export interface OutputTest {
  contains?: string;
  equals?: string;
  matches?: string;
  /** Extension: one line of the output equals this text exactly (trailing spaces of the output's lines ignored). */
  line?: string;
}

export interface OutputExpectSpec {
  kind: 'output';
  at: SimTime;
  host: string;
  run: string;
  /** Exactly one of the three is set; `matches` compiles as a JavaScript RegExp. */
  output: OutputTest;
  pos: SourcePos;
  runPos: SourcePos;
}

export interface CountExpectSpec {
  kind: 'count';
  /**
   * Trace-event filter: nested objects match by subset. Built on null-prototype objects; values are strings,
   * numbers, booleans or nested filters (no lists, no nulls). `kind`, when present, is a string.
   */
  filter: Record<string, unknown>;
  equals?: number;
  atLeast?: number;
  atMost?: number;
  /** Extension: count only the events up to this time (the end of the run when absent). */
  at?: SimTime;
  pos: SourcePos;
}

/**
 * Extension: the share of the new connections IPVS scheduled (`ipvs` `conn` events) that went to one real
 * server: those matching `filter` with `dest`, over those matching `filter` alone.
 */
export interface ShareExpectSpec {
  kind: 'share';
  /** Matched against `ipvs` `conn` events (`kind` and `event` are implied); never contains `dest`. */
  filter: TraceFilter;
  /** `A.B.C.D:PORT` as the trace writes it. */
  dest: string;
  /** Inclusive bounds of the share, 0..1. */
  min: number;
  max: number;
  at?: SimTime;
  pos: SourcePos;
}

/** Extension: a neighbour (ARP cache) entry of a host at a time, as the trace's `neigh` events describe it. */
export interface NeighExpectSpec {
  kind: 'neigh';
  host: string;
  address: string;
  iface?: string;
  /** The entry exists (in any state but FAILED) with this link-layer address. */
  lladdr?: string;
  /** The entry is in this state. */
  state?: string;
  /** No entry (never made, or cleared by its interface going down or the host crashing). */
  absent?: true;
  at?: SimTime;
  pos: SourcePos;
}

/** Extension: a percentile of the response times the `app` `response` events report. */
export interface ResponseTimeExpectSpec {
  kind: 'responseTime';
  /** Matched against `app` `response` events (`kind` and `event` are implied). */
  filter: TraceFilter;
  /** 0 < percentile <= 100 (nearest rank). */
  percentile: number;
  atMost?: SimTime;
  atLeast?: SimTime;
  at?: SimTime;
  pos: SourcePos;
}

export type ExpectSpec = OutputExpectSpec | CountExpectSpec | ShareExpectSpec | NeighExpectSpec | ResponseTimeExpectSpec;

/** Extension: one narration step. */
export interface NarrationSpec {
  /** The time of an `at:` step; 0 for a `when:` step. */
  at: SimTime;
  when?: TraceFilter;
  /** The text as written (safe markup: `code`, *emphasis*, **strong**). */
  text: string;
  pos: SourcePos;
}

/** Extension: what makes a scenario an exercise. */
export interface ExerciseSpec {
  /** What the student is asked to do (safe markup). */
  task: string;
  /** The goal: expectations that hold once the setup is fixed (the broken setup fails them). */
  goal: ExpectSpec[];
  /** Shown one at a time, in order (safe markup). */
  hints: string[];
  pos: SourcePos;
}

export type TransportProtocol = 'tcp' | 'udp';

/** Extension: a server on a host answering every request with `response` bytes. */
export interface ServiceSpec extends ServiceExtras {
  protocol: TransportProtocol;
  port: number;
  /** Bytes sent back for every request. */
  response: number;
  pos: SourcePos;
}

/** Extension: `count` exchanges from host `from`, one new connection each, started `interval` apart. */
export interface TrafficSpec {
  at: SimTime;
  from: string;
  to: Ipv4Address;
  port: number;
  protocol: TransportProtocol;
  /** Bytes sent in each request. */
  request: number;
  count: number;
  interval: SimTime;
  pos: SourcePos;
}

/** Defaults the format page fixes (seed, duration, segment) and the ones the extensions choose. */
export const DEFAULTS = {
  seed: 1,
  duration: 10 * SECOND,
  segment: { bandwidth: 1_000_000_000, latency: 10 * US, queue: 100 },
  service: { protocol: 'tcp' as TransportProtocol, response: 512 },
  traffic: { protocol: 'tcp' as TransportProtocol, request: 64, count: 1, interval: SECOND },
} as const;

/** `cpu:` on a host: what each packet IPVS rewrites or transmits costs, and how many may wait. */
export interface CpuSpec {
  /** ns per packet. */
  perPacket?: number;
  /** ns per byte. */
  perByte?: number;
  backlog?: number;
}
