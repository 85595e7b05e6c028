import { SECOND, type SimTime } from '../../../sim/index.ts';

/**
 * The VRRP timers, in integer nanoseconds.
 *
 * RFC 3768 §6.1 (v2): Skew_Time = (256 − Priority) / 256 seconds — it does not depend on the advertisement
 * interval; Master_Down_Interval = 3 × Advertisement_Interval + Skew_Time.
 * RFC 5798 §6.1 (v3): Skew_Time = ((256 − Priority) × Master_Adver_Interval) / 256, where Master_Adver_Interval
 * is the interval the current master advertises (learned from its adverts, our own until one is heard);
 * Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time.
 * keepalived (vrrp.h VRRP_TIMER_SKEW / VRRP_MS_DOWN_TIMER) computes the same, with the multiplier 3 as its
 * `down_timer_adverts` default.
 */
export const DOWN_TIMER_ADVERTS = 3;

export function skewTime(version: 2 | 3, priority: number, masterAdverInterval: SimTime): SimTime {
  if (version === 2) return ((256 - priority) * SECOND) / 256; // exact: SECOND / 256 = 3 906 250 ns
  return Math.floor(((256 - priority) * masterAdverInterval) / 256);
}

export function masterDownInterval(version: 2 | 3, priority: number, masterAdverInterval: SimTime, adverts = DOWN_TIMER_ADVERTS): SimTime {
  return adverts * masterAdverInterval + skewTime(version, priority, masterAdverInterval);
}

/** The interval as an advert carries it: whole seconds (v2, 1–255) or centiseconds (v3, 1–4095). */
export function intervalField(version: 2 | 3, interval: SimTime): number {
  return version === 2 ? Math.max(1, Math.round(interval / SECOND)) : Math.max(1, Math.round(interval / (SECOND / 100)));
}

/** The advert's interval field back in nanoseconds. */
export function intervalFromField(version: 2 | 3, field: number): SimTime {
  return version === 2 ? field * SECOND : field * (SECOND / 100);
}
