import { MS, SECOND, Timer, type SimTime, type Simulator } from '../../sim/index.ts';
import {
  EMPTY_PAYLOAD,
  TcpFlag,
  payloadOfLength,
  seqAdd,
  seqDiff,
  seqLe,
  seqLt,
  slicePayload,
  type Payload,
  type TcpSegment,
} from '../../wire/index.ts';
import { STATE_INFO, nextState, type TcpEvent, type TcpState } from './tcpStateTable.ts';

export type { TcpState } from './tcpStateTable.ts';

/*
 * One TCP connection endpoint of a simulated Linux host: the part of net/ipv4/tcp_input.c, tcp_output.c,
 * tcp_timer.c and tcp_minisocks.c that a request/response lab needs, on RFC 9293 (793), RFC 6298 and RFC 5681.
 * The host's socket layer demultiplexes and does IP; this object sees only TCP segments.
 *
 * Deliberate simplifications, named so that a trace differing from a real kernel's can be explained (the first
 * three show under loss; the rest only in corner cases):
 * - No delayed ACK: every data segment is acknowledged at once (Linux delays up to 40 ms outside quick-ack).
 * - No out-of-order queue: a segment beyond RCV.NXT is dropped with a duplicate ACK, and the sender goes back
 *   N on a loss (Linux keeps an out-of-order queue and SACK scoreboard; neither SACK nor timestamps here).
 * - Fast retransmit on 3 duplicate ACKs without fast recovery (no NewReno, no PRR); Reno growth, not CUBIC.
 * - No Nagle (as with TCP_NODELAY), no window scaling (fixed 64240 window), no zero-window probes (our receiver
 *   never closes its window), no keepalive, no PAWS, no MTU probing, no slow-start restart after idle.
 * - close() shuts down the sending half only: data that still arrives is delivered (Linux close() on a socket
 *   with unread or late data answers with RST). FIN_WAIT2 still ends after tcp_fin_timeout, as for an orphan.
 * - SYN retransmissions back off exponentially from 1 s (the kernel before tcp_syn_linear_timeouts).
 */

/** Linux constants (include/net/tcp.h) and sysctl defaults (Documentation/networking/ip-sysctl.rst). */
export const TCP_TIMEOUT_INIT = 1 * SECOND; // RFC 6298 (2.1)
export const TCP_TIMEOUT_FALLBACK = 3 * SECOND; // RFC 6298 (5.7): no RTT sample from a retransmitted handshake
export const TCP_RTO_MIN = 200 * MS;
export const TCP_RTO_MAX = 120 * SECOND; // RFC 6298 (2.5) allows a maximum of at least 60 s
export const TCP_TIMEWAIT_LEN = 60 * SECOND;
export const TCP_MSS_DEFAULT = 536; // RFC 9293 §3.7.1: the MSS assumed when a SYN carries no option
export const TCP_INIT_CWND = 10; // segments (RFC 6928)
export const TCP_INFINITE_SSTHRESH = 0x7fffffff;
/** The receive window we advertise: fixed, since the application consumes data as it arrives. */
export const TCP_WINDOW = 64240;

/** The net.ipv4.tcp_* sysctls this endpoint honours. */
export interface TcpTunables {
  /** tcp_syn_retries: SYN retransmissions before connect() fails. */
  synRetries: number;
  /** tcp_synack_retries: SYN-ACK retransmissions before a half-open connection is dropped. */
  synackRetries: number;
  /** tcp_retries2: data retransmissions, converted to a time budget as Linux does (tcp_model_timeout). */
  retries2: number;
  /** tcp_fin_timeout, ns. */
  finTimeout: SimTime;
}

export const LINUX_TCP_TUNABLES: Readonly<TcpTunables> = {
  synRetries: 6,
  synackRetries: 5,
  retries2: 15,
  finTimeout: 60 * SECOND,
};

export interface TcpEndpointEnv {
  sim: Simulator;
  /**
   * Transmit one segment (the host wraps it in IPv4 with the connection's addresses). The opening SYN or
   * SYN-ACK leaves from a zero-delay event, so connect() and accept() return first and the host can finish
   * registering the connection; later segments go out synchronously from receive(), send(), close(), abort()
   * and timers. The host must deliver replies through the simulator, never by calling receive() from inside
   * transmit().
   */
  transmit(seg: TcpSegment): void;
  /** Initial send sequence number, drawn by the host from a named random stream. */
  isn: number;
  /** Our MSS to advertise (interface MTU - 40). */
  mss: number;
  /** Called on every state change (the host traces it). */
  onStateChange?(from: TcpState, to: TcpState): void;
  /** Sysctl overrides; Linux defaults otherwise. */
  tunables?: Partial<TcpTunables>;
}

export type TcpCloseReason = 'normal' | 'reset' | 'timeout' | 'refused';

export interface TcpEndpointCallbacks {
  onEstablished?(): void;
  /** In-order bytes delivered to the application. */
  onData?(data: Payload): void;
  /** FIN received (all data before it delivered). */
  onRemoteClose?(): void;
  /**
   * The endpoint is gone; called exactly once per endpoint (after TIME_WAIT for the closer). 'timeout' also
   * ends a FIN_WAIT2 that outlived tcp_fin_timeout; abort() ends with 'reset'.
   */
  onClosed?(reason: TcpCloseReason): void;
}

