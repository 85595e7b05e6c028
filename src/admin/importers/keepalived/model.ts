/**
 * keepalived.conf as data: the typed model the importer produces and the exporter prints, and the contract the
 * keepalived daemon model (health checks, VRRP) will be fed from. Field names follow the keywords
 * (reference/config-formats.md §1, keepalived.conf(5)); every field the file did not set is `undefined` here,
 * and the documented default is applied by the readers in `effective.ts`, so a printer can write back exactly
 * what was written. Durations are seconds as numbers (keepalived's <TIMER>: decimals allowed, µs resolution).
 * Every element carries the 1-based `line` of its keyword in the source file, for diagnostics at run time.
 */

export interface KeepalivedConfig {
  globalDefs: GlobalDefs;
  vrrpScripts: VrrpScript[];
  vrrpSyncGroups: VrrpSyncGroup[];
  vrrpInstances: VrrpInstance[];
  virtualServers: VirtualServer[];
}

export interface GlobalDefs {
  line?: number;
  /** router_id; also what the legacy 1.x `lvs_id` sets (with a warning). */
  routerId?: string;
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: { host: string; port?: number };
  smtpConnectTimeout?: number;
  /** vrrp_garp_master_delay: seconds before the second burst of gratuitous ARPs (default 5; 0 = none). */
  vrrpGarpMasterDelay?: number;
  /** vrrp_garp_master_repeat: gratuitous ARPs per VIP per burst (default 5). */
  vrrpGarpMasterRepeat?: number;
  /** vrrp_garp_master_refresh: periodic GARP while MASTER, seconds (default 0 = off). */
  vrrpGarpMasterRefresh?: number;
  /** vrrp_garp_interval: spacing between GARPs, seconds (default 0). */
  vrrpGarpInterval?: number;
  /** vrrp_garp_lower_prio_repeat: GARPs per VIP when a MASTER hears a lower advert (default vrrp_garp_master_repeat; 0 = none). */
  vrrpGarpLowerPrioRepeat?: number;
  /** vrrp_garp_lower_prio_delay: whole seconds before the second set of those (default vrrp_garp_master_delay; 0 = none). */
  vrrpGarpLowerPrioDelay?: number;
  /** vrrp_lower_prio_no_advert [BOOL]: a MASTER does not answer a lower advert (default false; vrrp_strict sets it). */
  vrrpLowerPrioNoAdvert?: boolean;
  /** vrrp_higher_prio_send_advert [BOOL]: a MASTER sends an advert before yielding to a higher one (default false). */
  vrrpHigherPrioSendAdvert?: boolean;
  /** vrrp_mcast_group4 (default 224.0.0.18). */
  vrrpMcastGroup4?: string;
  /** vrrp_version (default 2). */
  vrrpVersion?: 2 | 3;
  /** vrrp_strict: every instance in strict mode unless its own strict_mode says otherwise. */
  vrrpStrict: boolean;
  vrrpSkipCheckAdvAddr: boolean;
  /** vrrp_check_unicast_src: every unicast instance accepts adverts only from its peers. */
  vrrpCheckUnicastSrc: boolean;
  enableScriptSecurity: boolean;
  defaultInterface?: string;
  /** lvs_timeouts [tcp N] [tcpfin N] [udp N]: IPVS connection timeouts in seconds, set when keepalived starts. */
  lvsTimeouts?: { tcp?: number; tcpfin?: number; udp?: number };
  /** lvs_sync_daemon IFNAME [INSTANCE] [id N]: the IPVS connection-synchronisation daemon. */
  lvsSyncDaemon?: { interface: string; instance?: string; syncId?: number };
}

/** vrrp_script NAME { script; interval; weight; fall; rise; timeout } — a tracked check script. */
export interface VrrpScript {
  line: number;
  name: string;
  script?: string;
  /** seconds between runs (default 1) */
  interval?: number;
  timeout?: number;
  /** priority change while the script succeeds (>0) or fails (<0); range −253..253 */
  weight?: number;
  /** consecutive failures before KO (default 1) */
  fall?: number;
  /** consecutive successes before OK (default 1) */
  rise?: number;
}

