import { describe, expect, it } from 'vitest';
import { MS, RandomStreams, SECOND, Simulator, type SimTime } from '../../../../src/sim/index.ts';
import { TcpFlag, payloadText, textPayload, type TcpSegment } from '../../../../src/wire/index.ts';
import {
  TCP_WINDOW,
  TcpEndpoint,
  resetFor,
  retransmitBudget,
  type TcpEndpointEnv,
} from '../../../../src/net/transport/TcpEndpoint.ts';
import {
  TcpPair,
  bytesPayload,
  equalBytes,
  has,
  isData,
  only,
  patternBytes,
  type AppHooks,
} from './tcpHarness.ts';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;
const D = 5 * MS; // one-way delay of the harness
const RTT = 2 * D;
/** RTO after a clean handshake on this path: SRTT + max(4·RTTVAR, 200 ms) = 10 ms + 200 ms. */
const RTO = RTT + 200 * MS;

/** A client that sends `request` once connected and closes when the server has closed. */
function requester(request: Uint8Array | string): AppHooks {
  return {
    onEstablished: (ep) => {
      ep.send(typeof request === 'string' ? textPayload(request) : bytesPayload(request));
    },
    onRemoteClose: (ep) => ep.close(),
  };
}

/** A server that answers a request of `requestLength` bytes with `response`, then closes. */
function responder(requestLength: number, response: Uint8Array, close = true): AppHooks {
  return {
    onData: (ep, _d, log) => {
      if (log.bytesReceived === requestLength) {
        ep.send(bytesPayload(response));
        if (close) ep.close();
      }
    },
  };
}

function textOf(bytes: Uint8Array): string {
  return payloadText({ length: bytes.length, bytes });
}

function numberedLines(totalBytes: number): string {
  let s = '';
  for (let i = 0; s.length < totalBytes; i++) s += `line ${String(i).padStart(7, '0')}\n`;
  return s.slice(0, totalBytes);
}

describe('three-way handshake', () => {
  it('opens both ends with MSS options and takes an RTT sample', () => {
    const pair = new TcpPair({ clientMss: 1460, serverMss: 1360 });
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);

    const [syn] = pair.sent('c2s', only(SYN));
    const [synAck] = pair.sent('s2c', only(SYN | ACK));
    expect(syn.t).toBe(0);
    expect(syn.seg.mss).toBe(1460);
    expect(syn.seg.seq).toBe(1000);
    expect(syn.seg.window).toBe(TCP_WINDOW);
    expect(synAck.t).toBe(D);
    expect(synAck.seg.mss).toBe(1360);
    expect(synAck.seg.ack).toBe(1001);
    const [ack] = pair.sent('c2s', only(ACK));
    expect(ack.t).toBe(RTT);
    expect(ack.seg.seq).toBe(1001);
    expect(ack.seg.ack).toBe(synAck.seg.seq + 1);
    expect(ack.seg.mss).toBeUndefined();

    expect(client.state).toBe('ESTABLISHED');
    expect(pair.server!.state).toBe('ESTABLISHED');
    expect(pair.clientLog.establishedAt).toBe(RTT);
    expect(pair.serverLog.establishedAt).toBe(RTT + D);
    expect(pair.clientLog.stateNames()).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(pair.serverLog.states.map((s) => `${s.from}>${s.to}`)).toEqual(['LISTEN>SYN_RECV', 'SYN_RECV>ESTABLISHED']);
    // Effective MSS: the smaller option on both sides.
    expect(client.effectiveMss).toBe(1360);
    expect(pair.server!.effectiveMss).toBe(1360);
    // Initial window 10 segments; RTO from the handshake's RTT sample.
    expect(client.cwnd).toBe(10 * 1360);
    expect(client.srtt).toBe(RTT);
    expect(client.rto).toBe(RTO);
    expect(pair.server!.rto).toBe(RTO);
  });

  it('uses 536 when the SYN carries no MSS option', () => {
    const sim = new Simulator();
    const out: TcpSegment[] = [];
    const env: TcpEndpointEnv = { sim, isn: 5, mss: 1460, transmit: (s) => out.push(s) };
    const syn: TcpSegment = { proto: 'tcp', sport: 1234, dport: 80, seq: 77, ack: 0, flags: SYN, window: 8192, payload: { length: 0 } };
    const ep = TcpEndpoint.accept(env, {}, syn);
    expect(out).toEqual([]); // the SYN-ACK leaves once accept() has returned, at the same instant
    sim.runUntil(0);
    expect(ep.effectiveMss).toBe(536);
    expect(out[0].flags).toBe(SYN | ACK);
    expect(out[0].mss).toBe(1460);
    expect(out[0].ack).toBe(78);
  });

  it('connect() returns before the SYN leaves; a close() in between sends nothing', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    expect(client.state).toBe('SYN_SENT');
    expect(pair.wire).toEqual([]);
    client.close();
    pair.sim.run(100);
    expect(pair.wire).toEqual([]);
    expect(pair.clientLog.closed).toEqual({ reason: 'normal', t: 0 });
  });

  it('completes a simultaneous open', () => {
    const pair = new TcpPair();
    const a = pair.connect();
    const b = pair.connectFromServer();
    pair.sim.runUntil(1 * SECOND);
    expect(a.state).toBe('ESTABLISHED');
    expect(b.state).toBe('ESTABLISHED');
    expect(pair.clientLog.stateNames()).toEqual(['SYN_SENT', 'SYN_RECV', 'ESTABLISHED']);
    expect(pair.clientLog.establishedAt).toBe(RTT);
  });
});

