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

/** Header length including options (the MSS option is 4 bytes). */
export function tcpHeaderLength(s: TcpSegment): number {
  return TCP_HEADER_LEN + (s.mss !== undefined ? 4 : 0);
}

/** Flags in the order tcpdump prints them, as the trace writes them: `S`, `SA`, `PA`, `FA`, `R`, `RA`. */
export function tcpFlagsText(flags: number): string {
  let s = '';
  if (flags & TcpFlag.SYN) s += 'S';
  if (flags & TcpFlag.FIN) s += 'F';
  if (flags & TcpFlag.RST) s += 'R';
  if (flags & TcpFlag.PSH) s += 'P';
  if (flags & TcpFlag.URG) s += 'U';
  if (flags & TcpFlag.ECE) s += 'E';
  if (flags & TcpFlag.CWR) s += 'W';
  if (flags & TcpFlag.ACK) s += 'A';
  return s;
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
