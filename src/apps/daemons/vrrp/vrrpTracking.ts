import type { VrrpInstanceConfig, VrrpTrackedInterface } from './VrrpConfig.ts';

/**
 * keepalived's interface tracking (keepalived.conf(5): `track_interface`, `dont_track_primary`; keepalived 2.2.x
 * vrrp.c vrrp_complete_instance and vrrp_track.c initialise_interface_tracking_priorities): which interfaces an
 * instance watches, with what weight, and what their states make of it — a FAULT, or another priority.
 * keepalived sees an interface as up when it is administratively up and has carrier (IFF_UP and IFF_RUNNING).
 */

/** Whether the named interface is up and running; an interface the host lacks counts as down. */
export type LinkIsUp = (name: string) => boolean;

export interface TrackedLink extends VrrpTrackedInterface {
  /** The instance's own interface (tracked without being listed; its weight is always 0). */
  readonly own: boolean;
}

/**
 * The tracked interfaces in effect. The instance's own interface is tracked, unweighted, unless
 * `dont_track_primary`; listing it in `track_interface` as well is ignored ("Ignoring track_interface … since own
 * interface"). An address owner's priority cannot move, so its weighted lines are dropped ("ignoring tracked
 * interface … due to address owner"); in a sync group without `sync_group_tracking_weight` a weighted line
 * counts with weight 0 ("ignoring weight of tracked interface … due to SYNC group"), so it means FAULT.
 */
export function trackedLinks(c: VrrpInstanceConfig, syncGroupWithoutWeights: boolean): TrackedLink[] {
  const out: TrackedLink[] = [];
  if (!c.dontTrackPrimary) out.push({ name: c.interface, weight: 0, reverse: false, own: true });
  for (const t of c.trackInterfaces) {
    if (t.name === c.interface) continue;
    if (t.weight !== 0 && c.priority === 255) continue;
    const weight = t.weight !== 0 && syncGroupWithoutWeights ? 0 : t.weight;
    out.push({ name: t.name, weight, reverse: t.reverse, own: false });
  }
  return out;
}

/** The interfaces that hold the instance in FAULT: unweighted ones that are down (or up, with `reverse`). */
export function faultyLinks(links: readonly TrackedLink[], isUp: LinkIsUp): string[] {
  return links.filter((l) => l.weight === 0 && isUp(l.name) === l.reverse).map((l) => l.name);
}

/**
 * The effective priority (vrrp_set_effective_priority): the configured priority plus, for each weighted
 * interface, its weight — a positive weight while the interface is up, a negative one while it is down —
 * negated with `reverse`; the sum is kept within 1..254. An address owner's 255 never changes.
 */
export function effectivePriority(base: number, links: readonly TrackedLink[], isUp: LinkIsUp): number {
  if (base === 255) return 255;
  let total = base;
  for (const l of links) {
    if (l.weight === 0) continue;
    if (l.weight > 0 ? isUp(l.name) : !isUp(l.name)) total += l.reverse ? -l.weight : l.weight;
  }
  return Math.min(254, Math.max(1, total));
}
