import { SECOND, type EventHandle, type SimTime, type Simulator } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import { Destination, type ForwardMethod } from './Destination.ts';
import type { IpvsDataPlane } from './IpvsDataPlane.ts';
import { zeroStats, type RateEstimator } from './RateEstimator.ts';
import type { Scheduler, SchedulerContext, SchedulerFactory } from './schedulers/Scheduler.ts';
import { sameServiceKey, VirtualService, type ServiceKey } from './VirtualService.ts';

/**
 * The errors the kernel's control plane answers with (ip_vs_genl_set_cmd and what it calls, ip_vs_ctl.c).
 * EAFNOSUPPORT is what a request for an address family the lab does not model (IPv6) gets.
 */
export type IpvsErrno = 'EEXIST' | 'ENOENT' | 'ESRCH' | 'ERANGE' | 'EINVAL' | 'EAFNOSUPPORT';

/** A complete service definition as the kernel receives it (struct ip_vs_service_user_kern). */
export interface ServiceConfig {
  readonly key: ServiceKey;
  /** Scheduler name; `none` binds no scheduler (every new connection then fails to schedule). */
  readonly scheduler: string;
  readonly persistent: boolean;
  /** Persistence timeout in seconds. */
  readonly timeout: number;
  /** Persistence netmask as an unsigned 32-bit mask. */
  readonly netmask: number;
  readonly onePacket: boolean;
  /** SchedFlag bits (IP_VS_SVC_F_SCHED1..3). */
  readonly schedFlags: number;
  /** Persistence engine name (`--pe`); none is modelled, so a non-empty name is ENOENT. */
  readonly pe?: string;
}

/** A complete destination definition (struct ip_vs_dest_user_kern). */
export interface DestConfig {
  readonly address: Ipv4Address;
  readonly port: number;
  readonly fwd: ForwardMethod;
  readonly weight: number;
  readonly uThreshold: number;
  readonly lThreshold: number;
}

/** What inet_addr_type says of a real server's address; only `local` and `unicast` may be added. */
export type AddressType = 'unicast' | 'local' | 'broadcast' | 'multicast';

export interface ServiceTableDeps {
  readonly sim: Simulator;
  readonly dataPlane: Pick<IpvsDataPlane, 'destUnlinked'>;
  readonly estimator: RateEstimator;
  schedulerContext(svc: VirtualService): SchedulerContext;
  /** Registered schedulers by name (ip_vs_scheduler_get). */
  schedulers(name: string): SchedulerFactory | undefined;
  /** A host sysctl by its dotted key, undefined when the host has none of that name. */
  sysctl(key: string): number | undefined;
  /** inet_addr_type for a new real server's address. */
  addressType(addr: Ipv4Address): AddressType;
}

/** Remembered by the trash: when the entry was first seen unreferenced (dest->idle_start). */
interface TrashEntry {
  readonly dest: Destination;
  idleSince: SimTime | undefined;
}

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const FTPPORT = 21;
const FTPDATA = 20;
/** IP_VS_SVC_TAB_BITS: both service hash tables have 256 buckets. */
const SVC_TAB_SIZE = 256;
/** IP_VS_DEST_TRASH_PERIOD: an unreferenced trashed destination is freed after this long. */
export const DEST_TRASH_PERIOD: SimTime = 120 * SECOND;
const INT_MAX = 0x7fffffff;

/** The scheduler bound to a service created with `-s none` (svc->scheduler == NULL). */
const NO_SCHEDULER: Scheduler = {
  name: 'none',
  // ip_vs_schedule: no scheduler means no destination, with only a debug message.
  schedule: () => null,
};

function protocolNumber(p: 'tcp' | 'udp'): number {
  return p === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
}

/**
 * The virtual services of one IPVS instance and their real servers (net/netfilter/ipvs/ip_vs_ctl.c, Linux 6.1):
 * the two service hash tables (by protocol+address+port and by fwmark, 256 buckets each, new entries at the
 * head of a bucket), the add/edit/delete operations with the kernel's checks in the kernel's order, the
 * destination list of each service (new destinations at the head), the destination trash, the real-server
 * table the NAT path asks (`rs_table`) and the counters the packet path's service lookup uses.
 *
 * Simplifications: the kernel's bucket index also mixes in the address of the netns object
 * (`(size_t)ipvs >> 8`), which differs from boot to boot; here that term is 0, so `--nosort` order is the
 * kernel's for one particular boot. IPv6 and SCTP are not modelled. A trashed destination counts as referenced
 * while connections or templates are bound to it, or a scheduler table (lblc/lblcr entries) still holds it.
 */
