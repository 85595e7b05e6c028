import type { Simulator } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import type { Destination, ForwardMethod } from './Destination.ts';
import type { ConnectionView, IpvsDataPlane, IpvsTimeouts } from './IpvsDataPlane.ts';
import { RateEstimator, readStats, zeroStats } from './RateEstimator.ts';
import { schedulerFactory } from './schedulers/registry.ts';
import type { SchedulerContext, SchedulerFactory } from './schedulers/Scheduler.ts';
import { addressTypeOf, ServiceTable, type AddressType, type IpvsErrno } from './ServiceTable.ts';
import { IpvsStats, type StatsView } from './Stats.ts';
import type { ServiceKey, VirtualService } from './VirtualService.ts';

export { SchedFlag, serviceKeyText, sameServiceKey } from './VirtualService.ts';
export type { ServiceKey, IpvsProtocol } from './VirtualService.ts';
export type { ForwardMethod } from './Destination.ts';
export type { ConnectionView, IpvsTimeouts } from './IpvsDataPlane.ts';
export type { StatsView } from './Stats.ts';
export type { IpvsErrno, AddressType } from './ServiceTable.ts';

/** IP_VS_VERSION_CODE: `ipvsadm` prints it as 1.2.1. */
export const IPVS_VERSION_CODE = 0x010201;
/** The connection hash table size `ipvsadm -L` prints (1 << CONFIG_IP_VS_TAB_BITS, 12 on Debian). */
export const IPVS_CONN_TAB_SIZE = 4096;
/** CONFIG_HZ of the Debian kernel: ip_vs_set_timeout refuses values above INT_MAX / HZ seconds. */
const HZ = 250;
const INT_MAX = 0x7fffffff;

/**
 * A virtual service as a command or a daemon states it. Like the kernel's netlink interface, add and edit
 * take the complete definition: what is left out takes its default (not persistent, timeout 0, netmask
 * 255.255.255.255, no flags), so an edit that omits `persistent` makes the service non-persistent.
 */
export interface ServiceSpec {
  readonly key: ServiceKey;
  /** A registered scheduler name (`rr`, `wlc`, ...), or `none`. The kernel has no default (ipvsadm's is wlc). */
  readonly scheduler: string;
  readonly persistent?: boolean;
  /** Persistence timeout in seconds. */
  readonly timeout?: number;
  /** Persistence granularity as an unsigned 32-bit mask. */
  readonly netmask?: number;
  /** One-packet scheduling (`-o`). */
  readonly onePacket?: boolean;
  /** SchedFlag bits (`-b`). */
  readonly schedFlags?: number;
  /** Persistence engine (`--pe`): none is modelled, so a name is answered with ENOENT. */
  readonly pe?: string;
}

/** A real server as a command or a daemon states it (complete on edit, like ServiceSpec). */
export interface DestSpec {
  readonly address: Ipv4Address;
  readonly port: number;
  readonly fwd: ForwardMethod;
  readonly weight: number;
  /** Upper connection threshold (`-x`), 0 = none. */
  readonly uThreshold?: number;
  /** Lower connection threshold (`-y`), 0 = three quarters of the upper one. */
  readonly lThreshold?: number;
}

/** A real server as a listing shows it. */
export interface DestinationView {
  readonly address: Ipv4Address;
  readonly port: number;
  readonly fwd: ForwardMethod;
  readonly weight: number;
  readonly lastWeight: number;
  readonly uThreshold: number;
  readonly lThreshold: number;
  readonly activeConns: number;
  readonly inactConns: number;
  readonly persistConns: number;
  readonly overloaded: boolean;
  readonly stats: StatsView;
}

/** A virtual service as a listing shows it; `destinations` in the kernel's list order (head first). */
export interface ServiceView {
  readonly key: ServiceKey;
  readonly scheduler: string;
  readonly persistent: boolean;
  readonly timeout: number;
  readonly netmask: number;
  readonly onePacket: boolean;
  readonly schedFlags: number;
  readonly stats: StatsView;
  readonly destinations: readonly DestinationView[];
}

/**
 * The connection synchronisation daemon's commands (IPVS_CMD_NEW_DAEMON / DEL_DAEMON / GET_DAEMON), as
 * `ipvsadm --start-daemon` and keepalived's `lvs_sync_daemon` send them. Implemented by src/ipvs/sync.
 */
export interface SyncDaemonApi {
  /** EEXIST when that role already runs, ENODEV for an unknown interface. */
  start(role: 'master' | 'backup', iface: string, syncId: number): 'EEXIST' | 'ENODEV' | undefined;
  /** ESRCH when that role is not running. */
  stop(role: 'master' | 'backup'): 'ESRCH' | undefined;
  /** The running daemons, master first. */
  states(): ReadonlyArray<{ readonly role: 'master' | 'backup'; readonly iface: string; readonly syncId: number }>;
}