export interface VrrpSyncGroup {
  line: number;
  name: string;
  /** the instances that change state together */
  group: string[];
  /** sync_group_tracking_weight: members keep weighted tracking (default: weights count as 0) */
  syncGroupTrackingWeight?: boolean;
  /** the group's own track_interface lines (applied to every member by keepalived) */
  trackInterfaces: TrackedInterface[];
}

/** One track_interface line: `IF [weight N] [reverse|noreverse]`. */
export interface TrackedInterface {
  line: number;
  name: string;
  /** −253..253; absent = 0 (FAULT while down) */
  weight?: number;
  /** `reverse` (true) or `noreverse` (false) as written */
  reverse?: boolean;
}

export type VrrpState = 'MASTER' | 'BACKUP';

export interface VrrpInstance {
  line: number;
  name: string;
  /** initial wish (default BACKUP); see config-formats.md §1.5 for start-up */
  state?: VrrpState;
  /** interface for adverts; VIPs without `dev` go here */
  interface?: string;
  /** VRID 1..255 (required) */
  virtualRouterId?: number;
  /** 1..255 (default 100; 255 = address owner) */
  priority?: number;
  /** advertisement interval, seconds (default 1; 0.01..255) */
  advertInt?: number;
  /** `nopreempt` sets false (default true) */
  preempt?: boolean;
  /** seconds (default 0; 0..1000) */
  preemptDelay?: number;
  mcastSrcIp?: string;
  unicastSrcIp?: string;
  /** unicast_peer { … }: the addresses, in file order (min_ttl/max_ttl are not kept) */
  unicastPeers: string[];
  /** unicast_ttl 0..255 (default 255) */
  unicastTtl?: number;
  /** check_unicast_src */
  checkUnicastSrc?: boolean;
  /** dont_track_primary */
  dontTrackPrimary?: boolean;
  authentication?: { authType?: 'PASS' | 'AH'; authPass?: string };
  virtualIpAddresses: VirtualIpAddress[];
  virtualIpAddressesExcluded: VirtualIpAddress[];
  trackInterfaces: TrackedInterface[];
  trackScripts: { line: number; name: string; weight?: number }[];
  /** per-instance overrides of the global GARP settings */
  garpMasterDelay?: number;
  garpMasterRepeat?: number;
  garpMasterRefresh?: number;
  /** per-instance overrides of the global lower-priority settings (garp_lower_prio_repeat/delay, lower_prio_no_advert, higher_prio_send_advert) */
  garpLowerPrioRepeat?: number;
  garpLowerPrioDelay?: number;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  notifyMaster?: string;
  notifyBackup?: string;
  notifyFault?: string;
  notify?: string;
  smtpAlert?: boolean;
  /** legacy per-instance sync daemon interface */
  lvsSyncDaemonInterface?: string;
  version?: 2 | 3;
  /** strict_mode [BOOL]: this instance's own vrrp_strict (unset: the global one). */
  strictMode?: boolean;
}

/** One `virtual_ipaddress` line: IP[/len] [brd X] [dev IF] [scope S] [label L] [no_track]. */
export interface VirtualIpAddress {
  line: number;
  address: string;
  /** prefix length as written; keepalived's default is 32 (vrrp_ipaddress.c) */
  prefix?: number;
  broadcast?: string;
  dev?: string;
  scope?: string;
  label?: string;
  noTrack: boolean;
}

export type LvsMethod = 'NAT' | 'DR' | 'TUN';
export type VsProtocol = 'TCP' | 'UDP' | 'SCTP';

export type VirtualServerKey =
  | { kind: 'address'; address: string; port?: number }
  | { kind: 'fwmark'; mark: number }
  | { kind: 'group'; name: string };