export class ServiceTable {
  private readonly svcTable: VirtualService[][] = Array.from({ length: SVC_TAB_SIZE }, () => []);
  private readonly fwmTable: VirtualService[][] = Array.from({ length: SVC_TAB_SIZE }, () => []);
  /** ipvs->dest_trash, head first. */
  private readonly trashList: TrashEntry[] = [];
  private trashTimer: EventHandle | undefined;
  /** ipvs->rs_table: NAT and IPIP destinations, most recently hashed first. */
  private readonly rsTable: Destination[] = [];
  /** ipvs->ftpsvc_counter: services on port 21. */
  private ftpsvc = 0;
  /** ipvs->nullsvc_counter: services with port 0 (fwmark services included: their port is 0). */
  private nullsvc = 0;

  /** ipvs->enable: set by the first service ever added, never cleared; until then the hooks pass everything. */
  enabled = false;

  constructor(private readonly deps: ServiceTableDeps) {}

  // ------------------------------------------------------------------------------------------- lookups

  /** Every service in the kernel's dump order: the address table's buckets, then the fwmark table's. */
  services(): VirtualService[] {
    const out: VirtualService[] = [];
    for (const b of this.svcTable) out.push(...b);
    for (const b of this.fwmTable) out.push(...b);
    return out;
  }

  /** __ip_vs_service_find / __ip_vs_svc_fwm_find: the service with exactly this key. */
  lookup(key: ServiceKey): VirtualService | undefined {
    if (key.kind === 'fwmark') return this.fwmTable[fwmHash(key.mark)].find((s) => sameServiceKey(s.key, key));
    return this.svcTable[svcHash(protocolNumber(key.protocol), key.address, key.port)].find((s) => sameServiceKey(s.key, key));
  }

  /**
   * ip_vs_service_find: the service a packet belongs to. A non-zero mark is tried against fwmark services
   * first; then the exact (protocol, address, port); then, for TCP while some port-21 service exists and the
   * port is 20 or unprivileged (≥ net.ipv4.ip_unprivileged_port_start), the FTP service at that address; then,
   * while some port-0 service exists, the port-0 service at that address.
   */
  find(protocol: number, daddr: Ipv4Address, dport: number, mark: number): VirtualService | undefined {
    if (mark !== 0) {
      const s = this.lookup({ kind: 'fwmark', mark });
      if (s) return s;
    }
    const proto = protocol === IPPROTO_TCP ? 'tcp' : protocol === IPPROTO_UDP ? 'udp' : undefined;
    if (!proto) return undefined;
    let svc = this.lookup({ kind: 'addr', protocol: proto, address: daddr, port: dport });
    if (!svc && protocol === IPPROTO_TCP && this.ftpsvc > 0) {
      const unprivStart = this.deps.sysctl('net.ipv4.ip_unprivileged_port_start') ?? 1024;
      if (dport === FTPDATA || dport >= unprivStart) svc = this.lookup({ kind: 'addr', protocol: proto, address: daddr, port: FTPPORT });
    }
    if (!svc && this.nullsvc > 0) svc = this.lookup({ kind: 'addr', protocol: proto, address: daddr, port: 0 });
    return svc;
  }

  /** ipvs->ftpsvc_counter. */
  get ftpServices(): number {
    return this.ftpsvc;
  }

  /** ipvs->nullsvc_counter. */
  get nullServices(): number {
    return this.nullsvc;
  }

  /** ip_vs_lookup_dest: the destination with this address and port in the service's list. */
  lookupDest(svc: VirtualService, address: Ipv4Address, port: number): Destination | undefined {
    return svc.destinations.find((d) => d.address === address && d.port === port);
  }

  /**
   * ip_vs_find_real_service: the first NAT destination (of any service, deleted ones excepted) with this
   * address and port whose service has this protocol or is an fwmark service. The NAT reply path uses it
   * for replies that match no connection.
   */
  findRealService(protocol: number, daddr: Ipv4Address, dport: number): Destination | undefined {
    return this.rsTable.find(
      (d) =>
        d.port === dport &&
        d.address === daddr &&
        d.fwd === 'masq' &&
        (d.service.key.kind === 'fwmark' || protocolNumber(d.service.key.protocol) === protocol),
    );
  }

