import type { Payload } from './Payload.ts';

/** TCP flag bits as in the header's flags byte. */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export interface TcpSegment {
  readonly proto: 'tcp';
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  /** The MSS option, present on SYN segments. */
  readonly mss?: number;
  readonly payload: Payload;
}

export const TCP_HEADER_LEN = 20;

/**
 * The segment with other ports (what NAT rewrites), its fields in the same order. Written out rather than
 * spread: segments come in two shapes (with and without the MSS option), and a spread over both is several
 * times slower than a literal, on every packet a NAT director forwards.
 */
export function tcpWithPorts(s: TcpSegment, sport: number, dport: number): TcpSegment {
  const { seq, ack, flags, window, payload, mss } = s;
  if (mss === undefined) return { proto: 'tcp', sport, dport, seq, ack, flags, window, payload };
  return { proto: 'tcp', sport, dport, seq, ack, flags, window, payload, mss };
}

/** Header length including options (the MSS option is 4 bytes). */
export function tcpHeaderLength(s: TcpSegment): number {
  return TCP_HEADER_LEN + (s.mss !== undefined ? 4 : 0);
}

/** A way of writing TCP flags: which letter stands for which bit, in the order they are written. */
export type FlagLetters = ReadonlyArray<readonly [bit: number, letter: string]>;

/** The letters of the set flags, in the given order (empty when none is set). */
export function flagLetters(flags: number, letters: FlagLetters): string {
  let s = '';
  for (const [bit, letter] of letters) if (flags & bit) s += letter;
  return s;
}

/** The trace's order (docs/scenario-format.md): `S F R P U E W A`, so `S`, `SA`, `PA`, `FA`, `R`, `RA`. */
export const TRACE_FLAG_LETTERS: FlagLetters = [
  [TcpFlag.SYN, 'S'],
  [TcpFlag.FIN, 'F'],
  [TcpFlag.RST, 'R'],
  [TcpFlag.PSH, 'P'],
  [TcpFlag.URG, 'U'],
  [TcpFlag.ECE, 'E'],
  [TcpFlag.CWR, 'W'],
  [TcpFlag.ACK, 'A'],
];

// Every flag byte's text, built on first use: the trace writes one for every TCP segment it shows.
const traceFlagTexts: string[] = [];

/** Flags as the trace writes them (`S`, `SA`, `PA`, `FA`, `R`, `RA`; empty when none is set). */
export function tcpFlagsText(flags: number): string {
  const byte = flags & 0xff;
  let t = traceFlagTexts[byte];
  if (t === undefined) {
    t = flagLetters(byte, TRACE_FLAG_LETTERS);
    traceFlagTexts[byte] = t;
  }
  return t;
}

/** Sequence-space arithmetic modulo 2^32 (RFC 793 §3.3). */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}
