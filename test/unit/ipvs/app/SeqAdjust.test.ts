import { describe, expect, it } from 'vitest';
import { CT_ORIGINAL, CT_REPLY, SeqAdjust } from '../../../../src/ipvs/app/SeqAdjust.ts';
import { EMPTY_PAYLOAD, TcpFlag, type TcpSegment } from '../../../../src/wire/index.ts';

const seg = (seq: number, ack: number, flags: number = TcpFlag.ACK): TcpSegment => ({ proto: 'tcp', sport: 21, dport: 40000, seq, ack, flags, window: 65535, payload: EMPTY_PAYLOAD });
const moved = (a: SeqAdjust, dir: 0 | 1, s: TcpSegment) => {
  const r = a.adjust(dir, s);
  return [r.seq, r.ack];
};

describe('SeqAdjust (nf_conntrack_seqadj)', () => {
  it('changes nothing until a segment changed length', () => {
    const a = new SeqAdjust();
    const s = seg(1000, 5000);
    expect(a.adjust(CT_REPLY, s)).toBe(s);
    a.set(CT_REPLY, 1000, 0);
    expect(a.adjust(CT_REPLY, s)).toBe(s);
  });

  it('after a reply grew by one byte: later replies move up, the mangled one and earlier ones do not', () => {
    const a = new SeqAdjust();
    a.set(CT_REPLY, 1000, 1);
    expect(moved(a, CT_REPLY, seg(1000, 7))).toEqual([1000, 7]);
    expect(moved(a, CT_REPLY, seg(990, 7))).toEqual([990, 7]);
    expect(moved(a, CT_REPLY, seg(1048, 7))).toEqual([1049, 7]);
  });

  it("moves the client's acks back once they cover the change, compared in the client's numbering", () => {
    const a = new SeqAdjust();
    a.set(CT_REPLY, 1000, 1);
    // The 227 was 48 bytes from 1000; the client got 49 and acks 1049: the server must see 1048.
    expect(moved(a, CT_ORIGINAL, seg(7, 1049))).toEqual([7, 1048]);
    expect(moved(a, CT_ORIGINAL, seg(7, 1000))).toEqual([7, 1000]);
    // A segment without ACK keeps its ack field.
    expect(moved(a, CT_ORIGINAL, seg(7, 1049, TcpFlag.SYN))).toEqual([7, 1049]);
  });

  it('a second change moves the position; what lies between the two keeps the first offset', () => {
    const a = new SeqAdjust();
    a.set(CT_REPLY, 1000, 1);
    a.set(CT_REPLY, 2000, 1);
    expect(moved(a, CT_REPLY, seg(1500, 0))).toEqual([1501, 0]);
    expect(moved(a, CT_REPLY, seg(2000, 0))).toEqual([2001, 0]);
    expect(moved(a, CT_REPLY, seg(2100, 0))).toEqual([2102, 0]);
    expect(moved(a, CT_ORIGINAL, seg(7, 1501))).toEqual([7, 1500]);
    expect(moved(a, CT_ORIGINAL, seg(7, 2102))).toEqual([7, 2100]);
  });

  it('ignores a change reported again from before the current position (a retransmission mangled twice)', () => {
    const a = new SeqAdjust();
    a.set(CT_REPLY, 1000, 1);
    a.set(CT_REPLY, 2000, -2);
    a.set(CT_REPLY, 1000, 1);
    expect(moved(a, CT_REPLY, seg(2100, 0))).toEqual([2099, 0]);
    expect(moved(a, CT_REPLY, seg(1500, 0))).toEqual([1501, 0]);
  });

  it('keeps the directions apart, and compares positions modulo 2^32', () => {
    const a = new SeqAdjust();
    a.set(CT_REPLY, 0xfffffff0, 3);
    expect(moved(a, CT_REPLY, seg(0x10, 0))).toEqual([0x13, 0]);
    expect(moved(a, CT_REPLY, seg(0xfffffffe, 0))).toEqual([0x1, 0]);
    expect(moved(a, CT_ORIGINAL, seg(0x10, 0, TcpFlag.SYN))).toEqual([0x10, 0]);
    a.set(CT_ORIGINAL, 50, -1);
    expect(moved(a, CT_ORIGINAL, seg(60, 0x20))).toEqual([59, 0x1d]);
  });
});
