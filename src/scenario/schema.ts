import { SECOND, US, type SimTime } from '../sim/index.ts';
import type { Ipv4Address, Ipv4Cidr } from '../wire/index.ts';
import type { SourcePos } from './ScenarioError.ts';

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

export interface TimelineSpec {
  at: SimTime;
  host: string;
  run: string;
  /** Position of the entry (its first key). */
  pos: SourcePos;
  /** Position of the `run` value. */
  runPos: SourcePos;
}

export interface OutputTest {
  contains?: string;
  equals?: string;
  matches?: string;
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
  pos: SourcePos;
}

export type ExpectSpec = OutputExpectSpec | CountExpectSpec;

export type TransportProtocol = 'tcp' | 'udp';

/** Extension: a server on a host answering every request with `response` bytes. */
export interface ServiceSpec {
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
