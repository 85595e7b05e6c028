import type { Ipv4Address } from './Ipv4Address.ts';
import type { MacAddress } from './MacAddress.ts';

/** ARP opcodes (RFC 826); unknown values are carried through as numbers. */
export const ArpOp = {
  request: 1,
  reply: 2,
} as const;

/** ARP for IPv4 over Ethernet (htype 1, ptype 0x0800, hlen 6, plen 4). */
export interface ArpPacket {
  readonly op: number;
  readonly sha: MacAddress;
  readonly spa: Ipv4Address;
  readonly tha: MacAddress;
  readonly tpa: Ipv4Address;
}

export const ARP_PACKET_LEN = 28;
