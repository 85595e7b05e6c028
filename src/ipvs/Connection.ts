import type { EventHandle, SimTime } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import type { Destination, ForwardMethod } from './Destination.ts';
import type { VirtualService } from './VirtualService.ts';

/** IP protocol numbers IPVS entries carry; fwmark templates carry IPPROTO_IP (0). */
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** Template state bits (IP_VS_CTPL_S_*): a template becomes ASSURED once a controlled connection is established. */
export const TemplateState = { NONE: 0, ASSURED: 1 } as const;

/**
 * One entry of the IPVS connection table (struct ip_vs_conn): a client's connection to a virtual service bound
 * to the real server it was scheduled to, or — with `template` set — a persistence template that pins a client
 * (or its netmask group) to a real server.
 */
export class Connection {
  /** Creation number: the table lists entries in this order. */
  readonly serial: number;
  readonly protocol: number;
  readonly caddr: Ipv4Address;
  cport: number;
  readonly vaddr: Ipv4Address;
  vport: number;
  readonly daddr: Ipv4Address;
  dport: number;
  readonly template: boolean;
  readonly fwd: ForwardMethod;
  /** IP_VS_CONN_F_NOOUTPUT: no reply seen yet on a DR/TUN connection (its TCP states use the INPUT-ONLY rows). */
  noOutput: boolean;
  /** IP_VS_CONN_F_INACTIVE: counted in InActConn rather than ActiveConn. */
  inactive = true;
  /** IP_VS_CONN_F_ONE_PACKET: a UDP one-packet-scheduling entry, gone after its packet. */
  readonly onePacket: boolean;
  /** TCP state (TcpStateId), 0 for UDP; for templates the TemplateState bits. */
  state = 0;
  /** Current timeout; re-armed as `expires = now + timeout` whenever the kernel puts the entry. */
  timeout: SimTime;
  expires: SimTime = 0;
  timer: EventHandle | undefined;
  /** When the pending timer event fires (it may be earlier than `expires`: it then re-arms itself). */
  timerAt: SimTime = 0;
  dest: Destination | undefined;
  /** The service it was scheduled by (for the trace and the fwmark of templates). */
  readonly service: VirtualService | undefined;
  /** Its persistence template, if it was scheduled through one. */
  control: Connection | undefined;
  /** For a template: how many connections it controls. */
  nControl = 0;
  /** Packets seen from the client (cp->in_pkts). */
  inPkts = 0;
  /** Still in the table. */
  linked = true;
  /** The next (older) entry with the same lookup key: the kernel's hash chains put new entries first. */
  nextSameKey: Connection | undefined;

  constructor(p: {
    serial: number;
    protocol: number;
    caddr: Ipv4Address;
    cport: number;
    vaddr: Ipv4Address;
    vport: number;
    daddr: Ipv4Address;
    dport: number;
    template: boolean;
    fwd: ForwardMethod;
    onePacket: boolean;
    timeout: SimTime;
    dest: Destination | undefined;
    service: VirtualService | undefined;
  }) {
    this.serial = p.serial;
    this.protocol = p.protocol;
    this.caddr = p.caddr;
    this.cport = p.cport;
    this.vaddr = p.vaddr;
    this.vport = p.vport;
    this.daddr = p.daddr;
    this.dport = p.dport;
    this.template = p.template;
    this.fwd = p.fwd;
    this.noOutput = p.fwd !== 'masq';
    this.onePacket = p.onePacket;
    this.timeout = p.timeout;
    this.dest = p.dest;
    this.service = p.service;
  }
}
