/**
 * The IPVS TCP connection-state machine as literal tables (net/netfilter/ipvs/ip_vs_proto_tcp.c, Debian 6.1):
 * states, their names and default timeouts, which states count as active, and the next-state tables for the
 * three directions (INPUT: client→server seen by a NAT director; OUTPUT: server→client; INPUT-ONLY: client→server
 * on a DR/TUN connection, whose replies never pass the director). Kept as data so a test can walk every cell.
 */
import { TcpFlag } from '../wire/index.ts';

export const TcpState = {
  NONE: 0,
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT: 4,
  TIME_WAIT: 5,
  CLOSE: 6,
  CLOSE_WAIT: 7,
  LAST_ACK: 8,
  LISTEN: 9,
  SYNACK: 10,
} as const;
export type TcpStateId = (typeof TcpState)[keyof typeof TcpState];

/** tcp_state_name_table, indexed by state. */
export const TCP_STATE_NAMES: readonly string[] = [
  'NONE',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
];

/** tcp_timeouts, in seconds, indexed by state. `ipvsadm --set` changes ESTABLISHED and FIN_WAIT. */
export const DEFAULT_TCP_TIMEOUTS: readonly number[] = [2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120];

/** tcp_state_active_table: a connection in these states counts in ActiveConn. */
export const TCP_STATE_ACTIVE: readonly boolean[] = [false, true, true, true, false, false, false, false, false, false, true];

export type TcpDirection = 'input' | 'output' | 'inputOnly';

/** Packet classes in tcp_state_idx order: RST first, then SYN, FIN, ACK; none of them → no row. */
export const TcpPacketClass = { syn: 0, fin: 1, ack: 2, rst: 3 } as const;
export type TcpPacketClass = (typeof TcpPacketClass)[keyof typeof TcpPacketClass];

const sES = TcpState.ESTABLISHED;
const sSS = TcpState.SYN_SENT;
const sSR = TcpState.SYN_RECV;
const sFW = TcpState.FIN_WAIT;
const sTW = TcpState.TIME_WAIT;
const sCL = TcpState.CLOSE;
const sCW = TcpState.CLOSE_WAIT;
const sLA = TcpState.LAST_ACK;
const sLI = TcpState.LISTEN;
const sSA = TcpState.SYNACK;

type Row = readonly TcpStateId[];
/** Rows by packet class (syn, fin, ack, rst); columns by current state (NONE..SYNACK). */
type Table = readonly [Row, Row, Row, Row];

/* Columns:          NONE ESTAB SYN_S SYN_R FIN_W TIME_ CLOSE CL_WA LA_AC LISTE SYNAC */
const INPUT: Table = [
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /* fin */ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR],
];
const OUTPUT: Table = [
  /* syn */ [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR],
  /* fin */ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
  /* rst */ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL],
];
const INPUT_ONLY: Table = [
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /* fin */ [sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL],
];

/* The defence tables (tcp_states_dos), used while secure_tcp is active. */
const INPUT_DOS: Table = [
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSA],
  /* fin */ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sSA],
  /* ack */ [sES, sES, sSS, sSR, sFW, sTW, sCL, sCW, sCL, sLI, sSA],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL],
];
const OUTPUT_DOS: Table = [
  /* syn */ [sSS, sES, sSS, sSA, sSS, sSS, sSS, sSS, sSS, sLI, sSA],
  /* fin */ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
  /* rst */ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL],
];
const INPUT_ONLY_DOS: Table = [
  /* syn */ [sSA, sES, sES, sSR, sSA, sSA, sSA, sSA, sSA, sSA, sSA],
  /* fin */ [sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL],
];

export const TCP_STATE_TABLES: Readonly<Record<TcpDirection, Table>> = { input: INPUT, output: OUTPUT, inputOnly: INPUT_ONLY };
export const TCP_STATE_TABLES_DOS: Readonly<Record<TcpDirection, Table>> = { input: INPUT_DOS, output: OUTPUT_DOS, inputOnly: INPUT_ONLY_DOS };

/** tcp_state_idx: RST wins over SYN, SYN over FIN, FIN over ACK; undefined when none is set. */
export function tcpPacketClass(flags: number): TcpPacketClass | undefined {
  if (flags & TcpFlag.RST) return TcpPacketClass.rst;
  if (flags & TcpFlag.SYN) return TcpPacketClass.syn;
  if (flags & TcpFlag.FIN) return TcpPacketClass.fin;
  if (flags & TcpFlag.ACK) return TcpPacketClass.ack;
  return undefined;
}

/** The next state; a segment with none of RST/SYN/FIN/ACK sends the connection to CLOSE (set_tcp_state). */
export function nextTcpState(dir: TcpDirection, cls: TcpPacketClass | undefined, current: TcpStateId, secure = false): TcpStateId {
  if (cls === undefined) return TcpState.CLOSE;
  return (secure ? TCP_STATE_TABLES_DOS : TCP_STATE_TABLES)[dir][cls][current];
}
