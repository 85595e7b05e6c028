import { ARP_PACKET_LEN, type ArpPacket } from '../Arp.ts';
import { EtherType } from '../Ethernet.ts';
import { get16, get32, getMac, need, put16, put32, putMac } from './bytes.ts';

/**
 * ARP (RFC 826) for IPv4 over Ethernet: hardware type 1, protocol type 0x0800, sizes 6 and 4, 28 bytes.
 * ARP for any other hardware/protocol pair is not modelled: `parseArp` answers undefined and the frame is
 * kept as a raw body.
 */

export const ARP_HTYPE_ETHERNET = 1;

/** Every field of the 28-byte IPv4-over-Ethernet layout, as on the wire. */
export interface ArpFields {
  readonly htype: number;
  readonly ptype: number;
  readonly hlen: number;
  readonly plen: number;
  readonly op: number;
  readonly sha: string;
  readonly spa: number;
  readonly tha: string;
  readonly tpa: number;
}

export function readArpFields(bytes: Uint8Array, off = 0, end = bytes.length): ArpFields {
  need(end, off, ARP_PACKET_LEN, 'arp', 'IPv4-over-Ethernet packet');
  return {
    htype: get16(bytes, off),
    ptype: get16(bytes, off + 2),
    hlen: bytes[off + 4],
    plen: bytes[off + 5],
    op: get16(bytes, off + 6),
    sha: getMac(bytes, off + 8),
    spa: get32(bytes, off + 14),
    tha: getMac(bytes, off + 18),
    tpa: get32(bytes, off + 24),
  };
}

export function writeArpFields(buf: Uint8Array, off: number, f: ArpFields): void {
  put16(buf, off, f.htype);
  put16(buf, off + 2, f.ptype);
  buf[off + 4] = f.hlen;
  buf[off + 5] = f.plen;
  put16(buf, off + 6, f.op);
  putMac(buf, off + 8, f.sha);
  put32(buf, off + 14, f.spa);
  putMac(buf, off + 18, f.tha);
  put32(buf, off + 24, f.tpa);
}

export function emitArpInto(buf: Uint8Array, off: number, a: ArpPacket): void {
  writeArpFields(buf, off, { htype: ARP_HTYPE_ETHERNET, ptype: EtherType.ipv4, hlen: 6, plen: 4, ...a });
}

/** The ARP packet at `off`, or undefined when it is ARP for another hardware or protocol type. */
export function parseArp(bytes: Uint8Array, off = 0, end = bytes.length): ArpPacket | undefined {
  need(end, off, 8, 'arp', 'fixed header');
  if (get16(bytes, off) !== ARP_HTYPE_ETHERNET || get16(bytes, off + 2) !== EtherType.ipv4) return undefined;
  if (bytes[off + 4] !== 6 || bytes[off + 5] !== 4) return undefined;
  const f = readArpFields(bytes, off, end);
  return { op: f.op, sha: f.sha, spa: f.spa, tha: f.tha, tpa: f.tpa };
}
