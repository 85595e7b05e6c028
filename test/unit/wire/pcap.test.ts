import { describe, expect, it } from 'vitest';
import { PcapWriter } from '../../../src/wire/index.ts';
import { hex, toHex } from './hex.ts';

// pcap-savefile(5), nanosecond variant, written little-endian:
// magic a1b23c4d, version 2.4, thiszone 0, sigfigs 0, snaplen 262144 (0x40000), linktype 1.
const GLOBAL_HEADER = hex('4d3cb2a1 0200 0400 00000000 00000000 00000400 01000000');

describe('PcapWriter', () => {
  it('starts with the nanosecond-resolution global header', () => {
    const w = new PcapWriter();
    expect(toHex(w.toBytes())).toBe(toHex(GLOBAL_HEADER));
    expect(w.count).toBe(0);
    expect(w.byteLength).toBe(24);
  });

  it('writes a record header of seconds, nanoseconds, captured and original length', () => {
    const w = new PcapWriter();
    w.add(1_500_000_007, hex('0102030405'));
    // ts_sec 1, ts_nsec 500000007 (0x1dcd6507), incl_len 5, orig_len 5, then the bytes.
    expect(toHex(w.toBytes().subarray(24))).toBe('01000000' + '0765cd1d' + '05000000' + '05000000' + '0102030405');
    expect(w.count).toBe(1);
  });

  it('keeps records in order and grows past its initial buffer', () => {
    const w = new PcapWriter();
    const frame = new Uint8Array(1514);
    for (let i = 0; i < 200; i++) {
      frame[0] = i & 0xff;
      w.add(i * 1000, frame);
    }
    const b = w.toBytes();
    expect(b.length).toBe(24 + 200 * (16 + 1514));
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (const i of [0, 57, 199]) {
      const at = 24 + i * 1530;
      expect(view.getUint32(at + 4, true)).toBe(i * 1000);
      expect(view.getUint32(at + 8, true)).toBe(1514);
      expect(b[at + 16]).toBe(i & 0xff); // the copy was taken at add time
    }
  });

  it('returns a copy: adding more later does not change an earlier file', () => {
    const w = new PcapWriter();
    w.add(0, hex('aa'));
    const first = w.toBytes();
    w.add(1, hex('bb'));
    expect(first.length).toBe(24 + 17);
    expect(w.toBytes().length).toBe(24 + 34);
  });

  it('cuts frames longer than the snaplen and records their original length', () => {
    const w = new PcapWriter();
    w.add(0, new Uint8Array(262144 + 10));
    const view = new DataView(w.toBytes().buffer);
    expect(view.getUint32(24 + 8, true)).toBe(262144);
    expect(view.getUint32(24 + 12, true)).toBe(262154);
  });

  it('rejects timestamps that are not non-negative integer nanoseconds', () => {
    const w = new PcapWriter();
    expect(() => w.add(-1, hex('00'))).toThrow(RangeError);
    expect(() => w.add(1.5, hex('00'))).toThrow(RangeError);
    expect(w.count).toBe(0);
  });
});
