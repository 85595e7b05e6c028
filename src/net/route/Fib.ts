import { inSubnet, type Ipv4Address } from '../../wire/index.ts';
import { DEFAULT_RULES, type PolicyRule } from './PolicyRule.ts';
import type { Route } from './Route.ts';

/** What a lookup is about (struct flowi4). `iif` is the input device, `lo` for locally generated packets. */
export interface FlowKey {
  dst: Ipv4Address;
  src: Ipv4Address;
  iif?: string;
  oif?: string;
  mark: number;
  tos: number;
}

/** Destinations remembered per table before the best-route cache starts over. */
const BEST_ROUTE_CACHE_LIMIT = 4096;

/** Results may be shared between lookups (see `Fib.lookup`): never modify one. */
export type FibResult =
  | { readonly kind: 'route'; readonly route: Route; readonly table: number; readonly rule: number }
  | { readonly kind: 'error'; readonly type: 'unreachable' | 'prohibit' | 'blackhole'; readonly rule: number }
  | { readonly kind: 'none' };

const NO_ROUTE: FibResult = { kind: 'none' };

/**
 * The routing policy database and its tables (net/ipv4/fib_rules.c, fib_trie.c semantics; ip-rule(8),
 * ip-route(8)). Reference: shared/reference/linux-arp-routing.md §6.1–6.2.
 *
 * Within a table: longest prefix, then matching TOS (TOS 0 matches any), then lowest metric, then the route
 * inserted first; routes whose scope is narrower than asked for are skipped. Across tables: rules in priority
 * order; a table without a match (or a `throw` route) passes to the next rule.
 */
export class Fib {
  private readonly tables = new Map<number, Route[]>();
  rules: PolicyRule[] = [...DEFAULT_RULES];
  /** fib_has_custom_local_routes: a `local` route added by hand forces full source validation (§6.4). */
  customLocalRoutes = false;
  /**
   * Best route per table for lookups without an output device or scope limit (every packet's), keyed by
   * TOS × 2^32 + destination; `null` records "no route". Like the kernel's cached next hops it is only a
   * shortcut: every change to a table clears it, so a lookup never sees a route the tables would not give.
   */
  private readonly best = new Map<number, Map<number, Route | null>>();
  /**
   * Whole RPDB answers, same key, for while every rule is selector-free (the default three, or any set without
   * from/to/iif/oif/fwmark/tos): the answer then depends on the destination and TOS only. `rules` is a public
   * array that `ip rule` edits in place, so the rules this was computed for are kept and compared.
   */
  private readonly answers = new Map<number, FibResult>();
  private answeredRules: PolicyRule[] = [];
  private answeredRulesPlain = false;

  /** Every table change drops the remembered answers. */
  private forgetRoutes(): void {
    this.best.clear();
    this.answers.clear();
  }

  table(id: number): readonly Route[] {
    return this.tables.get(id) ?? [];
  }

