export { WireFormatError } from './WireFormatError.ts';
export {
  sumWords,
  foldSum,
  finishChecksum,
  internetChecksum,
  pseudoHeaderSum,
  transportChecksum,
  sumHeaderAndData,
} from './checksum.ts';
export { readEthernetHeader, writeEthernetHeader } from './ethernet.ts';
export { type ArpFields, readArpFields, writeArpFields, parseArp, emitArpInto } from './arp.ts';
export {
  type Ipv4Fields,
  type ParsedIpv4Header,
  readIpv4Fields,
  writeIpv4Fields,
  parseIpv4Header,
  emitIpv4HeaderInto,
} from './ipv4Header.ts';
export { type TcpFields, readTcpFields, writeTcpFields, parseTcp, emitTcpInto } from './tcp.ts';
export { type UdpFields, readUdpFields, writeUdpFields, parseUdp, emitUdpInto, udpChecksum } from './udp.ts';
export { type IcmpFields, readIcmpFields, writeIcmpFields, emitIcmpInto, emitIcmpErrorInto, icmpErrorRest } from './icmp.ts';
export { parseIcmpQuote } from './icmpQuote.ts';
export { type ParseOptions, emitIpv4, emitIpv4Into, parseIpv4Packet } from './ipv4Packet.ts';
export { emitFrame, parseFrame } from './frame.ts';
export { canonicalFrame, canonicalPacket } from './canonical.ts';
export {
  PcapWriter,
  PCAP_MAGIC_NANOSECONDS,
  PCAP_SNAPLEN,
  LINKTYPE_ETHERNET,
  PCAP_GLOBAL_HEADER_LEN,
  PCAP_RECORD_HEADER_LEN,
} from './pcap.ts';
