/**
 * Neighbour (NUD) states with their bits and groups, from include/uapi/linux/neighbour.h and
 * include/net/neighbour.h. Reference: shared/reference/linux-arp-routing.md §3.1.
 */
export type NudState = 'NONE' | 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'NOARP' | 'PERMANENT';

export const NUD_BITS: Record<NudState, number> = {
  NONE: 0x00,
  INCOMPLETE: 0x01,
  REACHABLE: 0x02,
  STALE: 0x04,
  DELAY: 0x08,
  PROBE: 0x10,
  FAILED: 0x20,
  NOARP: 0x40,
  PERMANENT: 0x80,
};

/** States with a running timer. */
export function inTimer(s: NudState): boolean {
  return s === 'INCOMPLETE' || s === 'REACHABLE' || s === 'DELAY' || s === 'PROBE';
}
/** States with a usable link-layer address. */
export function isValid(s: NudState): boolean {
  return s === 'PERMANENT' || s === 'NOARP' || s === 'REACHABLE' || s === 'PROBE' || s === 'STALE' || s === 'DELAY';
}
export function isConnected(s: NudState): boolean {
  return s === 'PERMANENT' || s === 'NOARP' || s === 'REACHABLE';
}