  /**
   * ip_vs_find_tunnel for an IPIP tunnel (tun_port 0): the first tunnel destination with this address. An ICMP
   * error about one of the director's IPIP packets is handled only for such a known tunnel.
   */
  findTunnel(daddr: Ipv4Address): Destination | undefined {
    return this.rsTable.find((d) => d.address === daddr && d.fwd === 'tunnel');
  }

  /** The trash, head first (for tests and views). */
  trash(): readonly Destination[] {
    return this.trashList.map((e) => e.dest);
  }

  // ------------------------------------------------------------------------------------------- services

  /** ip_vs_add_service behind IPVS_CMD_NEW_SERVICE: EEXIST is answered before the scheduler is looked up. */
  addService(cfg: ServiceConfig): IpvsErrno | VirtualService {
    if (this.lookup(cfg.key)) return 'EEXIST';
    const factory = this.schedulerFor(cfg.scheduler);
    if (factory === undefined) return 'ENOENT';
    if (cfg.pe) return 'ENOENT';
    const svc = new VirtualService(cfg.key, NO_SCHEDULER);
    applyServiceFlags(svc, cfg);
    if (factory !== null) svc.scheduler = factory(svc, this.deps.schedulerContext(svc));
    const port = cfg.key.kind === 'fwmark' ? 0 : cfg.key.port;
    if (port === FTPPORT) this.ftpsvc++;
    else if (port === 0) this.nullsvc++;
    this.deps.estimator.start(svc.stats);
    this.bucketOf(svc.key).unshift(svc);
    this.enabled = true;
    return svc;
  }

  /**
   * ip_vs_edit_service: every setting is replaced. A different scheduler name unbinds the old scheduler
   * (done_service) and binds a fresh instance (init_service over the current list); the same name keeps the
   * bound instance and its state.
   */
  editService(cfg: ServiceConfig): IpvsErrno | undefined {
    const svc = this.lookup(cfg.key);
    if (!svc) return 'ESRCH';
    const factory = this.schedulerFor(cfg.scheduler);
    if (factory === undefined) return 'ENOENT';
    if (cfg.pe) return 'ENOENT';
    if (svc.scheduler.name !== cfg.scheduler) {
      svc.scheduler.doneService?.(svc);
      svc.scheduler = NO_SCHEDULER;
      if (factory !== null) svc.scheduler = factory(svc, this.deps.schedulerContext(svc));
    }
    applyServiceFlags(svc, cfg);
    return undefined;
  }

  /** ip_vs_del_service. */
  delService(key: ServiceKey): IpvsErrno | undefined {
    const svc = this.lookup(key);
    if (!svc) return 'ESRCH';
    this.unlinkService(svc);
    return undefined;
  }

  /** ip_vs_flush: every service, address table first, each bucket head first. */
  flush(): void {
    for (const svc of this.services()) this.unlinkService(svc);
  }

  /** ip_vs_unlink_service + __ip_vs_del_service. */
  private unlinkService(svc: VirtualService): void {
    const bucket = this.bucketOf(svc.key);
    bucket.splice(bucket.indexOf(svc), 1);
    this.deps.estimator.stop(svc.stats);
    svc.scheduler.doneService?.(svc);
    svc.scheduler = NO_SCHEDULER;
    // Deleting a whole service does not call the scheduler's del_dest (svcupd = 0).
    for (const dest of [...svc.destinations]) {
      this.unlinkDest(svc, dest, false);
      this.delDestToTrash(dest);
    }
    const port = svc.key.kind === 'fwmark' ? 0 : svc.key.port;
    if (port === FTPPORT) this.ftpsvc--;
    else if (port === 0) this.nullsvc--;
  }

  // ------------------------------------------------------------------------------------------- destinations

  /**
   * ip_vs_add_dest: weight < 0 or l_threshold > u_threshold is ERANGE, u_threshold > INT_MAX EINVAL, an
   * existing addr:port EEXIST. A destination of the same service key still in the trash is taken back (same
   * object, counters kept); otherwise a new one is made, whose address must be local or unicast (EINVAL).
   */
  addDest(svc: VirtualService, cfg: DestConfig): IpvsErrno | Destination {
    const bad = checkDestConfig(cfg);
    if (bad) return bad;
    if (this.lookupDest(svc, cfg.address, cfg.port)) return 'EEXIST';
    let dest = this.trashGet(svc, cfg.address, cfg.port);
    if (!dest) {
      const t = this.deps.addressType(cfg.address);
      if (t !== 'local' && t !== 'unicast') return 'EINVAL';
      dest = new Destination(svc, { address: cfg.address, port: cfg.port, fwd: cfg.fwd, weight: cfg.weight, uThreshold: 0, lThreshold: 0 });
    }
    this.updateDest(svc, dest, cfg, true);
    return dest;
  }

