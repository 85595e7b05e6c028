import { SECOND, type SimTime } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import type { Destination, ForwardMethod } from './Destination.ts';
import type { VirtualService } from './VirtualService.ts';

/** IP protocol numbers IPVS entries carry; fwmark templates carry IPPROTO_IP (0). */
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** Template state bits (IP_VS_CTPL_S_*): a template becomes ASSURED once a controlled connection is established. */
export const TemplateState = { NONE: 0, ASSURED: 1 } as const;

/** The kernel's tick: Debian builds with HZ=250, so one jiffy is 4 ms. Connection timers count in jiffies. */
export const HZ = 250;
export const JIFFY: SimTime = SECOND / HZ;

/** The simulated time of the start of jiffy `j`. */
export function jiffyTime(j: number): SimTime {
  return j * JIFFY;
}

/** The first tick at or after `t`: where a timer armed for instant `t` fires (timers run on ticks). */
export function jiffyAtOrAfter(t: SimTime): number {
  return Math.ceil(t / JIFFY);
}

/**
 * Layout of `Connection.flags`, one small integer (IP_VS_CONN_F_* in the kernel are bits of one word too):
 * bits 0-7 the IP protocol, bits 8-9 the forwarding method, then one bit per flag, and bits 16-23 the state.
 * Protocol, method, template and one-packet never change after creation; the others do.
 */
export const ConnFlag = {
  PROTOCOL: 0xff,
  FWD_SHIFT: 8,
  FWD: 0x300,
  /** IP_VS_CONN_F_TEMPLATE. */
  TEMPLATE: 1 << 10,
  /** IP_VS_CONN_F_ONE_PACKET. */
  ONE_PACKET: 1 << 11,
  /** IP_VS_CONN_F_NOOUTPUT. */
  NO_OUTPUT: 1 << 12,
  /** IP_VS_CONN_F_INACTIVE. */
  INACTIVE: 1 << 13,
  /** IP_VS_CONN_F_HASHED, roughly: still in the table (cleared once, when the entry goes). */
  LINKED: 1 << 14,
  /** IP_VS_CONN_F_NO_CPORT: an FTP data entry made before its client port is known (cport 0 until the first packet). */
  NO_CPORT: 1 << 15,
  STATE_SHIFT: 16,
  STATE: 0xff0000,
} as const;

const FWD_METHODS: readonly ForwardMethod[] = ['masq', 'tunnel', 'route'];

function fwdCode(fwd: ForwardMethod): number {
  return fwd === 'masq' ? 0 : fwd === 'tunnel' ? 1 : 2;
}

/** What a new entry is made of (ip_vs_conn_param plus the destination side, ip_vs_conn_new). */
export interface NewConnection {
  protocol: number;
  caddr: Ipv4Address;
  cport: number;
  vaddr: Ipv4Address;
  vport: number;
  daddr: Ipv4Address;
  dport: number;
  template: boolean;
  onePacket: boolean;
  dest: Destination | undefined;
  fwd: ForwardMethod;
  service: VirtualService | undefined;
  /** IP_VS_CONN_F_NO_CPORT (ip_vs_ftp's data entries): `cport` is 0 and the first client packet fills it in. */
  noCport?: boolean;
}

/**
 * One entry of the IPVS connection table (struct ip_vs_conn): a client's connection to a virtual service bound
 * to the real server it was scheduled to, or — with `template` set — a persistence template that pins a client
 * (or its netmask group) to a real server.
 *
 * Kept small because a busy director holds a million of them: every stored field is a small integer (V8 keeps
 * those unboxed) or a reference. Addresses are stored as signed 32-bit integers (an unsigned address ≥ 2^31
 * would be a boxed heap number) and read back unsigned; times are stored in jiffies, as the kernel stores
 * them, and read back in nanoseconds; the boolean flags share one integer. The hash-chain and timer links are
 * fields of the entry itself (the kernel's c_list and timer_list), so the table allocates nothing per entry.
 * Fields marked "table's" belong to ConnectionTable; nothing else writes them.
 */
export class Connection {
  /** ConnFlag bits: protocol, forwarding method, flags, state. Read and written through the accessors below; the table clears LINKED. */
  flags: number;
  /** Client address as int32 (see `caddr`). */
  private caddr32: number;
  cport: number;
  private vaddr32: number;
  vport: number;
  private daddr32: number;
  dport: number;
  /** Current timeout in jiffies (see `timeout`). */
  timeoutJiffies: number;
  /** Table's: the jiffy the entry expires at; the kernel's timer.expires. */
  expiresJiffy = 0;
  /** Table's: the jiffy of the timer bucket the entry waits in (no later than `expiresJiffy`). */
  timerJiffy = 0;
  /** Table's: neighbours in that bucket's ring, null when the entry waits in none. */
  timerNext: Connection | null = null;
  timerPrev: Connection | null = null;
  /** Table's: the next (older) entry in the same hash bucket (the kernel's c_list). */
  hashNext: Connection | null = null;
  dest: Destination | undefined;
  /** The service it was scheduled by (for the trace and the fwmark of templates). */
  readonly service: VirtualService | undefined;
  /** Its persistence template, if it was scheduled through one. */
  control: Connection | undefined = undefined;
  /** For a template: how many connections it controls. */
  nControl = 0;
  /** Packets seen from the client (cp->in_pkts). */
  inPkts = 0;