export interface VirtualServer {
  line: number;
  key: VirtualServerKey;
  /** lb_algo / lvs_sched (default wlc) */
  lbAlgo?: string;
  /** lb_kind / lvs_method (default NAT) */
  lbKind?: LvsMethod;
  /** seconds; `persistence_timeout` without a value = 360; absent = not persistent */
  persistenceTimeout?: number;
  persistenceGranularity?: string;
  /** default TCP */
  protocol?: VsProtocol;
  /** seconds between checks (default 60) */
  delayLoop?: number;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  /** start real servers DOWN until their first good check */
  alpha: boolean;
  /** run notify_down scripts when the service stops */
  omega: boolean;
  /** live-weight threshold (default 1) */
  quorum?: number;
  /** default 0 */
  hysteresis?: number;
  haSuspend: boolean;
  /** DOWN sets weight 0 instead of removing the destination */
  inhibitOnFailure: boolean;
  virtualhost?: string;
  /** inserted when quorum is lost */
  sorryServer?: { line: number; address: string; port?: number; lvsMethod?: LvsMethod };
  sorryServerInhibit: boolean;
  /** `ops`: one-packet scheduling (IP_VS_SVC_F_ONEPACKET, UDP only). */
  ops?: boolean;
  /** `sh-fallback`, `sh-port` (lb_algo sh), `mh-fallback`, `mh-port` (lb_algo mh): the scheduler flags set, in file order. */
  schedFlags?: string[];
  realServers: RealServer[];
}

export interface RealServer {
  line: number;
  address: string;
  port?: number;
  /** default 1 */
  weight?: number;
  inhibitOnFailure?: boolean;
  lvsMethod?: LvsMethod;
  notifyUp?: string;
  notifyDown?: string;
  uthreshold?: number;
  lthreshold?: number;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  delayLoop?: number;
  warmup?: number;
  alpha?: boolean;
  virtualhost?: string;
  checkers: Checker[];
}

/** Settings every checker accepts (conn_kw and common_kw of §1.2); unset = inherit (effective.ts). */
export interface CheckerCommon {
  line: number;
  connectIp?: string;
  connectPort?: number;
  bindTo?: string;
  bindPort?: number;
  bindIf?: string;
  fwmark?: number;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  delayLoop?: number;
  alpha?: boolean;
  logAllFailures?: boolean;
}

export interface HttpUrl {
  line: number;
  path?: string;
  /** MD5 of the body, 32 hex digits */
  digest?: string;
  /** inclusive ranges; empty = 200..299 */
  statusCodes: [number, number][];
  virtualhost?: string;
  regex?: string;
  regexNoMatch: boolean;
}

export interface HttpChecker extends CheckerCommon {
  kind: 'HTTP_GET' | 'SSL_GET';
  urls: HttpUrl[];
  virtualhost?: string;
  httpProtocol?: string;
  fastRecovery?: boolean;
  /** set by the deprecated `nb_get_retry` (same meaning as retry) */
  nbGetRetry?: number;
}

export interface TcpChecker extends CheckerCommon {
  kind: 'TCP_CHECK';
}

export interface MiscChecker extends CheckerCommon {
  kind: 'MISC_CHECK';
  miscPath?: string;
  miscTimeout?: number;
  /** exit codes 2..255 set the weight to code − 2 */
  miscDynamic: boolean;
  user?: string;
}

/** PING_CHECK, UDP_CHECK, SMTP_CHECK, DNS_CHECK: accepted with their common settings; specifics not modelled. */
export interface OtherChecker extends CheckerCommon {
  kind: 'PING_CHECK' | 'UDP_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK';
}

export type Checker = HttpChecker | TcpChecker | MiscChecker | OtherChecker;

export function emptyKeepalivedConfig(): KeepalivedConfig {
  return {
    globalDefs: { notificationEmail: [], vrrpStrict: false, vrrpSkipCheckAdvAddr: false, vrrpCheckUnicastSrc: false, enableScriptSecurity: false },
    vrrpScripts: [],
    vrrpSyncGroups: [],
    vrrpInstances: [],
    virtualServers: [],
  };
}