  /** ip_vs_edit_dest: the same checks as add, then ENOENT for an unknown addr:port. */
  editDest(svc: VirtualService, cfg: DestConfig): IpvsErrno | Destination {
    const bad = checkDestConfig(cfg);
    if (bad) return bad;
    const dest = this.lookupDest(svc, cfg.address, cfg.port);
    if (!dest) return 'ENOENT';
    this.updateDest(svc, dest, cfg, false);
    return dest;
  }

  /** ip_vs_del_dest: unlink (scheduler's del_dest runs), then the trash. */
  delDest(svc: VirtualService, address: Ipv4Address, port: number): IpvsErrno | Destination {
    const dest = this.lookupDest(svc, address, port);
    if (!dest) return 'ENOENT';
    this.unlinkDest(svc, dest, true);
    this.delDestToTrash(dest);
    return dest;
  }

  /**
   * __ip_vs_update_dest. `lastWeight` takes the new weight on an add or when it is not 0. The thresholds, when
   * either changed, are stored with the lower one in use (`-y`, or `-x` less a quarter of it) and the overload
   * flag is re-evaluated at once (mode 0: set if the connections already reach `-x`, cleared if below the
   * lower value). A destination coming back from another service object starts its counters afresh. An add
   * starts its estimator, puts it at the head of the list and calls the scheduler's add_dest; an edit calls
   * upd_dest.
   */
  private updateDest(svc: VirtualService, dest: Destination, cfg: DestConfig, add: boolean): void {
    if (add || cfg.weight !== 0) dest.lastWeight = cfg.weight;
    dest.weight = cfg.weight;
    if (cfg.fwd !== dest.fwd) this.rsUnhash(dest);
    dest.fwd = cfg.fwd;
    this.rsHash(dest);
    // FTP-NAT requires conntrack for mangling (ip_vs_register_conntrack for a masq destination of port 21).
    if (cfg.fwd === 'masq' && svc.key.kind === 'addr' && svc.key.port === FTPPORT) svc.conntrackRegistered = true;
    if (dest.service !== svc) {
      zeroStats(dest.stats);
      dest.service = svc;
    }
    dest.available = true;
    if (dest.uThreshold !== cfg.uThreshold || dest.lThreshold !== cfg.lThreshold) {
      dest.uThreshold = cfg.uThreshold;
      dest.lThreshold = cfg.lThreshold;
      dest.lThresholdVal = cfg.lThreshold || cfg.uThreshold - (cfg.uThreshold >>> 2);
      dest.updateOverload(0);
    }
    if (add) {
      this.deps.estimator.start(dest.stats);
      svc.destinations.unshift(dest);
      svc.scheduler.addDest?.(svc, dest);
    } else {
      svc.scheduler.updDest?.(svc, dest);
    }
  }

  /** __ip_vs_unlink_dest: AVAILABLE cleared, out of the list; `svcupd` runs the scheduler's del_dest. */
  private unlinkDest(svc: VirtualService, dest: Destination, svcupd: boolean): void {
    dest.available = false;
    const i = svc.destinations.indexOf(dest);
    if (i >= 0) svc.destinations.splice(i, 1);
    if (svcupd) svc.scheduler.delDest?.(svc, dest);
  }

  /**
   * __ip_vs_del_dest: the estimator stops, the destination leaves the real-server table and goes to the head
   * of the trash (arming the trash timer if the trash was empty); then the data path hears of it (the
   * expire_nodest_conn sweep).
   */
  private delDestToTrash(dest: Destination): void {
    this.deps.estimator.stop(dest.stats);
    this.rsUnhash(dest);
    if (this.trashList.length === 0) {
      this.deps.sim.cancel(this.trashTimer);
      this.trashTimer = this.deps.sim.schedule(DEST_TRASH_PERIOD / 2, () => this.trashExpire());
    }
    this.trashList.unshift({ dest, idleSince: undefined });
    this.deps.dataPlane.destUnlinked(dest);
  }

