import { describe, expect, it } from 'vitest';
import {
  emitArpInto,
  emitFrame,
  parseArp,
  parseFrame,
  parseIpv4,
  readArpFields,
  WireFormatError,
  writeArpFields,
  type ArpPacket,
  type Frame,
} from '../../../src/wire/index.ts';
import { concat, hex, toHex, zeros } from './hex.ts';

// RFC 826 for IPv4 over Ethernet: htype 1, ptype 0x0800, hlen 6, plen 4, op, sha, spa, tha, tpa.
// Request: 192.168.1.254 (02:00:00:00:01:fe) asks who has 192.168.1.110.
const ARP_BYTES = hex(`
  0001 0800 06 04 0001
  0200 0000 01fe  c0a8 01fe
  0000 0000 0000  c0a8 016e`);

const REQUEST: ArpPacket = {
  op: 1,
  sha: '02:00:00:00:01:fe',
  spa: parseIpv4('192.168.1.254')!,
  tha: '00:00:00:00:00:00',
  tpa: parseIpv4('192.168.1.110')!,
};

// The frame: broadcast destination, EtherType 0x0806, 28 bytes of ARP, 18 bytes of padding to 60.
const FRAME_BYTES = concat(hex('ffff ffff ffff 0200 0000 01fe 0806'), ARP_BYTES, zeros(18));
const FRAME: Frame = {
  eth: { dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:01:fe', etherType: 0x0806 },
  body: { kind: 'arp', id: 0, arp: REQUEST },
};

describe('ARP (IPv4 over Ethernet)', () => {
  it('deconstructs every field', () => {
    expect(readArpFields(ARP_BYTES)).toEqual({
      htype: 1,
      ptype: 0x0800,
      hlen: 6,
      plen: 4,
      op: 1,
      sha: '02:00:00:00:01:fe',
      spa: 0xc0a801fe,
      tha: '00:00:00:00:00:00',
      tpa: 0xc0a8016e,
    });
  });

  it('constructs the bytes from fields', () => {
    const buf = new Uint8Array(28);
    writeArpFields(buf, 0, { htype: 1, ptype: 0x0800, hlen: 6, plen: 4, ...REQUEST });
    expect(toHex(buf)).toBe(toHex(ARP_BYTES));
  });

  it('parses the packet into the repr', () => {
    expect(parseArp(ARP_BYTES)).toEqual(REQUEST);
    expect(parseFrame(FRAME_BYTES)).toEqual(FRAME);
  });

  it('emits the repr as the same bytes, padded in a frame', () => {
    const buf = new Uint8Array(28);
    emitArpInto(buf, 0, REQUEST);
    expect(toHex(buf)).toBe(toHex(ARP_BYTES));
    expect(toHex(emitFrame(FRAME))).toBe(toHex(FRAME_BYTES));
  });

  it('round-trips a reply', () => {
    const reply: Frame = {
      eth: { dst: '02:00:00:00:01:fe', src: '02:00:00:00:01:6e', etherType: 0x0806 },
      body: { kind: 'arp', id: 0, arp: { op: 2, sha: '02:00:00:00:01:6e', spa: 0xc0a8016e, tha: '02:00:00:00:01:fe', tpa: 0xc0a801fe } },
    };
    const b = emitFrame(reply);
    expect(toHex(b.subarray(20, 22))).toBe('0002');
    expect(parseFrame(b)).toEqual(reply);
  });

  it('keeps ARP for another hardware or protocol type as a raw body', () => {
    const other = ARP_BYTES.slice();
    other[1] = 6; // htype 6 (IEEE 802)
    const f = parseFrame(concat(FRAME_BYTES.subarray(0, 14), other, zeros(18)));
    expect(f.body.kind).toBe('raw');
    expect(parseArp(other)).toBeUndefined();
  });

  it('rejects a truncated IPv4-over-Ethernet ARP packet', () => {
    expect(() => parseArp(ARP_BYTES.subarray(0, 20))).toThrow(WireFormatError);
    expect(() => parseFrame(concat(FRAME_BYTES.subarray(0, 14), ARP_BYTES.subarray(0, 6)))).toThrow(/arp at byte 14/);
  });
});
