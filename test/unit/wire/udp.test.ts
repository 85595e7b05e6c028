import { describe, expect, it } from 'vitest';
import {
  emitIpv4,
  emitUdpInto,
  parseIpv4Packet,
  parseUdp,
  readUdpFields,
  WireFormatError,
  writeUdpFields,
  type UdpDatagram,
} from '../../../src/wire/index.ts';
import { UDP_DGRAM, UDP_IP_HEADER_FIELDS, UDP_PACKET } from './fixtures.ts';
import { concat, hex, referenceChecksum, toHex } from './hex.ts';

const { src: SRC, dst: DST } = UDP_IP_HEADER_FIELDS;
const PSEUDO = { src: SRC, dst: DST, protocol: 17 };
// IPv4 header for the datagram: total 30, id 0x0042, TTL 64, protocol 17. Checksum by hand:
// 4500 + 001e + 0042 + 0000 + 4011 + c0a8 + 01fe + c0a8 + 016e = 20a2d; fold 0a2f; complement f5d0.
const UDP_BYTES = concat(hex('4500 001e 0042 0000 4011 f5d0 c0a8 01fe c0a8 016e'), UDP_DGRAM);

describe('UDP (RFC 768)', () => {
  it('deconstructs the header', () => {
    expect(readUdpFields(UDP_DGRAM)).toEqual({ sport: 5000, dport: 7777, length: 10, checksum: 0xe0ca });
  });

  it('constructs the header from fields', () => {
    const buf = new Uint8Array(10);
    writeUdpFields(buf, 0, { sport: 5000, dport: 7777, length: 10, checksum: 0xe0ca });
    buf.set(hex('6869'), 8);
    expect(toHex(buf)).toBe(toHex(UDP_DGRAM));
  });

  it('parses the datagram and the packet', () => {
    expect(parseUdp(UDP_DGRAM, 0, UDP_DGRAM.length, SRC, DST, true)).toEqual(UDP_PACKET.l4);
    expect(parseIpv4Packet(UDP_BYTES)).toEqual(UDP_PACKET);
  });

  it('emits the hand-computed checksum', () => {
    const buf = new Uint8Array(10);
    emitUdpInto(buf, 0, UDP_PACKET.l4 as UdpDatagram, SRC, DST);
    expect(toHex(buf)).toBe(toHex(UDP_DGRAM));
    expect(toHex(emitIpv4(UDP_PACKET))).toBe(toHex(UDP_BYTES));
  });

  it('sends a computed checksum of zero as 0xffff (RFC 768)', () => {
    // Choose the two data bytes so that the sum folds to 0xffff (a computed checksum of 0):
    // with data 0000 the checksum would be c ⇒ data word c makes the complemented sum zero.
    const probe = new Uint8Array(10);
    emitUdpInto(probe, 0, { proto: 'udp', sport: 5000, dport: 7777, payload: { length: 2 } }, SRC, DST);
    const c = (probe[6] << 8) | probe[7];
    const d: UdpDatagram = { proto: 'udp', sport: 5000, dport: 7777, payload: { length: 2, bytes: new Uint8Array([c >>> 8, c & 0xff]) } };
    const buf = new Uint8Array(10);
    emitUdpInto(buf, 0, d, SRC, DST);
    expect(toHex(buf.subarray(6, 8))).toBe('ffff');
    expect(referenceChecksum(buf, PSEUDO)).toBe(0);
    expect(parseUdp(buf, 0, 10, SRC, DST, true)).toEqual(d);
  });

  it('accepts a zero checksum as "none" without verifying', () => {
    const b = UDP_DGRAM.slice();
    b[6] = 0;
    b[7] = 0;
    expect(parseUdp(b, 0, b.length, SRC, DST, true)).toEqual(UDP_PACKET.l4);
  });

  it('rejects a bad checksum and impossible lengths', () => {
    const bad = UDP_DGRAM.slice();
    bad[9] ^= 0xff;
    expect(() => parseUdp(bad, 0, bad.length, SRC, DST, true)).toThrow(/udp at byte 0: bad checksum 0xe0ca/);
    const short = UDP_DGRAM.slice();
    short[5] = 7;
    expect(() => parseUdp(short, 0, short.length, SRC, DST, false)).toThrow(/length 7 is below the header size 8/);
    const long = UDP_DGRAM.slice();
    long[5] = 11;
    expect(() => parseUdp(long, 0, long.length, SRC, DST, false)).toThrow(WireFormatError);
  });

  it('ignores bytes after the UDP length inside the IP payload', () => {
    const padded = concat(UDP_DGRAM, hex('0000'));
    expect(parseUdp(padded, 0, padded.length, SRC, DST, true)).toEqual(UDP_PACKET.l4);
  });
});
