import type { Ipv4Address } from './Ipv4Address.ts';
import type { Ipv4Packet } from './Packet.ts';
import type { Payload } from './Payload.ts';

export const IcmpType = {
  echoReply: 0,
  destUnreachable: 3,
  redirect: 5,
  echoRequest: 8,
  timeExceeded: 11,
} as const;

export const IcmpUnreachCode = {
  net: 0,
  host: 1,
  protocol: 2,
  port: 3,
  fragNeeded: 4,
  adminProhibited: 13,
} as const;

export const IcmpRedirectCode = { net: 0, host: 1 } as const;

/** Echo request/reply (RFC 792): identifier, sequence and data. */
export interface IcmpEcho {
  readonly proto: 'icmp';
  readonly type: 0 | 8;
  readonly code: number;
  readonly ident: number;
  readonly sequence: number;
  readonly payload: Payload;
}

/**
 * An error message quoting the offending datagram: destination unreachable (with the next-hop MTU for
 * fragmentation-needed, RFC 1191), time exceeded, or redirect (with the better gateway).
 */
export interface IcmpError {
  readonly proto: 'icmp';
  readonly type: 3 | 5 | 11;
  readonly code: number;
  /** Next-hop MTU for type 3 code 4, else 0. */
  readonly mtu: number;
  /** Gateway for type 5, else 0. */
  readonly gateway: Ipv4Address;
  readonly original: Ipv4Packet;
}

/** Any other ICMP type, kept as numbers. */
export interface IcmpOther {
  readonly proto: 'icmp';
  readonly type: number;
  readonly code: number;
  readonly rest: number;
  readonly payload: Payload;
}

export type IcmpMessage = IcmpEcho | IcmpError | IcmpOther;

export const ICMP_HEADER_LEN = 8;

export function isIcmpEcho(m: IcmpMessage): m is IcmpEcho {
  return (m.type === 0 || m.type === 8) && 'ident' in m;
}
export function isIcmpError(m: IcmpMessage): m is IcmpError {
  return 'original' in m;
}
