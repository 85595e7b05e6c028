import { ETHERNET_HEADER_LEN, type EthernetHeader } from '../Ethernet.ts';
import { get16, getMac, need, put16, putMac } from './bytes.ts';

/**
 * Ethernet II header (IEEE 802.3 clause 3.2 / DIX): destination MAC, source MAC, EtherType. No 802.1Q tag and
 * no FCS: captures on Linux see frames without the FCS, and pcap linktype 1 stores them that way.
 * The header has no derived fields, so the repr (`EthernetHeader`) is also the wire view.
 */

export function writeEthernetHeader(buf: Uint8Array, off: number, h: EthernetHeader): void {
  putMac(buf, off, h.dst);
  putMac(buf, off + 6, h.src);
  put16(buf, off + 12, h.etherType);
}

export function readEthernetHeader(bytes: Uint8Array, off = 0, end = bytes.length): EthernetHeader {
  need(end, off, ETHERNET_HEADER_LEN, 'ethernet', 'header');
  return { dst: getMac(bytes, off), src: getMac(bytes, off + 6), etherType: get16(bytes, off + 12) };
}