export interface TcpStats {
  segmentsSent: number;
  segmentsReceived: number;
  /** Application bytes sent for the first time. */
  bytesSent: number;
  bytesRetransmitted: number;
  /** Application bytes delivered in order through onData. */
  bytesDelivered: number;
  /** Segments sent again (SYN, SYN-ACK, data, FIN), whatever the trigger. */
  retransmits: number;
  /** Retransmission-timer expiries that led to a retransmission. */
  timeouts: number;
  fastRetransmits: number;
  dupAcksReceived: number;
  /** Segments beyond RCV.NXT, dropped with a duplicate ACK. */
  outOfOrderDropped: number;
  rttSamples: number;
}

/** A transmitted stretch of sequence space, kept until acknowledged: the RTT sample source (Karn). */
interface SentRecord {
  /** Sequence offset (from ISS) just past the stretch; it starts where the previous record ends. */
  readonly end: number;
  readonly sentAt: SimTime;
  retransmitted: boolean;
}

/** Bytes the application queued and the peer has not acknowledged, addressed by stream offset. */
class SendQueue {
  private readonly chunks: { start: number; payload: Payload }[] = [];
  /** Bytes ever queued: the stream offset just past the last byte. */
  end = 0;

  push(p: Payload): void {
    this.chunks.push({ start: this.end, payload: p });
    this.end += p.length;
  }

  /** Forgets bytes before stream offset `upTo` (acknowledged). */
  release(upTo: number): void {
    while (this.chunks.length > 0 && this.chunks[0].start + this.chunks[0].payload.length <= upTo) this.chunks.shift();
  }

  /** The bytes [from, from + len): one chunk's slice, or a copy across chunks (length-only parts stay zeros). */
  slice(from: number, len: number): Payload {
    // Most segments lie within one chunk (one send()): its slice, without collecting parts.
    for (const c of this.chunks) {
      if (c.start + c.payload.length <= from) continue;
      if (c.start <= from && from + len <= c.start + c.payload.length) return slicePayload(c.payload, from - c.start, len);
      break;
    }
    const parts: { payload: Payload; offset: number; len: number }[] = [];
    for (const c of this.chunks) {
      const cEnd = c.start + c.payload.length;
      if (cEnd <= from || c.start >= from + len) continue;
      const s = Math.max(from, c.start);
      const e = Math.min(from + len, cEnd);
      parts.push({ payload: c.payload, offset: s - c.start, len: e - s });
    }
    if (parts.length === 1) return slicePayload(parts[0].payload, parts[0].offset, parts[0].len);
    if (!parts.some((p) => p.payload.bytes)) return payloadOfLength(len);
    const bytes = new Uint8Array(len);
    let at = 0;
    for (const p of parts) {
      if (p.payload.bytes) bytes.set(p.payload.bytes.subarray(p.offset, p.offset + p.len), at);
      at += p.len;
    }
    return { length: len, bytes };
  }
}

/** Sequence space a segment occupies: data plus one for SYN and one for FIN (RFC 9293 §3.4). */
export function segmentLength(seg: TcpSegment): number {
  return seg.payload.length + (seg.flags & TcpFlag.SYN ? 1 : 0) + (seg.flags & TcpFlag.FIN ? 1 : 0);
}

/**
 * The RST Linux sends for a segment that reaches no socket (RFC 9293 §3.10.7.1 "reset generation";
 * tcp_v4_send_reset): with an ACK, <SEQ=SEG.ACK><CTL=RST>; without, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 * Undefined for an incoming RST, which is never answered.
 */
export function resetFor(seg: TcpSegment): TcpSegment | undefined {
  if (seg.flags & TcpFlag.RST) return undefined;
  const hasAck = (seg.flags & TcpFlag.ACK) !== 0;
  return {
    proto: 'tcp',
    sport: seg.dport,
    dport: seg.sport,
    seq: hasAck ? seg.ack : 0,
    ack: hasAck ? 0 : seqAdd(seg.seq, segmentLength(seg)),
    flags: hasAck ? TcpFlag.RST : TcpFlag.RST | TcpFlag.ACK,
    window: 0,
    payload: EMPTY_PAYLOAD,
  };
}

/**
 * tcp_model_timeout() (net/ipv4/tcp_timer.c): the time `boundary` retransmissions take when the RTO starts at
 * `rtoBase` and doubles up to TCP_RTO_MAX. Linux gives up on a connection when its oldest retransmitted
 * segment has been outstanding that long, whatever the actual RTO was.
 */
export function retransmitBudget(boundary: number, rtoBase: SimTime): SimTime {
  const linearBackoffThresh = Math.floor(Math.log2(TCP_RTO_MAX / rtoBase));
  if (boundary <= linearBackoffThresh) return (2 ** (boundary + 1) - 1) * rtoBase;
  return (2 ** (linearBackoffThresh + 1) - 1) * rtoBase + (boundary - linearBackoffThresh) * TCP_RTO_MAX;
}

