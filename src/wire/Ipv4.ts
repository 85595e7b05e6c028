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

export const IPV4_HEADER_LEN = 20;
export const DEFAULT_TTL = 64;
