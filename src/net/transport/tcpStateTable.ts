/**
 * The TCP connection state machine as literal tables.
 *
 * Models RFC 9293 §3.3.2 (figure 5, the state diagram) and the places Linux calls tcp_set_state():
 * net/ipv4/tcp_input.c (tcp_rcv_synsent_state_process, tcp_rcv_state_process, tcp_fin, tcp_reset),
 * net/ipv4/tcp.c (tcp_close_state and its new_state[] table), net/ipv4/tcp_timer.c (tcp_write_err) and
 * net/ipv4/tcp_minisocks.c (TIME_WAIT). Only *which state follows* lives here; sequence checks, timers and
 * what goes on the wire live in TcpEndpoint.ts, which consults these tables for every state change.
 */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'CLOSING'
  | 'TIME_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK';

/** What happened to the endpoint. The endpoint decides that an event occurred; the table says where it leads. */
export type TcpEvent =
  | 'connect' //   application active open: our SYN goes out
  | 'rcvSyn' //    a SYN without ACK: to a listener (passive open) or in SYN_SENT (simultaneous open)
  | 'rcvSynAck' // an acceptable SYN-ACK in SYN_SENT
  | 'ackOfSyn' //  our SYN (SYN-ACK) is acknowledged
  | 'close' //     application close(): FIN queued behind the data (tcp_close_state)
  | 'rcvFin' //    the peer's FIN, in sequence
  | 'ackOfFin' //  our FIN is acknowledged
  | 'rcvRst' //    an acceptable RST
  | 'giveUp' //    retransmissions exhausted (tcp_write_err)
  | 'linger' //    TIME_WAIT (2MSL) or FIN_WAIT2 (tcp_fin_timeout) timer expired
  | 'abort'; //    application abort (close with SO_LINGER 0, tcp_disconnect)

const sCL = 'CLOSED';
const sLI = 'LISTEN';
const sSS = 'SYN_SENT';
const sSR = 'SYN_RECV';
const sES = 'ESTABLISHED';
const sF1 = 'FIN_WAIT1';
const sF2 = 'FIN_WAIT2';
const sCG = 'CLOSING';
const sTW = 'TIME_WAIT';
const sCW = 'CLOSE_WAIT';
const sLA = 'LAST_ACK';
/** No transition: the event cannot happen in this state, or is handled without a state change. */
const ___ = undefined;

/** Column order of TRANSITIONS, as ip_vs_proto_tcp.c lays out its tables. */
export const STATE_COLUMNS: readonly TcpState[] = [sCL, sLI, sSS, sSR, sES, sF1, sF2, sCG, sTW, sCW, sLA];

type Row = readonly (TcpState | undefined)[];

// prettier-ignore
const TRANSITIONS: Readonly<Record<TcpEvent, Row>> = {
  //           sCL  sLI  sSS  sSR  sES  sF1  sF2  sCG  sTW  sCW  sLA
  connect:   [ sSS, ___, ___, ___, ___, ___, ___, ___, ___, ___, ___ ],
  rcvSyn:    [ ___, sSR, sSR, ___, ___, ___, ___, ___, ___, ___, ___ ],
  rcvSynAck: [ ___, ___, sES, ___, ___, ___, ___, ___, ___, ___, ___ ],
  // FIN_WAIT1 with our SYN unacknowledged: close() came in SYN_RECV; the state stays FIN_WAIT1.
  ackOfSyn:  [ ___, ___, ___, sES, ___, sF1, ___, ___, ___, ___, ___ ],
  // tcp_close_state: SYN_SENT closes at once; states already closing stay where they are.
  close:     [ sCL, sCL, sCL, sF1, sF1, sF1, sF2, sCG, sTW, sLA, sLA ],
  rcvFin:    [ ___, ___, ___, ___, sCW, sCG, sTW, sCG, sTW, sCW, sLA ],
  ackOfFin:  [ ___, ___, ___, ___, ___, sF2, ___, sTW, ___, ___, sCL ],
  // RFC 1337's TIME_WAIT protection is off in Linux by default (tcp_rfc1337 = 0): an RST ends TIME_WAIT.
  rcvRst:    [ ___, ___, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL ],
  giveUp:    [ ___, ___, sCL, sCL, sCL, sCL, ___, sCL, ___, sCL, sCL ],
  linger:    [ ___, ___, ___, ___, ___, ___, sCL, ___, sCL, ___, ___ ],
  abort:     [ sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL ],
};

/** The state `event` leads to from `state`, or undefined when the event changes nothing there. */
export function nextState(state: TcpState, event: TcpEvent): TcpState | undefined {
  return TRANSITIONS[event][STATE_COLUMNS.indexOf(state)];
}

/** Per-state properties the endpoint consults instead of scattering state lists through its code. */
export interface TcpStateInfo {
  /** RFC 9293 §3.10.7.4: both SYNs seen (SYN_RECV included: it checks sequence numbers like the rest). */
  readonly synchronized: boolean;
  /** send() queues data (RFC 9293 §3.10.2: queued in SYN_SENT/SYN_RECV, sent in ESTABLISHED/CLOSE_WAIT). */
  readonly canSend: boolean;
  /** Segment text is delivered to the application (RFC 9293 §3.10.7.4, seventh). */
  readonly receivesData: boolean;
  /** abort() sends an RST from here (Linux tcp_need_reset()). */
  readonly resetOnAbort: boolean;
}

const T = true;
const F = false;

// prettier-ignore
export const STATE_INFO: Readonly<Record<TcpState, TcpStateInfo>> = {
  CLOSED:      { synchronized: F, canSend: F, receivesData: F, resetOnAbort: F },
  LISTEN:      { synchronized: F, canSend: F, receivesData: F, resetOnAbort: F },
  SYN_SENT:    { synchronized: F, canSend: T, receivesData: F, resetOnAbort: F },
  SYN_RECV:    { synchronized: T, canSend: T, receivesData: F, resetOnAbort: T },
  ESTABLISHED: { synchronized: T, canSend: T, receivesData: T, resetOnAbort: T },
  FIN_WAIT1:   { synchronized: T, canSend: F, receivesData: T, resetOnAbort: T },
  FIN_WAIT2:   { synchronized: T, canSend: F, receivesData: T, resetOnAbort: T },
  CLOSING:     { synchronized: T, canSend: F, receivesData: F, resetOnAbort: F },
  TIME_WAIT:   { synchronized: T, canSend: F, receivesData: F, resetOnAbort: F },
  CLOSE_WAIT:  { synchronized: T, canSend: T, receivesData: F, resetOnAbort: T },
  LAST_ACK:    { synchronized: T, canSend: F, receivesData: F, resetOnAbort: F },
};
