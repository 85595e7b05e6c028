import type { Checker, LvsMethod, RealServer, VirtualServer, VrrpInstance, GlobalDefs, VsProtocol } from './model.ts';

/**
 * keepalived's defaults applied to the model (keepalived.conf(5), check_data.c, check_api.c, vrrp.h as summarised
 * in reference/config-formats.md §1.3): what a daemon model reads instead of the raw, possibly unset fields.
 */

export const DEFAULT_SCHEDULER = 'wlc';
export const DEFAULT_LVS_METHOD: LvsMethod = 'NAT';
export const DEFAULT_PROTOCOL: VsProtocol = 'TCP';
export const DEFAULT_DELAY_LOOP = 60;
export const DEFAULT_CONNECT_TIMEOUT = 5;
export const DEFAULT_PERSISTENCE_TIMEOUT = 360;

export interface EffectiveCheckerSettings {
  /** seconds between rounds */
  delayLoop: number;
  /** per-attempt timeout, seconds */
  connectTimeout: number;
  /** extra attempts after a failure before DOWN */
  retry: number;
  /** seconds between retries */
  delayBeforeRetry: number;
  /** random delay before the first run, at most this many seconds (0 = none) */
  warmup: number;
  /** start DOWN until the first success */
  alpha: boolean;
  /** where the check connects */
  connectIp: string;
  connectPort: number | undefined;
}

/** The settings one checker runs with: checker > real server > virtual server > keepalived default. */
export function checkerSettings(vs: VirtualServer, rs: RealServer, c: Checker): EffectiveCheckerSettings {
  const delayLoop = c.delayLoop ?? rs.delayLoop ?? vs.delayLoop ?? DEFAULT_DELAY_LOOP;
  const defaultRetry = c.kind === 'MISC_CHECK' ? 0 : c.kind === 'DNS_CHECK' ? 3 : 1;
  const retry = c.retry ?? (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? c.nbGetRetry : undefined) ?? rs.retry ?? vs.retry ?? defaultRetry;
  const defaultDbr = c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? 3 : c.kind === 'DNS_CHECK' ? delayLoop : 1;
  return {
    delayLoop,
    connectTimeout: c.connectTimeout ?? rs.connectTimeout ?? vs.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT,
    retry,
    delayBeforeRetry: c.delayBeforeRetry ?? rs.delayBeforeRetry ?? vs.delayBeforeRetry ?? defaultDbr,
    warmup: c.warmup ?? rs.warmup ?? vs.warmup ?? delayLoop,
    alpha: c.alpha ?? rs.alpha ?? vs.alpha,
    connectIp: c.connectIp ?? rs.address,
    connectPort: c.connectPort ?? rs.port ?? (vs.key.kind === 'address' ? vs.key.port : undefined),
  };
}

export function realServerWeight(rs: RealServer): number {
  return rs.weight ?? 1;
}

export function realServerMethod(vs: VirtualServer, rs: RealServer): LvsMethod {
  return rs.lvsMethod ?? vs.lbKind ?? DEFAULT_LVS_METHOD;
}

export function inhibitOnFailure(vs: VirtualServer, rs: RealServer): boolean {
  return rs.inhibitOnFailure ?? vs.inhibitOnFailure;
}

export interface EffectiveVrrp {
  state: 'MASTER' | 'BACKUP';
  priority: number;
  advertInt: number;
  preempt: boolean;
  preemptDelay: number;
  version: 2 | 3;
  garpMasterRepeat: number;
  garpMasterDelay: number;
  garpMasterRefresh: number;
  garpLowerPrioRepeat: number;
  garpLowerPrioDelay: number;
  lowerPrioNoAdvert: boolean;
  higherPrioSendAdvert: boolean;
  mcastGroup: string;
  /** only the first 8 characters are used */
  authPass?: string;
  /** strict mode: the instance's strict_mode, else the global vrrp_strict */
  strict: boolean;
}

