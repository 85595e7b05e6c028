import { describe, expect, it } from 'vitest';
import {
  emitFrame,
  frameLength,
  parseFrame,
  readEthernetHeader,
  WireFormatError,
  writeEthernetHeader,
  type Frame,
} from '../../../src/wire/index.ts';
import { concat, hex, toHex, zeros } from './hex.ts';

// Ethernet II (DIX): destination (6), source (6), EtherType (2), then the payload; no FCS in captures.
// EtherType 0x88b5 is the IEEE "local experimental" type: the lab has no model for it, so the body is raw.
const HEADER = hex('0200 0000 0001  0200 0000 0002  88b5');
const PAYLOAD = hex('6c 76 73 2d 6c 61 62'); // "lvs-lab"
// 14 + 7 = 21 bytes, padded with 39 zero bytes to the 60-byte minimum.
const FRAME_BYTES = concat(HEADER, PAYLOAD, zeros(39));

const FRAME: Frame = {
  eth: { dst: '02:00:00:00:00:01', src: '02:00:00:00:00:02', etherType: 0x88b5 },
  body: { kind: 'raw', id: 0, payload: { length: 7, bytes: PAYLOAD } },
};

describe('Ethernet II', () => {
  it('deconstructs the header fields from bytes', () => {
    expect(readEthernetHeader(FRAME_BYTES)).toEqual({ dst: '02:00:00:00:00:01', src: '02:00:00:00:00:02', etherType: 0x88b5 });
  });

  it('constructs the header bytes from fields', () => {
    const buf = new Uint8Array(14);
    writeEthernetHeader(buf, 0, FRAME.eth);
    expect(toHex(buf)).toBe(toHex(HEADER));
  });

  it('parses a frame of an unknown EtherType as a raw body, padding included', () => {
    const f = parseFrame(FRAME_BYTES);
    expect(f.eth).toEqual(FRAME.eth);
    expect(f.body.kind).toBe('raw');
    if (f.body.kind !== 'raw') return;
    expect(f.body.id).toBe(0);
    expect(f.body.payload.length).toBe(46);
    expect(toHex(f.body.payload.bytes!)).toBe(toHex(concat(PAYLOAD, zeros(39))));
  });

  it('emits a short frame zero-padded to 60 bytes', () => {
    expect(frameLength(FRAME)).toBe(60);
    expect(toHex(emitFrame(FRAME))).toBe(toHex(FRAME_BYTES));
  });

  it('emits a frame above the minimum without padding, and a length-only payload as zeros', () => {
    const f: Frame = { eth: FRAME.eth, body: { kind: 'raw', id: 3, payload: { length: 100 } } };
    const b = emitFrame(f);
    expect(b.length).toBe(114);
    expect(b.subarray(14).every((x) => x === 0)).toBe(true);
  });

  it('keeps MAC case canonical (lower-case) when parsing', () => {
    const b = concat(hex('AABBCCDDEEFF 0A0B0C0D0E0F 1234'), zeros(46));
    expect(parseFrame(b).eth).toEqual({ dst: 'aa:bb:cc:dd:ee:ff', src: '0a:0b:0c:0d:0e:0f', etherType: 0x1234 });
  });

  it('rejects a frame shorter than its header with WireFormatError', () => {
    expect(() => parseFrame(hex('0200 0000 0001 0200 0000 0002 08'))).toThrow(WireFormatError);
    expect(() => parseFrame(new Uint8Array(0))).toThrow(/ethernet at byte 0: header needs 14 bytes, only 0 left/);
  });
});