describe('request/response', () => {
  it('carries 100 KB each way, in order, segmented by MSS, then closes normally', () => {
    const request = numberedLines(100 * 1024);
    const response = patternBytes(100 * 1024, 3);
    const pair = new TcpPair({ server: responder(request.length, response) });
    const client = pair.connect(requester(request));
    pair.sim.run(100_000);

    expect(textOf(pair.serverLog.bytes())).toBe(request);
    expect(equalBytes(pair.clientLog.bytes(), response)).toBe(true);
    for (const e of pair.wire) expect(e.seg.payload.length).toBeLessThanOrEqual(1460);
    expect(pair.sent('c2s', isData).length).toBe(Math.ceil(request.length / 1460));
    // The server closed first: it waits in TIME_WAIT; the client ends from LAST_ACK.
    expect(pair.clientLog.closed?.reason).toBe('normal');
    expect(pair.serverLog.closed?.reason).toBe('normal');
    expect(pair.clientLog.stateNames()).toEqual(['SYN_SENT', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(pair.serverLog.stateNames()).toEqual(['SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSED']);
    expect(client.stats.retransmits).toBe(0);
    expect(client.stats.bytesSent).toBe(request.length);
    expect(pair.server!.stats.bytesDelivered).toBe(request.length);
  });

  it('delivers 100 KB each way exactly over a path losing 5% in both directions', () => {
    const streams = new RandomStreams(42);
    const loss = { c2s: streams.get('loss:c2s'), s2c: streams.get('loss:s2c') };
    const request = patternBytes(100 * 1024, 11);
    const response = patternBytes(100 * 1024, 29);
    const pair = new TcpPair({ drop: (e) => loss[e.dir].next() < 0.05, server: responder(request.length, response) });
    const client = pair.connect(requester(request));
    pair.sim.run(1_000_000);

    expect(pair.wire.some((e) => e.dropped && isData(e.seg))).toBe(true);
    expect(equalBytes(pair.serverLog.bytes(), request)).toBe(true);
    expect(equalBytes(pair.clientLog.bytes(), response)).toBe(true);
    expect(client.stats.retransmits + pair.server!.stats.retransmits).toBeGreaterThan(0);
    expect(pair.clientLog.closed?.reason).toBe('normal');
    expect(pair.serverLog.closed?.reason).toBe('normal');
  });

  it('works across sequence-number wrap-around', () => {
    const request = patternBytes(30_000, 5);
    const response = patternBytes(30_000, 6);
    const pair = new TcpPair({ clientIsn: 0xffff_f000, serverIsn: 0xffff_ff00, server: responder(request.length, response) });
    pair.connect(requester(request));
    pair.sim.run(100_000);
    expect(equalBytes(pair.serverLog.bytes(), request)).toBe(true);
    expect(equalBytes(pair.clientLog.bytes(), response)).toBe(true);
    expect(pair.wire.some((e) => e.seg.seq < 0x1000 && isData(e.seg))).toBe(true);
    expect(pair.clientLog.closed?.reason).toBe('normal');
  });

  it('refuses send() once the sending half is closed', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    pair.sim.runUntil(RTT);
    client.close();
    expect(client.send(textPayload('late'))).toBe(false);
  });
});

describe('loss recovered by retransmission', () => {
  it('a lost SYN is sent again after the initial 1 s RTO; no RTT sample → RTO 3 s', () => {
    const pair = new TcpPair({ drop: (e) => e.dir === 'c2s' && e.index === 0 });
    const client = pair.connect();
    pair.sim.runUntil(5 * SECOND);
    expect(pair.sent('c2s', only(SYN)).map((e) => e.t)).toEqual([0, 1 * SECOND]);
    expect(pair.clientLog.establishedAt).toBe(1 * SECOND + RTT);
    expect(client.rto).toBe(3 * SECOND); // RFC 6298 (5.7), Linux TCP_TIMEOUT_FALLBACK
    expect(client.cwnd).toBe(10 * 1460); // one handshake retransmission keeps the initial window
    expect(pair.server!.rto).toBe(RTO); // the server's SYN-ACK was not retransmitted
  });

  it('a lost SYN-ACK is sent again on the server RTO and on the retransmitted SYN', () => {
    const pair = new TcpPair({ drop: (e) => e.dir === 's2c' && e.index === 0 });
    const client = pair.connect();
    pair.sim.runUntil(5 * SECOND);
    expect(pair.sent('c2s', only(SYN)).map((e) => e.t)).toEqual([0, 1 * SECOND]);
    // The server's own timer (1 s after its SYN-ACK) and the client's second SYN arrive at the same instant.
    expect(pair.sent('s2c', only(SYN | ACK)).map((e) => e.t)).toEqual([D, 1 * SECOND + D, 1 * SECOND + D]);
    expect(pair.clientLog.establishedAt).toBe(1 * SECOND + RTT);
    expect(client.state).toBe('ESTABLISHED');
    expect(pair.server!.state).toBe('ESTABLISHED');
    expect(pair.servers.length).toBe(1);
  });

  it('a lost data segment is retransmitted one RTO later; cwnd drops to one segment', () => {
    const request = textPayload('GET / HTTP/1.0\r\n\r\n');
    const seen: { cwnd: number; ssthresh: number }[] = [];
    const pair = new TcpPair({
      drop: (e) => e.dir === 'c2s' && isData(e.seg) && e.t === RTT,
      onTransmit: (e) => {
        if (e.dir === 'c2s' && isData(e.seg)) seen.push({ cwnd: pair.client!.cwnd, ssthresh: pair.client!.ssthresh });
      },
    });
    const client = pair.connect({ onEstablished: (ep) => ep.send(request) });
    pair.sim.runUntil(2 * SECOND);
    expect(pair.sent('c2s', isData).map((e) => e.t)).toEqual([RTT, RTT + RTO]);
    // The handshake's ACK goes out on its own before the application's first write, as on Linux.
    expect(pair.sent('c2s').slice(0, 3).map((e) => e.seg.flags)).toEqual([SYN, ACK, PSH | ACK]);
    expect(pair.serverLog.data.map(payloadText)).toEqual(['GET / HTTP/1.0\r\n\r\n']);
    expect(client.stats.timeouts).toBe(1);
    expect(seen[1]).toEqual({ cwnd: 1460, ssthresh: 2 * 1460 });
    expect(client.bytesInFlight).toBe(0);
  });

  it('a lost ACK makes the sender retransmit; the receiver delivers the bytes once and ACKs again', () => {
    const pair = new TcpPair({ drop: (e) => e.dir === 's2c' && only(ACK)(e.seg) && e.t === RTT + D });
    const client = pair.connect({ onEstablished: (ep) => ep.send(textPayload('ping')) });
    pair.sim.runUntil(2 * SECOND);
    expect(pair.sent('c2s', isData).map((e) => e.t)).toEqual([RTT, RTT + RTO]);
    expect(pair.serverLog.data.map(payloadText)).toEqual(['ping']);
    expect(pair.sent('s2c', only(ACK)).map((e) => e.t)).toEqual([RTT + D, RTT + RTO + D]);
    expect(client.bytesInFlight).toBe(0);
  });

  it('a lost FIN is retransmitted one RTO later and the close completes', () => {
    let finAt: SimTime | undefined;
    const pair = new TcpPair({
      drop: (e) => e.dir === 'c2s' && has(FIN)(e.seg) && finAt === undefined && (finAt = e.t) !== undefined,
      server: { onData: (ep) => ep.send(textPayload('pong')), onRemoteClose: (ep) => ep.close() },
    });
    const client = pair.connect({
      onEstablished: (ep) => ep.send(textPayload('ping')),
      onData: (ep) => ep.close(),
    });
    pair.sim.run(10_000);
    const fins = pair.sent('c2s', has(FIN));
    expect(fins.map((e) => e.t)).toEqual([finAt, finAt! + RTO]);
    expect(fins[1].seg.seq).toBe(fins[0].seg.seq);
    expect(client.stats.retransmits).toBe(1);
    expect(pair.clientLog.closed?.reason).toBe('normal');
    expect(pair.serverLog.closed?.reason).toBe('normal');
  });

  it('three duplicate ACKs trigger a fast retransmit without waiting for the RTO', () => {
    const data = patternBytes(40 * 1460, 9);
    const pair = new TcpPair({ drop: (e) => e.dir === 'c2s' && isData(e.seg) && e.seg.seq === 1001 + 3 * 1460 && e.t === RTT });
    const client = pair.connect({ onEstablished: (ep) => ep.send(bytesPayload(data)) });
    pair.sim.run(10_000);
    expect(equalBytes(pair.serverLog.bytes(), data)).toBe(true);
    expect(client.stats.fastRetransmits).toBe(1);
    expect(client.stats.timeouts).toBe(0);
    const resent = pair.sent('c2s', (s) => s.seq === 1001 + 3 * 1460);
    // The third duplicate ACK comes back one RTT after the first flight.
    expect(resent.map((e) => e.t)).toEqual([RTT, 2 * RTT]);
    // ssthresh = flight / 2 at that moment: segments 4..16 (three new ACKs opened cwnd to 13 segments).
    expect(client.ssthresh).toBe(Math.floor((13 * 1460) / 2));
  });
});

describe('retransmission backoff and giving up', () => {
  it('SYN retransmissions back off 1, 2, 4, ... s; after tcp_syn_retries = 6 connect() times out at 127 s', () => {
    const pair = new TcpPair({ drop: (e) => e.dir === 'c2s' });
    const client = pair.connect();
    pair.sim.run(1000);
    expect(pair.sent('c2s', only(SYN)).map((e) => e.t / SECOND)).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(pair.clientLog.closed).toEqual({ reason: 'timeout', t: 127 * SECOND });
    expect(client.state).toBe('CLOSED');
    expect(pair.sent('c2s', has(RST))).toEqual([]);
  });

  it('a server drops a half-open connection after tcp_synack_retries = 5', () => {
    const pair = new TcpPair({ drop: (e) => e.dir === 's2c' });
    pair.connect();
    pair.sim.runUntil(70 * SECOND);
    const first = pair.servers[0];
    expect(first.log.closed).toEqual({ reason: 'timeout', t: D + 63 * SECOND });
    expect(first.ep.stats.timeouts).toBe(5);
  });

  it('data retransmissions back off from the RTO, cap at 120 s and give up after tcp_retries2 = 15', () => {
    let established = false;
    const pair = new TcpPair({ drop: (e) => e.dir === 'c2s' && established && isData(e.seg) });
    const client = pair.connect({
      onEstablished: (ep) => {
        established = true;
        ep.send(textPayload('hello'));
      },
    });
    pair.sim.run(1000);
    const times = pair.sent('c2s', isData).map((e) => e.t - RTT);
    const expected = [0];
    let rto = RTO;
    for (let i = 0; i < 15; i++) {
      expected.push(expected[i] + rto);
      rto = Math.min(2 * rto, 120 * SECOND);
    }
    expect(times).toEqual(expected);
    // Linux gives up when the oldest retransmitted segment has been out longer than tcp_model_timeout(15,
    // 200 ms) = 924.6 s: at the 16th expiry, 934.83 s after the first transmission. No RST (tcp_write_err).
    expect(retransmitBudget(15, 200 * MS)).toBe(924_600 * MS);
    expect(pair.clientLog.closed).toEqual({ reason: 'timeout', t: RTT + expected[15] + 120 * SECOND });
    expect(pair.clientLog.closed!.t - RTT).toBe(934_830 * MS);
    expect(client.stats.retransmits).toBe(15);
    expect(pair.sent('c2s', has(RST))).toEqual([]);
  });
});

describe('resets', () => {
  it('connect to a closed port is refused by the RST that resetFor builds', () => {
    const pair = new TcpPair({ listen: false });
    const client = pair.connect();
    pair.sim.run(100);
    const [rst] = pair.sent('s2c', has(RST));
    expect(rst.seg).toMatchObject({ flags: RST | ACK, seq: 0, ack: 1001, sport: 80, dport: 40000 });
    expect(pair.clientLog.closed).toEqual({ reason: 'refused', t: RTT });
    expect(client.state).toBe('CLOSED');
  });

  it('resetFor follows RFC 9293 reset generation', () => {
    const base = { proto: 'tcp' as const, sport: 1, dport: 2, window: 100, payload: { length: 0 } };
    expect(resetFor({ ...base, seq: 10, ack: 500, flags: ACK, payload: { length: 30 } })).toMatchObject({ seq: 500, flags: RST, sport: 2, dport: 1 });
    expect(resetFor({ ...base, seq: 0xffffffff, ack: 0, flags: SYN | FIN, payload: { length: 3 } })).toMatchObject({
      seq: 0,
      ack: 4, // 3 bytes + SYN + FIN, modulo 2^32
      flags: RST | ACK,
    });
    expect(resetFor({ ...base, seq: 10, ack: 20, flags: RST | ACK })).toBeUndefined();
  });

  it('an RST at RCV.NXT resets an established connection; one elsewhere in the window draws a challenge ACK', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    const server = pair.server!;
    const rcvNxt = pair.sent('s2c', only(SYN | ACK))[0].seg.seq + 1;
    const rst = (seq: number): TcpSegment => ({ proto: 'tcp', sport: 80, dport: 40000, seq, ack: 0, flags: RST, window: 0, payload: { length: 0 } });

    const before = pair.wire.length;
    client.receive(rst(rcvNxt + 100_000)); // outside the window: ignored
    expect(pair.wire.length).toBe(before);
    client.receive(rst(rcvNxt + 10)); // inside, not exact: challenge ACK
    expect(pair.wire.length).toBe(before + 1);
    expect(pair.wire.at(-1)!.seg).toMatchObject({ flags: ACK, ack: rcvNxt });
    expect(client.state).toBe('ESTABLISHED');

    client.receive(rst(rcvNxt));
    expect(client.state).toBe('CLOSED');
    expect(pair.clientLog.closed?.reason).toBe('reset');
    expect(server.state).toBe('ESTABLISHED');
  });

  it('abort() sends RST and the peer closes with reason reset', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    client.abort();
    pair.sim.runUntil(2 * SECOND);
    expect(pair.sent('c2s', has(RST)).map((e) => e.t)).toEqual([1 * SECOND]);
    expect(pair.serverLog.closed).toEqual({ reason: 'reset', t: 1 * SECOND + D });
    expect(pair.clientLog.closed?.reason).toBe('reset');
  });

  it('a SYN in ESTABLISHED draws a challenge ACK and changes nothing', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    const before = pair.wire.length;
    client.receive({ proto: 'tcp', sport: 80, dport: 40000, seq: 12345, ack: 0, flags: SYN, window: 100, mss: 1460, payload: { length: 0 } });
    expect(client.state).toBe('ESTABLISHED');
    expect(pair.wire.slice(before).map((e) => e.seg.flags)).toEqual([ACK]);
  });

  it('data to a peer that lost the connection draws an RST (resetFor) that closes the sender', () => {
    const pair = new TcpPair({ drop: (e) => e.dir === 's2c' && has(RST)(e.seg) && e.t === 1 * SECOND });
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    pair.server!.abort(); // its RST is lost: the client does not know
    client.send(textPayload('anyone there?'));
    pair.sim.run(100);
    const rsts = pair.sent('s2c', has(RST));
    expect(rsts.map((e) => e.t)).toEqual([1 * SECOND, 1 * SECOND + D]);
    expect(rsts[1].seg.flags).toBe(RST); // the answer to a segment with ACK: <SEQ=SEG.ACK><CTL=RST>
    expect(pair.clientLog.closed).toEqual({ reason: 'reset', t: 1 * SECOND + RTT });
    expect(client.state).toBe('CLOSED');
  });
});

