import { describe, expect, it } from 'vitest';
import {
  emitFrame,
  formatFrame,
  formatPacket,
  headerFields,
  parseFrame,
  tcpdumpFlags,
  textPayload,
  type Frame,
  type HeaderLayer,
  type IcmpMessage,
  type Ipv4Packet,
  type TcpSegment,
} from '../../../src/wire/index.ts';
import { ip, SYN, SYN_HEADER, UDP_PACKET } from './fixtures.ts';

const MAC_A = '02:00:00:00:01:fe';
const MAC_B = '02:00:00:00:01:6e';

function ipFrame(p: Ipv4Packet): Frame {
  return { eth: { src: MAC_A, dst: MAC_B, etherType: 0x0800 }, body: p };
}
function tcp(fields: Partial<TcpSegment>): Ipv4Packet {
  return { ...SYN, l4: { ...(SYN.l4 as TcpSegment), mss: undefined, ...fields } };
}
function icmpFrom(src: string, m: IcmpMessage): Ipv4Packet {
  return { kind: 'ipv4', id: 1, ip: { ...SYN_HEADER, protocol: 1, src: ip(src), dst: SYN_HEADER.src }, l4: m };
}
function field(layers: HeaderLayer[], title: string, name: string): string | undefined {
  return layers.find((l) => l.title === title)?.fields.find((f) => f.name === name)?.value;
}

