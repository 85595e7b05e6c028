import type { Ipv4Address } from '../wire/index.ts';
import { IpvsStats } from './Stats.ts';
import type { VirtualService } from './VirtualService.ts';

/** Forwarding method of a real server (IP_VS_CONN_F_MASQ / TUNNEL / DROUTE): ipvsadm `-m`, `-i`, `-g`. */
export type ForwardMethod = 'masq' | 'tunnel' | 'route';

export interface DestinationParams {
  address: Ipv4Address;
  port: number;
  fwd: ForwardMethod;
  weight: number;
  /** `-x`: upper connection threshold, 0 = none. */
  uThreshold: number;
  /** `-y`: lower connection threshold, 0 = none. */
  lThreshold: number;
}

/**
 * A real server inside one virtual service (struct ip_vs_dest). Schedulers read weight, the counters and the
 * flags; the connection table moves the counters (ip_vs_bind_dest / ip_vs_unbind_dest / set_tcp_state).
 */
export class Destination {
  readonly address: Ipv4Address;
  readonly port: number;
  fwd: ForwardMethod;
  weight: number;
  /** The last weight set on add, or the last non-zero weight set by an edit (mh uses it for quiesced servers). */
  lastWeight: number;
  uThreshold: number;
  lThreshold: number;
  /** The lower threshold in use: `-y`, or 3/4 of `-x` when `-y` is 0 (l_threshold_val, set with the thresholds). */
  lThresholdVal: number;
  activeConns = 0;
  /**
   * All bound connections, active or not (dest->totalconns). The Debian 6.1 kernel the oracle ran keeps this
   * counter, not an inactive one: InActConn is derived from it, the overload flag compares it with the
   * thresholds, and lc/wlc's overhead adds it to 256 × active (include/net/ip_vs.h).
   */
  totalConns = 0;
  /** Persistence templates bound to this destination. */
  persistConns = 0;
  /** IP_VS_DEST_F_AVAILABLE: linked in its service; cleared when deleted (it may linger in the trash). */
  available = true;
  /** IP_VS_DEST_F_OVERLOAD: set and cleared by the thresholds (ipvs-schedulers.md §0.4). */
  overloaded = false;
  readonly stats = new IpvsStats();
  /** The service it belongs (or last belonged) to. */
  service: VirtualService;

  constructor(service: VirtualService, p: DestinationParams) {
    this.service = service;
    this.address = p.address;
    this.port = p.port;
    this.fwd = p.fwd;
    this.weight = p.weight;
    this.lastWeight = p.weight;
    this.uThreshold = p.uThreshold;
    this.lThreshold = p.lThreshold;
    this.lThresholdVal = p.lThreshold || p.uThreshold - (p.uThreshold >> 2);
  }

  /**
   * __ip_vs_dest_update_overload (ip_vs_ctl.c, Debian 6.1): `mode` > 0 after a bind, < 0 after an unbind, 0 after
   * the thresholds changed. Without an upper threshold the flag is off. The flag is set once totalconns reaches
   * the lower value on a bind (the caller only calls it when the count just reached `-x`), or `-x` otherwise,
   * and cleared once it falls below the upper value on an unbind (the caller only calls it when the count was
   * exactly the lower value before the decrement), or the lower value otherwise; in between it stays as it is.
   */
  updateOverload(mode: number): void {
    const u = this.uThreshold;
    if (!u) {
      this.overloaded = false;
      return;
    }
    const l = this.lThresholdVal;
    const conns = this.totalConns;
    if (conns >= (mode > 0 ? l : u)) {
      this.overloaded = true;
      return;
    }
    if (conns >= (mode < 0 ? u : l)) return;
    this.overloaded = false;
  }

  /** ip_vs_dest_inactconns: what `ipvsadm -L` shows as InActConn. */
  get inactConns(): number {
    return Math.max(this.totalConns - this.activeConns, 0);
  }
}