describe('connection teardown', () => {
  it('simultaneous close goes through CLOSING to TIME_WAIT on both ends', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    const server = pair.server!;
    client.close();
    server.close();
    pair.sim.run(1000);
    for (const log of [pair.clientLog, pair.serverLog]) {
      expect(log.stateNames().slice(-4)).toEqual(['FIN_WAIT1', 'CLOSING', 'TIME_WAIT', 'CLOSED']);
      const tw = log.states.find((s) => s.to === 'TIME_WAIT')!;
      expect(tw.t).toBe(1 * SECOND + RTT);
      expect(log.closed).toEqual({ reason: 'normal', t: tw.t + 60 * SECOND });
    }
  });

  it('the active closer waits 60 s in TIME_WAIT; the passive closer ends on the last ACK', () => {
    const pair = new TcpPair({ server: { onRemoteClose: (ep) => ep.close() } });
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    client.close();
    pair.sim.run(1000);
    const t0 = 1 * SECOND;
    // The server's ACK rides on its FIN: FIN_WAIT2 and TIME_WAIT come at the same instant.
    expect(pair.clientLog.states.slice(-4)).toEqual([
      { t: t0, from: 'ESTABLISHED', to: 'FIN_WAIT1' },
      { t: t0 + RTT, from: 'FIN_WAIT1', to: 'FIN_WAIT2' },
      { t: t0 + RTT, from: 'FIN_WAIT2', to: 'TIME_WAIT' },
      { t: t0 + RTT + 60 * SECOND, from: 'TIME_WAIT', to: 'CLOSED' },
    ]);
    const tw = pair.clientLog.states.find((s) => s.to === 'TIME_WAIT')!;
    expect(pair.clientLog.closed).toEqual({ reason: 'normal', t: tw.t + 60 * SECOND });
    expect(pair.serverLog.stateNames().slice(-3)).toEqual(['CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(pair.serverLog.closed).toEqual({ reason: 'normal', t: tw.t + D });
  });

  it('a retransmitted FIN in TIME_WAIT is acknowledged and restarts the 60 s wait', () => {
    // The client's last ACK (the one for the server's FIN) is lost once.
    let lost = false;
    const pair = new TcpPair({
      server: { onRemoteClose: (ep) => ep.close() },
      drop: (e) => {
        if (lost || e.dir !== 'c2s' || !only(ACK)(e.seg) || pair.client?.state !== 'TIME_WAIT') return false;
        return (lost = true);
      },
    });
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    client.close();
    pair.sim.run(1000);
    const serverFins = pair.sent('s2c', has(FIN)).map((e) => e.t);
    expect(serverFins.length).toBe(2);
    expect(serverFins[1] - serverFins[0]).toBe(RTO);
    expect(pair.clientLog.closed).toEqual({ reason: 'normal', t: serverFins[1] + D + 60 * SECOND });
    expect(pair.serverLog.closed).toEqual({ reason: 'normal', t: serverFins[1] + RTT });
  });

  it('TIME_WAIT yields to a SYN beyond RCV.NXT with the ISN Linux would pick, and to nothing else', () => {
    const pair = new TcpPair({ server: { onRemoteClose: (ep) => ep.close() } });
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    client.close();
    pair.sim.runUntil(2 * SECOND);
    expect(client.state).toBe('TIME_WAIT');
    const serverFin = pair.sent('s2c', has(FIN))[0].seg;
    const rcvNxt = serverFin.seq + 1;
    const clientFin = pair.sent('c2s', has(FIN))[0].seg;
    const syn = (seq: number, flags: number = SYN): TcpSegment => ({ proto: 'tcp', sport: 80, dport: 40000, seq, ack: 0, flags, window: 100, payload: { length: 0 } });
    expect(client.timeWaitReuseIsn(syn(rcvNxt + 1000))).toBe(clientFin.seq + 1 + 65537);
    expect(client.timeWaitReuseIsn(syn(rcvNxt - 1))).toBeUndefined();
    expect(client.timeWaitReuseIsn(syn(rcvNxt + 1000, SYN | ACK))).toBeUndefined();
    expect(pair.server!.timeWaitReuseIsn(syn(rcvNxt + 1000))).toBeUndefined(); // not in TIME_WAIT
  });

  it('close() in SYN_RECV moves to FIN_WAIT1 and sends the FIN once the handshake completes', () => {
    const pair = new TcpPair();
    pair.connect({ onRemoteClose: (ep) => ep.close() });
    pair.sim.runUntil(D);
    const server = pair.server!;
    expect(server.state).toBe('SYN_RECV');
    server.close();
    expect(server.state).toBe('FIN_WAIT1');
    expect(pair.sent('s2c', has(FIN))).toEqual([]);
    pair.sim.run(1000);
    expect(pair.sent('s2c', has(FIN)).map((e) => e.t)).toEqual([RTT + D]);
    expect(pair.serverLog.stateNames()).toEqual(['SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSED']);
    expect(pair.serverLog.establishedAt).toBeUndefined();
    expect(pair.clientLog.closed?.reason).toBe('normal');
  });

  it('FIN_WAIT2 ends after tcp_fin_timeout when the peer never closes', () => {
    const pair = new TcpPair();
    const client = pair.connect();
    pair.sim.runUntil(1 * SECOND);
    client.close();
    pair.sim.run(1000);
    const f2 = pair.clientLog.states.find((s) => s.to === 'FIN_WAIT2')!;
    expect(f2.t).toBe(1 * SECOND + RTT);
    expect(pair.clientLog.closed).toEqual({ reason: 'timeout', t: f2.t + 60 * SECOND });
    expect(pair.server!.state).toBe('CLOSE_WAIT');
  });

  it('a FIN queued behind unsent data rides on the last data segment', () => {
    const data = patternBytes(15 * 1460 + 100); // more than the initial window: the tail waits for ACKs
    const pair = new TcpPair();
    const client = pair.connect({
      onEstablished: (ep) => {
        ep.send(bytesPayload(data));
        ep.close();
      },
    });
    pair.sim.runUntil(1 * SECOND);
    const fins = pair.sent('c2s', has(FIN));
    expect(fins.length).toBe(1);
    expect(fins[0].seg.payload.length).toBe(100);
    expect(fins[0].t).toBe(2 * RTT);
    expect(equalBytes(pair.serverLog.bytes(), data)).toBe(true);
    expect(pair.serverLog.remoteClosedAt).toBe(2 * RTT + D);
    expect(client.state).toBe('FIN_WAIT2');
  });

  it('after close() the client still receives what the half-closed peer sends', () => {
    const pair = new TcpPair({ server: { onRemoteClose: (ep) => ep.send(textPayload('late reply')) } });
    const client = pair.connect({
      onEstablished: (ep) => {
        ep.send(textPayload('request'));
        ep.close();
      },
    });
    pair.sim.runUntil(1 * SECOND);
    expect(pair.sent('c2s', isData).map((e) => payloadText(e.seg.payload))).toEqual(['request']);
    expect(client.state).toBe('FIN_WAIT2');
    expect(pair.clientLog.data.map(payloadText)).toEqual(['late reply']);
  });
});

describe('congestion window', () => {
  it('slow start doubles the flight each RTT from 10 segments, never beyond min(cwnd, peer window)', () => {
    const data = patternBytes(100 * 1024);
    const pair = new TcpPair({
      onTransmit: (e) => {
        const c = pair.client;
        if (e.dir === 'c2s' && c && c.state === 'ESTABLISHED') {
          expect(c.bytesInFlight).toBeLessThanOrEqual(Math.min(c.cwnd, TCP_WINDOW));
        }
      },
    });
    const client = pair.connect({ onEstablished: (ep) => ep.send(bytesPayload(data)) });
    const cwndAt: number[] = [];
    for (const t of [RTT, 2 * RTT, 3 * RTT]) {
      pair.sim.runUntil(t);
      cwndAt.push(client.cwnd);
    }
    pair.sim.run(10_000);
    const bursts = new Map<SimTime, number>();
    for (const e of pair.sent('c2s', isData)) bursts.set(e.t, (bursts.get(e.t) ?? 0) + 1);
    // 10 segments, then 2 per ACK: 20, then 40 (the 64240-byte window allows 44), then the last one.
    expect([...bursts.entries()]).toEqual([
      [RTT, 10],
      [2 * RTT, 20],
      [3 * RTT, 40],
      [4 * RTT, 1],
    ]);
    expect(cwndAt).toEqual([10 * 1460, 20 * 1460, 40 * 1460]);
    expect(equalBytes(pair.serverLog.bytes(), data)).toBe(true);
  });
});
