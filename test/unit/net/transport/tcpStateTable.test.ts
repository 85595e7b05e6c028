import { describe, expect, it } from 'vitest';
import { STATE_COLUMNS, STATE_INFO, nextState, type TcpEvent, type TcpState } from '../../../../src/net/transport/tcpStateTable.ts';

const EVENTS: TcpEvent[] = ['connect', 'rcvSyn', 'rcvSynAck', 'ackOfSyn', 'close', 'rcvFin', 'ackOfFin', 'rcvRst', 'giveUp', 'linger', 'abort'];

describe('tcp state table', () => {
  it('holds every arc of the RFC 9293 §3.3.2 state diagram', () => {
    const arcs: [TcpState, TcpEvent, TcpState][] = [
      ['CLOSED', 'connect', 'SYN_SENT'],
      ['LISTEN', 'rcvSyn', 'SYN_RECV'],
      ['SYN_SENT', 'rcvSyn', 'SYN_RECV'],
      ['SYN_SENT', 'rcvSynAck', 'ESTABLISHED'],
      ['SYN_RECV', 'ackOfSyn', 'ESTABLISHED'],
      ['SYN_RECV', 'close', 'FIN_WAIT1'],
      ['ESTABLISHED', 'close', 'FIN_WAIT1'],
      ['ESTABLISHED', 'rcvFin', 'CLOSE_WAIT'],
      ['FIN_WAIT1', 'ackOfFin', 'FIN_WAIT2'],
      ['FIN_WAIT1', 'rcvFin', 'CLOSING'],
      ['FIN_WAIT2', 'rcvFin', 'TIME_WAIT'],
      ['CLOSING', 'ackOfFin', 'TIME_WAIT'],
      ['TIME_WAIT', 'linger', 'CLOSED'],
      ['CLOSE_WAIT', 'close', 'LAST_ACK'],
      ['LAST_ACK', 'ackOfFin', 'CLOSED'],
      ['SYN_SENT', 'close', 'CLOSED'],
      ['LISTEN', 'close', 'CLOSED'],
    ];
    for (const [from, ev, to] of arcs) expect(`${from} --${ev}--> ${nextState(from, ev)}`).toBe(`${from} --${ev}--> ${to}`);
  });

  it('abort reaches CLOSED from every state; an RST from every state that has a peer', () => {
    for (const s of STATE_COLUMNS) {
      expect(nextState(s, 'abort')).toBe('CLOSED');
      if (s !== 'CLOSED' && s !== 'LISTEN') expect(nextState(s, 'rcvRst')).toBe('CLOSED');
    }
  });

  it('every state is reachable from CLOSED or LISTEN, and every state can reach CLOSED without abort', () => {
    const reach = (start: TcpState[], events: TcpEvent[]): Set<TcpState> => {
      const seen = new Set<TcpState>(start);
      const todo = [...start];
      while (todo.length > 0) {
        const s = todo.pop()!;
        for (const e of events) {
          const n = nextState(s, e);
          if (n && !seen.has(n)) {
            seen.add(n);
            todo.push(n);
          }
        }
      }
      return seen;
    };
    expect([...reach(['CLOSED', 'LISTEN'], EVENTS)].sort()).toEqual([...STATE_COLUMNS].sort());
    const graceful = EVENTS.filter((e) => e !== 'abort' && e !== 'rcvRst' && e !== 'giveUp');
    for (const s of STATE_COLUMNS) expect(reach([s], graceful).has('CLOSED')).toBe(true);
  });

  it('per-state properties agree with each other', () => {
    for (const s of STATE_COLUMNS) {
      const info = STATE_INFO[s];
      if (info.receivesData || info.resetOnAbort) expect(info.synchronized).toBe(true);
      // close() sends a FIN exactly from the states where send() is allowed and a peer SYN has been seen.
      const to = nextState(s, 'close');
      const sendsFin = (to === 'FIN_WAIT1' || to === 'LAST_ACK') && to !== s;
      expect(sendsFin).toBe(info.canSend && info.synchronized);
    }
  });
});
