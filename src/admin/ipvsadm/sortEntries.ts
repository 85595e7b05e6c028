import type { DestinationView, ServiceView } from '../../ipvs/IpvsControl.ts';

/**
 * How `ipvsadm -L` and `-S` order entries unless `--nosort` (libipvs ipvs_sort_services / ipvs_sort_dests
 * with ipvs_cmp_services / ipvs_cmp_dests, through glibc 2.36's qsort). The comparators return the C `int`
 * difference of unsigned fields, so marks and addresses that differ by 2^31 or more compare the "wrong" way
 * (200.0.0.1 before 10.0.0.1, but 10.0.0.1 before 100.0.0.1): the order is then not total, and only the very
 * algorithm glibc runs gives the same answer. glibc's qsort is a top-down merge sort that takes from the
 * left run on ties (msort_with_tmp), reproduced here.
 */
export function msort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const a = [...items];
  sortRange(a, 0, a.length, cmp);
  return a;
}

function sortRange<T>(a: T[], lo: number, n: number, cmp: (a: T, b: T) => number): void {
  if (n <= 1) return;
  const n1 = Math.floor(n / 2);
  const n2 = n - n1;
  sortRange(a, lo, n1, cmp);
  sortRange(a, lo + n1, n2, cmp);
  const out: T[] = [];
  let i = lo;
  let j = lo + n1;
  const iEnd = lo + n1;
  const jEnd = lo + n;
  while (i < iEnd && j < jEnd) {
    if (cmp(a[i], a[j]) <= 0) out.push(a[i++]);
    else out.push(a[j++]);
  }
  while (i < iEnd) out.push(a[i++]);
  while (j < jEnd) out.push(a[j++]);
  for (let k = 0; k < n; k++) a[lo + k] = out[k];
}

/** (a - b) of two unsigned 32-bit values, as a C int. */
function intDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** The protocol number libipvs holds for a service: TCP 6, UDP 17; 0 for an fwmark service (netlink sends none). */
function protocolOf(s: ServiceView): number {
  if (s.key.kind === 'fwmark') return 0;
  return s.key.protocol === 'tcp' ? 6 : 17;
}

/** ipvs_cmp_services: fwmark, then address family (always IPv4 here), protocol, address, port. */
export function compareServices(s1: ServiceView, s2: ServiceView): number {
  const m1 = s1.key.kind === 'fwmark' ? s1.key.mark : 0;
  const m2 = s2.key.kind === 'fwmark' ? s2.key.mark : 0;
  let r = intDiff(m1, m2);
  if (r !== 0) return r;
  r = protocolOf(s1) - protocolOf(s2);
  if (r !== 0) return r;
  const a1 = s1.key.kind === 'addr' ? s1.key.address : 0;
  const a2 = s2.key.kind === 'addr' ? s2.key.address : 0;
  r = intDiff(a1, a2);
  if (r !== 0) return r;
  const p1 = s1.key.kind === 'addr' ? s1.key.port : 0;
  const p2 = s2.key.kind === 'addr' ? s2.key.port : 0;
  return p1 - p2;
}

/** ipvs_cmp_dests: address family (always IPv4 here), address, port. */
export function compareDests(d1: DestinationView, d2: DestinationView): number {
  const r = intDiff(d1.address, d2.address);
  if (r !== 0) return r;
  return d1.port - d2.port;
}
