import type { Ipv4Address } from '../../wire/index.ts';

/**
 * One iptables rule as the kernel holds it (struct ipt_entry: the IP part, the list of matches, one target),
 * in the units the kernel uses: addresses already masked, ports as ranges, marks as value/mask. The `iptables`
 * command parses text into this and prints it back; the engine evaluates it. Plain data, so rules compare by
 * content (`ruleKey`) the way libiptc compares entries for `-D`/`-C`.
 */
export interface IptRule {
  /** `-s`: source address (already masked) and mask; absent means 0.0.0.0/0. */
  readonly src?: AddrSpec;
  readonly dst?: AddrSpec;
  /** `-p`: IP protocol number, 0 for all. */
  readonly proto: number;
  readonly protoInvert: boolean;
  /** `-i`/`-o`: interface name, a trailing `+` is a prefix wildcard. */
  readonly inIface?: IfaceSpec;
  readonly outIface?: IfaceSpec;
  /** Extension matches in the order given (`-m ...` or implied by `-p tcp --dport`). */
  readonly matches: readonly MatchSpec[];
  readonly target: TargetSpec;
}

export interface AddrSpec {
  readonly addr: Ipv4Address;
  readonly mask: number;
  readonly invert: boolean;
}

export interface IfaceSpec {
  readonly name: string;
  readonly invert: boolean;
}

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** conntrack states as the state/conntrack matches name them (XT_STATE_BIT values). */
export const CtStateBit = {
  INVALID: 1,
  ESTABLISHED: 2,
  RELATED: 4,
  NEW: 8,
  UNTRACKED: 16,
} as const;
export type CtStateName = keyof typeof CtStateBit;

export type MatchSpec =
  | {
      readonly kind: 'tcp' | 'udp';
      readonly sport?: PortRange;
      readonly sportInvert: boolean;
      readonly dport?: PortRange;
      readonly dportInvert: boolean;
    }
  /** `--icmp-type`: type 255 is `any`; a name fixes the code range. */
  | { readonly kind: 'icmp'; readonly type: number; readonly codeMin: number; readonly codeMax: number; readonly invert: boolean }
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly invert: boolean }
  /** `-m state --state` and `-m conntrack --ctstate`: a set of CtStateBit. */
  | { readonly kind: 'state' | 'conntrack'; readonly states: number; readonly invert: boolean }
  | { readonly kind: 'comment'; readonly text: string };

export const REJECT_WITH = [
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-proto-unreachable',
  'icmp-port-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'icmp-admin-prohibited',
  'tcp-reset',
] as const;
export type RejectWith = (typeof REJECT_WITH)[number];

/** A NAT range (struct nf_nat_range): an address range and, when given, a port range. */
export interface NatRange {
  readonly minAddr: Ipv4Address;
  readonly maxAddr: Ipv4Address;
  readonly ports?: PortRange;
}

export type TargetSpec =
  /** No `-j`: the rule only counts, and traversal goes on (XT_CONTINUE). */
  | { readonly kind: 'continue' }
  | { readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  /** A jump to a user-defined chain. */
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'REJECT'; readonly with: RejectWith }
  /** xt_MARK revision 2: mark = (mark & ~mask) ^ value (`--set-mark V/M` is value V, mask V|M). */
  | { readonly kind: 'MARK'; readonly value: number; readonly mask: number }
  | { readonly kind: 'MASQUERADE'; readonly ports?: PortRange; readonly random: boolean }
  | { readonly kind: 'REDIRECT'; readonly ports?: PortRange; readonly random: boolean }
  | { readonly kind: 'SNAT' | 'DNAT'; readonly to: NatRange; readonly random: boolean; readonly persistent: boolean }
  | { readonly kind: 'LOG'; readonly prefix: string; readonly level: number };

/** The name a listing shows in the target column. */
export function targetName(t: TargetSpec): string {
  return t.kind === 'jump' ? t.chain : t.kind === 'continue' ? '' : t.kind;
}

/**
 * A canonical text of a rule's content: two rules are the same rule when their keys are equal, however their
 * objects were built (key order, absent vs. undefined fields).
 */
export function ruleKey(r: IptRule): string {
  return stable(r);
}

function stable(v: unknown): string {
  if (v === undefined) return 'u';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${k}:${stable(o[k])}`).join(',')}}`;
}
