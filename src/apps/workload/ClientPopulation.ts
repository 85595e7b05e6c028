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
 * - `prefix`: `count` distinct addresses, the first usable ones of a prefix: many independent clients.
 * - `megaproxy`: one address standing for `users` people behind a proxy (the AOL case the LVS persistence docs
 *   warn about): every one of them reaches the director from the same source address.
 */
export type PopulationSpec =
  | { readonly kind: 'host' }
  | { readonly kind: 'prefix'; readonly network: Ipv4Address; readonly prefixLen: number; readonly count: number }
  | { readonly kind: 'megaproxy'; readonly address: Ipv4Address; readonly users: number };

export class ClientPopulation {
  /** The source addresses, in order; empty for `host` (the route chooses). */
  readonly addresses: readonly Ipv4Address[];

  constructor(readonly spec: PopulationSpec) {
    this.addresses = populationAddresses(spec);
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