/**
 * Send-side sequence numbers are kept as offsets from the ISS (SYN at 0, data byte k at 1 + k, FIN after the
 * last byte) so they never wrap; segments carry `seqAdd(iss, offset)`, arithmetic modulo 2^32 (RFC 9293 §3.4).
 * Receive-side numbers are wire values compared with the modular helpers.
 */
export class TcpEndpoint {
  readonly localPort: number;
  readonly remotePort: number;
  readonly iss: number;
  readonly stats: TcpStats = {
    segmentsSent: 0,
    segmentsReceived: 0,
    bytesSent: 0,
    bytesRetransmitted: 0,
    bytesDelivered: 0,
    retransmits: 0,
    timeouts: 0,
    fastRetransmits: 0,
    dupAcksReceived: 0,
    outOfOrderDropped: 0,
    rttSamples: 0,
  };

  private currentState: TcpState;
  private readonly env: TcpEndpointEnv;
  private readonly cb: TcpEndpointCallbacks;
  private readonly tun: TcpTunables;

  // Send sequence space (offsets from ISS). sndMax is the highest offset ever sent: after a timeout sndNxt
  // goes back to sndUna and climbs again (go-back-N), while ACKs up to sndMax stay acceptable.
  private sndUna = 0;
  private sndNxt = 0;
  private sndMax = 0;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private readonly sendq = new SendQueue();
  private finQueued = false;
  private readonly sent: SentRecord[] = [];
  /** Offset just past the highest retransmitted stretch (for retransStamp). */
  private highRetransmitted = 0;

  // Receive sequence space (wire values).
  private synReceived = false;
  private rcvNxt = 0;
  private finReceived = false;
  private peerMss = TCP_MSS_DEFAULT;

  // Retransmission timer state (RFC 6298).
  private srttNs: SimTime | undefined;
  private rttvarNs: SimTime = 0;
  private rtoNs: SimTime = TCP_TIMEOUT_INIT;
  /** icsk_retransmits: timer-driven retransmissions since the last forward progress. */
  private retries = 0;
  /** tp->retrans_stamp: when the oldest retransmitted segment was first sent. */
  private retransStamp: SimTime | undefined;
  private handshakeRetransmits = 0;

  // Congestion control (RFC 5681), in bytes.
  private cwndBytes = 0;
  private ssthreshBytes = TCP_INFINITE_SSTHRESH;
  private dupAcks = 0;

  /** An ACK is owed to the peer; any segment we send pays it. */
  private ackPending = false;
  private closedReported = false;
  private readonly rtxTimer: Timer;
  /** FIN_WAIT2 (tcp_fin_timeout) or TIME_WAIT (2MSL): never both, as in Linux's timewait socket. */
  private readonly lingerTimer: Timer;

  private constructor(env: TcpEndpointEnv, cb: TcpEndpointCallbacks, localPort: number, remotePort: number, initial: TcpState) {
    this.env = env;
    this.cb = cb;
    this.tun = { ...LINUX_TCP_TUNABLES, ...env.tunables };
    this.localPort = localPort;
    this.remotePort = remotePort;
    this.iss = env.isn >>> 0;
    this.currentState = initial;
    this.rtxTimer = new Timer(env.sim, () => this.onRetransmitTimer());
    this.lingerTimer = new Timer(env.sim, () => this.finish(this.currentState === 'TIME_WAIT' ? 'normal' : 'timeout', 'linger'));
  }

  /** Active open (RFC 9293 §3.10.1; tcp_v4_connect → tcp_connect): sends a SYN with our MSS option. */
  static connect(env: TcpEndpointEnv, cb: TcpEndpointCallbacks, localPort: number, remotePort: number): TcpEndpoint {
    const ep = new TcpEndpoint(env, cb, localPort, remotePort, 'CLOSED');
    ep.apply('connect');
    ep.sendOpeningSegment('SYN_SENT');
    return ep;
  }

  /**
   * Passive open from a SYN that reached a listener (RFC 9293 §3.10.7.2; tcp_conn_request): the endpoint is
   * born in LISTEN, takes the peer's ISN, MSS and window, and answers with a SYN-ACK.
   */
  static accept(env: TcpEndpointEnv, cb: TcpEndpointCallbacks, syn: TcpSegment): TcpEndpoint {
    if ((syn.flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) !== TcpFlag.SYN) {
      throw new Error(`TcpEndpoint.accept needs a SYN without ACK or RST, got flags 0x${syn.flags.toString(16)}`);
    }
    const ep = new TcpEndpoint(env, cb, syn.dport, syn.sport, 'LISTEN');
    ep.takePeerSyn(syn);
    ep.apply('rcvSyn');
    ep.sendOpeningSegment('SYN_RECV');
    return ep;
  }

  /** The first SYN / SYN-ACK, at this instant but after the caller has the endpoint (see TcpEndpointEnv). */
  private sendOpeningSegment(expected: TcpState): void {
    this.env.sim.schedule(0, () => {
      // Not if the application closed meanwhile, or a crossing SYN already made us send (simultaneous open).
      if (this.currentState === expected && this.sndMax === 0) this.sendSyn();
    });
  }

  get state(): TcpState {
    return this.currentState;
  }

