import type { RandomStream } from '../../sim/index.ts';
import { broadcastOf, networkOf, type Ipv4Address } from '../../wire/index.ts';

/**
 * Who the clients are, as the director sees them: their source addresses. IPVS persistence, sh and the
 * locality schedulers decide by source address, so this is what shapes the balance.
 *
 * Modelling choice: a population is one host holding many addresses (the scenario builder adds them to the
 * host's first Ethernet interface as /32s, so neighbours resolve them to that host), not one host per client —
 * thousands of users cost one host, and each session binds its connection to its user's address.
 *
 * - `host`: the host's own address (the route's source), one client.
 * - `prefix`: `count` distinct addresses, the first usable ones of a prefix: many independent clients. With
 *   `zipf: S` (S > 0) an open-loop session picks the address of rank k (k = 1..count, in address order) with
 *   probability proportional to 1 / k^S instead of uniformly: a few heavy clients and a long tail, as the
 *   source addresses seen by a real site are (the skew that source hashing and persistence turn into imbalance).
 * - `megaproxy`: one address standing for `users` people behind a proxy (the AOL case the LVS persistence docs
 *   warn about): every one of them reaches the director from the same source address.
 *
 * A `prefix` population also serves a workload whose `to:` names a prefix (a cache cluster's origin servers):
 * each session picks its destination address with the same draw, uniform or Zipf — see Workload.
 */
export type PopulationSpec =
  | { readonly kind: 'host' }
  | { readonly kind: 'prefix'; readonly network: Ipv4Address; readonly prefixLen: number; readonly count: number; readonly zipf?: number }
  | { readonly kind: 'megaproxy'; readonly address: Ipv4Address; readonly users: number };

/** The `prefix` form alone: `count` addresses of a prefix, uniform or Zipf-skewed (client or destination addresses). */
export type PrefixPopulation = Extract<PopulationSpec, { kind: 'prefix' }>;

export class ClientPopulation {
  /** The source addresses, in order; empty for `host` (the route chooses). */
  readonly addresses: readonly Ipv4Address[];

  /** With a Zipf skew: cumulative probabilities of the ranks (the last is 1). */
  private readonly cumulative: Float64Array | undefined;

  constructor(readonly spec: PopulationSpec) {
    this.addresses = populationAddresses(spec);
    this.cumulative = spec.kind === 'prefix' && spec.zipf !== undefined ? zipfCumulative(spec.count, spec.zipf) : undefined;
  }

  /** How many people the population stands for. */
  get users(): number {
    const s = this.spec;
    return s.kind === 'prefix' ? s.count : s.kind === 'megaproxy' ? s.users : 1;
  }

  /** The source address of a session by a user drawn at random (undefined: let the route choose). */
  pick(stream: RandomStream): Ipv4Address | undefined {
    if (this.addresses.length === 0) return undefined;
    if (this.addresses.length === 1) return this.addresses[0];
    if (this.cumulative !== undefined) return this.addresses[rankOf(this.cumulative, stream.next())];
    return this.addresses[stream.int(0, this.addresses.length - 1)];
  }

  /** The source address of user `i` (closed loop): each user keeps one address. */
  forUser(i: number): Ipv4Address | undefined {
    if (this.addresses.length === 0) return undefined;
    return this.addresses[i % this.addresses.length];
  }
}

/** The usable host addresses of a prefix (network and broadcast excluded below /31) this population takes. */
export function populationAddresses(spec: PopulationSpec): Ipv4Address[] {
  switch (spec.kind) {
    case 'host':
      return [];
    case 'megaproxy':
      return [spec.address];
    case 'prefix': {
      const first = networkOf(spec.network, spec.prefixLen) + (spec.prefixLen < 31 ? 1 : 0);
      const last = broadcastOf(spec.network, spec.prefixLen) - (spec.prefixLen < 31 ? 1 : 0);
      const available = Math.max(0, last - first + 1);
      if (spec.count > available) throw new RangeError(`a /${spec.prefixLen} holds ${available} client addresses, not ${spec.count}`);
      const out: Ipv4Address[] = [];
      for (let i = 0; i < spec.count; i++) out.push((first + i) >>> 0);
      return out;
    }
  }
}

/** P(rank ≤ k) for ranks 1..n under Zipf's law with exponent s: weights 1 / k^s, normalised. */
export function zipfCumulative(n: number, s: number): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) c[k - 1] = sum += 1 / Math.pow(k, s);
  for (let i = 0; i < n; i++) c[i] /= sum;
  c[n - 1] = 1;
  return c;
}

/** The index of the first cumulative probability above u (u in [0, 1)): one draw, binary search. */
function rankOf(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