/** IP_VS_SO_GET_INFO / IPVS_CMD_GET_INFO. */
export interface IpvsInfo {
  readonly version: number;
  readonly connTableSize: number;
  readonly numServices: number;
}

export interface IpvsControlOptions {
  readonly sim: Simulator;
  readonly dataPlane: IpvsDataPlane;
  /** What the instance offers a scheduler bound to `svc`. */
  schedulerContext(svc: VirtualService): SchedulerContext;
  /** Scheduler lookup; defaults to the registry (schedulers/registry.ts). */
  readonly schedulers?: (name: string) => SchedulerFactory | undefined;
  /** Host sysctls by dotted key (net.ipv4.vs.run_estimation, net.ipv4.ip_unprivileged_port_start); defaults apply when absent. */
  readonly sysctl?: (key: string) => number | undefined;
  /** inet_addr_type for new real servers; defaults to what the address alone tells (addressTypeOf). */
  readonly addressType?: (addr: Ipv4Address) => AddressType;
  /** The instance-wide counters (ipvs->tot_stats) if the data path already keeps them. */
  readonly totalStats?: IpvsStats;
}

/**
 * The IPVS control plane of one host (net/netfilter/ipvs/ip_vs_ctl.c of the Linux 6.1 kernel the oracle ran):
 * the typed equivalent of the IPVS generic-netlink commands that `ipvsadm` and keepalived send. Every change
 * answers undefined on success or the errno the kernel would answer; nothing is thrown for a refused request.
 * Reads give snapshots for listings: services in the kernel's dump order, destinations in its list order,
 * counters as `ipvsadm --stats` sees them (refreshed by the 2 s estimator) and decoded rates.
 */
export class IpvsControl {
  readonly table: ServiceTable;
  readonly estimator: RateEstimator;
  /** ipvs->tot_stats. */
  readonly totalStats: IpvsStats;
  /** The sync daemon of this IPVS instance, once the instance attaches it (Ipvs does). */
  syncDaemon: SyncDaemonApi | undefined;
  private readonly dataPlane: IpvsDataPlane;

  constructor(opts: IpvsControlOptions) {
    const sysctl = opts.sysctl ?? (() => undefined);
    this.dataPlane = opts.dataPlane;
    this.totalStats = opts.totalStats ?? new IpvsStats();
    this.estimator = new RateEstimator(opts.sim, {
      total: this.totalStats,
      runEstimation: () => (sysctl('net.ipv4.vs.run_estimation') ?? 1) !== 0,
    });
    this.table = new ServiceTable({
      sim: opts.sim,
      dataPlane: opts.dataPlane,
      estimator: this.estimator,
      schedulerContext: (svc) => opts.schedulerContext(svc),
      schedulers: opts.schedulers ?? schedulerFactory,
      sysctl,
      addressType: opts.addressType ?? addressTypeOf,
    });
  }

  // ------------------------------------------------------------------------------------------- changes

  /** IPVS_CMD_NEW_SERVICE: EEXIST, or ENOENT for an unknown scheduler or persistence engine. */
  addService(spec: ServiceSpec): IpvsErrno | undefined {
    const r = this.table.addService(serviceConfig(spec));
    return typeof r === 'string' ? r : undefined;
  }

  /** IPVS_CMD_SET_SERVICE: ESRCH, or ENOENT. */
  editService(spec: ServiceSpec): IpvsErrno | undefined {
    return this.table.editService(serviceConfig(spec));
  }

  /** IPVS_CMD_DEL_SERVICE: ESRCH. */
  delService(key: ServiceKey): IpvsErrno | undefined {
    return this.table.delService(key);
  }

  /** IPVS_CMD_FLUSH. */
  flush(): void {
    this.table.flush();
  }

  /** IPVS_CMD_NEW_DEST: ESRCH, ERANGE, EINVAL, EEXIST. */
  addDest(service: ServiceKey, spec: DestSpec): IpvsErrno | undefined {
    const svc = this.table.lookup(service);
    if (!svc) return 'ESRCH';
    const r = this.table.addDest(svc, destConfig(spec));
    return typeof r === 'string' ? r : undefined;
  }

  /** IPVS_CMD_SET_DEST: ESRCH, ERANGE, EINVAL, ENOENT. */
  editDest(service: ServiceKey, spec: DestSpec): IpvsErrno | undefined {
    const svc = this.table.lookup(service);
    if (!svc) return 'ESRCH';
    const r = this.table.editDest(svc, destConfig(spec));
    return typeof r === 'string' ? r : undefined;
  }