/**
 * The settings keepalived runs an instance with (keepalived 2.2.7 vrrp.c vrrp_complete_instance,
 * vrrp_complete_init). No priority: 255 for state MASTER, else 100; no state: MASTER only for the address owner.
 * The lower-priority ones: an instance's own keyword, else the global one, whose GARP defaults are the global
 * `vrrp_garp_master_repeat`/`_delay` (not the instance's). Strict mode (`strict_mode`, else `vrrp_strict`) makes
 * state MASTER mean priority 255 and the reverse, drops authentication and preempt_delay, forces
 * lower_prio_no_advert on, higher_prio_send_advert off and no lower-priority GARPs, whatever is written
 * ("Strict mode requires no repeat garps. resetting"); `vrrpResets` lists what it changed, in keepalived's words.
 */
export function vrrpSettings(g: GlobalDefs, v: VrrpInstance): EffectiveVrrp {
  const strict = v.strictMode ?? g.vrrpStrict;
  const priority = v.priority ?? (v.state === 'MASTER' ? 255 : 100);
  const owner = priority === 255;
  const state = v.state === undefined || strict ? (owner ? 'MASTER' : 'BACKUP') : v.state;
  return {
    state,
    priority,
    advertInt: v.advertInt ?? 1,
    preempt: v.preempt ?? true,
    // keepalived clears a preempt_delay with initial state MASTER, and strict mode clears any.
    preemptDelay: strict || state === 'MASTER' ? 0 : (v.preemptDelay ?? 0),
    version: v.version ?? g.vrrpVersion ?? 2,
    garpMasterRepeat: v.garpMasterRepeat ?? g.vrrpGarpMasterRepeat ?? 5,
    garpMasterDelay: v.garpMasterDelay ?? g.vrrpGarpMasterDelay ?? 5,
    garpMasterRefresh: v.garpMasterRefresh ?? g.vrrpGarpMasterRefresh ?? 0,
    garpLowerPrioRepeat: strict ? 0 : (v.garpLowerPrioRepeat ?? g.vrrpGarpLowerPrioRepeat ?? g.vrrpGarpMasterRepeat ?? 5),
    garpLowerPrioDelay: strict ? 0 : (v.garpLowerPrioDelay ?? g.vrrpGarpLowerPrioDelay ?? g.vrrpGarpMasterDelay ?? 5),
    lowerPrioNoAdvert: strict || (v.lowerPrioNoAdvert ?? g.vrrpLowerPrioNoAdvert ?? false),
    higherPrioSendAdvert: !strict && (v.higherPrioSendAdvert ?? g.vrrpHigherPrioSendAdvert ?? false),
    mcastGroup: g.vrrpMcastGroup4 ?? '224.0.0.18',
    authPass: strict ? undefined : v.authentication?.authPass?.slice(0, 8),
    strict,
  };
}

/**
 * What keepalived 2.2.7 resets of an instance as written, with its own message for each (it names the instance,
 * not a line; `keyword` is the line to point at): strict mode's rules, and a preempt_delay with initial state
 * MASTER. In keepalived's order: the state first, as the others depend on it.
 */
export function vrrpResets(g: GlobalDefs, v: VrrpInstance): { keyword: string; strict: boolean; says: string }[] {
  const strict = v.strictMode ?? g.vrrpStrict;
  const e = vrrpSettings(g, v);
  const out: { keyword: string; strict: boolean; says: string }[] = [];
  if (strict && v.state !== undefined && v.state !== e.state) out.push({ keyword: 'state', strict: true, says: 'State MASTER must match being address owner' });
  if (strict && v.authentication?.authType !== undefined) out.push({ keyword: 'authentication', strict: true, says: 'Strict mode does not support authentication. Ignoring.' });
  if (v.preemptDelay) {
    if (e.state === 'MASTER') out.push({ keyword: 'preempt_delay', strict: false, says: 'Warning - preempt delay will not work with initial state MASTER - clearing' });
    else if (strict) out.push({ keyword: 'preempt_delay', strict: true, says: 'preempt_delay is incompatible with strict mode - resetting' });
  }
  return out;
}

/** VRRPv2 Master_Down_Interval = 3 × advert_int + (256 − priority)/256 (RFC 3768 §6.1). */
export function masterDownInterval(advertInt: number, priority: number): number {
  return 3 * advertInt + (256 - priority) / 256;
}
