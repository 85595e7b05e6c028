import { describe, expect, it } from 'vitest';
import {
  emitIcmpInto,
  emitIpv4,
  icmpQuoteLength,
  parseIcmpQuote,
  parseIpv4Packet,
  readIcmpFields,
  writeIcmpFields,
  type IcmpEcho,
  type IcmpError,
  type Ipv4Packet,
} from '../../../src/wire/index.ts';
import { ip, SYN, SYN_HEADER, SYN_IP_HEADER, UDP_PACKET } from './fixtures.ts';
import { concat, hex, referenceChecksum, toHex } from './hex.ts';

/**
 * Echo request id 1, seq 1, data "abcd". Checksum by hand:
 *   0800 + 0001 + 0001 + 6162 + 6364 = ccc8; complement 3337.
 */
const ECHO_ICMP = hex('0800 3337 0001 0001 6162 6364');
const ECHO: IcmpEcho = { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: 1, payload: { length: 4, bytes: hex('61626364') } };
// The echo request as sent with TTL 1 from 10.0.0.1 to 10.0.0.2 (id 7, total 32); header checksum a5d4.
const ECHO_IP_HEADER = hex('4500 0020 0007 0000 0101 a5d4 0a00 0001 0a00 0002');
const ECHO_PACKET: Ipv4Packet = {
  kind: 'ipv4',
  id: 0,
  ip: { tos: 0, ident: 7, df: false, mf: false, fragOffset: 0, ttl: 1, protocol: 1, src: ip('10.0.0.1'), dst: ip('10.0.0.2') },
  l4: ECHO,
};

function icmpPacket(src: string, dst: string, ident: number, l4: IcmpError): Ipv4Packet {
  return { kind: 'ipv4', id: 0, ip: { tos: 0, ident, df: false, mf: false, fragOffset: 0, ttl: 64, protocol: 1, src: ip(src), dst: ip(dst) }, l4 };
}

describe('ICMP echo (RFC 792)', () => {
  it('deconstructs the header', () => {
    expect(readIcmpFields(ECHO_ICMP)).toEqual({ type: 8, code: 0, checksum: 0x3337, rest: 0x00010001 });
  });

  it('constructs the header from fields', () => {
    const buf = new Uint8Array(12);
    writeIcmpFields(buf, 0, { type: 8, code: 0, checksum: 0x3337, rest: 0x00010001 });
    buf.set(hex('61626364'), 8);
    expect(toHex(buf)).toBe(toHex(ECHO_ICMP));
  });

  it('parses a whole echo packet', () => {
    expect(parseIpv4Packet(concat(ECHO_IP_HEADER, ECHO_ICMP))).toEqual(ECHO_PACKET);
  });

  it('emits the hand-computed checksum', () => {
    const buf = new Uint8Array(12);
    emitIcmpInto(buf, 0, ECHO);
    expect(toHex(buf)).toBe(toHex(ECHO_ICMP));
    expect(toHex(emitIpv4(ECHO_PACKET))).toBe(toHex(concat(ECHO_IP_HEADER, ECHO_ICMP)));
  });

  it('round-trips an echo reply and a type it does not model', () => {
    const reply: Ipv4Packet = { ...ECHO_PACKET, l4: { ...ECHO, type: 0 } };
    expect(parseIpv4Packet(emitIpv4(reply))).toEqual(reply);
    const timestamp: Ipv4Packet = { ...ECHO_PACKET, l4: { proto: 'icmp', type: 13, code: 0, rest: 0x00050001, payload: { length: 12, bytes: new Uint8Array(12).fill(3) } } };
    expect(parseIpv4Packet(emitIpv4(timestamp))).toEqual(timestamp);
  });
});

