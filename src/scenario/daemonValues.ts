import { isScalar } from 'yaml';
import { SECOND, US, type SimTime } from '../sim/index.ts';
import { parseIpv4, type Ipv4Address } from '../wire/index.ts';
import type { Field } from './fields.ts';
import type { ReadContext } from './readContext.ts';

/**
 * Value readers shared by the daemon blocks (`keepalived:`, `ldirectord:`): the configuration files' own ways of
 * writing times, yes/no and addresses.
 */

const MAX_TIMER = 255 * SECOND * 1000;

/** A duration with a unit (`500ms`) or a bare number of seconds (keepalived's <TIMER>: to the microsecond). */
export function seconds(ctx: ReadContext, f: Field, what: string): SimTime {
  const v = f.value;
  if (isScalar(v) && typeof v.value === 'number') {
    const ns = Math.round((v.value * SECOND) / US) * US;
    if (!Number.isFinite(v.value) || v.value < 0 || ns > MAX_TIMER) ctx.r.fail(f, `${what}: seconds (a number ≥ 0) or a duration such as 500ms`);
    return ns;
  }
  return ctx.r.duration(f);
}

export function bool(ctx: ReadContext, f: Field, what: string): boolean {
  const v = f.value;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  const t = isScalar(v) && typeof v.value === 'string' ? v.value : '';
  if (['yes', 'on'].includes(t)) return true;
  if (['no', 'off'].includes(t)) return false;
  return ctx.r.fail(f, `${what}: yes/no (or true/false, on/off)`);
}

export function ipv4(ctx: ReadContext, f: Field, what: string): Ipv4Address {
  const a = parseIpv4(ctx.r.text(f, what, { singleLine: true }));
  if (a === undefined) ctx.r.fail(f, what);
  return a;
}
