import type { Host } from '../../net/index.ts';
import type { IpvsControl, SyncDaemonApi } from '../../ipvs/IpvsControl.ts';
import type { Daemon } from './Daemon.ts';
import { KeepalivedVirtualServer } from './health/KeepalivedChecks.ts';
import type { KaVirtualServer } from './health/KeepalivedCheckConfig.ts';
import type { VrrpInstanceConfig, VrrpSyncGroupConfig } from './vrrp/VrrpConfig.ts';
import { VrrpInstance } from './vrrp/VrrpInstance.ts';
import { VrrpSyncGroup } from './vrrp/VrrpSyncGroup.ts';
import type { VrrpState } from './vrrp/vrrpStateTable.ts';

/**
 * global_defs `lvs_sync_daemon IFNAME VRRP_INSTANCE [id N]` (keepalived ≥ 1.2.20; older files say
 * `lvs_sync_daemon_interface` inside the instance): the IPVS sync daemon follows that instance — master while it
 * is MASTER, backup while it is BACKUP.
 */
export interface LvsSyncDaemonConfig {
  readonly interface: string;
  /** The vrrp_instance it follows; default the first one. */
  readonly instance?: string;
  /** `id`; default 0 (keepalived's default sync id is the VRID of the instance: unverified, 0 accepts any). */
  readonly syncId: number;
}

/** One keepalived process's configuration, typed: what keepalived.conf's blocks map onto. */
export interface KeepalivedConfig {
  /** global_defs `router_id`. */
  readonly routerId?: string;
  /** `vrrp_instance` blocks in file order. */
  readonly vrrpInstances: readonly VrrpInstanceConfig[];
  /** `vrrp_sync_group` blocks in file order (none by default); each instance is in at most one. */
  readonly syncGroups?: readonly VrrpSyncGroupConfig[];
  /** `virtual_server` blocks in file order. */
  readonly virtualServers: readonly KaVirtualServer[];
  readonly lvsSyncDaemon?: LvsSyncDaemonConfig;
}

/**
 * keepalived: the VRRP instances (vrrp child) and their sync groups, the virtual servers with their checkers
 * (checker child) and the IPVS sync daemon switched with the VRRP state. The checkers run whatever the VRRP
 * state, as keepalived's do.
 */
export class Keepalived implements Daemon {
  readonly name = 'keepalived';
  readonly instances: VrrpInstance[];
  readonly virtualServers: KeepalivedVirtualServer[];
  private running = false;
  /** The kernel's sync daemon, reached through IPVS's control API as keepalived reaches it over netlink. */
  private readonly sync: SyncDaemonApi | undefined;

  constructor(
    private readonly host: Host,
    ipvs: IpvsControl,
    readonly config: KeepalivedConfig,
  ) {
    this.sync = ipvs.syncDaemon;
    this.instances = config.vrrpInstances.map((c) => new VrrpInstance(host, c));
    for (const g of config.syncGroups ?? []) {
      const group = new VrrpSyncGroup(g);
      for (const name of g.instances) this.instances.find((i) => i.config.name === name)?.joinGroup(group);
    }
    this.virtualServers = config.virtualServers.map((c) => new KeepalivedVirtualServer(host, ipvs, c));
    const sd = config.lvsSyncDaemon;
    if (sd && this.sync) {
      const follow = this.instances.find((i) => sd.instance === undefined || i.config.name === sd.instance);
      if (follow) follow.onStateChange = (to) => this.syncFollows(to, sd);
    }
  }

  get isRunning(): boolean {
    return this.running && this.host.alive;
  }

  start(): void {
    if (this.isRunning) return;
    this.running = true;
    for (const vs of this.virtualServers) vs.start();
    for (const i of this.instances) i.start();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const i of this.instances) i.stop();
    for (const vs of this.virtualServers) vs.stop();
    if (this.config.lvsSyncDaemon && this.sync) {
      this.sync.stop('master');
      this.sync.stop('backup');
    }
  }

  halt(): void {
    if (!this.running) return;
    this.running = false;
    for (const i of this.instances) i.halt();
    // The sync daemon is a kernel thread: it dies with the kernel and does not log; keepalived restarts it
    // with the VRRP state after the host comes back.
    for (const vs of this.virtualServers) vs.halt();
  }

  private syncFollows(to: VrrpState, sd: LvsSyncDaemonConfig): void {
    const s = this.sync!;
    if (to === 'MASTER') {
      s.stop('backup');
      s.start('master', sd.interface, sd.syncId);
    } else if (to === 'BACKUP') {
      s.stop('master');
      s.start('backup', sd.interface, sd.syncId);
    } else {
      s.stop('master');
      s.stop('backup');
    }
  }
}
