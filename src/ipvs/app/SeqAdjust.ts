import { seqLt, TcpFlag, type TcpSegment } from '../../wire/index.ts';

/** Conntrack directions: ORIGINAL is the way the connection's first packet went (client → server), REPLY back. */
export const CT_ORIGINAL = 0;
export const CT_REPLY = 1;
export type CtDirection = typeof CT_ORIGINAL | typeof CT_REPLY;

/** struct nf_ct_seqadj: one direction's correction. */
interface Way {
  correctionPos: number;
  offsetBefore: number;
  offsetAfter: number;
}

/**
 * The sequence-adjustment extension of a conntrack entry (net/netfilter/nf_conntrack_seqadj.c): once a helper
 * has changed the length of a segment (nf_nat_mangle_tcp_packet → nf_ct_seqadj_set), every later packet of the
 * connection leaving the host (nf_confirm at POSTROUTING → nf_ct_seq_adjust) gets its sequence number shifted
 * in that direction and its acknowledgement shifted back in the other, so that both ends keep counting their own
 * bytes. A segment at or before the position of the last change (a retransmission from before it) gets the
 * offset that held before the change. Sequence numbers compare modulo 2^32 (after/before); SACK blocks, which
 * nf_ct_sack_adjust also moves, do not occur in the lab's TCP.
 */
export class SeqAdjust {
  private readonly ways: readonly [Way, Way] = [
    { correctionPos: 0, offsetBefore: 0, offsetAfter: 0 },
    { correctionPos: 0, offsetBefore: 0, offsetAfter: 0 },
  ];
  /** IPS_SEQ_ADJUST_BIT: some segment changed length, so packets are adjusted from now on. */
  private active = false;

  /**
   * nf_ct_seqadj_set: the segment starting at `seq` (in the sender's own numbering) grew by `off` bytes. A new
   * position is taken only when the last change is settled (offsets equal) or this segment starts after it.
   */
  set(dir: CtDirection, seq: number, off: number): void {
    if (off === 0) return;
    this.active = true;
    const w = this.ways[dir];
    if (w.offsetBefore === w.offsetAfter || seqLt(w.correctionPos, seq)) {
      w.correctionPos = seq;
      w.offsetBefore = w.offsetAfter;
      w.offsetAfter += off;
    }
  }

  /** nf_ct_seq_adjust: the segment as it leaves, its seq moved by this direction's offset, its ack by the other's. */
  adjust(dir: CtDirection, seg: TcpSegment): TcpSegment {
    if (!this.active) return seg;
    const me = this.ways[dir];
    const other = this.ways[dir === CT_ORIGINAL ? CT_REPLY : CT_ORIGINAL];
    const seqOff = seqLt(me.correctionPos, seg.seq) ? me.offsetAfter : me.offsetBefore;
    const seq = (seg.seq + seqOff) >>> 0;
    let ack = seg.ack;
    if (seg.flags & TcpFlag.ACK) {
      // The ack counts the other side's bytes as its peer saw them: compare it in the unadjusted numbering.
      const ackOff = seqLt(other.correctionPos, (seg.ack - other.offsetBefore) >>> 0) ? other.offsetAfter : other.offsetBefore;
      ack = (seg.ack - ackOff) >>> 0;
    }
    if (seq === seg.seq && ack === seg.ack) return seg;
    return { ...seg, seq, ack };
  }
}
