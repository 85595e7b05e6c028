import { parseIpv4, type Ipv4Header, type Ipv4Packet } from '../../../src/wire/index.ts';
import { concat, hex } from './hex.ts';

/** Shared hand-built packets (RFC 791 / RFC 9293 layouts), reused by several protocol tests. */

export const ip = (text: string): number => {
  const a = parseIpv4(text);
  if (a === undefined) throw new Error(`bad address ${text}`);
  return a;
};

/**
 * IPv4 header of the SYN below: version 4 / IHL 5, TOS 0, total length 44, id 0x1234, DF, TTL 64, TCP,
 * 192.168.1.254 > 192.168.1.110. Checksum by hand:
 *   4500 + 002c = 452c; + 1234 = 5760; + 4000 = 9760; + 4006 = d766; + c0a8 = 1980e; + 01fe = 19a0c;
 *   + c0a8 = 25ab4; + 016e = 25c22; fold: 5c22 + 2 = 5c24; complement: a3db.
 */
export const SYN_IP_HEADER = hex('4500 002c 1234 4000 4006 a3db c0a8 01fe c0a8 016e');

/**
 * TCP SYN 40000 > 80, seq 1000, window 64240, MSS 1460 (data offset 6: 24-byte header). Checksum by hand:
 *   pseudo-header c0a8 + 01fe + c0a8 + 016e + 0006 + 0018 (length 24) = 184da;
 *   header 9c40 + 0050 + 0000 + 03e8 + 0000 + 0000 + 6002 + faf0 + 0000 + 0204 + 05b4 = 20322;
 *   184da + 20322 = 387fc; fold: 87fc + 3 = 87ff; complement: 7800.
 */
export const SYN_TCP = hex('9c40 0050 0000 03e8 0000 0000 6002 faf0 7800 0000 0204 05b4');

export const SYN_BYTES = concat(SYN_IP_HEADER, SYN_TCP);

export const SYN_HEADER: Ipv4Header = {
  tos: 0,
  ident: 0x1234,
  df: true,
  mf: false,
  fragOffset: 0,
  ttl: 64,
  protocol: 6,
  src: ip('192.168.1.254'),
  dst: ip('192.168.1.110'),
};

export const SYN: Ipv4Packet = {
  kind: 'ipv4',
  id: 0,
  ip: SYN_HEADER,
  l4: { proto: 'tcp', sport: 40000, dport: 80, seq: 1000, ack: 0, flags: 0x02, window: 64240, mss: 1460, payload: { length: 0 } },
};

/**
 * UDP 192.168.1.254.5000 > 192.168.1.110.7777 carrying "hi". Checksum by hand:
 *   pseudo c0a8 + 01fe + c0a8 + 016e + 0011 + 000a = 184d7; header+data 1388 + 1e61 + 000a + 6869 = 9a5c;
 *   sum 21f33; fold: 1f33 + 2 = 1f35; complement: e0ca.
 * IPv4: total length 30, id 0x0042, no DF, TTL 64, protocol 17.
 */
export const UDP_DGRAM = hex('1388 1e61 000a e0ca 6869');
export const UDP_IP_HEADER_FIELDS = { tos: 0, ident: 0x0042, df: false, mf: false, fragOffset: 0, ttl: 64, protocol: 17, src: ip('192.168.1.254'), dst: ip('192.168.1.110') };

export const UDP_PACKET: Ipv4Packet = {
  kind: 'ipv4',
  id: 0,
  ip: UDP_IP_HEADER_FIELDS,
  l4: { proto: 'udp', sport: 5000, dport: 7777, payload: { length: 2, bytes: hex('6869') } },
};
