import type { MacAddress } from './MacAddress.ts';

/** EtherType values the lab knows by name; any other value is kept as a number (never rejected). */
export const EtherType = {
  ipv4: 0x0800,
  arp: 0x0806,
} as const;

export interface EthernetHeader {
  readonly dst: MacAddress;
  readonly src: MacAddress;
  readonly etherType: number;
}

export const ETHERNET_HEADER_LEN = 14;
/** Minimum frame without FCS: shorter payloads are padded on the wire. */
export const ETHERNET_MIN_FRAME = 60;