  /**
   * ip_vs_trash_get_dest: a trashed destination with this address and port that was made for a service with
   * the same key (protocol, address and port, or fwmark) is taken out of the trash.
   */
  private trashGet(svc: VirtualService, address: Ipv4Address, port: number): Destination | undefined {
    const i = this.trashList.findIndex(
      (e) => e.dest.address === address && e.dest.port === port && sameServiceKey(e.dest.service.key, svc.key),
    );
    if (i < 0) return undefined;
    const [e] = this.trashList.splice(i, 1);
    return e.dest;
  }

  /**
   * ip_vs_dest_trash_expire, every 60 s while the trash holds something: a destination still referenced by
   * connections or templates stays; an unreferenced one is first stamped idle, and freed once it has been
   * idle for 120 s.
   */
  private trashExpire(): void {
    this.trashTimer = undefined;
    const now = this.deps.sim.now();
    for (let i = 0; i < this.trashList.length; ) {
      const e = this.trashList[i];
      const d = e.dest;
      // lblc/lblcr table entries hold a reference too (dest_hold in their cache), until they expire.
      if (d.totalConns + d.persistConns > 0 || d.service.scheduler.holdsDest?.(d) === true) {
        i++;
        continue;
      }
      if (e.idleSince === undefined) {
        e.idleSince = now;
        i++;
        continue;
      }
      if (now < e.idleSince + DEST_TRASH_PERIOD) {
        i++;
        continue;
      }
      this.trashList.splice(i, 1);
    }
    if (this.trashList.length > 0) this.trashTimer = this.deps.sim.schedule(DEST_TRASH_PERIOD / 2, () => this.trashExpire());
  }

  /** ip_vs_rs_hash: NAT destinations by their port, IPIP tunnels by port 0; DR ones are not hashed. */
  private rsHash(dest: Destination): void {
    if (this.rsTable.includes(dest)) return;
    if (dest.fwd === 'masq' || dest.fwd === 'tunnel') this.rsTable.unshift(dest);
  }

  private rsUnhash(dest: Destination): void {
    const i = this.rsTable.indexOf(dest);
    if (i >= 0) this.rsTable.splice(i, 1);
  }

  // ------------------------------------------------------------------------------------------- helpers

  /** The factory for a name: null for `none`, undefined when no such scheduler is registered. */
  private schedulerFor(name: string): SchedulerFactory | null | undefined {
    if (name === 'none') return null;
    return this.deps.schedulers(name);
  }

  private bucketOf(key: ServiceKey): VirtualService[] {
    return key.kind === 'fwmark' ? this.fwmTable[fwmHash(key.mark)] : this.svcTable[svcHash(protocolNumber(key.protocol), key.address, key.port)];
  }
}

/** The checks ip_vs_add_dest and ip_vs_edit_dest share, in their order. */
function checkDestConfig(cfg: DestConfig): IpvsErrno | undefined {
  if (!Number.isInteger(cfg.weight) || cfg.weight < 0 || cfg.weight > INT_MAX) return 'ERANGE';
  if (!isU32(cfg.uThreshold) || !isU32(cfg.lThreshold)) return 'EINVAL';
  if (cfg.lThreshold > cfg.uThreshold) return 'ERANGE';
  if (cfg.uThreshold > INT_MAX) return 'EINVAL';
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 0xffff) return 'EINVAL';
  return undefined;
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function applyServiceFlags(svc: VirtualService, cfg: ServiceConfig): void {
  svc.persistent = cfg.persistent;
  svc.timeout = cfg.timeout;
  svc.netmask = cfg.netmask >>> 0;
  svc.onePacket = cfg.onePacket;
  svc.schedFlags = cfg.schedFlags;
}

/** ip_vs_svc_hashkey with the netns term taken as 0. */
export function svcHash(protocol: number, address: Ipv4Address, port: number): number {
  return (protocol ^ address ^ (port >>> 8) ^ port) & (SVC_TAB_SIZE - 1);
}

/** ip_vs_svc_fwm_hashkey with the netns term taken as 0. */
export function fwmHash(mark: number): number {
  return mark & (SVC_TAB_SIZE - 1);
}

/**
 * What inet_addr_type can tell from the address alone: 0.0.0.0/8 and 255.255.255.255 are broadcast,
 * 224.0.0.0/4 multicast, anything else unicast unless the host's local table says otherwise.
 */
export function addressTypeOf(addr: Ipv4Address): AddressType {
  const a = addr >>> 0;
  if (a >>> 24 === 0 || a === 0xffffffff) return 'broadcast';
  if (a >>> 28 === 0xe) return 'multicast';
  return 'unicast';
}
