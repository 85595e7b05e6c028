import type { Ipv4Address } from '../wire/index.ts';
import type { Destination } from './Destination.ts';
import type { Scheduler } from './schedulers/Scheduler.ts';
import { IpvsStats } from './Stats.ts';

export type IpvsProtocol = 'tcp' | 'udp';

/** A virtual service is keyed by protocol+address+port, or by firewall mark (`-f`). */
export type ServiceKey =
  | { readonly kind: 'addr'; readonly protocol: IpvsProtocol; readonly address: Ipv4Address; readonly port: number }
  | { readonly kind: 'fwmark'; readonly mark: number };

/** Scheduler flags (`-b`): IP_VS_SVC_F_SCHED1..3 and the names ipvsadm gives them. */
export const SchedFlag = {
  /** IP_VS_SVC_F_SCHED1: sh-fallback / mh-fallback. */
  flag1: 0x0008,
  /** IP_VS_SVC_F_SCHED2: sh-port / mh-port. */
  flag2: 0x0010,
  /** IP_VS_SVC_F_SCHED3. */
  flag3: 0x0020,
} as const;

export function serviceKeyText(k: ServiceKey): string {
  if (k.kind === 'fwmark') return `FWM ${k.mark}`;
  const a = k.address;
  return `${k.protocol.toUpperCase()} ${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}:${k.port}`;
}

export function sameServiceKey(a: ServiceKey, b: ServiceKey): boolean {
  if (a.kind === 'fwmark') return b.kind === 'fwmark' && a.mark === b.mark;
  if (b.kind === 'fwmark') return false;
  return a.protocol === b.protocol && a.address === b.address && a.port === b.port;
}

/**
 * A virtual service (struct ip_vs_service). `destinations` is in the kernel's list order: index 0 is the head,
 * and a newly added real server goes to the head (list_add_rcu in __ip_vs_update_dest), so schedulers walking
 * the list meet the most recently added server first.
 */
export class VirtualService {
  readonly key: ServiceKey;
  scheduler: Scheduler;
  /** SchedFlag bits. */
  schedFlags = 0;
  persistent = false;
  /** Persistence timeout in seconds (meaningful when `persistent`). */
  timeout = 0;
  /** Persistence netmask as an unsigned 32-bit mask (default 255.255.255.255). */
  netmask = 0xffffffff;
  /** `-o`: one-packet scheduling (UDP only). */
  onePacket = false;
  /**
   * svc->conntrack_afmask: this service asked for connection tracking (ip_vs_register_conntrack), as a port-21
   * service does when it gets a NAT destination ("FTP-NAT requires conntrack for mangling"); kept until the
   * service is deleted.
   */
  conntrackRegistered = false;
  readonly destinations: Destination[] = [];
  readonly stats = new IpvsStats();

  constructor(key: ServiceKey, scheduler: Scheduler) {
    this.key = key;
    this.scheduler = scheduler;
  }

  /** Protocol for trace and logs; fwmark services carry no protocol of their own. */
  get protocolName(): string {
    return this.key.kind === 'fwmark' ? 'FWM' : this.key.protocol.toUpperCase();
  }
}