describe('formatFrame: tcpdump-style one-liners', () => {
  it('ARP request and reply', () => {
    const request: Frame = {
      eth: { src: MAC_A, dst: 'ff:ff:ff:ff:ff:ff', etherType: 0x0806 },
      body: { kind: 'arp', id: 1, arp: { op: 1, sha: MAC_A, spa: ip('192.168.1.254'), tha: '00:00:00:00:00:00', tpa: ip('192.168.1.110') } },
    };
    expect(formatFrame(request)).toBe('02:00:00:00:01:fe > ff:ff:ff:ff:ff:ff, ARP, Request who-has 192.168.1.110 tell 192.168.1.254');
    const reply: Frame = {
      eth: { src: MAC_B, dst: MAC_A, etherType: 0x0806 },
      body: { kind: 'arp', id: 2, arp: { op: 2, sha: MAC_B, spa: ip('192.168.1.110'), tha: MAC_A, tpa: ip('192.168.1.254') } },
    };
    expect(formatFrame(reply)).toBe('02:00:00:00:01:6e > 02:00:00:00:01:fe, ARP, Reply 192.168.1.110 is-at 02:00:00:00:01:6e');
  });

  it('TCP: SYN with MSS, SYN-ACK, data, pure ACK, FIN, RST, no flags', () => {
    expect(formatPacket(SYN)).toBe('IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0');
    expect(formatPacket(tcp({ flags: 0x12, seq: 5000, ack: 1001, window: 65160, mss: 1460 }))).toBe(
      'IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460], length 0',
    );
    expect(formatPacket(tcp({ flags: 0x18, seq: 1001, ack: 5001, window: 502, payload: textPayload('GET / HTTP/1.0\r\n\r\n') }))).toBe(
      'IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [P.], seq 1001:1019, ack 5001, win 502, length 18',
    );
    expect(formatPacket(tcp({ flags: 0x10, seq: 1019, ack: 5001, window: 502 }))).toBe(
      'IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [.], ack 5001, win 502, length 0',
    );
    expect(formatPacket(tcp({ flags: 0x11, seq: 1019, ack: 5001, window: 502 }))).toBe(
      'IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [F.], seq 1019, ack 5001, win 502, length 0',
    );
    expect(formatPacket(tcp({ flags: 0x04, seq: 1019, window: 0 }))).toBe('IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [R], seq 1019, win 0, length 0');
    expect(formatPacket(tcp({ flags: 0, window: 0 }))).toBe('IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [none], win 0, length 0');
  });

  it('prints sequence ranges modulo 2^32 and flags in tcpdump order', () => {
    expect(formatPacket(tcp({ flags: 0x10, seq: 0xfffffff0, ack: 1, payload: { length: 32 } }))).toContain('seq 4294967280:16, ack 1');
    expect(tcpdumpFlags(0xff)).toBe('FSRP.UEW');
  });

  it('UDP', () => {
    expect(formatPacket(UDP_PACKET)).toBe('IP 192.168.1.254.5000 > 192.168.1.110.7777: UDP, length 2');
  });

  it('ICMP echo inside IP-in-IP (brief example)', () => {
    const echo: Ipv4Packet = {
      kind: 'ipv4',
      id: 1,
      ip: { ...SYN_HEADER, protocol: 1, src: ip('1.2.3.4'), dst: ip('5.6.7.8') },
      l4: { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: 1, payload: { length: 56 } },
    };
    const tunnel: Ipv4Packet = { kind: 'ipv4', id: 2, ip: { ...SYN_HEADER, protocol: 4, src: ip('10.0.0.1'), dst: ip('10.0.0.2') }, l4: { proto: 'ipip', inner: echo } };
    expect(formatPacket(tunnel)).toBe('IP 10.0.0.1 > 10.0.0.2: IP 1.2.3.4 > 5.6.7.8: ICMP echo request, id 1, seq 1, length 64');
  });

  it('ICMP errors name the quoted destination as tcpdump does', () => {
    const err = (type: 3 | 5 | 11, code: number, original: Ipv4Packet, extra: { mtu?: number; gateway?: number } = {}): string =>
      formatPacket(icmpFrom('10.0.0.254', { proto: 'icmp', type, code, mtu: extra.mtu ?? 0, gateway: extra.gateway ?? 0, original }));
    expect(err(3, 3, UDP_PACKET)).toBe('IP 10.0.0.254 > 192.168.1.254: ICMP 192.168.1.110 udp port 7777 unreachable, length 36');
    expect(err(3, 3, SYN)).toBe('IP 10.0.0.254 > 192.168.1.254: ICMP 192.168.1.110 tcp port 80 unreachable, length 36');
    expect(err(3, 4, SYN, { mtu: 1400 })).toBe('IP 10.0.0.254 > 192.168.1.254: ICMP 192.168.1.110 unreachable - need to frag (mtu 1400), length 36');
    expect(err(3, 1, SYN)).toBe('IP 10.0.0.254 > 192.168.1.254: ICMP host 192.168.1.110 unreachable, length 36');
    expect(err(3, 2, SYN)).toBe('IP 10.0.0.254 > 192.168.1.254: ICMP 192.168.1.110 protocol 6 unreachable, length 36');
    expect(err(11, 0, SYN)).toBe('IP 10.0.0.254 > 192.168.1.254: ICMP time exceeded in-transit, length 36');
    expect(err(5, 1, SYN, { gateway: ip('192.168.1.2') })).toBe(
      'IP 10.0.0.254 > 192.168.1.254: ICMP redirect 192.168.1.110 to host 192.168.1.2, length 36',
    );
  });

  it('formats a parsed frame like the frame it was emitted from', () => {
    const frames = [
      ipFrame(icmpFrom('10.0.0.254', { proto: 'icmp', type: 3, code: 3, mtu: 0, gateway: 0, original: UDP_PACKET })),
      ipFrame(icmpFrom('10.0.0.254', { proto: 'icmp', type: 3, code: 3, mtu: 0, gateway: 0, original: SYN })),
      ipFrame(tcp({ flags: 0x18, seq: 1001, ack: 5001, payload: textPayload('hello') })),
    ];
    for (const f of frames) expect(formatFrame(parseFrame(emitFrame(f)))).toBe(formatFrame(f));
  });

  it('unknown EtherTypes and IP protocols, fragments, and the link-layer prefix', () => {
    const raw: Frame = { eth: { src: MAC_A, dst: MAC_B, etherType: 0x88b5 }, body: { kind: 'raw', id: 1, payload: { length: 7 } } };
    expect(formatFrame(raw)).toBe('02:00:00:00:01:fe > 02:00:00:00:01:6e, ethertype 0x88b5, length 7');
    const vrrp: Ipv4Packet = { ...SYN, ip: { ...SYN_HEADER, protocol: 112 }, l4: { proto: 'raw', payload: { length: 20 } } };
    expect(formatPacket(vrrp)).toBe('IP 192.168.1.254 > 192.168.1.110: ip-proto-112 20');
    const frag: Ipv4Packet = { ...SYN, ip: { ...SYN_HEADER, df: false, mf: true, fragOffset: 185 } };
    expect(formatPacket(frag)).toBe('IP 192.168.1.254 > 192.168.1.110: ip-proto-6 24 (frag 4660:24@1480+)');
    expect(formatFrame(ipFrame(SYN), { link: true })).toBe(
      '02:00:00:00:01:fe > 02:00:00:00:01:6e, IP 192.168.1.254.40000 > 192.168.1.110.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0',
    );
  });
});

