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
  /**
   * Per table, its /32 routes by destination, each list in table order (an index, not a second truth: rebuilt
   * from the table after any change it does not follow itself). Host routes come first in a table (longest
   * prefix first), and a host with a large client population has one local /32 per address: without the index
   * every lookup that misses the caches, and every insertion's duplicate check, walks all of them.
   */
  private readonly hostRoutes = new Map<number, HostRouteIndex>();
  rules: PolicyRule[] = [...DEFAULT_RULES];
  /** fib_has_custom_local_routes: a `local` route added by hand forces full source validation (§6.4). */
  customLocalRoutes = false;
  /**
   * Best route per table for lookups without an output device or scope limit (every packet's), by TOS and
   * destination (see DestinationMemo); `null` records "no route". Like the kernel's cached next hops it is only
   * a shortcut: every change to a table clears it, so a lookup never sees a route the tables would not give.
   */
  private readonly best = new Map<number, DestinationMemo<Route | null>>();
  /**
   * Whole RPDB answers, same key, for while every rule is selector-free (the default three, or any set without
   * from/to/iif/oif/fwmark/tos): the answer then depends on the destination and TOS only. `rules` is a public
   * array that `ip rule` edits in place, so the rules this was computed for are kept and compared.
   */
  private readonly answers = new DestinationMemo<FibResult>();
  private answeredRules: PolicyRule[] = [];
  private answeredRulesPlain = false;
  private changes = 0;

  /** Every table change drops the remembered answers. */
  private forgetRoutes(): void {
    this.best.clear();
    this.answers.clear();
    this.changes++;
  }

  /**
   * A number that changes whenever a lookup could answer differently: any table change, any change to `rules`
   * (which `ip rule` edits in place). Caches above the FIB (the output route cache) compare it.
   */
  version(): number {
    this.rulesArePlain();
    return this.changes;
  }

  /** The /32 index of a table, (re)built from the table when a change left it stale. */
  private hostIndex(id: number, t: Route[]): HostRouteIndex {
    let ix = this.hostRoutes.get(id);
    if (ix === undefined) {
      ix = { byDst: new Map(), count: 0, stale: true };
      this.hostRoutes.set(id, ix);
    }
    if (ix.stale) {
      ix.byDst.clear();
      let n = 0;
      while (n < t.length && t[n].prefixLen === 32) {
        const r = t[n++];
        const list = ix.byDst.get(r.dst);
        if (list) list.push(r);
        else ix.byDst.set(r.dst, [r]);
      }
      ix.count = n;
      ix.stale = false;
    }
    return ix;
  }

  private staleIndex(id: number): void {
    const ix = this.hostRoutes.get(id);
    if (ix) ix.stale = true;
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
    const ix = this.hostIndex(r.table, t);
    if (r.prefixLen === 32) {
      const same = ix.byDst.get(r.dst);
      if (same !== undefined && same.some((x) => sameKey(x, r))) return 'EEXIST';
    } else {
      for (let k = ix.count; k < t.length; k++) if (sameKey(t[k], r)) return 'EEXIST';
    }
    let i = t.length;
    while (i > 0 && t[i - 1].prefixLen < r.prefixLen) i--;
    t.splice(i, 0, r);
    if (r.prefixLen === 32) {
      // After every /32 already there (i = count): the index follows, the new route last in its list.
      const list = ix.byDst.get(r.dst);
      if (list) list.push(r);
      else ix.byDst.set(r.dst, [r]);
      ix.count++;
    }
    this.forgetRoutes();
    return undefined;
  }

  /** `ip route replace`: the route with the same key is replaced in place, or the route is added. */
  replace(r: Route): void {
    const t = this.tables.get(r.table);
    const i = t ? t.findIndex((x) => sameKey(x, r)) : -1;
    if (t && i >= 0) {
      t[i] = r;
      this.staleIndex(r.table);
    } else this.add(r);
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
    this.staleIndex(match.table);
    return t.splice(i, 1)[0];
  }

  /** Removes every route matching a predicate (device down, address deleted). */
  removeWhere(pred: (r: Route) => boolean): Route[] {
    const gone: Route[] = [];
    for (const [id, t] of this.tables) {
      const before = gone.length;
      for (let i = t.length - 1; i >= 0; i--) if (pred(t[i])) gone.unshift(...t.splice(i, 1));
      if (gone.length !== before) this.staleIndex(id);
    }
    if (gone.length > 0) this.forgetRoutes();
    return gone;
  }

  /** Best route in one table, or undefined. `minScope` skips routes of narrower scope (fib_table_lookup). */
  lookupTable(id: number, dst: Ipv4Address, tos: number, oif: string | undefined, minScope = 0): Route | undefined {
    if (oif !== undefined || minScope !== 0) return this.scanTable(id, dst, tos, oif, minScope);
    let known = this.best.get(id);
    if (!known) {
      known = new DestinationMemo();
      this.best.set(id, known);
    }
    const hit = known.get(dst, tos);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.scanTable(id, dst, tos, undefined, 0);
    known.set(dst, tos, r ?? null);
    return r;
  }

  private scanTable(id: number, dst: Ipv4Address, tos: number, oif: string | undefined, minScope: number): Route | undefined {
    const t = this.tables.get(id);
    if (!t) return undefined;
    let best: Route | undefined;
    // The /32 routes that can match are those to dst itself (the index keeps their table order); the others
    // fail the prefix test, so the walk below starts after them.
    const ix = this.hostIndex(id, t);
    const exact = ix.byDst.get(dst);
    if (exact !== undefined) {
      for (const r of exact) {
        if (r.tos !== 0 && r.tos !== tos) continue;
        if (r.scope < minScope && r.type === 'unicast') continue;
        if (oif !== undefined && r.dev !== undefined && r.dev !== oif && r.type !== 'local') continue;
        if (!best || r.metric < best.metric) best = r;
      }
      if (best) return best;
    }
    for (let k = ix.count; k < t.length; k++) {
      const r = t[k];
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
    let res = this.answers.get(key.dst, key.tos);
    if (res === undefined) {
      res = this.walkRules(key, 0);
      this.answers.set(key.dst, key.tos, res);
    }
    return res;
  }

  /**
   * `lookup` of the flow (dst, src, iif, oif, mark, tos) without a scope limit, given field by field: the
   * packet path's form, which builds no FlowKey when the answer is remembered.
   */
  lookupFlow(dst: Ipv4Address, src: Ipv4Address, iif: string | undefined, oif: string | undefined, mark: number, tos: number): FibResult {
    if (oif !== undefined || !this.rulesArePlain()) return this.walkRules({ dst, src, iif, oif, mark, tos }, 0);
    let res = this.answers.get(dst, tos);
    if (res === undefined) {
      res = this.walkRules({ dst, src, iif, oif, mark, tos }, 0);
      this.answers.set(dst, tos, res);
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
      this.changes++;
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

/**
 * Remembered answers by (destination, TOS), bounded: traffic to many destinations (a client population) must
 * not grow it without limit, so it starts over at BEST_ROUTE_CACHE_LIMIT entries. TOS 0 (nearly every packet)
 * is keyed by the address as a signed 32-bit integer, which the engine keeps unboxed; other TOS values by
 * TOS × 2^32 + address.
 */
class DestinationMemo<T> {
  private readonly plain = new Map<number, T>();
  private readonly withTos = new Map<number, T>();

  get(dst: Ipv4Address, tos: number): T | undefined {
    return tos === 0 ? this.plain.get(dst | 0) : this.withTos.get(tos * 0x1_0000_0000 + dst);
  }

  set(dst: Ipv4Address, tos: number, v: T): void {
    const m = tos === 0 ? this.plain : this.withTos;
    if (m.size >= BEST_ROUTE_CACHE_LIMIT) m.clear();
    m.set(tos === 0 ? dst | 0 : tos * 0x1_0000_0000 + dst, v);
  }

  clear(): void {
    this.plain.clear();
    this.withTos.clear();
  }
}

interface HostRouteIndex {
  /** /32 routes by destination, in table order. */
  readonly byDst: Map<Ipv4Address, Route[]>;
  /** How many routes at the head of the table are /32 (the table is sorted by prefix length, longest first). */
  count: number;
  stale: boolean;
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
