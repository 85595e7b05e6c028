/**
 * ldirectord.cf as data (reference/config-formats.md §2; ldirectord's read_config, set_defaults, parse_fallback
 * and add_real_server in resource-agents' ldirectord.in). Fields are what the file set; `effectiveVirtual()` applies
 * ldirectord's defaults and the global → virtual inheritance, which is what a daemon model reads. Durations are
 * whole seconds (ldirectord accepts digits only).
 */

export type LdForward = 'gate' | 'masq' | 'ipip';
export type LdCheckType = 'negotiate' | 'connect' | 'ping' | 'external' | 'external-perl' | 'off' | 'on' | { combined: number };

export interface LdFallback {
  line: number;
  address: string;
  /** absent: the virtual service's port (per-virtual fallback) or the real server's */
  port?: number;
  /** default gate (parse_fallback) */
  forward: LdForward;
}

export interface LdGlobals {
  checkTimeout?: number;
  negotiateTimeout?: number;
  checkInterval?: number;
  failureCount?: number;
  /** deprecated (warning) */
  checkCount?: number;
  autoreload?: boolean;
  callback?: string;
  logfile?: string;
  emailAlert?: string;
  emailAlertFreq?: number;
  emailAlertStatus?: string;
  emailAlertFrom?: string;
  smtp?: string;
  /** failed real server: weight 0 (true) or deleted (false); the code's default is no */
  quiescent?: boolean;
  readdQuiescent?: boolean;
  fallback?: LdFallback;
  fallbackCommand?: string;
  cleanStop?: boolean;
  fork?: boolean;
  supervised?: boolean;
  maintenanceDir?: string;
  execute: string[];
}

export interface LdReal {
  line: number;
  address: string;
  /** 0 when the line gave none; forced to the virtual's port unless masq (see effectiveRealPort) */
  port: number;
  forward: LdForward;
  /** default 1 */
  weight: number;
  /** per-real check overrides (`"request", "receive"` on the real= line); request gets a leading / */
  request?: string;
  receive?: string;
}

export type LdVirtualKey = { kind: 'address'; address: string; port: number } | { kind: 'fwmark'; mark: number };

export interface LdVirtual {
  line: number;
  key: LdVirtualKey;
  reals: LdReal[];
  fallback?: LdFallback;
  fallbackCommand?: string;
  service?: string;
  checkType?: LdCheckType;
  request?: string;
  receive?: string;
  httpMethod?: 'GET' | 'HEAD';
  virtualhost?: string;
  checkPort?: number;
  checkCommand?: string;
  scheduler?: string;
  persistent?: number;
  netmask?: string;
  protocol?: 'tcp' | 'udp' | 'fwm';
  checkTimeout?: number;
  negotiateTimeout?: number;
  failureCount?: number;
  checkCount?: number;
  checkInterval?: number;
  quiescent?: boolean;
  emailAlert?: string;
  emailAlertFreq?: number;
  emailAlertStatus?: string;
  cleanStop?: boolean;
  smtp?: string;
  login?: string;
  passwd?: string;
  database?: string;
  secret?: string;
  load?: string;
  monitorfile?: string;
  ops?: boolean;
}

export interface LdirectordConfig {
  globals: LdGlobals;
  virtuals: LdVirtual[];
}

/** ldirectord's default `service` for a port (POD "service"). */
const SERVICE_BY_PORT: Record<number, string> = {
  21: 'ftp', 25: 'smtp', 53: 'dns', 80: 'http', 110: 'pop', 119: 'nntp', 143: 'imap', 389: 'ldap', 443: 'https',
  587: 'submission', 636: 'ldaps', 993: 'imaps', 995: 'pops', 1521: 'oracle', 1812: 'radius', 3128: 'http_proxy',
  3306: 'mysql', 5432: 'pgsql', 5060: 'sip',
};

export interface EffectiveLdVirtual {
  protocol: 'tcp' | 'udp' | 'fwm';
  scheduler: string;
  service: string;
  checkType: LdCheckType;
  request: string;
  receive: string;
  httpMethod: 'GET' | 'HEAD';
  /** seconds */
  checkTimeout: number;
  negotiateTimeout: number;
  checkInterval: number;
  failureCount: number;
  quiescent: boolean;
  fallback?: LdFallback;
}

/** The settings a virtual service runs with: its own, else the global ones, else ldirectord's defaults. */
export function effectiveVirtual(cfg: LdirectordConfig, v: LdVirtual): EffectiveLdVirtual {
  const g = cfg.globals;
  const port = v.key.kind === 'address' ? v.key.port : 0;
  // ld_setup: checktimeout and negotiatetimeout default to each other before the built-in 5 s / 30 s.
  const checkTimeout = v.checkTimeout ?? v.negotiateTimeout ?? g.checkTimeout ?? g.negotiateTimeout ?? 5;
  const negotiateTimeout = v.negotiateTimeout ?? v.checkTimeout ?? g.negotiateTimeout ?? g.checkTimeout ?? 30;
  return {
    protocol: v.protocol ?? (v.key.kind === 'fwmark' ? 'fwm' : port === 53 ? 'udp' : 'tcp'),
    scheduler: v.scheduler ?? 'wrr',
    service: v.service ?? (v.key.kind === 'address' ? (SERVICE_BY_PORT[port] ?? 'none') : 'none'),
    checkType: v.checkType ?? 'negotiate',
    request: v.request ?? '/',
    receive: v.receive ?? '',
    httpMethod: v.httpMethod ?? 'GET',
    checkTimeout,
    negotiateTimeout,
    checkInterval: v.checkInterval ?? g.checkInterval ?? 10,
    failureCount: v.failureCount ?? g.failureCount ?? 1,
    quiescent: v.quiescent ?? g.quiescent ?? false,
    fallback: v.fallback ?? g.fallback,
  };
}

/** POD "Section virtual": for TCP/UDP services the real port is the virtual port unless the method is masq. */
export function effectiveRealPort(v: LdVirtual, r: LdReal): number {
  if (v.key.kind === 'fwmark') return r.port;
  if (r.forward !== 'masq' || r.port === 0) return v.key.port;
  return r.port;
}
