import { describe, expect, it } from 'vitest';
import {
  emitFrame,
  emitIpv4,
  emitIpv4HeaderInto,
  parseFrame,
  parseIpv4Header,
  parseIpv4Packet,
  readIpv4Fields,
  WireFormatError,
  writeIpv4Fields,
  type Ipv4Packet,
} from '../../../src/wire/index.ts';
import { ip, SYN, SYN_BYTES, SYN_HEADER, SYN_IP_HEADER } from './fixtures.ts';
import { concat, hex, referenceChecksum, toHex, zeros } from './hex.ts';

describe('IPv4 header (RFC 791)', () => {
  it('deconstructs every field, including the checksum computed by hand', () => {
    expect(readIpv4Fields(SYN_IP_HEADER)).toEqual({
      version: 4,
      ihl: 5,
      tos: 0,
      totalLength: 44,
      ident: 0x1234,
      flags: 0b010,
      fragOffset: 0,
      ttl: 64,
      protocol: 6,
      checksum: 0xa3db,
      src: 0xc0a801fe,
      dst: 0xc0a8016e,
    });
  });

  it('constructs the bytes from fields', () => {
    const buf = new Uint8Array(20);
    writeIpv4Fields(buf, 0, readIpv4Fields(SYN_IP_HEADER));
    expect(toHex(buf)).toBe(toHex(SYN_IP_HEADER));
  });

  it('parses the header into the repr', () => {
    expect(parseIpv4Header(SYN_BYTES, 0, SYN_BYTES.length, true)).toEqual({ header: SYN_HEADER, headerLength: 20, totalLength: 44 });
  });

  it('emits the repr with total length and checksum', () => {
    const buf = new Uint8Array(20);
    emitIpv4HeaderInto(buf, 0, SYN_HEADER, 6, 44);
    expect(toHex(buf)).toBe(toHex(SYN_IP_HEADER));
    expect(referenceChecksum(buf)).toBe(0);
  });

  it('encodes MF and the fragment offset (in 8-octet units)', () => {
    const buf = new Uint8Array(20);
    emitIpv4HeaderInto(buf, 0, { ...SYN_HEADER, df: false, mf: true, fragOffset: 185 }, 6, 1500);
    expect(toHex(buf.subarray(6, 8))).toBe('20b9'); // 001 0000010111001: MF, offset 185 (1480 bytes)
    expect(referenceChecksum(buf)).toBe(0);
  });
});