  constructor(p: NewConnection, timeout: SimTime) {
    let flags = (p.protocol & ConnFlag.PROTOCOL) | (fwdCode(p.fwd) << ConnFlag.FWD_SHIFT) | ConnFlag.INACTIVE | ConnFlag.LINKED;
    if (p.template) flags |= ConnFlag.TEMPLATE;
    if (p.onePacket) flags |= ConnFlag.ONE_PACKET;
    if (p.fwd !== 'masq') flags |= ConnFlag.NO_OUTPUT;
    if (p.noCport) flags |= ConnFlag.NO_CPORT;
    this.flags = flags;
    this.caddr32 = p.caddr | 0;
    this.cport = p.cport;
    this.vaddr32 = p.vaddr | 0;
    this.vport = p.vport;
    this.daddr32 = p.daddr | 0;
    this.dport = p.dport;
    this.timeoutJiffies = jiffyAtOrAfter(timeout);
    this.dest = p.dest;
    this.service = p.service;
  }

  get protocol(): number {
    return this.flags & ConnFlag.PROTOCOL;
  }

  /** TCP state (TcpStateId), 0 for UDP; for templates the TemplateState bits. */
  get state(): number {
    return (this.flags & ConnFlag.STATE) >> ConnFlag.STATE_SHIFT;
  }

  set state(s: number) {
    this.flags = (this.flags & ~ConnFlag.STATE) | ((s << ConnFlag.STATE_SHIFT) & ConnFlag.STATE);
  }

  get caddr(): Ipv4Address {
    return this.caddr32 >>> 0;
  }

  get vaddr(): Ipv4Address {
    return this.vaddr32 >>> 0;
  }

  get daddr(): Ipv4Address {
    return this.daddr32 >>> 0;
  }

  /** The stored client address, signed: what the table compares and hashes. */
  get caddrBits(): number {
    return this.caddr32;
  }

  get vaddrBits(): number {
    return this.vaddr32;
  }

  get daddrBits(): number {
    return this.daddr32;
  }

  get template(): boolean {
    return (this.flags & ConnFlag.TEMPLATE) !== 0;
  }

  get fwd(): ForwardMethod {
    return FWD_METHODS[(this.flags & ConnFlag.FWD) >> ConnFlag.FWD_SHIFT];
  }

  /** IP_VS_CONN_F_ONE_PACKET: a UDP one-packet-scheduling entry, gone after its packet. */
  get onePacket(): boolean {
    return (this.flags & ConnFlag.ONE_PACKET) !== 0;
  }

  /** IP_VS_CONN_F_NOOUTPUT: no reply seen yet on a DR/TUN connection (its TCP states use the INPUT-ONLY rows). */
  get noOutput(): boolean {
    return (this.flags & ConnFlag.NO_OUTPUT) !== 0;
  }

  set noOutput(v: boolean) {
    this.flags = v ? this.flags | ConnFlag.NO_OUTPUT : this.flags & ~ConnFlag.NO_OUTPUT;
  }

  /** IP_VS_CONN_F_NO_CPORT: the client port is not known yet (see ConnectionTable.fillCport). */
  get noCport(): boolean {
    return (this.flags & ConnFlag.NO_CPORT) !== 0;
  }

  /** IP_VS_CONN_F_INACTIVE: counted in InActConn rather than ActiveConn. */
  get inactive(): boolean {
    return (this.flags & ConnFlag.INACTIVE) !== 0;
  }

  set inactive(v: boolean) {
    this.flags = v ? this.flags | ConnFlag.INACTIVE : this.flags & ~ConnFlag.INACTIVE;
  }

  /** Still in the table. */
  get linked(): boolean {
    return (this.flags & ConnFlag.LINKED) !== 0;
  }

  /**
   * Current timeout; a put re-arms the timer for `now + timeout`. Held in jiffies, as the kernel holds it: a
   * value that is not a whole number of jiffies rounds up (as msecs_to_jiffies does).
   */
  get timeout(): SimTime {
    return this.timeoutJiffies * JIFFY;
  }

  set timeout(t: SimTime) {
    this.timeoutJiffies = jiffyAtOrAfter(t);
  }

  /** When the entry expires (the tick its timer is due at), unless it is put again first. */
  get expires(): SimTime {
    return this.expiresJiffy * JIFFY;
  }
}
