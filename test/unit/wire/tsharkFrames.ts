import { parseIpv4, textPayload, type Frame, type IcmpMessage, type Ipv4Header, type Ipv4Packet, type L4 } from '../../../src/wire/index.ts';

/**
 * A varied capture for the tshark cross-check: one client (192.168.1.254) talking to a virtual service
 * (192.168.1.110:80) through an LVS-style lab, with the ARP, TCP, UDP, ICMP and IPIP frames the lab emits.
 */

const addr = (t: string): number => parseIpv4(t)!;
export const CLIENT_MAC = '02:00:00:00:01:fe';
export const VIP_MAC = '02:00:00:00:01:6e';
export const RS_MAC = '02:00:00:00:02:0a';
const CLIENT = addr('192.168.1.254');
const VIP = addr('192.168.1.110');
const ROUTER = addr('192.168.1.1');

function hdr(src: number, dst: number, protocol: number, extra: Partial<Ipv4Header> = {}): Ipv4Header {
  return { tos: 0, ident: 0x1000 + protocol, df: true, mf: false, fragOffset: 0, ttl: 64, protocol, src, dst, ...extra };
}
function pkt(ip: Ipv4Header, l4: L4): Ipv4Packet {
  return { kind: 'ipv4', id: 1, ip, l4 };
}
function eth(src: string, dst: string, body: Ipv4Packet): Frame {
  return { eth: { src, dst, etherType: 0x0800 }, body };
}
function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, text = '', mss?: number): L4 {
  return { proto: 'tcp', sport, dport, seq, ack, flags, window: 64240, ...(mss === undefined ? {} : { mss }), payload: textPayload(text) };
}
function icmpError(type: 3 | 5 | 11, code: number, original: Ipv4Packet, mtu = 0, gateway = 0): IcmpMessage {
  return { proto: 'icmp', type, code, mtu, gateway, original };
}

const request = 'GET / HTTP/1.0\r\nHost: 192.168.1.110\r\n\r\n';
const response = 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nrs1';
const udpProbe = pkt(hdr(CLIENT, VIP, 17), { proto: 'udp', sport: 40001, dport: 7777, payload: textPayload('probe') });
const echoTtl1 = pkt(hdr(CLIENT, addr('10.0.0.2'), 1, { ttl: 1, df: false }), { proto: 'icmp', type: 8, code: 0, ident: 7, sequence: 3, payload: { length: 56 } });
const bigSegment = pkt(hdr(VIP, CLIENT, 6), { proto: 'tcp', sport: 80, dport: 40000, seq: 9001, ack: 1001 + request.length, flags: 0x10, window: 502, payload: { length: 1460 } });
const syn = pkt(hdr(CLIENT, VIP, 6), tcp(40000, 80, 1000, 0, 0x02, '', 1460));

export const TSHARK_FRAMES: Frame[] = [
  // 1 ARP request and 2 reply
  {
    eth: { src: CLIENT_MAC, dst: 'ff:ff:ff:ff:ff:ff', etherType: 0x0806 },
    body: { kind: 'arp', id: 1, arp: { op: 1, sha: CLIENT_MAC, spa: CLIENT, tha: '00:00:00:00:00:00', tpa: VIP } },
  },
  {
    eth: { src: VIP_MAC, dst: CLIENT_MAC, etherType: 0x0806 },
    body: { kind: 'arp', id: 2, arp: { op: 2, sha: VIP_MAC, spa: VIP, tha: CLIENT_MAC, tpa: CLIENT } },
  },
  // 3 SYN with MSS, 4 SYN-ACK with MSS, 5 ACK, 6 request, 7 response, 8 FIN, 9 RST
  eth(CLIENT_MAC, VIP_MAC, syn),
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(VIP, CLIENT, 6), tcp(80, 40000, 9000, 1001, 0x12, '', 1460))),
  eth(CLIENT_MAC, VIP_MAC, pkt(hdr(CLIENT, VIP, 6), tcp(40000, 80, 1001, 9001, 0x10))),
  eth(CLIENT_MAC, VIP_MAC, pkt(hdr(CLIENT, VIP, 6), tcp(40000, 80, 1001, 9001, 0x18, request))),
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(VIP, CLIENT, 6), tcp(80, 40000, 9001, 1001 + request.length, 0x18, response))),
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(VIP, CLIENT, 6), tcp(80, 40000, 9001 + response.length, 1001 + request.length, 0x11))),
  eth(CLIENT_MAC, VIP_MAC, pkt(hdr(CLIENT, VIP, 6), tcp(40000, 80, 1001 + request.length, 0, 0x04))),
  // 10 UDP, 11 UDP with no data (a short frame: 42 bytes padded to 60)
  eth(CLIENT_MAC, VIP_MAC, udpProbe),
  eth(CLIENT_MAC, VIP_MAC, pkt(hdr(CLIENT, VIP, 17), { proto: 'udp', sport: 40002, dport: 7778, payload: { length: 0 } })),
  // 12 echo request and 13 reply, 56 bytes of data as ping sends
  eth(CLIENT_MAC, VIP_MAC, pkt(hdr(CLIENT, VIP, 1), { proto: 'icmp', type: 8, code: 0, ident: 42, sequence: 1, payload: { length: 56 } })),
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(VIP, CLIENT, 1), { proto: 'icmp', type: 0, code: 0, ident: 42, sequence: 1, payload: { length: 56 } })),
  // 14 port unreachable for the UDP probe
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(VIP, CLIENT, 1, { df: false }), icmpError(3, 3, udpProbe))),
  // 15 fragmentation needed (MTU 1400) for a 1500-byte segment
  eth(CLIENT_MAC, VIP_MAC, pkt(hdr(CLIENT, VIP, 1, { df: false }), icmpError(3, 4, bigSegment, 1400))),
  // 16 time exceeded for an echo sent with TTL 1
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(ROUTER, CLIENT, 1, { df: false }), icmpError(11, 0, echoTtl1))),
  // 17 redirect to a better gateway on the same link
  eth(VIP_MAC, CLIENT_MAC, pkt(hdr(ROUTER, CLIENT, 1, { df: false }), icmpError(5, 1, syn, 0, addr('192.168.1.2')))),
  // 18 IPIP: the director tunnels the client's request to a real server (LVS-TUN)
  eth(VIP_MAC, RS_MAC, pkt(hdr(addr('10.0.0.1'), addr('10.0.0.2'), 4, { df: false }), { proto: 'ipip', inner: pkt(hdr(CLIENT, VIP, 6), tcp(40000, 80, 1001, 9001, 0x18, request)) })),
  // 19 a full-size segment with a length-only payload
  eth(VIP_MAC, CLIENT_MAC, bigSegment),
];