  tableIds(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  /** Inserts keeping each table sorted by prefix length (longest first); ties keep insertion order. */
  add(r: Route): 'EEXIST' | undefined {
    let t = this.tables.get(r.table);
    if (!t) {
      t = [];
      this.tables.set(r.table, t);
    }
    if (t.some((x) => sameKey(x, r))) return 'EEXIST';
    let i = t.length;
    while (i > 0 && t[i - 1].prefixLen < r.prefixLen) i--;
    t.splice(i, 0, r);
    this.forgetRoutes();
    return undefined;
  }

  /** `ip route replace`: the route with the same key is replaced in place, or the route is added. */
  replace(r: Route): void {
    const t = this.tables.get(r.table);
    const i = t ? t.findIndex((x) => sameKey(x, r)) : -1;
    if (t && i >= 0) t[i] = r;
    else this.add(r);
    this.forgetRoutes();
  }

  /** Removes the first route matching every given field; returns it, or undefined (ESRCH). */
  remove(match: Partial<Route> & { table: number; dst: Ipv4Address; prefixLen: number }): Route | undefined {
    const t = this.tables.get(match.table);
    if (!t) return undefined;
    const i = t.findIndex(
      (x) =>
        x.dst === match.dst &&
        x.prefixLen === match.prefixLen &&
        (match.type === undefined || x.type === match.type) &&
        (match.gateway === undefined || x.gateway === match.gateway) &&
        (match.dev === undefined || x.dev === match.dev) &&
        (match.metric === undefined || x.metric === match.metric) &&
        (match.tos === undefined || x.tos === match.tos),
    );
    if (i < 0) return undefined;
    this.forgetRoutes();
    return t.splice(i, 1)[0];
  }

  /** Removes every route matching a predicate (device down, address deleted). */
  removeWhere(pred: (r: Route) => boolean): Route[] {
    const gone: Route[] = [];
    for (const t of this.tables.values()) {
      for (let i = t.length - 1; i >= 0; i--) if (pred(t[i])) gone.unshift(...t.splice(i, 1));
    }
    if (gone.length > 0) this.forgetRoutes();
    return gone;
  }

  /** Best route in one table, or undefined. `minScope` skips routes of narrower scope (fib_table_lookup). */
  lookupTable(id: number, dst: Ipv4Address, tos: number, oif: string | undefined, minScope = 0): Route | undefined {
    if (oif !== undefined || minScope !== 0) return this.scanTable(id, dst, tos, oif, minScope);
    let known = this.best.get(id);
    if (!known) {
      known = new Map();
      this.best.set(id, known);
    }
    const key = tos * 0x1_0000_0000 + dst;
    const hit = known.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.scanTable(id, dst, tos, undefined, 0);
    // Bounded: traffic to many destinations (a client population) must not grow it without limit.
    if (known.size >= BEST_ROUTE_CACHE_LIMIT) known.clear();
    known.set(key, r ?? null);
    return r;
  }

  private scanTable(id: number, dst: Ipv4Address, tos: number, oif: string | undefined, minScope: number): Route | undefined {
    const t = this.tables.get(id);
    if (!t) return undefined;
    let best: Route | undefined;
    for (const r of t) {
      if (best && r.prefixLen < best.prefixLen) break;
      if (!inSubnet(dst, r.dst, r.prefixLen)) continue;
      if (r.tos !== 0 && r.tos !== tos) continue;
      if (r.scope < minScope && r.type === 'unicast') continue;
      if (oif !== undefined && r.dev !== undefined && r.dev !== oif && r.type !== 'local') continue;
      if (!best || r.metric < best.metric) best = r;
    }
    return best;
  }

  /** RPDB lookup: rules in priority order, the first table that yields a route decides. */
  lookup(key: FlowKey, minScope = 0): FibResult {
    if (key.oif !== undefined || minScope !== 0 || !this.rulesArePlain()) return this.walkRules(key, minScope);
    const k = key.tos * 0x1_0000_0000 + key.dst;
    let res = this.answers.get(k);
    if (res === undefined) {
      res = this.walkRules(key, 0);
      if (this.answers.size >= BEST_ROUTE_CACHE_LIMIT) this.answers.clear();
      this.answers.set(k, res);
    }
    return res;
  }

  /** Whether no rule has a selector; recomputed (and the answers dropped) whenever `rules` changed. */
  private rulesArePlain(): boolean {
    const rules = this.rules;
    const seen = this.answeredRules;
    let same = rules.length === seen.length;
    for (let i = 0; same && i < rules.length; i++) same = rules[i] === seen[i];
    if (!same) {
      this.answers.clear();
      this.answeredRules = rules.slice();
      this.answeredRulesPlain = rules.every(isPlainRule);
    }
    return this.answeredRulesPlain;
  }

  private walkRules(key: FlowKey, minScope: number): FibResult {
    for (const rule of this.rules) {
      if (!ruleMatches(rule, key)) continue;
      const a = rule.action;
      if (a.kind !== 'table') return { kind: 'error', type: a.kind, rule: rule.priority };
      const r = this.lookupTable(a.table, key.dst, key.tos, key.oif, minScope);
      if (!r || r.type === 'throw') continue;
      if (r.type === 'unreachable' || r.type === 'prohibit' || r.type === 'blackhole') return { kind: 'error', type: r.type, rule: rule.priority };
      return { kind: 'route', route: r, table: a.table, rule: rule.priority };
    }
    return NO_ROUTE;
  }

  /** Adds a rule after every rule of the same priority (fib_nl_newrule keeps insertion order within a priority). */
  addRule(rule: PolicyRule): void {
    let i = this.rules.length;
    while (i > 0 && this.rules[i - 1].priority > rule.priority) i--;
    this.rules.splice(i, 0, rule);
  }

  /** Priority for a rule added without `pref`: one below the lowest non-zero priority (ip-rule(8)). */
  defaultRulePriority(): number {
    const nonZero = this.rules.filter((r) => r.priority > 0).map((r) => r.priority);
    const lowest = nonZero.length > 0 ? Math.min(...nonZero) : 32766;
    return Math.max(1, lowest - 1);
  }
}

function sameKey(a: Route, b: Route): boolean {
  return a.table === b.table && a.dst === b.dst && a.prefixLen === b.prefixLen && a.tos === b.tos && a.metric === b.metric && a.type === b.type;
}

/** A rule that matches every packet: no selector (and not inverted, which would match none). */
function isPlainRule(rule: PolicyRule): boolean {
  return !rule.not && !rule.from && !rule.to && rule.iif === undefined && rule.oif === undefined && !rule.fwmark && rule.tos === undefined;
}

function ruleMatches(rule: PolicyRule, key: FlowKey): boolean {
  let m = true;
  if (rule.from && !inSubnet(key.src, rule.from.address, rule.from.prefixLen)) m = false;
  else if (rule.to && !inSubnet(key.dst, rule.to.address, rule.to.prefixLen)) m = false;
  else if (rule.iif !== undefined && rule.iif !== (key.iif ?? 'lo')) m = false;
  else if (rule.oif !== undefined && rule.oif !== key.oif) m = false;
  else if (rule.fwmark && ((key.mark ^ rule.fwmark.value) & rule.fwmark.mask) >>> 0 !== 0) m = false;
  else if (rule.tos !== undefined && rule.tos !== key.tos) m = false;
  return rule.not ? !m : m;
}
