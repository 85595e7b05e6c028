import type { KeepalivedConfig as KeepalivedModel, VrrpInstance as VrrpModel, VrrpSyncGroup as SyncGroupModel } from '../admin/importers/index.ts';
import { VRRP_DEFAULTS, type KeepalivedConfig, type VrrpInstanceConfig } from '../apps/daemons/index.ts';
import { SECOND } from '../sim/index.ts';
import { formatIpv4 } from '../wire/index.ts';

/**
 * The VRRP part of a director's `keepalived:` block as keepalived.conf's model (for `lvs-lab export --format
 * keepalived`): each vrrp_instance with its settings — unicast peers, tracked interfaces and all — its sync
 * groups, and the global lvs_sync_daemon. Settings at keepalived's defaults are left out, as a person writes the
 * file; every VIP is written with its `dev`. Durations are the scenario's nanoseconds as seconds.
 */
export function vrrpIntoModel(ka: KeepalivedConfig, cfg: KeepalivedModel): void {
  const first = ka.vrrpInstances[0];
  if (first && first.mcastGroup !== VRRP_DEFAULTS.mcastGroup) cfg.globalDefs.vrrpMcastGroup4 = formatIpv4(first.mcastGroup);
  if (first && first.garpInterval !== VRRP_DEFAULTS.garpInterval) cfg.globalDefs.vrrpGarpInterval = first.garpInterval / SECOND;
  cfg.vrrpInstances = ka.vrrpInstances.map(instanceModel);
  cfg.vrrpSyncGroups = (ka.syncGroups ?? []).map(
    (g): SyncGroupModel => ({ line: 0, name: g.name, group: [...g.instances], trackInterfaces: [], ...(g.trackingWeight ? { syncGroupTrackingWeight: true } : {}) }),
  );
  const sd = ka.lvsSyncDaemon;
  if (sd) cfg.globalDefs.lvsSyncDaemon = { interface: sd.interface, instance: sd.instance ?? first?.name, syncId: sd.syncId };
}

function instanceModel(c: VrrpInstanceConfig): VrrpModel {
  const m: VrrpModel = {
    line: 0,
    name: c.name,
    state: c.state,
    interface: c.interface,
    virtualRouterId: c.vrid,
    priority: c.priority,
    advertInt: c.advertInt / SECOND,
    unicastPeers: c.unicastPeers.map(formatIpv4),
    virtualIpAddresses: c.virtualAddresses.map((v) => ({ line: 0, address: formatIpv4(v.address), prefix: v.prefixLen, dev: v.dev ?? c.interface, noTrack: false, ...(v.label !== undefined ? { label: v.label } : {}) })),
    virtualIpAddressesExcluded: [],
    trackInterfaces: c.trackInterfaces.map((t) => ({ line: 0, name: t.name, ...(t.weight !== 0 ? { weight: t.weight } : {}), ...(t.reverse ? { reverse: true } : {}) })),
    trackScripts: [],
  };
  if (!c.preempt) m.preempt = false;
  if (c.preemptDelay > 0) m.preemptDelay = c.preemptDelay / SECOND;
  if (c.authPass !== undefined) m.authentication = { authType: 'PASS', authPass: c.authPass };
  if (c.version !== VRRP_DEFAULTS.version) m.version = c.version;
  if (c.garpMasterRepeat !== VRRP_DEFAULTS.garpMasterRepeat) m.garpMasterRepeat = c.garpMasterRepeat;
  if (c.garpMasterDelay !== VRRP_DEFAULTS.garpMasterDelay) m.garpMasterDelay = Math.round(c.garpMasterDelay / SECOND); // whole seconds in keepalived
  // The file sets no global vrrp_garp_master_*, so keepalived's lower-priority defaults are the scenario's (5, 5 s).
  if (c.garpLowerPrioRepeat !== VRRP_DEFAULTS.garpLowerPrioRepeat) m.garpLowerPrioRepeat = c.garpLowerPrioRepeat;
  if (c.garpLowerPrioDelay !== VRRP_DEFAULTS.garpLowerPrioDelay) m.garpLowerPrioDelay = c.garpLowerPrioDelay / SECOND; // whole seconds (readVrrp)
  if (c.lowerPrioNoAdvert) m.lowerPrioNoAdvert = true;
  if (c.higherPrioSendAdvert) m.higherPrioSendAdvert = true;
  if (c.unicastSrcIp !== undefined) m.unicastSrcIp = formatIpv4(c.unicastSrcIp);
  if (c.unicastPeers.length > 0 && c.unicastTtl !== VRRP_DEFAULTS.unicastTtl) m.unicastTtl = c.unicastTtl;
  if (c.checkUnicastSrc) m.checkUnicastSrc = true;
  if (c.dontTrackPrimary) m.dontTrackPrimary = true;
  return m;
}
