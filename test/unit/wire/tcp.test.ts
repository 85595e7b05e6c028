import { describe, expect, it } from 'vitest';
import {
  emitIpv4,
  emitTcpInto,
  parseIpv4Packet,
  parseTcp,
  readTcpFields,
  textPayload,
  WireFormatError,
  writeTcpFields,
  type Ipv4Packet,
  type TcpSegment,
} from '../../../src/wire/index.ts';
import { SYN, SYN_BYTES, SYN_HEADER, SYN_TCP } from './fixtures.ts';
import { hex, referenceChecksum, toHex } from './hex.ts';

const SRC = SYN_HEADER.src;
const DST = SYN_HEADER.dst;
const PSEUDO = { src: SRC, dst: DST, protocol: 6 };

describe('TCP header (RFC 9293)', () => {
  it('deconstructs every field of the SYN fixture', () => {
    const f = readTcpFields(SYN_TCP);
    expect({ ...f, options: toHex(f.options) }).toEqual({
      sport: 40000,
      dport: 80,
      seq: 1000,
      ack: 0,
      dataOffset: 6,
      flags: 0x02,
      window: 64240,
      checksum: 0x7800,
      urgent: 0,
      options: '020405b4',
    });
  });

  it('constructs the bytes from fields', () => {
    const buf = new Uint8Array(24);
    writeTcpFields(buf, 0, readTcpFields(SYN_TCP));
    expect(toHex(buf)).toBe(toHex(SYN_TCP));
  });

  it('parses the SYN into the repr, MSS option included', () => {
    expect(parseTcp(SYN_TCP, 0, SYN_TCP.length, SRC, DST, true)).toEqual(SYN.l4);
  });

  it('emits the repr with the hand-computed checksum', () => {
    const buf = new Uint8Array(24);
    expect(emitTcpInto(buf, 0, SYN.l4 as TcpSegment, SRC, DST)).toBe(24);
    expect(toHex(buf)).toBe(toHex(SYN_TCP));
  });

  it('emits a data segment whose checksum the reference implementation accepts', () => {
    const seg: TcpSegment = {
      proto: 'tcp',
      sport: 40000,
      dport: 80,
      seq: 1001,
      ack: 5001,
      flags: 0x18, // PSH, ACK
      window: 502,
      payload: textPayload('GET / HTTP/1.0\r\n\r\n'),
    };
    const p: Ipv4Packet = { ...SYN, ip: { ...SYN_HEADER }, l4: seg };
    const b = emitIpv4(p);
    expect(b.length).toBe(20 + 20 + 18);
    expect(b[20 + 12]).toBe(0x50); // data offset 5, no options without mss
    expect(referenceChecksum(b.subarray(20), PSEUDO)).toBe(0);
    expect(parseIpv4Packet(b)).toEqual(p);
  });

  it('emits an odd-length payload and a length-only payload as zeros with a valid checksum', () => {
    const seg: TcpSegment = { proto: 'tcp', sport: 1, dport: 2, seq: 0xffffffff, ack: 7, flags: 0x10, window: 0, payload: { length: 1001 } };
    const b = emitIpv4({ ...SYN, l4: seg });
    expect(b.subarray(40).every((x) => x === 0)).toBe(true);
    expect(referenceChecksum(b.subarray(20), PSEUDO)).toBe(0);
    const back = parseIpv4Packet(b).l4 as TcpSegment;
    expect(back.seq).toBe(0xffffffff);
    expect(back.payload.length).toBe(1001);
  });

  it('reads MSS among other options and skips the rest', () => {
    // Data offset 10 (40 bytes): MSS 1460, SACK-permitted, timestamps, NOP, window scale 7.
    const seg = hex('9c40 0050 0000 03e8 0000 0000 a002 faf0 0000 0000 0204 05b4 0402 080a 0000 0001 0000 0000 0103 0307');
    const sum = referenceChecksum(seg, PSEUDO);
    seg[16] = sum >>> 8;
    seg[17] = sum & 0xff;
    expect(parseTcp(seg, 0, seg.length, SRC, DST, true)).toEqual(SYN.l4);
  });

  it('rejects malformed options, bad data offsets and bad checksums', () => {
    const badOpt = hex('9c40 0050 0000 03e8 0000 0000 6002 faf0 0000 0000 0205 05b4');
    expect(() => parseTcp(badOpt, 0, badOpt.length, SRC, DST, false)).toThrow(/tcp at byte 20: malformed option of kind 2/);
    const zeroLen = hex('9c40 0050 0000 03e8 0000 0000 6002 faf0 0000 0000 0800 0000');
    expect(() => parseTcp(zeroLen, 0, zeroLen.length, SRC, DST, false)).toThrow(WireFormatError);
    const shortOffset = SYN_TCP.slice();
    shortOffset[12] = 0x40;
    expect(() => parseTcp(shortOffset, 0, shortOffset.length, SRC, DST, false)).toThrow(/data offset 4 is below the minimum 5/);
    const longOffset = SYN_TCP.slice();
    longOffset[12] = 0xf0;
    expect(() => parseTcp(longOffset, 0, longOffset.length, SRC, DST, false)).toThrow(/header length 60 runs past/);
    const badSum = SYN_BYTES.slice();
    badSum[20 + 15] ^= 1; // window faf0 → faf1: the sum grows by one, so the right checksum is one less
    expect(() => parseIpv4Packet(badSum)).toThrow(/tcp at byte 20: bad checksum 0x7800, expected 0x77ff/);
    expect(() => parseTcp(SYN_TCP.subarray(0, 19), 0, 19, SRC, DST, true)).toThrow(/header needs 20 bytes/);
  });
});
