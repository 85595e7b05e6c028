import type { Ipv4Address } from './Ipv4Address.ts';

/** IP protocol numbers the lab knows by name; others are kept as numbers. */
export const IpProto = {
  icmp: 1,
  ipip: 4,
  tcp: 6,
  udp: 17,
  vrrp: 112,
} as const;

/**
 * The IPv4 header (RFC 791) without options. The total length and checksum are derived from the packet when
 * bytes are emitted; `ident` is the identification field, `df`/`mf`/`fragOffset` the fragmentation fields.
 */
export interface Ipv4Header {
  readonly tos: number;
  readonly ident: number;
  readonly df: boolean;
  readonly mf: boolean;
  /** The 13-bit fragment offset field as carried: in units of 8 octets (RFC 791), not bytes. */
  readonly fragOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly src: Ipv4Address;
  readonly dst: Ipv4Address;
}

/**
 * The header one hop further or rewritten (TTL decrement, NAT): the same fields with this TTL and these
 * addresses. Written out rather than spread, as tcpWithPorts is: it runs for every forwarded packet.
 */
export function ipv4Rewritten(h: Ipv4Header, ttl: number, src: Ipv4Address, dst: Ipv4Address): Ipv4Header {
  return { tos: h.tos, ident: h.ident, df: h.df, mf: h.mf, fragOffset: h.fragOffset, ttl, protocol: h.protocol, src, dst };
}

export const IPV4_HEADER_LEN = 20;
export const DEFAULT_TTL = 64;
