import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';

/**
 * ip_vs_dest_conn_overhead (include/net/ip_vs.h of the Debian 6.1 kernel the oracle ran): `(activeconns << 8)
 * + totalconns`, where totalconns counts active and inactive connections (templates excluded). So an active
 * connection weighs 257 and an inactive one 1. (Older kernels, and ipvs-schedulers.md §0.3, add inactconns
 * instead: 256 and 1. The two orders differ only once counts differ by 256 or more.)
 * lc, wlc, lblc, lblcr and twos compare this; sed and nq use activeConns + 1 instead.
 * The kernel computes it in a C int; the lab's counters stay far below 2^23, where that would wrap.
 */
export function connOverhead(d: Destination): number {
  return d.activeConns * 256 + d.totalConns;
}

/** 2^53: below it every integer a double holds is exact. */
const EXACT = 9007199254740992;

/**
 * `(s64)a * b > (s64)c * d` for non-negative integers below 2^31 (the kernel's weighted comparisons). Products
 * below 2^53 are exact doubles, and a rounded product is ≥ 2^53 exactly when the true one is, so the fast path
 * is taken only when both are exact; otherwise the comparison is done in bigints.
 */
export function productGreater(a: number, b: number, c: number, d: number): boolean {
  const p = a * b;
  const q = c * d;
  if (p < EXACT && q < EXACT) return p > q;
  return BigInt(a) * BigInt(b) > BigInt(c) * BigInt(d);
}

/**
 * The weighted-least-connection walk that ip_vs_wlc.c has and ip_vs_lblc.c / ip_vs_lblcr.c repeat in their
 * own files (__ip_vs_lblc_schedule): the first destination in list order that is not OVERLOADed and has a
 * positive weight is the candidate; a later non-OVERLOADed one replaces it only when strictly less loaded,
 * `overhead(best) * w(d) > overhead(d) * w(best)`. Null when none qualifies; it logs nothing.
 */
export function leastWeightedOverhead(svc: VirtualService): Destination | null {
  const list = svc.destinations;
  const n = list.length;
  let i = 0;
  let least: Destination | null = null;
  for (; i < n; i++) {
    const d = list[i];
    if (!d.overloaded && d.weight > 0) {
      least = d;
      break;
    }
  }
  if (least === null) return null;
  let loh = connOverhead(least);
  let lw = least.weight;
  for (i++; i < n; i++) {
    const d = list[i];
    if (d.overloaded) continue;
    const doh = connOverhead(d);
    if (productGreater(loh, d.weight, doh, lw)) {
      least = d;
      loh = doh;
      lw = d.weight;
    }
  }
  return least;
}
