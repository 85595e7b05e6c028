import type { Ipv4Address } from '../../wire/index.ts';

/** Route types (rtnetlink RTN_*) the lab models. */
export type RouteType = 'unicast' | 'local' | 'broadcast' | 'unreachable' | 'prohibit' | 'blackhole' | 'throw';

export const TABLE_LOCAL = 255;
export const TABLE_MAIN = 254;
export const TABLE_DEFAULT = 253;

export function tableName(id: number): string {
  return id === TABLE_LOCAL ? 'local' : id === TABLE_MAIN ? 'main' : id === TABLE_DEFAULT ? 'default' : String(id);
}

/** A route in one table (struct fib_alias + fib_info, flattened). */
export interface Route {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: Ipv4Address;
  readonly prefixLen: number;
  readonly tos: number;
  /** Next-hop gateway; absent for directly connected routes. */
  readonly gateway?: Ipv4Address;
  /** Output device name. */
  readonly dev?: string;
  readonly scope: number;
  /** Preferred source address (`src`). */
  readonly prefsrc?: Ipv4Address;
  readonly metric: number;
  /** `kernel` for routes the kernel adds from addresses, `boot` for `ip route add`, `static` for `route add`. */
  readonly proto: 'kernel' | 'boot' | 'static';
}
