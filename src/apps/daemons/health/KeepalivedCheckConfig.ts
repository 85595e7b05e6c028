import { SECOND, type SimTime } from '../../../sim/index.ts';
import type { ForwardMethod, ServiceKey } from '../../../ipvs/IpvsControl.ts';
import type { Ipv4Address } from '../../../wire/index.ts';

/**
 * keepalived's `virtual_server` / `real_server` / checker settings, typed (keepalived.conf(5) "Virtual
 * server(s)", check_parser.c; reference config-formats.md §1.3–1.4). The importer maps each keyword onto the
 * field named in its comment; `undefined` means "inherit": checker ← real server ← virtual server ← default.
 */
export type KaCheckerType = 'HTTP_GET' | 'SSL_GET' | 'TCP_CHECK' | 'PING_CHECK';

export interface KaUrl {
  /** `path`. */
  readonly path: string;
  /** `status_code` list; default any 2xx. A range `200-299` is given as its members' bounds: [lo, hi] pairs. */
  readonly statusCodes?: ReadonlyArray<readonly [number, number]>;
  /** `digest`: lower-case hex MD5 of the body. */
  readonly digest?: string;
}

export interface KaChecker {
  readonly type: KaCheckerType;
  /** `connect_ip`; default the real server's address. */
  readonly connectIp?: Ipv4Address;
  /** `connect_port`; default the real server's port. */
  readonly connectPort?: number;
  /** `connect_timeout`; default the real server's, else 5 s. */
  readonly connectTimeout?: SimTime;
  /** `retry` (or deprecated `nb_get_retry` in HTTP_GET/SSL_GET); default 1. */
  readonly retry?: number;
  /** `delay_before_retry`; default 3 s for HTTP_GET/SSL_GET, 1 s otherwise. */
  readonly delayBeforeRetry?: SimTime;
  /** `delay_loop` of the checker; default the virtual server's. */
  readonly delayLoop?: SimTime;
  /** `url { … }` blocks (HTTP_GET/SSL_GET), all checked in each run. */
  readonly urls?: readonly KaUrl[];
  /** `virtualhost`: the Host header; default checker ← real server ← virtual server ← the address. */
  readonly virtualHost?: string;
}

export interface KaRealServer {
  /** `real_server IP PORT`. */
  readonly address: Ipv4Address;
  readonly port: number;
  /** `weight`; default 1. */
  readonly weight: number;
  /** `lvs_method` override; default the virtual server's `lb_kind`. */
  readonly fwd?: ForwardMethod;
  /** `inhibit_on_failure`; default the virtual server's. */
  readonly inhibitOnFailure?: boolean;
  /** `alpha`; default the virtual server's. */
  readonly alpha?: boolean;
  readonly connectTimeout?: SimTime;
  readonly retry?: number;
  readonly delayBeforeRetry?: SimTime;
  readonly delayLoop?: SimTime;
  readonly virtualHost?: string;
  /** Checkers; none means the server is always considered alive. */
  readonly checkers: readonly KaChecker[];
}

export interface KaSorryServer {
  /** `sorry_server IP PORT`. */
  readonly address: Ipv4Address;
  readonly port: number;
  /** The method the sorry server is added with (the virtual server's `lb_kind` unless said otherwise). */
  readonly fwd?: ForwardMethod;
}

export interface KaVirtualServer {
  /** `virtual_server IP PORT` (with `protocol`), or `virtual_server fwmark N`. */
  readonly key: ServiceKey;
  /** `lb_algo` / `lvs_sched`; default wlc. */
  readonly scheduler: string;
  /** `lb_kind` / `lvs_method`; default NAT (masq). */
  readonly fwd: ForwardMethod;
  /** `persistence_timeout` seconds; 0 / absent = not persistent. */
  readonly persistenceTimeout?: number;
  /** `persistence_granularity` as a 32-bit mask. */
  readonly persistenceGranularity?: number;
  /** `ops`: one-packet scheduling (UDP). */
  readonly onePacket?: boolean;
  /** `sh-fallback`/`sh-port` (sh), `mh-fallback`/`mh-port` (mh) as the service's SchedFlag bits. */
  readonly schedFlags?: number;
  /** `delay_loop`; default 60 s. */
  readonly delayLoop: SimTime;
  /** `connect_timeout`, `retry`, `delay_before_retry` at virtual-server level (inherited by checkers). */
  readonly connectTimeout?: SimTime;
  readonly retry?: number;
  readonly delayBeforeRetry?: SimTime;
  /** `inhibit_on_failure`: DOWN sets weight 0 instead of deleting; default off. */
  readonly inhibitOnFailure: boolean;
  /** `alpha`: real servers start DOWN until their first success; default off (start UP, added at once). */
  readonly alpha: boolean;
  /** `quorum`; default 1. `hysteresis`; default 0. */
  readonly quorum: number;
  readonly hysteresis: number;
  /** `virtualhost`. */
  readonly virtualHost?: string;
  /** `sorry_server`. */
  readonly sorryServer?: KaSorryServer;
  /**
   * `warmup`: the first check of each checker comes after a seeded random delay in [0, warmup]; default
   * delay_loop (keepalived's default); 0 starts every checker at once.
   */
  readonly warmup?: SimTime;
  readonly realServers: readonly KaRealServer[];
}

export const KA_CHECK_DEFAULTS = {
  scheduler: 'wlc',
  fwd: 'masq' as ForwardMethod,
  delayLoop: 60 * SECOND,
  connectTimeout: 5 * SECOND,
  retry: 1,
  delayBeforeRetryHttp: 3 * SECOND,
  delayBeforeRetry: SECOND,
  inhibitOnFailure: false,
  alpha: false,
  quorum: 1,
  hysteresis: 0,
  weight: 1,
};
