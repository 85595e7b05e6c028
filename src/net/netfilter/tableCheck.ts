import type { HookPoint } from './Hooks.ts';
import type { IptRule, MatchSpec, TargetSpec } from './IptRule.ts';
import type { Chain, IptError, TableName } from './Iptables.ts';

/**
 * What the kernel checks when a table is replaced (net/ipv4/netfilter/ip_tables.c translate_table,
 * mark_source_chains; net/netfilter/x_tables.c xt_check_match/xt_check_target): jumps go to existing user
 * chains, no chain can reach itself, and every match and target is used in the table, from the hooks and with
 * the protocol it allows. Each user chain is checked for the hooks that can reach it.
 */
export function checkTable(table: TableName, chains: ReadonlyMap<string, Chain>): IptError | undefined {
  const reach = new Map<string, Set<HookPoint>>();
  for (const c of chains.values()) reach.set(c.name, new Set());
  // Depth-first walk from each built-in chain; a chain met again on the current path is a loop.
  const walk = (c: Chain, hook: HookPoint, path: Set<string>): IptError | undefined => {
    if (path.has(c.name)) return { errno: 'ELOOP', message: 'Too many levels of symbolic links', detail: `x_tables: ip_tables: loop through chain ${c.name}` };
    const seen = reach.get(c.name)!;
    if (seen.has(hook) && path.size > 0) return undefined;
    seen.add(hook);
    path.add(c.name);
    for (const r of c.rules) {
      const t = r.rule.target;
      if (t.kind !== 'jump') continue;
      const next = chains.get(t.chain);
      if (!next) return { errno: 'ENOENT', message: 'No chain/target/match by that name' };
      if (next.hook !== undefined) return invalid(`jump from ${c.name} to built-in chain ${t.chain}`);
      const err = walk(next, hook, path);
      if (err) return err;
    }
    path.delete(c.name);
    return undefined;
  };
  for (const c of chains.values()) {
    if (c.hook === undefined) continue;
    const err = walk(c, c.hook, new Set());
    if (err) return err;
  }
  for (const c of chains.values()) {
    for (const r of c.rules) {
      // An unreachable user chain is still checked for its table and its jumps, with no hook restriction.
      const err = checkRule(table, [...reach.get(c.name)!], r.rule);
      if (err) return err;
      if (r.rule.target.kind === 'jump' && !chains.has(r.rule.target.chain)) return { errno: 'ENOENT', message: 'No chain/target/match by that name' };
    }
  }
  return undefined;
}

/** Tables and hooks each restricted target allows (the .table and .hooks of its struct xt_target). */
const TARGET_LIMITS: Partial<Record<TargetSpec['kind'], { table: TableName; hooks: readonly HookPoint[] }>> = {
  REJECT: { table: 'filter', hooks: ['INPUT', 'FORWARD', 'OUTPUT'] },
  DNAT: { table: 'nat', hooks: ['PREROUTING', 'OUTPUT'] },
  REDIRECT: { table: 'nat', hooks: ['PREROUTING', 'OUTPUT'] },
  SNAT: { table: 'nat', hooks: ['INPUT', 'POSTROUTING'] },
  MASQUERADE: { table: 'nat', hooks: ['POSTROUTING'] },
};

const MATCH_PROTO: Partial<Record<MatchSpec['kind'], number>> = { tcp: 6, udp: 17, icmp: 1 };

function checkRule(table: TableName, hooks: readonly HookPoint[], r: IptRule): IptError | undefined {
  for (const m of r.matches) {
    const proto = MATCH_PROTO[m.kind];
    if (proto !== undefined && (r.proto !== proto || r.protoInvert)) return invalid(`x_tables: ip_tables: ${m.kind} match: only valid for protocol ${proto}`);
  }
  const t = r.target;
  const lim = TARGET_LIMITS[t.kind];
  if (lim) {
    if (lim.table !== table) return invalid(`x_tables: ip_tables: ${t.kind} target: only valid in ${lim.table} table, not ${table}`);
    const bad = hooks.filter((h) => !lim.hooks.includes(h));
    if (bad.length > 0) return invalid(`x_tables: ip_tables: ${t.kind} target: used from hooks ${hooks.join('/')}, but only usable from ${lim.hooks.join('/')}`);
  }
  if (t.kind === 'REJECT' && t.with === 'tcp-reset' && (r.proto !== 6 || r.protoInvert)) return invalid('x_tables: ip_tables: REJECT: TCP_RESET invalid for non-tcp');
  return undefined;
}

function invalid(detail: string): IptError {
  return { errno: 'EINVAL', message: "Invalid argument. Run `dmesg' for more information", detail };
}