describe('ICMP errors quote the original header and 8 bytes', () => {
  it('port unreachable: fixture bytes, parse and emit', () => {
    // 192.168.1.110 > 192.168.1.254, id 0x0100, total 56; header checksum f508.
    // ICMP 3/3, checksum ea3e, unused 0; quote: the UDP packet's header (checksum f5d0) + its 8-byte UDP header.
    const bytes = hex(`
      4500 0038 0100 0000 4001 f508 c0a8 016e c0a8 01fe
      0303 ea3e 0000 0000
      4500 001e 0042 0000 4011 f5d0 c0a8 01fe c0a8 016e
      1388 1e61 000a e0ca`);
    expect(referenceChecksum(bytes.subarray(0, 20))).toBe(0);
    expect(referenceChecksum(bytes.subarray(20))).toBe(0);
    expect(readIcmpFields(bytes, 20)).toEqual({ type: 3, code: 3, checksum: 0xea3e, rest: 0 });
    const packet = icmpPacket('192.168.1.110', '192.168.1.254', 0x0100, {
      proto: 'icmp',
      type: 3,
      code: 3,
      mtu: 0,
      gateway: 0,
      original: UDP_PACKET,
    });
    expect(toHex(emitIpv4(packet))).toBe(toHex(bytes));
    // The quote holds the whole UDP header; the two data bytes are recovered from the UDP checksum, so
    // this original comes back complete.
    expect(parseIpv4Packet(bytes)).toEqual(packet);
  });

  it('fragmentation needed carries the next-hop MTU (RFC 1191) and quotes a TCP SYN', () => {
    // 10.0.0.254 > 192.168.1.254, id 0x0200, total 56 (checksum ab21); ICMP 3/4 checksum 570b, MTU 1400 (0578).
    const bytes = concat(
      hex('4500 0038 0200 0000 4001 ab21 0a00 00fe c0a8 01fe'),
      hex('0304 570b 0000 0578'),
      SYN_IP_HEADER,
      hex('9c40 0050 0000 03e8'),
    );
    expect(referenceChecksum(bytes.subarray(20))).toBe(0);
    const sent = icmpPacket('10.0.0.254', '192.168.1.254', 0x0200, { proto: 'icmp', type: 3, code: 4, mtu: 1400, gateway: 0, original: SYN });
    expect(toHex(emitIpv4(sent))).toBe(toHex(bytes));
    const parsed = parseIpv4Packet(bytes);
    // The truncated original: quoted header, ports and seq; the rest zero; the length kept (44 - 40 = 4).
    expect(parsed).toEqual({
      ...sent,
      l4: {
        ...sent.l4,
        original: {
          kind: 'ipv4',
          id: 0,
          ip: SYN_HEADER,
          l4: { proto: 'tcp', sport: 40000, dport: 80, seq: 1000, ack: 0, flags: 0, window: 0, payload: { length: 4 } },
        },
      },
    });
    expect(toHex(emitIpv4(parsed))).toBe(toHex(bytes));
  });

  it('time exceeded quotes an echo request; its data is rebuilt to keep the quoted checksum', () => {
    const sent = icmpPacket('10.0.0.254', '10.0.0.1', 0x0300, { proto: 'icmp', type: 11, code: 0, mtu: 0, gateway: 0, original: ECHO_PACKET });
    const bytes = emitIpv4(sent);
    expect(bytes.length).toBe(20 + 8 + 28);
    expect(toHex(bytes.subarray(20, 28))).toBe(`0b00${toHex(bytes.subarray(22, 24))}00000000`);
    expect(toHex(bytes.subarray(28))).toBe(toHex(concat(ECHO_IP_HEADER, ECHO_ICMP.subarray(0, 8))));
    expect(referenceChecksum(bytes.subarray(20))).toBe(0);
    const parsed = parseIpv4Packet(bytes);
    const original = (parsed.l4 as IcmpError).original;
    // "abcd" sums to 6162 + 6364 = c4c6: the rebuilt data is c4 c6 00 00, which sums the same.
    expect(original).toEqual({ ...ECHO_PACKET, l4: { ...ECHO, payload: { length: 4, bytes: hex('c4c60000') } } });
    expect(toHex(emitIpv4(parsed))).toBe(toHex(bytes));
  });

  it('redirect carries the gateway', () => {
    const sent = icmpPacket('192.168.1.1', '192.168.1.254', 0x0400, { proto: 'icmp', type: 5, code: 1, mtu: 0, gateway: ip('192.168.1.2'), original: SYN });
    const bytes = emitIpv4(sent);
    expect(readIcmpFields(bytes, 20)).toMatchObject({ type: 5, code: 1, rest: 0xc0a80102 });
    expect(referenceChecksum(bytes.subarray(20))).toBe(0);
    const parsed = parseIpv4Packet(bytes);
    expect(parsed.l4).toMatchObject({ type: 5, code: 1, gateway: ip('192.168.1.2'), mtu: 0 });
    expect(toHex(emitIpv4(parsed))).toBe(toHex(bytes));
  });

  it('quotes fewer than 8 bytes when the original payload is shorter', () => {
    const tiny: Ipv4Packet = { ...ECHO_PACKET, ip: { ...ECHO_PACKET.ip, protocol: 253 }, l4: { proto: 'raw', payload: { length: 3, bytes: hex('010203') } } };
    expect(icmpQuoteLength(tiny)).toBe(23);
    const sent = icmpPacket('10.0.0.2', '10.0.0.1', 5, { proto: 'icmp', type: 3, code: 2, mtu: 0, gateway: 0, original: tiny });
    const bytes = emitIpv4(sent);
    expect(bytes.length).toBe(20 + 8 + 23);
    expect(parseIpv4Packet(bytes)).toEqual(sent);
  });

  it('keeps a quoted IPIP packet as raw bytes (the inner header is cut at 8 bytes)', () => {
    const tunnelled: Ipv4Packet = { kind: 'ipv4', id: 4, ip: { ...SYN_HEADER, protocol: 4, src: ip('10.0.0.1'), dst: ip('10.0.0.2') }, l4: { proto: 'ipip', inner: SYN } };
    const sent = icmpPacket('10.0.0.2', '10.0.0.1', 6, { proto: 'icmp', type: 3, code: 4, mtu: 1480, gateway: 0, original: tunnelled });
    const bytes = emitIpv4(sent);
    const original = (parseIpv4Packet(bytes).l4 as IcmpError).original;
    expect(original.ip.protocol).toBe(4);
    expect(original.l4.proto).toBe('raw');
    if (original.l4.proto === 'raw') {
      expect(original.l4.payload.length).toBe(44);
      expect(toHex(original.l4.payload.bytes!.subarray(0, 8))).toBe(toHex(SYN_IP_HEADER.subarray(0, 8)));
    }
    expect(toHex(emitIpv4(parseIpv4Packet(bytes)))).toBe(toHex(bytes));
  });

  it('keeps a message of another shape (a longer, Linux-style quote) as an uninterpreted ICMP message', () => {
    // Linux quotes up to 576 bytes; here the whole 30-byte UDP packet, which the lab's repr cannot rebuild.
    const body = concat(hex('0303 0000 0000 0000'), emitIpv4(UDP_PACKET));
    const sum = referenceChecksum(body);
    body[2] = sum >>> 8;
    body[3] = sum & 0xff;
    expect(parseIcmpQuote(body, 8, body.length)).toBeUndefined();
    const outer = emitIpv4({ ...ECHO_PACKET, l4: { proto: 'icmp', type: 3, code: 3, rest: 0, payload: { length: body.length - 8, bytes: body.subarray(8) } } });
    const parsed = parseIpv4Packet(outer);
    expect(parsed.l4).toMatchObject({ proto: 'icmp', type: 3, code: 3, rest: 0 });
    expect(toHex(emitIpv4(parsed))).toBe(toHex(outer));
  });

  it('keeps a message whose unused header bits are set as an uninterpreted ICMP message', () => {
    const sent = icmpPacket('10.0.0.254', '10.0.0.1', 0x0300, { proto: 'icmp', type: 11, code: 0, mtu: 0, gateway: 0, original: ECHO_PACKET });
    const bytes = emitIpv4(sent);
    bytes[27] = 1; // unused byte of time exceeded
    const sum = referenceChecksum(bytes.subarray(20).map((x, i) => (i === 2 || i === 3 ? 0 : x)));
    bytes[22] = sum >>> 8;
    bytes[23] = sum & 0xff;
    const parsed = parseIpv4Packet(bytes);
    expect(parsed.l4).toMatchObject({ type: 11, rest: 1 });
    expect(toHex(emitIpv4(parsed))).toBe(toHex(bytes));
  });
});
