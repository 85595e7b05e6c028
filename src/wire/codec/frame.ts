import { EtherType, ETHERNET_HEADER_LEN } from '../Ethernet.ts';
import { frameLength, type Frame, type FrameBody } from '../Packet.ts';
import { emitArpInto, parseArp } from './arp.ts';
import { readEthernetHeader, writeEthernetHeader } from './ethernet.ts';
import { emitIpv4Into, parseIpv4Packet, type ParseOptions } from './ipv4Packet.ts';
import { putPayload, readPayload } from './payload.ts';

/**
 * A whole Ethernet II frame as captured (no preamble, no FCS). Frames shorter than 60 bytes are padded with
 * zeros to the minimum (IEEE 802.3 §3.2.8; `frameLength` in Packet.ts), as a capture on the sender shows them
 * once the NIC has padded them.
 */
export function emitFrame(frame: Frame): Uint8Array {
  const buf = new Uint8Array(frameLength(frame));
  writeEthernetHeader(buf, 0, frame.eth);
  const body = frame.body;
  switch (body.kind) {
    case 'ipv4':
      emitIpv4Into(buf, ETHERNET_HEADER_LEN, body);
      break;
    case 'arp':
      emitArpInto(buf, ETHERNET_HEADER_LEN, body.arp);
      break;
    case 'raw':
      putPayload(buf, ETHERNET_HEADER_LEN, body.payload);
      break;
  }
  return buf;
}

/**
 * Reads a frame. EtherType 0x0800 is IPv4, 0x0806 ARP (IPv4 over Ethernet); any other EtherType, and ARP for
 * another hardware or protocol type, is a raw body holding every byte after the header (padding included,
 * since without a length field nothing tells padding from data). Parsed bodies have id 0.
 *
 * Throws `WireFormatError` for bytes that are not a well-formed frame of the type they claim.
 */
export function parseFrame(bytes: Uint8Array, options: ParseOptions = {}): Frame {
  const eth = readEthernetHeader(bytes, 0, bytes.length);
  let body: FrameBody | undefined;
  if (eth.etherType === EtherType.ipv4) {
    body = parseIpv4Packet(bytes, ETHERNET_HEADER_LEN, bytes.length, options);
  } else if (eth.etherType === EtherType.arp) {
    const arp = parseArp(bytes, ETHERNET_HEADER_LEN, bytes.length);
    if (arp !== undefined) body = { kind: 'arp', id: 0, arp };
  }
  body ??= { kind: 'raw', id: 0, payload: readPayload(bytes, ETHERNET_HEADER_LEN, bytes.length) };
  return { eth, body };
}
