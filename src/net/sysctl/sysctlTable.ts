/**
 * The sysctls the lab models: name, default, range and how the `all` and per-interface values combine when the
 * kernel reads them (include/linux/inetdevice.h: IN_DEV_MAXCONF / IN_DEV_ORCONF / IN_DEV_ANDCONF /
 * IN_DEV_CONF_GET). One table validates scenario files, answers `sysctl -a`, and is what tests flip.
 * Reference: shared/reference/linux-arp-routing.md §1, §3.2; Documentation/networking/ip-sysctl.rst.
 */
export type Combine = 'max' | 'or' | 'and' | 'own' | 'accept_redirects';

export interface ConfSysctl {
  readonly name: string;
  readonly def: number;
  readonly min: number;
  readonly max: number;
  readonly combine: Combine;
  readonly doc: string;
}

/** net.ipv4.conf.{all,default,IFACE}.NAME */
export const CONF_SYSCTLS = [
  { name: 'forwarding', def: 0, min: 0, max: 1, combine: 'own', doc: 'forward packets received on this interface' },
  { name: 'arp_ignore', def: 0, min: 0, max: 8, combine: 'max', doc: 'which ARP requests for local addresses to answer' },
  { name: 'arp_announce', def: 0, min: 0, max: 2, combine: 'max', doc: 'which source address to announce in ARP requests' },
  { name: 'arp_filter', def: 0, min: 0, max: 1, combine: 'or', doc: 'answer ARP only if the route back leaves through this interface' },
  { name: 'arp_accept', def: 0, min: 0, max: 2, combine: 'max', doc: 'create neighbour entries from gratuitous ARP (1 always, 2 on-subnet)' },
  { name: 'arp_notify', def: 0, min: 0, max: 1, combine: 'max', doc: 'send gratuitous ARP when the interface comes up' },
  { name: 'drop_gratuitous_arp', def: 0, min: 0, max: 1, combine: 'or', doc: 'drop gratuitous ARP frames' },
  { name: 'proxy_arp', def: 0, min: 0, max: 1, combine: 'or', doc: 'answer ARP for addresses routed through another interface' },
  { name: 'rp_filter', def: 0, min: 0, max: 2, combine: 'max', doc: 'reverse-path filter: 0 off, 1 strict, 2 loose' },
  { name: 'accept_local', def: 0, min: 0, max: 1, combine: 'or', doc: 'accept packets whose source is a local address' },
  { name: 'send_redirects', def: 1, min: 0, max: 1, combine: 'or', doc: 'send ICMP redirects when routing back out the same interface' },
  { name: 'accept_redirects', def: 1, min: 0, max: 1, combine: 'accept_redirects', doc: 'accept ICMP redirects' },
  { name: 'secure_redirects', def: 1, min: 0, max: 1, combine: 'or', doc: 'accept redirects only from known gateways' },
  { name: 'shared_media', def: 1, min: 0, max: 1, combine: 'or', doc: 'redirect even when source and next hop share no subnet' },
  { name: 'route_localnet', def: 0, min: 0, max: 1, combine: 'or', doc: 'treat 127/8 as routable' },
  { name: 'log_martians', def: 0, min: 0, max: 1, combine: 'or', doc: 'log martian packets' },
  { name: 'src_valid_mark', def: 0, min: 0, max: 1, combine: 'or', doc: 'use the packet mark in the reverse-path lookup' },
  { name: 'promote_secondaries', def: 0, min: 0, max: 1, combine: 'or', doc: 'promote a secondary when the primary is removed' },
] as const satisfies readonly ConfSysctl[];

/** The name of a net.ipv4.conf knob. */
export type ConfName = (typeof CONF_SYSCTLS)[number]['name'];

export interface NeighSysctl {
  readonly name: string;
  readonly def: number;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
  /** A table-wide knob: it exists only under `default` (neigh_sysctl_register clears it for devices). */
  readonly tableWide?: true;
}

/** net.ipv4.neigh.{default,IFACE}.NAME (arp.c arp_tbl defaults). Times in ms unless the name says otherwise. */
export const NEIGH_SYSCTLS: readonly NeighSysctl[] = [
  { name: 'base_reachable_time_ms', def: 30000, min: 1, max: 2 ** 31 - 1, doc: 'REACHABLE lifetime base (random in [base/2, 3base/2))' },
  { name: 'retrans_time_ms', def: 1000, min: 1, max: 2 ** 31 - 1, doc: 'interval between ARP probes' },
  { name: 'delay_first_probe_time', def: 5, min: 0, max: 2 ** 31 - 1, doc: 'seconds in DELAY before probing' },
  { name: 'ucast_solicit', def: 3, min: 0, max: 255, doc: 'unicast probes in PROBE' },
  { name: 'mcast_solicit', def: 3, min: 0, max: 255, doc: 'broadcast probes in INCOMPLETE' },
  { name: 'app_solicit', def: 0, min: 0, max: 255, doc: 'probes to a user-space daemon' },
  { name: 'mcast_resolicit', def: 0, min: 0, max: 255, doc: 'broadcast probes after the unicast ones in PROBE' },
  { name: 'locktime', def: 100, min: 0, max: 2 ** 31 - 1, doc: 'centiseconds during which a different MAC is refused' },
  { name: 'unres_qlen', def: 101, min: 0, max: 2 ** 31 - 1, doc: 'packets queued per unresolved neighbour' },
  { name: 'gc_stale_time', def: 60, min: 0, max: 2 ** 31 - 1, doc: 'seconds of idleness before an entry may be collected' },
  { name: 'proxy_delay', def: 80, min: 0, max: 2 ** 31 - 1, doc: 'centiseconds of random delay for proxy ARP replies' },
  // The table's own (arp_tbl.gc_*), under net.ipv4.neigh.default only.
  { name: 'gc_interval', def: 30, min: 0, max: 2 ** 31 - 1, doc: 'seconds; kept for compatibility, unused since the periodic work runs every base_reachable_time/2', tableWide: true },
  { name: 'gc_thresh1', def: 128, min: 0, max: 2 ** 31 - 1, doc: 'entries below which the periodic collection removes nothing', tableWide: true },
  { name: 'gc_thresh2', def: 512, min: 0, max: 2 ** 31 - 1, doc: 'entries above which a new entry runs a forced collection (at most every 5 s)', tableWide: true },
  { name: 'gc_thresh3', def: 1024, min: 0, max: 2 ** 31 - 1, doc: 'entries at which a new entry always runs a forced collection, and fails if it frees none', tableWide: true },
];

/** Host-wide net.ipv4.* values. ip_forward is special: writing it rewrites every interface's forwarding. */
export const GLOBAL_SYSCTLS: readonly ConfSysctl[] = [
  { name: 'net.ipv4.ip_forward', def: 0, min: 0, max: 1, combine: 'own', doc: 'IP forwarding (sets conf/*/forwarding)' },
  { name: 'net.ipv4.ip_default_ttl', def: 64, min: 1, max: 255, combine: 'own', doc: 'TTL of locally generated packets' },
  { name: 'net.ipv4.icmp_ratelimit', def: 1000, min: 0, max: 2 ** 31 - 1, combine: 'own', doc: 'ms between rate-limited ICMP errors' },
  { name: 'net.ipv4.icmp_echo_ignore_all', def: 0, min: 0, max: 1, combine: 'own', doc: 'ignore ICMP echo requests' },
  { name: 'net.ipv4.tcp_fin_timeout', def: 60, min: 1, max: 2 ** 31 - 1, combine: 'own', doc: 'seconds in FIN_WAIT2' },
];
