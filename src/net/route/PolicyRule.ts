import type { Ipv4Address } from '../../wire/index.ts';

/** One `ip rule` (struct fib_rule): selectors and an action, tried in increasing priority order. */
export interface PolicyRule {
  readonly priority: number;
  readonly not: boolean;
  readonly from?: { address: Ipv4Address; prefixLen: number };
  readonly to?: { address: Ipv4Address; prefixLen: number };
  readonly iif?: string;
  readonly oif?: string;
  readonly fwmark?: { value: number; mask: number };
  readonly tos?: number;
  readonly action: { kind: 'table'; table: number } | { kind: 'unreachable' | 'prohibit' | 'blackhole' };
}

export const DEFAULT_RULES: readonly PolicyRule[] = [
  { priority: 0, not: false, action: { kind: 'table', table: 255 } },
  { priority: 32766, not: false, action: { kind: 'table', table: 254 } },
  { priority: 32767, not: false, action: { kind: 'table', table: 253 } },
];