describe('headerFields: the inspector view', () => {
  it('lists Ethernet, IPv4 and TCP with checksums taken from the emitted bytes', () => {
    const layers = headerFields(ipFrame(SYN));
    expect(layers.map((l) => l.title)).toEqual(['Ethernet II', 'IPv4', 'TCP']);
    expect(field(layers, 'Ethernet II', 'Type')).toBe('IPv4 (0x0800)');
    expect(field(layers, 'Ethernet II', 'Padding')).toBe('2 bytes'); // 14 + 44 = 58 < 60
    expect(field(layers, 'IPv4', 'Header checksum')).toBe('0xa3db');
    expect(field(layers, 'IPv4', 'Flags')).toBe('DF');
    expect(field(layers, 'IPv4', 'Protocol')).toBe('TCP (6)');
    expect(field(layers, 'TCP', 'Checksum')).toBe('0x7800');
    expect(field(layers, 'TCP', 'Flags')).toBe('0x002 [S]');
    expect(field(layers, 'TCP', 'Options')).toBe('mss 1460');
    expect(field(layers, 'TCP', 'Header length')).toBe('24 bytes');
  });

  it('shows an ICMP error with its MTU and the quoted header and bytes', () => {
    const layers = headerFields(ipFrame(icmpFrom('10.0.0.254', { proto: 'icmp', type: 3, code: 4, mtu: 1400, gateway: 0, original: SYN })));
    expect(layers.map((l) => l.title)).toEqual(['Ethernet II', 'IPv4', 'ICMP', 'Quoted IPv4', 'Quoted TCP (first 8 bytes)']);
    expect(field(layers, 'ICMP', 'Next-hop MTU')).toBe('1400');
    expect(field(layers, 'ICMP', 'Checksum')).toBe('0x570b');
    expect(field(layers, 'Quoted IPv4', 'Total length')).toBe('44');
    expect(field(layers, 'Quoted IPv4', 'Header checksum')).toBe('0xa3db');
    expect(field(layers, 'Quoted TCP (first 8 bytes)', 'Sequence number')).toBe('1000');
  });

  it('shows both headers of IP-in-IP and a readable data preview', () => {
    const inner = tcp({ flags: 0x18, seq: 1, ack: 1, payload: textPayload('GET / HTTP/1.0\r\n') });
    const layers = headerFields(ipFrame({ kind: 'ipv4', id: 3, ip: { ...SYN_HEADER, protocol: 4 }, l4: { proto: 'ipip', inner } }));
    expect(layers.map((l) => l.title)).toEqual(['Ethernet II', 'IPv4', 'IPv4 (inner)', 'TCP', 'Data']);
    expect(field(layers, 'IPv4', 'Protocol')).toBe('IPIP (4)');
    expect(field(layers, 'IPv4', 'Total length')).toBe('76');
    expect(field(layers, 'Data', 'Text')).toBe('GET / HTTP/1.0\\r\\n');
    expect(field(layers, 'Ethernet II', 'Padding')).toBeUndefined();
  });

  it('shows ARP fields', () => {
    const layers = headerFields({
      eth: { src: MAC_A, dst: 'ff:ff:ff:ff:ff:ff', etherType: 0x0806 },
      body: { kind: 'arp', id: 1, arp: { op: 1, sha: MAC_A, spa: ip('192.168.1.254'), tha: '00:00:00:00:00:00', tpa: ip('192.168.1.110') } },
    });
    expect(field(layers, 'ARP', 'Opcode')).toBe('request (1)');
    expect(field(layers, 'ARP', 'Target IP')).toBe('192.168.1.110');
    expect(field(layers, 'Ethernet II', 'Padding')).toBe('18 bytes');
  });
});