  /** IPVS_CMD_DEL_DEST: ESRCH, ENOENT. */
  delDest(service: ServiceKey, address: Ipv4Address, port: number): IpvsErrno | undefined {
    const svc = this.table.lookup(service);
    if (!svc) return 'ESRCH';
    const r = this.table.delDest(svc, address, port);
    return typeof r === 'string' ? r : undefined;
  }

  /**
   * IPVS_CMD_ZERO (ip_vs_zero_service / ip_vs_zero_all): the shown counters and rates of one service and its
   * destinations, or of every service and the instance total, restart from 0. ESRCH for an unknown service.
   */
  zero(service?: ServiceKey): IpvsErrno | undefined {
    if (service) {
      const svc = this.table.lookup(service);
      if (!svc) return 'ESRCH';
      zeroService(svc);
      return undefined;
    }
    for (const svc of this.table.services()) zeroService(svc);
    zeroStats(this.totalStats);
    return undefined;
  }

  /** IPVS_CMD_SET_CONFIG (ip_vs_set_timeout): each value 0 (unchanged) .. INT_MAX/HZ seconds, else EINVAL. */
  setTimeouts(t: IpvsTimeouts): IpvsErrno | undefined {
    for (const v of [t.tcp, t.tcpfin, t.udp]) if (!Number.isInteger(v) || v < 0 || v > Math.floor(INT_MAX / HZ)) return 'EINVAL';
    this.dataPlane.setTimeouts(t);
    return undefined;
  }

  // ------------------------------------------------------------------------------------------- reads

  timeouts(): IpvsTimeouts {
    return this.dataPlane.timeouts();
  }

  info(): IpvsInfo {
    return { version: IPVS_VERSION_CODE, connTableSize: IPVS_CONN_TAB_SIZE, numServices: this.table.services().length };
  }

  /** Every service in the kernel's dump order (IPVS_CMD_GET_SERVICE with NLM_F_DUMP). */
  services(): ServiceView[] {
    return this.table.services().map(serviceView);
  }

  /** One service (IPVS_CMD_GET_SERVICE), undefined when there is none with that key. */
  service(key: ServiceKey): ServiceView | undefined {
    const svc = this.table.lookup(key);
    return svc ? serviceView(svc) : undefined;
  }

  /** The connection table as /proc/net/ip_vs_conn lists it. */
  connections(): readonly ConnectionView[] {
    return this.dataPlane.connections();
  }

  /** Counters and rates of the whole instance (/proc/net/ip_vs_stats). */
  totals(): StatsView {
    return readStats(this.totalStats);
  }

  /** ip_vs_service_find, for the packet path. */
  find(protocol: number, daddr: Ipv4Address, dport: number, mark: number): VirtualService | undefined {
    return this.table.find(protocol, daddr, dport, mark);
  }
}

function zeroService(svc: VirtualService): void {
  for (const d of svc.destinations) zeroStats(d.stats);
  zeroStats(svc.stats);
}

function serviceConfig(s: ServiceSpec) {
  return {
    key: s.key,
    scheduler: s.scheduler,
    persistent: s.persistent ?? false,
    timeout: s.timeout ?? 0,
    netmask: s.netmask ?? 0xffffffff,
    onePacket: s.onePacket ?? false,
    schedFlags: s.schedFlags ?? 0,
    pe: s.pe,
  };
}

function destConfig(d: DestSpec) {
  return { address: d.address, port: d.port, fwd: d.fwd, weight: d.weight, uThreshold: d.uThreshold ?? 0, lThreshold: d.lThreshold ?? 0 };
}

function serviceView(svc: VirtualService): ServiceView {
  return {
    key: svc.key,
    scheduler: svc.scheduler.name,
    persistent: svc.persistent,
    timeout: svc.timeout,
    netmask: svc.netmask,
    onePacket: svc.onePacket,
    schedFlags: svc.schedFlags,
    stats: readStats(svc.stats),
    destinations: svc.destinations.map(destinationView),
  };
}

function destinationView(d: Destination): DestinationView {
  return {
    address: d.address,
    port: d.port,
    fwd: d.fwd,
    weight: d.weight,
    lastWeight: d.lastWeight,
    uThreshold: d.uThreshold,
    lThreshold: d.lThreshold,
    activeConns: d.activeConns,
    inactConns: d.inactConns,
    persistConns: d.persistConns,
    overloaded: d.overloaded,
    stats: readStats(d.stats),
  };
}
