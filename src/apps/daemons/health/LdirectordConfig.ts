import { SECOND, type SimTime } from '../../../sim/index.ts';
import type { ForwardMethod, ServiceKey } from '../../../ipvs/IpvsControl.ts';
import type { Ipv4Address } from '../../../wire/index.ts';

/**
 * ldirectord's settings, typed (ldirectord(8) POD and `set_defaults` in ldirectord.in; reference
 * config-formats.md §2.2–2.3). The ldirectord.cf importer maps each directive onto the field named in its
 * comment; a per-virtual directive that is absent takes the global one.
 */
export type LdCheckType = 'negotiate' | 'connect' | 'ping' | 'off' | 'on';

export interface LdRealServer {
  /** `real=IP[:port]`. */
  readonly address: Ipv4Address;
  /** The port; ldirectord forces the virtual's port unless the method is masq (POD "Section virtual"). */
  readonly port: number;
  /** `gate` → route, `masq` → masq, `ipip` → tunnel. */
  readonly fwd: ForwardMethod;
  /** The weight field of `real=`; default 1. */
  readonly weight: number;
  /** The optional `"request", "receive"` pair of a `real=` line, overriding the virtual's. */
  readonly request?: string;
  readonly receive?: string;
}

export interface LdFallback {
  /** `fallback=IP[:port] [gate|masq|ipip]`: the method defaults to gate (`parse_fallback`). */
  readonly address: Ipv4Address;
  readonly port: number;
  readonly fwd: ForwardMethod;
}

export interface LdVirtual {
  /** `virtual=IP:port` (with `protocol=`) or `virtual=N` (fwmark). */
  readonly key: ServiceKey;
  /** `real=` lines in file order. */
  readonly reals: readonly LdRealServer[];
  /** `scheduler=`; default wrr. */
  readonly scheduler: string;
  /** `persistent=N` seconds; absent = not persistent. */
  readonly persistent?: number;
  /** `netmask=` as a 32-bit mask; default 255.255.255.255. */
  readonly netmask?: number;
  /** `checktype=`; default negotiate. */
  readonly checkType: LdCheckType;
  /**
   * `service=`: what a negotiate check speaks; default from the port (80 http, 443 https, 3128 http_proxy, …).
   * The lab's negotiate speaks HTTP for http, https and http_proxy and checks the connection for the others.
   */
  readonly service?: string;
  /** `checkport=`; default the real server's port. */
  readonly checkPort?: number;
  /** `request=`; default "/". */
  readonly request: string;
  /** `receive=`: a regular expression the response body must match; default "" (anything). */
  readonly receive: string;
  /** `httpmethod=`; default GET. */
  readonly httpMethod: 'GET' | 'HEAD';
  /** `virtualhost=`; default the real server's address. */
  readonly virtualHost?: string;
  /** Per-virtual overrides of the globals (`fallback=`, `quiescent=`, timeouts, `failurecount=`). */
  readonly fallback?: LdFallback;
  readonly quiescent?: boolean;
  readonly checkTimeout?: SimTime;
  readonly negotiateTimeout?: SimTime;
  readonly failureCount?: number;
}

export interface LdirectordConfig {
  /** `checkinterval=`; default 10 s. */
  readonly checkInterval: SimTime;
  /** `checktimeout=`; default 5 s: connect and ping checks. */
  readonly checkTimeout: SimTime;
  /** `negotiatetimeout=`; default 30 s: negotiate checks. */
  readonly negotiateTimeout: SimTime;
  /** `failurecount=`; default 1. */
  readonly failureCount: number;
  /** `quiescent=yes|no`; default **no** — the code's default (set_defaults), although the POD says yes. */
  readonly quiescent: boolean;
  /** `fallback=`; default none. */
  readonly fallback?: LdFallback;
  /** `cleanstop=yes|no`; default yes: remove the virtual services on stop. */
  readonly cleanStop: boolean;
  readonly virtuals: readonly LdVirtual[];
}

export const LDIRECTORD_DEFAULTS = {
  checkInterval: 10 * SECOND,
  checkTimeout: 5 * SECOND,
  negotiateTimeout: 30 * SECOND,
  failureCount: 1,
  quiescent: false,
  cleanStop: true,
};

export const LD_VIRTUAL_DEFAULTS = {
  scheduler: 'wrr',
  checkType: 'negotiate' as LdCheckType,
  request: '/',
  receive: '',
  httpMethod: 'GET' as const,
};