  /** Sequence space sent and not yet acknowledged (bytes, SYN and FIN count one). */
  get bytesInFlight(): number {
    return this.sndMax - this.sndUna;
  }

  /** Application bytes queued and not yet acknowledged. */
  get bytesUnacknowledged(): number {
    return this.sendq.end - Math.min(Math.max(0, this.sndUna - 1), this.sendq.end);
  }

  /** Send MSS: the smaller of ours and the peer's option (536 when its SYN had none), and of the path MTU's. */
  get effectiveMss(): number {
    return Math.min(this.env.mss, this.peerMss, this.pmtuMss);
  }

  /** The MSS the path MTU allows, lowered by ICMP fragmentation-needed (tcp_sync_mss). */
  private pmtuMss = Infinity;

  /**
   * tcp_v4_mtu_reduced: fragmentation-needed reported a next-hop MTU smaller than the segments we send. The MSS
   * shrinks to fit (never below what ip_rt_min_pmtu, 552, allows) and what is in flight goes again at once
   * (tcp_simple_retransmit), without counting as a loss for the congestion window.
   */
  pmtuReduced(mtu: number): void {
    const mss = Math.max(mtu, 552) - 40;
    if (mss >= this.effectiveMss) return;
    this.pmtuMss = mss;
    if (this.sndMax > this.sndUna && this.sndUna > 0) {
      this.sndNxt = this.sndUna;
      this.output();
    }
  }

  get cwnd(): number {
    return this.cwndBytes;
  }

  get ssthresh(): number {
    return this.ssthreshBytes;
  }

  /** The current retransmission timeout, backoff included. */
  get rto(): SimTime {
    return this.rtoNs;
  }

  get srtt(): SimTime | undefined {
    return this.srttNs;
  }

  /** Queues bytes to send. Returns false (like EPIPE) once the sending half is closed or the connection gone. */
  send(data: Payload): boolean {
    if (!STATE_INFO[this.currentState].canSend || this.finQueued) return false;
    if (data.length === 0) return true;
    this.sendq.push(data);
    this.output();
    return true;
  }

  /** Graceful close of the sending half: FIN after the queued data (tcp_close_state, RFC 9293 §3.10.4). */
  close(): void {
    const from = this.currentState;
    if (from === 'CLOSED') return;
    if (from === 'LISTEN' || from === 'SYN_SENT') {
      this.finish('normal', 'close');
      return;
    }
    if (this.finQueued || !STATE_INFO[from].canSend) return;
    this.finQueued = true;
    this.apply('close');
    this.output();
  }

  /**
   * tcp_v4_err: a hard ICMP error (protocol or port unreachable, icmp_err_convert's fatal ones) while our SYN is
   * outstanding ends the attempt (tcp_done) with ECONNREFUSED; in other states ICMP errors stay soft.
   * Returns whether it ended the connection.
   */
  icmpHardError(): boolean {
    if (this.currentState !== 'SYN_SENT') return false;
    this.finish('refused', 'giveUp');
    return true;
  }

  /** Abort (RFC 9293 §3.10.5): RST where Linux sends one (tcp_need_reset), then CLOSED. */
  abort(): void {
    if (this.currentState === 'CLOSED') return;
    if (STATE_INFO[this.currentState].resetOnAbort) {
      this.transmit(this.segment(TcpFlag.RST | TcpFlag.ACK, this.sndMax, EMPTY_PAYLOAD));
    }
    this.finish('reset', 'abort');
  }

  /**
   * A SYN that may take over this TIME_WAIT connection's 4-tuple (tcp_timewait_state_process, TCP_TW_SYN): one
   * beyond what we have received. Returns the ISN Linux gives the new connection (our SND.NXT + 65537); the
   * host then calls abort() here (no RST leaves TIME_WAIT) and accept() with that ISN. Undefined otherwise.
   */
  timeWaitReuseIsn(syn: TcpSegment): number | undefined {
    if (this.currentState !== 'TIME_WAIT') return undefined;
    if ((syn.flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) !== TcpFlag.SYN) return undefined;
    if (!seqLt(this.rcvNxt, syn.seq)) return undefined;
    return seqAdd(this.wire(this.sndMax), 65535 + 2);
  }

