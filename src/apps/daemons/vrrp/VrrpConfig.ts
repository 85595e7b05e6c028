import { SECOND, type SimTime } from '../../../sim/index.ts';
import { VRRP_GROUP, type Ipv4Address } from '../../../wire/index.ts';

/**
 * The settings of one keepalived `vrrp_instance` (keepalived.conf(5) "VRRP instance(s)"; reference
 * config-formats.md §1.3), typed. The keepalived.conf importer maps each keyword onto one field, named in the
 * comments; `vrrpInstanceConfig` fills keepalived's defaults.
 */
export interface VrrpVirtualAddress {
  /** The address (`virtual_ipaddress` line, `IP[/len]`). */
  readonly address: Ipv4Address;
  /** `/len`; keepalived's default is 32 (vrrp_ipaddress.c). */
  readonly prefixLen: number;
  /** `dev IF`; default: the instance's `interface`. */
  readonly dev?: string;
  /** `label IF:tag`; default: the device name (what `ip addr add` gives). */
  readonly label?: string;
}

/** One `track_interface` line: `IF [weight N] [reverse]` (keepalived.conf(5), "VRRP instance(s)"). */
export interface VrrpTrackedInterface {
  readonly name: string;
  /** `weight N`, −253..253. 0, the default, means FAULT while the interface is down; otherwise a priority change. */
  readonly weight: number;
  /** `reverse`: the adjustment goes the other way (unweighted: FAULT while the interface is up). */
  readonly reverse: boolean;
}

/** `vrrp_sync_group NAME { group { VI_1 VI_2 … } }`: instances that change state together. */
export interface VrrpSyncGroupConfig {
  readonly name: string;
  /** The member instances, by name, in file order. */
  readonly instances: readonly string[];
  /**
   * `sync_group_tracking_weight`: members keep their weighted tracking. Without it (the default) keepalived sets
   * the weight of every weighted `track_interface` of a member to 0 — a tracked interface going down then puts
   * the member (and so the group) in FAULT instead of changing one member's priority (keepalived.conf(5)).
   */
  readonly trackingWeight: boolean;
}

export interface VrrpInstanceConfig {
  /** `vrrp_instance NAME`. */
  readonly name: string;
  /** `state MASTER|BACKUP`: the initial wish; default BACKUP. Only an owner (priority 255) starts as MASTER. */
  readonly state: 'MASTER' | 'BACKUP';
  /** `interface IF`: where adverts go and where VIPs without `dev` are added. Required. */
  readonly interface: string;
  /** `virtual_router_id` 1–255. Required. */
  readonly vrid: number;
  /** `priority` 1–255; default 100; 255 is the address owner. */
  readonly priority: number;
  /** `advert_int`; default 1 s. */
  readonly advertInt: SimTime;
  /** `version` / global `vrrp_version`; default 2. */
  readonly version: 2 | 3;
  /** false with `nopreempt`; default true. */
  readonly preempt: boolean;
  /** `preempt_delay`; default 0. */
  readonly preemptDelay: SimTime;
  /** `authentication { auth_type PASS; auth_pass P }`: the first 8 characters are used (v2 only). */
  readonly authPass?: string;
  /** `virtual_ipaddress { … }`, in file order. */
  readonly virtualAddresses: readonly VrrpVirtualAddress[];
  /** `garp_master_repeat` / `vrrp_garp_master_repeat`: gratuitous ARPs per VIP on becoming MASTER; default 5. */
  readonly garpMasterRepeat: number;
  /** `garp_master_delay` / `vrrp_garp_master_delay`: the second burst this long after; 0 = none; default 5 s. */
  readonly garpMasterDelay: SimTime;
  /** `vrrp_garp_interval`: spacing between the GARPs of a burst; default 0 (back to back). */
  readonly garpInterval: SimTime;
  /**
   * `lower_prio_no_advert` (global `vrrp_lower_prio_no_advert`; `vrrp_strict` sets it): a MASTER does not answer a
   * lower-priority advert with an advert of its own, as RFC 3768 §6.4.3 has it. Default false: keepalived answers
   * (keepalived.conf(5): "If a lower priority advert is received, don't send another advert. This causes
   * adherence to the RFCs").
   */
  readonly lowerPrioNoAdvert: boolean;
  /**
   * `higher_prio_send_advert` (global `vrrp_higher_prio_send_advert`): a MASTER that hears a higher-priority
   * advert sends one advert of its own before it becomes BACKUP, so that the other master, hearing a lower
   * advert, sends its gratuitous ARPs again (keepalived.conf(5)). Default false.
   */
  readonly higherPrioSendAdvert: boolean;
  /**
   * `garp_lower_prio_repeat`: gratuitous ARPs per VIP a MASTER sends when it hears a lower-priority advert; 0 =
   * none (and no second set). Default 5: keepalived takes the global `vrrp_garp_lower_prio_repeat`, which defaults
   * to the global `vrrp_garp_master_repeat` — not to the instance's own `garp_master_repeat` (keepalived.conf(5):
   * per-instance GARP settings "default to global parameters").
   */
  readonly garpLowerPrioRepeat: number;
  /** `garp_lower_prio_delay`: the second set this long after; 0 = none. Default 5 s (the global `vrrp_garp_master_delay`'s default). */
  readonly garpLowerPrioDelay: SimTime;
  /** `vrrp_mcast_group4`; default 224.0.0.18. */
  readonly mcastGroup: Ipv4Address;
  /** `unicast_peer { … }`: adverts go as unicast to each of these instead of the group; default none (multicast). */
  readonly unicastPeers: readonly Ipv4Address[];
  /** `unicast_src_ip`: the adverts' source address; default the interface's primary address. */
  readonly unicastSrcIp?: Ipv4Address;
  /** `unicast_ttl`: the TTL of unicast adverts; default 255. */
  readonly unicastTtl: number;
  /** `check_unicast_src` (or global `vrrp_check_unicast_src`): accept unicast adverts only from a listed peer. */
  readonly checkUnicastSrc: boolean;
  /** `track_interface { … }`, in file order. */
  readonly trackInterfaces: readonly VrrpTrackedInterface[];
  /** `dont_track_primary`: the instance's own interface going down is no FAULT. */
  readonly dontTrackPrimary: boolean;
}

export const VRRP_DEFAULTS = {
  state: 'BACKUP' as const,
  priority: 100,
  advertInt: SECOND,
  version: 2 as const,
  preempt: true,
  preemptDelay: 0,
  garpMasterRepeat: 5,
  garpMasterDelay: 5 * SECOND,
  garpInterval: 0,
  lowerPrioNoAdvert: false,
  higherPrioSendAdvert: false,
  garpLowerPrioRepeat: 5,
  garpLowerPrioDelay: 5 * SECOND,
  mcastGroup: VRRP_GROUP,
  unicastPeers: [] as readonly Ipv4Address[],
  unicastTtl: 255,
  checkUnicastSrc: false,
  trackInterfaces: [] as readonly VrrpTrackedInterface[],
  dontTrackPrimary: false,
};

type Required = Pick<VrrpInstanceConfig, 'name' | 'interface' | 'vrid' | 'virtualAddresses'>;

/** A complete configuration from the required fields and any others, keepalived's defaults for the rest. */
export function vrrpInstanceConfig(c: Required & Partial<VrrpInstanceConfig>): VrrpInstanceConfig {
  return { ...VRRP_DEFAULTS, ...c };
}
