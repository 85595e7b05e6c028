import type { SimTime } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import type { Destination, ForwardMethod } from './Destination.ts';

/** `ipvsadm --set tcp tcpfin udp`, in seconds (ESTABLISHED, FIN_WAIT and UDP timeouts). */
export interface IpvsTimeouts {
  tcp: number;
  tcpfin: number;
  udp: number;
}

/** One connection entry or persistence template as `/proc/net/ip_vs_conn` and `ipvsadm -L -n -c` show it. */
export interface ConnectionView {
  /** 'TCP' | 'UDP' | 'IP' (fwmark templates carry IPPROTO_IP). */
  readonly protocol: string;
  readonly caddr: Ipv4Address;
  readonly cport: number;
  /** For fwmark templates, the mark as a 32-bit "address". */
  readonly vaddr: Ipv4Address;
  readonly vport: number;
  readonly daddr: Ipv4Address;
  readonly dport: number;
  /** ip_vs_state_name: 'ESTABLISHED', 'SYN_RECV', 'FIN_WAIT', ..., 'UDP', templates 'NONE' or 'ASSURED'. */
  readonly state: string;
  /** Time left on its timer. */
  readonly expiresIn: SimTime;
  readonly template: boolean;
  readonly fwd: ForwardMethod;
}

/**
 * What the control plane (IpvsControl, ip_vs_ctl.c) needs from the data path (connection table, protocol
 * timeouts; ip_vs_conn.c / ip_vs_proto_*.c). The data path implements it; the control plane never reaches into
 * the connection table otherwise.
 */
export interface IpvsDataPlane {
  timeouts(): IpvsTimeouts;
  /** ip_vs_set_timeout: a value of 0 leaves that timeout unchanged. */
  setTimeouts(t: IpvsTimeouts): void;
  /**
   * Every entry, templates included, in the connection table's hash-bucket order, as /proc/net/ip_vs_conn
   * lists them: deterministic for a given run, but not creation order (see ConnectionTable).
   */
  connections(): readonly ConnectionView[];
  /**
   * A destination left its service (`-d`, `-D`, `-C`, or the service switched family): AVAILABLE is already
   * cleared. The data path runs the expire_nodest_conn sweep if that sysctl is on.
   */
  destUnlinked(dest: Destination): void;
}
