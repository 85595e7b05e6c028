import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TCP_TIMEOUTS,
  TCP_STATE_ACTIVE,
  TCP_STATE_NAMES,
  TcpPacketClass,
  TcpState,
  nextTcpState,
  tcpPacketClass,
} from '../../../src/ipvs/tcpStates.ts';
import { TcpFlag } from '../../../src/wire/index.ts';

const S = TcpState;

describe('IPVS TCP state tables (ip_vs_proto_tcp.c)', () => {
  it('classifies segments RST first, then SYN, FIN, ACK', () => {
    expect(tcpPacketClass(TcpFlag.SYN | TcpFlag.ACK)).toBe(TcpPacketClass.syn);
    expect(tcpPacketClass(TcpFlag.FIN | TcpFlag.ACK)).toBe(TcpPacketClass.fin);
    expect(tcpPacketClass(TcpFlag.RST | TcpFlag.SYN)).toBe(TcpPacketClass.rst);
    expect(tcpPacketClass(TcpFlag.ACK)).toBe(TcpPacketClass.ack);
    expect(tcpPacketClass(TcpFlag.PSH)).toBeUndefined();
  });

  it('sends a segment with none of the four flags to CLOSE from any state', () => {
    for (let s = 0; s < TCP_STATE_NAMES.length; s++) expect(nextTcpState('input', undefined, s as never)).toBe(S.CLOSE);
  });

  it('walks a NAT connection closed by the client (reference §5.5)', () => {
    let s: number = S.NONE;
    const step = (dir: 'input' | 'output', flags: number) => (s = nextTcpState(dir, tcpPacketClass(flags), s as never));
    expect(step('input', TcpFlag.SYN)).toBe(S.SYN_RECV);
    expect(step('output', TcpFlag.SYN | TcpFlag.ACK)).toBe(S.SYN_RECV);
    expect(step('input', TcpFlag.ACK)).toBe(S.ESTABLISHED);
    expect(step('input', TcpFlag.FIN | TcpFlag.ACK)).toBe(S.CLOSE_WAIT);
    expect(step('output', TcpFlag.FIN | TcpFlag.ACK)).toBe(S.TIME_WAIT);
    expect(step('input', TcpFlag.ACK)).toBe(S.TIME_WAIT);
  });

  it('walks a DR connection on the INPUT-ONLY rows: FIN goes to FIN_WAIT, RST to CLOSE', () => {
    expect(nextTcpState('inputOnly', TcpPacketClass.syn, S.NONE)).toBe(S.SYN_RECV);
    expect(nextTcpState('inputOnly', TcpPacketClass.ack, S.SYN_RECV)).toBe(S.ESTABLISHED);
    expect(nextTcpState('inputOnly', TcpPacketClass.fin, S.ESTABLISHED)).toBe(S.FIN_WAIT);
    expect(nextTcpState('inputOnly', TcpPacketClass.ack, S.FIN_WAIT)).toBe(S.FIN_WAIT);
    expect(nextTcpState('inputOnly', TcpPacketClass.rst, S.ESTABLISHED)).toBe(S.CLOSE);
    // The one cell where INPUT and INPUT-ONLY differ on RST: SYNACK.
    expect(nextTcpState('input', TcpPacketClass.rst, S.SYNACK)).toBe(S.SYN_RECV);
    expect(nextTcpState('inputOnly', TcpPacketClass.rst, S.SYNACK)).toBe(S.CLOSE);
  });

  it('uses the defence table only when asked: an inbound SYN on a DR entry goes to SYNACK there', () => {
    expect(nextTcpState('inputOnly', TcpPacketClass.syn, S.NONE, true)).toBe(S.SYNACK);
    expect(nextTcpState('input', TcpPacketClass.ack, S.SYN_RECV, true)).toBe(S.SYN_RECV);
    expect(nextTcpState('input', TcpPacketClass.ack, S.SYN_RECV, false)).toBe(S.ESTABLISHED);
  });

  it('has the kernel timeouts and active states', () => {
    const byName = Object.fromEntries(TCP_STATE_NAMES.map((n, i) => [n, DEFAULT_TCP_TIMEOUTS[i]]));
    expect(byName).toEqual({ NONE: 2, ESTABLISHED: 900, SYN_SENT: 120, SYN_RECV: 60, FIN_WAIT: 120, TIME_WAIT: 120, CLOSE: 10, CLOSE_WAIT: 60, LAST_ACK: 30, LISTEN: 120, SYNACK: 120 });
    const active = TCP_STATE_NAMES.filter((_, i) => TCP_STATE_ACTIVE[i]);
    expect(active).toEqual(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'SYNACK']);
  });
});