  /** Segment arrival (RFC 9293 §3.10.7). */
  receive(seg: TcpSegment): void {
    if (seg.sport !== this.remotePort || seg.dport !== this.localPort) {
      throw new Error(`segment ${seg.sport}->${seg.dport} handed to endpoint ${this.localPort}->${this.remotePort}`);
    }
    this.stats.segmentsReceived++;
    switch (this.currentState) {
      case 'CLOSED':
      case 'LISTEN':
        return;
      case 'SYN_SENT':
        this.receiveInSynSent(seg);
        break;
      case 'TIME_WAIT':
        this.receiveInTimeWait(seg);
        break;
      default:
        this.receiveSynchronized(seg);
    }
    // A callback or the segment itself may have ended the connection (the switch narrowed the type).
    if ((this.currentState as TcpState) === 'CLOSED') return;
    this.output();
    if (this.ackPending) this.sendAck();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Arrival, by state

  /** RFC 9293 §3.10.7.3 (tcp_rcv_synsent_state_process). */
  private receiveInSynSent(seg: TcpSegment): void {
    const hasAck = (seg.flags & TcpFlag.ACK) !== 0;
    if (hasAck) {
      const ackOff = seqDiff(seg.ack, this.iss);
      // SEG.ACK =< ISS or SEG.ACK > SND.NXT: not for our SYN.
      if (ackOff <= 0 || ackOff > this.sndMax) {
        const rst = resetFor(seg);
        if (rst) this.transmit(rst);
        return;
      }
    }
    if (seg.flags & TcpFlag.RST) {
      // Only an RST acknowledging our SYN is believed: "connection refused".
      if (hasAck) this.finish('refused', 'rcvRst');
      return;
    }
    if (!(seg.flags & TcpFlag.SYN)) return;
    this.takePeerSyn(seg);
    if (hasAck) {
      // Data or FIN on a SYN-ACK is not taken: we acknowledge only the SYN and the peer sends them again.
      // The ACK goes out before the application hears of the connection, so its first write follows the
      // handshake as on Linux (tcp_rcv_synsent_state_process → tcp_send_ack).
      this.newAck(this.ackOffset(seg.ack));
      this.apply('rcvSynAck');
      this.sendAck();
      this.cb.onEstablished?.();
    } else {
      // Simultaneous open: SYN_RECV, and our SYN goes out again as a SYN-ACK.
      this.apply('rcvSyn');
      this.sndNxt = 0;
      this.sendSyn();
    }
  }

  /** RFC 9293 §3.10.7.4 for SYN_RECV and every synchronized state but TIME_WAIT (tcp_rcv_state_process). */
  private receiveSynchronized(seg: TcpSegment): void {
    const flags = seg.flags;
    const state = this.currentState;

    if (state === 'SYN_RECV' && (flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) === TcpFlag.SYN && seg.seq === seqAdd(this.rcvNxt, -1)) {
      // The peer's SYN again: our SYN-ACK was lost (tcp_check_req → inet_rtx_syn_ack). The timer keeps running.
      this.sndNxt = 0;
      this.sendSyn();
      return;
    }
    // Simultaneous open: the peer's SYN-ACK acknowledges our SYN-ACK; Linux lets it through the SYN check
    // (tcp_validate_incoming, "goto pass") and completes the handshake on its ACK.
    const simultaneousSynAck =
      state === 'SYN_RECV' &&
      (flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) === (TcpFlag.SYN | TcpFlag.ACK) &&
      seqAdd(seg.seq, 1) === this.rcvNxt &&
      seg.ack === this.wire(this.sndMax);

    if (!simultaneousSynAck) {
      // first: sequence number check.
      if (!this.acceptable(seg)) {
        if (!(flags & TcpFlag.RST)) this.ackPending = true;
        return;
      }
      // second: RST. RFC 5961 §3.2: exactly RCV.NXT resets; elsewhere in the window earns a challenge ACK.
      if (flags & TcpFlag.RST) {
        if (seg.seq === this.rcvNxt) this.finish('reset', 'rcvRst');
        else this.ackPending = true;
        return;
      }
      // fourth: a SYN in a synchronized state earns a challenge ACK (RFC 5961 §4.2, RFC 9293 §3.10.7.4).
      if (flags & TcpFlag.SYN) {
        this.ackPending = true;
        return;
      }
    }

    // fifth: the ACK field.
    if (!(flags & TcpFlag.ACK)) return;
    if (state === 'SYN_RECV') {
      const ackOff = this.ackOffset(seg.ack);
      if (!(ackOff > this.sndUna && ackOff <= this.sndMax)) {
        const rst = resetFor(seg);
        if (rst) this.transmit(rst);
        return;
      }
    }
    if (!this.processAck(seg)) return;
    if (state === 'SYN_RECV') {
      this.apply('ackOfSyn');
      this.cb.onEstablished?.();
      if (this.currentState === 'CLOSED') return;
    }
    if (this.finQueued && this.sndUna === this.finEnd()) {
      if (nextState(this.currentState, 'ackOfFin') === 'CLOSED') {
        this.finish('normal', 'ackOfFin');
        return;
      }
      this.apply('ackOfFin');
    }
    if (simultaneousSynAck) return;

    // seventh: segment text. Only the in-order part is taken; a segment beyond RCV.NXT is dropped (go-back-N).
    let fin = (flags & TcpFlag.FIN) !== 0;
    if (seg.payload.length > 0) {
      const old = seqDiff(this.rcvNxt, seg.seq);
      if (old < 0) {
        this.stats.outOfOrderDropped++;
        this.ackPending = true;
        return;
      }
      this.ackPending = true;
      const fresh = seg.payload.length - old;
      if (fresh > 0 && STATE_INFO[this.currentState].receivesData) {
        this.rcvNxt = seqAdd(this.rcvNxt, fresh);
        this.stats.bytesDelivered += fresh;
        this.cb.onData?.(slicePayload(seg.payload, old, fresh));
        if (this.currentState === 'CLOSED') return;
      } else if (fresh > 0) {
        fin = false; // text after the peer's FIN cannot be taken, nor a FIN behind it
      }
    }

    // eighth: FIN, when everything before it has arrived.
    if (fin && !this.finReceived && seqAdd(seg.seq, seg.payload.length) === this.rcvNxt) {
      this.finReceived = true;
      this.rcvNxt = seqAdd(this.rcvNxt, 1);
      this.ackPending = true;
      this.apply('rcvFin');
      this.cb.onRemoteClose?.();
    }
  }

  /**
   * TIME_WAIT (tcp_timewait_state_process): a retransmitted FIN is acknowledged and restarts the 2MSL timer;
   * an RST at RCV.NXT ends it (tcp_rfc1337 = 0); anything else out of order is acknowledged.
   */
  private receiveInTimeWait(seg: TcpSegment): void {
    if (seg.flags & TcpFlag.RST) {
      if (seg.seq === this.rcvNxt) this.finish('reset', 'rcvRst');
      return;
    }
    if (seg.flags & TcpFlag.FIN) {
      this.ackPending = true;
      this.lingerTimer.set(TCP_TIMEWAIT_LEN);
      return;
    }
    if (seg.flags & TcpFlag.SYN || seg.payload.length > 0 || seg.seq !== this.rcvNxt) this.ackPending = true;
  }

  /** RFC 9293 §3.10.7.4, first check: does any of the segment fall in [RCV.NXT, RCV.NXT + RCV.WND)? */
  private acceptable(seg: TcpSegment): boolean {
    const len = segmentLength(seg);
    if (len === 0) return this.inWindow(seg.seq);
    return this.inWindow(seg.seq) || this.inWindow(seqAdd(seg.seq, len - 1));
  }

  private inWindow(s: number): boolean {
    return seqLe(this.rcvNxt, s) && seqLt(s, seqAdd(this.rcvNxt, TCP_WINDOW));
  }

  /** RFC 9293 §3.10.7.4 fifth, for states past SYN_RECV. Returns false when the segment is to be dropped. */
  private processAck(seg: TcpSegment): boolean {
    const ackOff = this.ackOffset(seg.ack);
    if (ackOff > this.sndMax) {
      // Acknowledges something not yet sent: send an ACK and drop (RFC 5961 §5.2).
      this.ackPending = true;
      return false;
    }
    if (ackOff < this.sndUna) return true; // an old duplicate: ignore the ACK field

    // RFC 5681 §2: a duplicate ACK carries no data, no SYN/FIN, the same window, while data is outstanding.
    const duplicate =
      ackOff === this.sndUna &&
      segmentLength(seg) === 0 &&
      seg.window === this.sndWnd &&
      this.sndMax > this.sndUna;
    // Window update (RFC 9293 §3.10.7.4: SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)).
    if (seqLt(this.sndWl1, seg.seq) || (this.sndWl1 === seg.seq && seqLe(this.sndWl2, seg.ack))) {
      this.sndWnd = seg.window;
      this.sndWl1 = seg.seq;
      this.sndWl2 = seg.ack;
    }
    if (ackOff > this.sndUna) this.newAck(ackOff);
    else if (duplicate) this.duplicateAck();
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Acknowledgements, RTT and congestion

  /** Forward progress to `ackOff` (tcp_ack / tcp_clean_rtx_queue). */
  private newAck(ackOff: number): void {
    const firstAck = this.sndUna === 0;
    const acked = ackOff - this.sndUna;
    // RTT sample from the oldest newly acknowledged stretch, unless any of them was retransmitted
    // (Karn's algorithm, RFC 6298 §3; Linux FLAG_RETRANS_DATA_ACKED).
    let oldest: SimTime | undefined;
    let retransmittedAcked = false;
    while (this.sent.length > 0 && this.sent[0].end <= ackOff) {
      const r = this.sent.shift()!;
      if (r.retransmitted) retransmittedAcked = true;
      else oldest ??= r.sentAt;
    }
    if (oldest !== undefined && !retransmittedAcked) this.rttSample(this.env.sim.now() - oldest);

    this.sndUna = ackOff;
    if (this.sndNxt < ackOff) this.sndNxt = ackOff;
    this.sendq.release(ackOff - 1);
    this.retries = 0;
    this.dupAcks = 0;
    if (ackOff >= this.highRetransmitted) this.retransStamp = undefined;

    if (firstAck) {
      this.afterHandshake();
    } else if (this.cwndBytes < this.ssthreshBytes) {
      // Slow start, RFC 5681 §3.1 (2): cwnd += min(N, SMSS).
      this.cwndBytes += Math.min(acked, this.effectiveMss);
    } else {
      // Congestion avoidance, RFC 5681 §3.1 (3): cwnd += SMSS*SMSS/cwnd per ACK.
      this.cwndBytes += Math.max(1, Math.floor((this.effectiveMss * this.effectiveMss) / this.cwndBytes));
    }

    // RFC 6298 (5.2) stop the timer when everything is acknowledged, (5.3) else restart it.
    if (this.sndUna === this.sndMax) this.rtxTimer.cancel();
    else this.rtxTimer.set(this.rtoNs);
  }

  /**
   * Our SYN is acknowledged: the initial window (tcp_init_transfer: 10 segments, or 1 after more than one
   * SYN/SYN-ACK retransmission, RFC 5681 §3.1) and the RTO when the handshake gave no RTT sample
   * (tcp_init_metrics: 3 s, RFC 6298 (5.7)).
   */
  private afterHandshake(): void {
    this.cwndBytes = (this.handshakeRetransmits > 1 ? 1 : TCP_INIT_CWND) * this.effectiveMss;
    if (this.srttNs === undefined && this.handshakeRetransmits > 0) this.rtoNs = TCP_TIMEOUT_FALLBACK;
  }

  /**
   * RFC 6298 §2 with Linux's floor: RTO = SRTT + max(K*RTTVAR, tcp_rto_min), which is the RFC's formula with
   * the clock granularity G replaced by 200 ms (__tcp_set_rto, where rttvar is kept at least tcp_rto_min).
   * A valid sample also clears the backoff (tcp_ack_update_rtt).
   */
  private rttSample(r: SimTime): void {
    this.stats.rttSamples++;
    if (this.srttNs === undefined) {
      this.srttNs = r; // (2.2)
      this.rttvarNs = Math.round(r / 2);
    } else {
      this.rttvarNs = Math.round((3 * this.rttvarNs + Math.abs(this.srttNs - r)) / 4); // (2.3), old SRTT
      this.srttNs = Math.round((7 * this.srttNs + r) / 8);
    }
    this.rtoNs = Math.min(this.srttNs + Math.max(4 * this.rttvarNs, TCP_RTO_MIN), TCP_RTO_MAX);
  }

  /** RFC 5681 §3.2 fast retransmit on the third duplicate ACK, without fast recovery: cwnd = ssthresh. */
  private duplicateAck(): void {
    this.stats.dupAcksReceived++;
    this.dupAcks++;
    if (this.dupAcks !== 3 || this.sndUna === 0) return;
    this.stats.fastRetransmits++;
    this.ssthreshBytes = Math.max(Math.floor(this.bytesInFlight / 2), 2 * this.effectiveMss); // (4)
    this.cwndBytes = this.ssthreshBytes;
    this.retransStamp ??= this.sent.length > 0 ? this.sent[0].sentAt : this.env.sim.now();
    this.sndNxt = this.sndUna;
    this.output();
    this.rtxTimer.set(this.rtoNs);
  }

  /** The retransmission timer (tcp_retransmit_timer, tcp_write_timeout; RFC 6298 (5.4)–(5.6)). */
  private onRetransmitTimer(): void {
    if (this.sndMax === this.sndUna) return;
    const handshake = this.sndUna === 0;
    const now = this.env.sim.now();
    if (handshake) {
      const limit = this.currentState === 'SYN_SENT' ? this.tun.synRetries : this.tun.synackRetries;
      if (this.retries >= limit) {
        this.finish('timeout', 'giveUp');
        return;
      }
    } else if (this.retries > 0 && this.retransStamp !== undefined && now - this.retransStamp >= retransmitBudget(this.tun.retries2, TCP_RTO_MIN)) {
      // tcp_write_err: the connection is dropped without an RST.
      this.finish('timeout', 'giveUp');
      return;
    }
    if (!handshake) {
      // tcp_enter_loss: ssthresh from the flight on the first timeout of a series (RFC 5681 §3.1 (4)), then
      // a loss window of one segment.
      if (this.retries === 0) this.ssthreshBytes = Math.max(Math.floor(this.bytesInFlight / 2), 2 * this.effectiveMss);
      this.cwndBytes = this.effectiveMss;
    }
    this.stats.timeouts++;
    this.retries++;
    this.retransStamp ??= this.sent.length > 0 ? this.sent[0].sentAt : now;
    this.dupAcks = 0;
    this.rtoNs = Math.min(this.rtoNs * 2, TCP_RTO_MAX); // (5.5) back off
    this.rtxTimer.cancel();
    this.sndNxt = this.sndUna; // (5.4) retransmit the earliest unacknowledged segment, and go back N
    if (handshake) this.sendSyn();
    else this.output();
    this.rtxTimer.set(this.rtoNs); // (5.6)
  }

  // ---------------------------------------------------------------------------------------------------------
  // Output

  /** Sends what min(cwnd, peer window) allows from SND.NXT, FIN included (tcp_write_xmit). */
  private output(): void {
    const s = this.currentState;
    if (this.sndUna === 0 || s === 'CLOSED' || s === 'TIME_WAIT' || s === 'LISTEN') return;
    const dataEnd = 1 + this.sendq.end;
    for (;;) {
      const limit = this.sndUna + Math.min(this.cwndBytes, this.sndWnd);
      if (this.sndNxt < dataEnd) {
        const len = Math.min(this.effectiveMss, dataEnd - this.sndNxt, limit - this.sndNxt);
        if (len <= 0) return;
        const fin = this.finQueued && this.sndNxt + len === dataEnd && dataEnd + 1 <= limit;
        this.sendData(this.sndNxt, len, fin);
      } else if (this.finQueued && this.sndNxt === dataEnd && dataEnd + 1 <= limit) {
        this.sendData(this.sndNxt, 0, true);
      } else {
        return;
      }
    }
  }

  private sendData(off: number, len: number, fin: boolean): void {
    const dataEnd = 1 + this.sendq.end;
    const end = off + len + (fin ? 1 : 0);
    let flags = TcpFlag.ACK;
    if (len > 0 && off + len === dataEnd) flags |= TcpFlag.PSH; // end of what the application wrote
    if (fin) flags |= TcpFlag.FIN;
    const payload = len > 0 ? this.sendq.slice(off - 1, len) : EMPTY_PAYLOAD;
    const newBytes = Math.max(0, Math.min(end, dataEnd) - Math.max(off, this.sndMax));
    this.stats.bytesSent += newBytes;
    if (off < this.sndMax) {
      this.stats.retransmits++;
      this.stats.bytesRetransmitted += len - newBytes;
      this.markRetransmitted(off, end);
    }
    if (end > this.sndMax) {
      this.sent.push({ end, sentAt: this.env.sim.now(), retransmitted: off < this.sndMax });
      this.sndMax = end;
    }
    this.sndNxt = end;
    this.transmit(this.segment(flags, off, payload));
    if (!this.rtxTimer.pending) this.rtxTimer.set(this.rtoNs); // RFC 6298 (5.1)
  }

  /** SYN (active) or SYN-ACK (passive, simultaneous), first or again, with our MSS option. */
  private sendSyn(): void {
    const flags = TcpFlag.SYN | (this.synReceived ? TcpFlag.ACK : 0);
    if (this.sndMax > 0) {
      this.stats.retransmits++;
      this.handshakeRetransmits++;
      this.markRetransmitted(0, 1);
    } else {
      this.sent.push({ end: 1, sentAt: this.env.sim.now(), retransmitted: false });
    }
    this.sndNxt = 1;
    this.sndMax = Math.max(this.sndMax, 1);
    this.transmit(this.segment(flags, 0, EMPTY_PAYLOAD, this.env.mss));
    if (!this.rtxTimer.pending) this.rtxTimer.set(this.rtoNs);
  }

  private sendAck(): void {
    this.transmit(this.segment(TcpFlag.ACK, this.sndMax, EMPTY_PAYLOAD));
  }

  private markRetransmitted(from: number, to: number): void {
    let start = this.sndUna;
    for (const r of this.sent) {
      if (r.end > from && start < to) r.retransmitted = true;
      start = r.end;
    }
    this.highRetransmitted = Math.max(this.highRetransmitted, to);
  }

  private segment(flags: number, off: number, payload: Payload, mss?: number): TcpSegment {
    const sport = this.localPort;
    const dport = this.remotePort;
    const seq = this.wire(off);
    const ack = (flags & TcpFlag.ACK) !== 0 ? this.rcvNxt : 0;
    // Two literals rather than a spread for the SYN's option: a spread here took a slow path every time.
    if (mss === undefined) return { proto: 'tcp', sport, dport, seq, ack, flags, window: TCP_WINDOW, payload };
    return { proto: 'tcp', sport, dport, seq, ack, flags, window: TCP_WINDOW, payload, mss };
  }

  private transmit(seg: TcpSegment): void {
    this.stats.segmentsSent++;
    if (seg.flags & TcpFlag.ACK) this.ackPending = false;
    this.env.transmit(seg);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers

  private takePeerSyn(syn: TcpSegment): void {
    this.synReceived = true;
    this.rcvNxt = seqAdd(syn.seq, 1);
    this.peerMss = syn.mss ?? TCP_MSS_DEFAULT;
    // The window in a SYN is never scaled; SND.WL1/WL2 start from the SYN (RFC 9293 §3.10.7.3).
    this.sndWnd = syn.window;
    this.sndWl1 = syn.seq;
    this.sndWl2 = syn.ack;
  }

  private wire(off: number): number {
    return seqAdd(this.iss, off);
  }

  private ackOffset(ack: number): number {
    return this.sndUna + seqDiff(ack, this.wire(this.sndUna));
  }

  private finEnd(): number {
    return 2 + this.sendq.end;
  }

  /** Takes the table's transition for `event`, if any, and runs the new state's entry actions. */
  private apply(event: TcpEvent): void {
    const from = this.currentState;
    const to = nextState(from, event);
    if (to === undefined || to === from) return;
    this.currentState = to;
    if (to === 'FIN_WAIT2') this.lingerTimer.set(this.tun.finTimeout);
    if (to === 'TIME_WAIT') {
      this.rtxTimer.cancel();
      this.lingerTimer.set(TCP_TIMEWAIT_LEN);
    }
    this.env.onStateChange?.(from, to);
  }

  /** The end: the table must lead `event` to CLOSED; timers stop and onClosed runs once. */
  private finish(reason: TcpCloseReason, event: TcpEvent): void {
    if (this.closedReported) return;
    const to = nextState(this.currentState, event);
    if (to !== 'CLOSED' && this.currentState !== 'CLOSED') {
      throw new Error(`tcp state table: ${event} in ${this.currentState} does not close`);
    }
    this.closedReported = true;
    this.rtxTimer.cancel();
    this.lingerTimer.cancel();
    this.ackPending = false;
    this.apply(event);
    this.cb.onClosed?.(reason);
  }
}