describe('IPv4 packets', () => {
  it('parses and emits a whole packet', () => {
    expect(parseIpv4Packet(SYN_BYTES)).toEqual(SYN);
    expect(toHex(emitIpv4(SYN))).toBe(toHex(SYN_BYTES));
  });

  it('ignores Ethernet padding after the total length', () => {
    const frame = concat(hex('0200 0000 016e 0200 0000 01fe 0800'), SYN_BYTES, zeros(2));
    expect(frame.length).toBe(60);
    const f = parseFrame(frame);
    expect(f.body).toEqual(SYN);
    expect(toHex(emitFrame(f))).toBe(toHex(frame));
  });

  it('keeps a fragment payload as raw bytes', () => {
    // First fragment of a larger TCP datagram: MF set, so no transport header is decoded or checked.
    const b = emitIpv4({ ...SYN, ip: { ...SYN_HEADER, df: false, mf: true } });
    const p = parseIpv4Packet(b);
    expect(p.ip.mf).toBe(true);
    expect(p.l4.proto).toBe('raw');
    if (p.l4.proto === 'raw') expect(toHex(p.l4.payload.bytes!)).toBe(toHex(b.subarray(20)));
    expect(toHex(emitIpv4(p))).toBe(toHex(b));
  });

  it('keeps an unknown protocol as raw bytes with its number', () => {
    const vrrp: Ipv4Packet = {
      kind: 'ipv4',
      id: 9,
      ip: { ...SYN_HEADER, protocol: 112, ttl: 255, dst: ip('224.0.0.18') },
      l4: { proto: 'raw', payload: { length: 4, bytes: hex('2101 6401') } },
    };
    const b = emitIpv4(vrrp);
    expect(b[9]).toBe(112);
    expect(parseIpv4Packet(b)).toEqual({ ...vrrp, id: 0 });
  });

  it('skips IPv4 options it does not model', () => {
    // IHL 6: one 4-byte option word (NOP NOP NOP EOL); total length 48.
    const h = hex('4600 0030 1234 4000 4006 0000 c0a8 01fe c0a8 016e 0101 0100');
    const sum = referenceChecksum(h);
    h[10] = sum >>> 8;
    h[11] = sum & 0xff;
    const p = parseIpv4Packet(concat(h, SYN_BYTES.subarray(20)));
    expect(p).toEqual(SYN);
  });

  it('rejects a bad header checksum unless told not to verify', () => {
    const b = SYN_BYTES.slice();
    b[8] = 63; // TTL changed without fixing the checksum
    expect(() => parseIpv4Packet(b)).toThrow(WireFormatError);
    expect(() => parseIpv4Packet(b)).toThrow(/bad header checksum 0xa3db, expected 0xa4db/);
    expect(parseIpv4Packet(b, 0, b.length, { verifyChecksums: false }).ip.ttl).toBe(63);
  });

  it('rejects a wrong version, a short IHL and a total length past the data', () => {
    const v6 = SYN_BYTES.slice();
    v6[0] = 0x65;
    expect(() => parseIpv4Packet(v6)).toThrow(/version 6, expected 4/);
    const shortIhl = SYN_BYTES.slice();
    shortIhl[0] = 0x44;
    expect(() => parseIpv4Packet(shortIhl)).toThrow(/header length 16 bytes/);
    expect(() => parseIpv4Packet(SYN_BYTES.subarray(0, 40))).toThrow(/total length 44 runs past the end/);
    expect(() => parseIpv4Packet(SYN_BYTES.subarray(0, 19))).toThrow(/header needs 20 bytes, only 19 left/);
  });

  it('refuses to emit a packet longer than the 16-bit total length', () => {
    const big: Ipv4Packet = { ...SYN, l4: { proto: 'raw', payload: { length: 65516 } } };
    expect(() => emitIpv4(big)).toThrow(RangeError);
  });
});

describe('IP-in-IP (RFC 2003)', () => {
  // Outer header 10.0.0.1 > 10.0.0.2, protocol 4, total 64 (20 + the 44-byte SYN), id 1, TTL 64.
  // Checksum by hand: 4500 + 0040 + 0001 + 0000 + 4004 + 0a00 + 0001 + 0a00 + 0002 = 9948; complement 66b7.
  const OUTER = hex('4500 0040 0001 0000 4004 66b7 0a00 0001 0a00 0002');
  const BYTES = concat(OUTER, SYN_BYTES);
  const PACKET: Ipv4Packet = {
    kind: 'ipv4',
    id: 0,
    ip: { tos: 0, ident: 1, df: false, mf: false, fragOffset: 0, ttl: 64, protocol: 4, src: ip('10.0.0.1'), dst: ip('10.0.0.2') },
    l4: { proto: 'ipip', inner: SYN },
  };

  it('deconstructs the outer header', () => {
    const f = readIpv4Fields(BYTES);
    expect([f.protocol, f.totalLength, f.checksum]).toEqual([4, 64, 0x66b7]);
    expect(toHex(BYTES.subarray(20))).toBe(toHex(SYN_BYTES));
  });

  it('parses the payload as a whole inner IPv4 packet', () => {
    expect(parseIpv4Packet(BYTES)).toEqual(PACKET);
  });

  it('emits outer header and inner packet', () => {
    expect(toHex(emitIpv4(PACKET))).toBe(toHex(BYTES));
  });

  it('reports a malformed inner packet at its offset', () => {
    const b = BYTES.slice();
    b[20] = 0x55; // inner version 5
    const sum = referenceChecksum(b.subarray(0, 20));
    expect(sum).toBe(0);
    expect(() => parseIpv4Packet(b)).toThrow(/ipv4 at byte 20: version 5/);
  });
});
