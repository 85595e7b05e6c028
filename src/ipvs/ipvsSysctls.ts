import type { Sysctls } from '../net/index.ts';

/**
 * The numeric knobs under /proc/sys/net/ipv4/vs/ that the Debian 6.1 kernel registers
 * (ip_vs_control_net_init_sysctl, ip_vs_lblc.c, ip_vs_lblcr.c), with their defaults. Multi-valued or
 * machine-dependent ones (sync_threshold, sync_qlen_max) and the debug level are not modelled.
 * Which ones the model acts on: conn_reuse_mode, expire_nodest_conn, expire_quiescent_template, sloppy_tcp,
 * secure_tcp (3 = always the defence table; 1/2 follow memory, which the lab never runs short of),
 * cache_bypass, nat_icmp_send, pmtu_disc, run_estimation, lblc/lblcr_expiration, backup_only.
 */
export const IPVS_SYSCTLS: ReadonlyArray<readonly [name: string, def: number, min: number, max: number]> = [
  ['amemthresh', 1024, 0, 2 ** 31 - 1],
  ['am_droprate', 10, 0, 2 ** 31 - 1],
  ['drop_entry', 0, 0, 3],
  ['drop_packet', 0, 0, 3],
  ['conntrack', 0, 0, 1],
  ['secure_tcp', 0, 0, 3],
  ['snat_reroute', 1, 0, 1],
  ['sync_version', 1, 0, 1],
  ['sync_ports', 1, 1, 2 ** 31 - 1],
  ['sync_persist_mode', 0, 0, 1],
  ['sync_sock_size', 0, 0, 2 ** 31 - 1],
  ['cache_bypass', 0, 0, 1],
  ['expire_nodest_conn', 0, 0, 1],
  ['sloppy_tcp', 0, 0, 1],
  ['sloppy_sctp', 0, 0, 1],
  ['expire_quiescent_template', 0, 0, 1],
  ['sync_refresh_period', 0, 0, 2 ** 31 - 1],
  ['sync_retries', 0, 0, 3],
  ['nat_icmp_send', 0, 0, 1],
  ['pmtu_disc', 1, 0, 1],
  ['backup_only', 0, 0, 1],
  ['conn_reuse_mode', 1, 0, 3],
  ['schedule_icmp', 0, 0, 1],
  ['ignore_tunneled', 0, 0, 1],
  ['run_estimation', 1, 0, 1],
  ['lblc_expiration', 86400, 0, 2 ** 31 - 1],
  ['lblcr_expiration', 86400, 0, 2 ** 31 - 1],
];

export function registerIpvsSysctls(s: Sysctls): void {
  for (const [name, def, min, max] of IPVS_SYSCTLS) s.register(`net.ipv4.vs.${name}`, def, min, max);
}
