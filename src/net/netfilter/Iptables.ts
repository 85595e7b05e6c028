import { summarizePacket } from '../../trace/index.ts';
import { ipTotalLength, type Ipv4Address } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import { Scope, type Interface } from '../Interface.ts';
import { selectAddress } from '../addr/selectAddress.ts';
import type { Skb } from '../Skb.ts';
import { Conntrack, ctOf, type CtEntry } from './Conntrack.ts';
import { ACCEPT, NfPriority, type HookPoint, type HookState, type Verdict } from './Hooks.ts';
import { ruleKey, type IptRule, type NatRange } from './IptRule.ts';
import { hookManip, natIcmpError, natInitialized, natPacket, nullBinding, setupNat, type Manip } from './nat.ts';
import { sendReject } from './reject.ts';
import { ruleMatches } from './ruleMatch.ts';
import { checkTable } from './tableCheck.ts';

/**
 * The iptables engine of one host: the filter, nat and mangle tables with their built-in and user-defined
 * chains (net/ipv4/netfilter/ip_tables.c, iptable_{filter,nat,mangle}.c), rule and policy counters, and the
 * connection tracking NAT needs. The control API is what libiptc offers the `iptables` command; errors carry
 * libiptc's message texts.
 *
 * Cost: a table registers its hook handlers only while it has a rule or a DROP policy, so a host without rules
 * runs no iptables code per packet. Conntrack (and with it the nat hooks) is switched on by the first nat rule or
 * state match and then stays on, as the loaded modules do: existing connections keep their translations even
 * after the rules are flushed.
 */

export type TableName = 'filter' | 'nat' | 'mangle';
export const TABLE_NAMES: readonly TableName[] = ['filter', 'nat', 'mangle'];
export type Policy = 'ACCEPT' | 'DROP';

/** Built-in chains of each table in the kernel's hook order (the order listings use). */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly HookPoint[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

/** NF_IP_PRI_CONNTRACK_CONFIRM: after everything else on the last hook. */
const CONFIRM_PRIORITY = 2147483647;

export interface RuleView {
  readonly rule: IptRule;
  readonly packets: number;
  readonly bytes: number;
}

export interface ChainView {
  readonly name: string;
  /** Set for built-in chains. */
  readonly policy?: Policy;
  /** Policy counters (built-in chains). */
  readonly packets: number;
  readonly bytes: number;
  /** Rules jumping here (user-defined chains). */
  readonly references: number;
  readonly rules: readonly RuleView[];
}

export type IptErrno = 'ENOENT' | 'EEXIST' | 'E2BIG' | 'EINVAL' | 'ENOTEMPTY' | 'EMLINK' | 'ELOOP';

/** A refused change: `message` is libiptc's text (iptc_strerror), `detail` what the kernel would log. */
export interface IptError {
  readonly errno: IptErrno;
  readonly message: string;
  readonly detail?: string;
}

interface RuleEntry {
  rule: IptRule;
  packets: number;
  bytes: number;
}

/** A chain while the engine runs; exported for the table checker only. */
export interface Chain {
  readonly name: string;
  readonly hook: HookPoint | undefined;
  policy: Policy;
  packets: number;
  bytes: number;
  rules: RuleEntry[];
}

const NO_CHAIN: IptError = { errno: 'ENOENT', message: 'No chain/target/match by that name' };
const BAD_RULE: IptError = { errno: 'ENOENT', message: 'Bad rule (does a matching rule exist in that chain?)' };

export class Iptables {
  private readonly tables = new Map<TableName, Map<string, Chain>>();
  private readonly registered = new Set<TableName>();
  private ct: Conntrack | undefined;
  private natOn = false;
  /** Ids for packets NAT rewrites (lineage: the rewritten packet's parent is the original). */
  private readonly newId = (): number => this.host.ctx.packetId();

  constructor(readonly host: Host) {
    for (const t of TABLE_NAMES) {
      const chains = new Map<string, Chain>();
      for (const h of BUILTIN_CHAINS[t]) chains.set(h, { name: h, hook: h, policy: 'ACCEPT', packets: 0, bytes: 0, rules: [] });
      this.tables.set(t, chains);
    }
  }

  // ------------------------------------------------------------------ control (libiptc)

  append(table: TableName, chain: string, rule: IptRule): IptError | undefined {
    const c = this.chain(table, chain);
    if (!c) return NO_CHAIN;
    c.rules.push({ rule, packets: 0, bytes: 0 });
    return this.commit(table, () => c.rules.pop());
  }

  /** `-I chain N`: insert before rule N (1 = first); N may be one past the end. */
  insert(table: TableName, chain: string, index: number, rule: IptRule): IptError | undefined {
    const c = this.chain(table, chain);
    if (!c) return NO_CHAIN;
    if (index < 1 || index > c.rules.length + 1) return { errno: 'E2BIG', message: 'Index of insertion too big' };
    c.rules.splice(index - 1, 0, { rule, packets: 0, bytes: 0 });
    return this.commit(table, () => c.rules.splice(index - 1, 1));
  }

  /** `-R chain N`: replace rule N, counters start again. */
  replace(table: TableName, chain: string, index: number, rule: IptRule): IptError | undefined {
    const c = this.chain(table, chain);
    if (!c) return NO_CHAIN;
    if (index < 1 || index > c.rules.length) return { errno: 'E2BIG', message: 'Index of replacement too big' };
    const old = c.rules[index - 1];
    c.rules[index - 1] = { rule, packets: 0, bytes: 0 };
    return this.commit(table, () => (c.rules[index - 1] = old));
  }

  /** `-D chain RULE` (the first rule with the same content) or `-D chain N`. */
  delete(table: TableName, chain: string, which: IptRule | number): IptError | undefined {
    const c = this.chain(table, chain);
    if (typeof which === 'number') {
      if (!c) return NO_CHAIN;
      if (which < 1 || which > c.rules.length) return { errno: 'E2BIG', message: 'Index of deletion too big' };
      c.rules.splice(which - 1, 1);
    } else {
      const i = c ? this.find(c, which) : -1;
      if (!c || i < 0) return BAD_RULE;
      c.rules.splice(i, 1);
    }
    this.sync();
    return undefined;
  }

  /** `-C chain RULE`: whether the rule exists. */
  check(table: TableName, chain: string, rule: IptRule): IptError | undefined {
    const c = this.chain(table, chain);
    return c && this.find(c, rule) >= 0 ? undefined : BAD_RULE;
  }

  /** `-F [chain]`. */
  flush(table: TableName, chain?: string): IptError | undefined {
    const chains = this.chains(table, chain);
    if (!chains) return NO_CHAIN;
    for (const c of chains) c.rules = [];
    this.sync();
    return undefined;
  }

  /** `-Z [chain [N]]`: zero rule and policy counters. */
  zero(table: TableName, chain?: string, index?: number): IptError | undefined {
    const chains = this.chains(table, chain);
    if (!chains) return NO_CHAIN;
    if (index !== undefined) {
      const c = chains[0];
      if (index < 1 || index > c.rules.length) return { errno: 'E2BIG', message: 'Index of counter too big' };
      c.rules[index - 1].packets = 0;
      c.rules[index - 1].bytes = 0;
      return undefined;
    }
    for (const c of chains) {
      c.packets = 0;
      c.bytes = 0;
      for (const r of c.rules) {
        r.packets = 0;
        r.bytes = 0;
      }
    }
    return undefined;
  }

  /** `-P chain ACCEPT|DROP` (built-in chains only). */
  setPolicy(table: TableName, chain: string, policy: string): IptError | undefined {
    const c = this.chain(table, chain);
    if (!c || c.hook === undefined) return { errno: 'ENOENT', message: 'Bad built-in chain name' };
    if (policy !== 'ACCEPT' && policy !== 'DROP') return { errno: 'EINVAL', message: 'Bad policy name' };
    c.policy = policy;
    this.sync();
    return undefined;
  }

  /** `-N name`. Name syntax (length, clashes with target names) is the command's business. */
  newChain(table: TableName, name: string): IptError | undefined {
    const chains = this.tables.get(table)!;
    if (chains.has(name)) return { errno: 'EEXIST', message: 'Chain already exists' };
    chains.set(name, { name, hook: undefined, policy: 'ACCEPT', packets: 0, bytes: 0, rules: [] });
    return undefined;
  }

  /** `-X [name]`: delete an empty, unreferenced user chain, or every user chain. */
  deleteChain(table: TableName, name?: string): IptError | undefined {
    const chains = this.tables.get(table)!;
    if (name === undefined) {
      let err: IptError | undefined;
      for (const c of this.userChains(table)) err = this.deleteChain(table, c.name) ?? err;
      return err;
    }
    const c = chains.get(name);
    if (!c) return NO_CHAIN;
    if (c.hook !== undefined) return { errno: 'EINVAL', message: "Can't delete built-in chain" };
    if (this.references(table, name) > 0) return { errno: 'EMLINK', message: 'Too many links' };
    if (c.rules.length > 0) return { errno: 'ENOTEMPTY', message: 'Directory not empty' };
    chains.delete(name);
    return undefined;
  }

  /** `-E old new`: rename a user chain, and every jump to it. */
  renameChain(table: TableName, from: string, to: string): IptError | undefined {
    const chains = this.tables.get(table)!;
    const c = chains.get(from);
    if (chains.has(to)) return { errno: 'EEXIST', message: 'File exists' };
    if (!c || c.hook !== undefined) return NO_CHAIN;
    chains.delete(from);
    chains.set(to, { ...c, name: to });
    for (const x of chains.values()) {
      for (const r of x.rules) {
        if (r.rule.target.kind === 'jump' && r.rule.target.chain === from) r.rule = { ...r.rule, target: { kind: 'jump', chain: to } };
      }
    }
    return undefined;
  }

  hasChain(table: TableName, name: string): boolean {
    return this.tables.get(table)!.has(name);
  }

  isBuiltin(table: TableName, name: string): boolean {
    return this.tables.get(table)!.get(name)?.hook !== undefined;
  }

  /** Chains as listings show them: built-ins in hook order, then user chains by name. */
  list(table: TableName, chain?: string): ChainView[] | IptError {
    const chains = this.chains(table, chain);
    if (!chains) return NO_CHAIN;
    return chains.map((c) => ({
      name: c.name,
      policy: c.hook !== undefined ? c.policy : undefined,
      packets: c.packets,
      bytes: c.bytes,
      references: c.hook === undefined ? this.references(table, c.name) : 0,
      rules: c.rules.map((r) => ({ rule: r.rule, packets: r.packets, bytes: r.bytes })),
    }));
  }

  /** The connection tracking table, once NAT or a state match has switched it on. */
  get conntrack(): Conntrack | undefined {
    return this.ct;
  }

  /** Tracked connections (for `conntrack -L`-style views). */
  connections(): CtEntry[] {
    return this.ct ? this.ct.entries() : [];
  }

  // ------------------------------------------------------------------ table bookkeeping

  private chain(table: TableName, name: string): Chain | undefined {
    return this.tables.get(table)!.get(name);
  }

  /** One chain, or all in listing order; undefined when the named chain does not exist. */
  private chains(table: TableName, name?: string): Chain[] | undefined {
    if (name !== undefined) {
      const c = this.chain(table, name);
      return c ? [c] : undefined;
    }
    const all = this.tables.get(table)!;
    return [...BUILTIN_CHAINS[table].map((h) => all.get(h)!), ...this.userChains(table)];
  }

  private userChains(table: TableName): Chain[] {
    const out = [...this.tables.get(table)!.values()].filter((c) => c.hook === undefined);
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }

  private references(table: TableName, name: string): number {
    let n = 0;
    for (const c of this.tables.get(table)!.values()) {
      for (const r of c.rules) if (r.rule.target.kind === 'jump' && r.rule.target.chain === name) n++;
    }
    return n;
  }

  private find(c: Chain, rule: IptRule): number {
    const k = ruleKey(rule);
    return c.rules.findIndex((r) => ruleKey(r.rule) === k);
  }

  /** Validates the whole table as the kernel does on replace (translate_table); undoes the change if refused. */
  private commit(table: TableName, undo: () => void): IptError | undefined {
    const err = checkTable(table, this.tables.get(table)!);
    if (err) {
      undo();
      return err;
    }
    this.sync();
    return undefined;
  }

  // ------------------------------------------------------------------ hooks

  /** Registers the handlers a table needs now; conntrack and nat stay once switched on. */
  private sync(): void {
    let stateMatch = false;
    for (const t of TABLE_NAMES) {
      let used = false;
      for (const c of this.tables.get(t)!.values()) {
        if (c.rules.length > 0 || c.policy === 'DROP') used = true;
        for (const r of c.rules) for (const m of r.rule.matches) if (m.kind === 'state' || m.kind === 'conntrack') stateMatch = true;
      }
      if (t === 'nat') {
        if (used && !this.natOn) this.enableNat();
        continue;
      }
      if (used && !this.registered.has(t)) this.registerTable(t);
      if (!used && this.registered.has(t)) this.unregisterTable(t);
    }
    if (stateMatch && !this.ct) this.enableConntrack();
  }

  private registerTable(t: 'filter' | 'mangle'): void {
    const priority = t === 'filter' ? NfPriority.filter : NfPriority.mangle;
    for (const hook of BUILTIN_CHAINS[t]) {
      this.host.hooks.register(hook, { name: `iptables:${t}`, priority, fn: (skb, st) => this.runTable(t, hook, skb, st) });
    }
    this.registered.add(t);
  }

  private unregisterTable(t: 'filter' | 'mangle'): void {
    for (const hook of BUILTIN_CHAINS[t]) this.host.hooks.unregister(hook, `iptables:${t}`);
    this.registered.delete(t);
  }

  private enableConntrack(): Conntrack {
    if (this.ct) return this.ct;
    const ct = new Conntrack(this.host.ctx.sim);
    this.ct = ct;
    const lookup = (skb: Skb): Verdict => {
      // Packets IPVS handled are untracked (ip_vs_notrack); a looped-back packet keeps the entry it has.
      if (!skb.ipvsProperty && skb.ct === undefined) skb.ct = ct.inbound(skb.packet);
      return ACCEPT;
    };
    const confirm = (skb: Skb): Verdict => {
      // A packet merely related to a connection (an ICMP error, a REJECT's RST) never confirms it.
      const ref = ctOf(skb);
      if (ref && ref.info !== 'related' && !skb.ipvsProperty) ct.confirm(ref);
      return ACCEPT;
    };
    this.host.hooks.register('PREROUTING', { name: 'nf_conntrack', priority: NfPriority.conntrack, fn: lookup });
    this.host.hooks.register('OUTPUT', { name: 'nf_conntrack', priority: NfPriority.conntrack, fn: lookup });
    this.host.hooks.register('INPUT', { name: 'nf_conntrack_confirm', priority: CONFIRM_PRIORITY, fn: confirm });
    this.host.hooks.register('POSTROUTING', { name: 'nf_conntrack_confirm', priority: CONFIRM_PRIORITY, fn: confirm });
    return ct;
  }

  private enableNat(): void {
    const ct = this.enableConntrack();
    for (const hook of BUILTIN_CHAINS.nat) {
      const priority = hookManip(hook) === 'dst' ? NfPriority.natDst : NfPriority.natSrc;
      this.host.hooks.register(hook, { name: 'iptables:nat', priority, fn: (skb, st) => this.natHook(ct, hook, skb, st) });
    }
    this.natOn = true;
  }

  /**
   * nf_nat_inet_fn: the first packet of a connection runs the nat chain of this hook (which may set up a
   * binding; none means a null binding), then every packet is rewritten from the connection's bindings.
   */
  private natHook(ct: Conntrack, hook: HookPoint, skb: Skb, st: HookState): Verdict {
    if (skb.ipvsProperty) return ACCEPT;
    const ref = ctOf(skb);
    if (!ref) return ACCEPT;
    const m = hookManip(hook);
    const newId = this.newId;
    if (ref.info === 'related' && skb.packet.l4.proto === 'icmp') {
      const r = natIcmpError(ref.entry, ref.dir, m, skb.packet, newId);
      if (r.drop) return { kind: 'drop', reason: 'firewall', detail: 'nat: ICMP redirect about a translated connection' };
      if (r.packet) {
        skb.packet = r.packet;
        this.traceNf(hook, 'nat', natName(ref.entry, ref.dir, m), skb);
      }
      return ACCEPT;
    }
    // Anything else related (a REJECT's RST) is translated like the connection's own packets.
    if (ref.info === 'new' && ref.dir === 0 && !natInitialized(ref.entry, m)) {
      const v = this.runTable('nat', hook, skb, st);
      if (v.kind !== 'accept') return v;
      if (!natInitialized(ref.entry, m)) nullBinding(ct, ref.entry, m);
    }
    const q = natPacket(ref.entry, ref.dir, m, skb.packet, newId);
    if (q) {
      skb.packet = q;
      this.traceNf(hook, 'nat', natName(ref.entry, ref.dir, m), skb);
    }
    return ACCEPT;
  }

  // ------------------------------------------------------------------ traversal (ipt_do_table)

  private runTable(table: TableName, hook: HookPoint, skb: Skb, st: HookState): Verdict {
    const chains = this.tables.get(table)!;
    const base = chains.get(hook)!;
    const inName = st.inDev?.name ?? '';
    const outName = st.outDev?.name ?? '';
    const bytes = ipTotalLength(skb.packet);
    let stack: Array<{ chain: Chain; next: number }> | undefined;
    let chain = base;
    let i = 0;
    for (;;) {
      if (i >= chain.rules.length) {
        const back = stack?.pop();
        if (back) {
          chain = back.chain;
          i = back.next;
          continue;
        }
        return this.policy(table, base, skb, bytes, hook);
      }
      const entry = chain.rules[i++];
      const rule = entry.rule;
      if (!ruleMatches(rule, skb, inName, outName)) continue;
      entry.packets++;
      entry.bytes += bytes;
      const t = rule.target;
      switch (t.kind) {
        case 'continue':
          continue;
        case 'ACCEPT':
          return ACCEPT;
        case 'DROP':
          this.traceNf(hook, table, 'DROP', skb);
          return { kind: 'drop', reason: 'firewall', detail: `${where(table, chain, i)}: DROP` };
        case 'RETURN': {
          const back = stack?.pop();
          if (!back) return this.policy(table, base, skb, bytes, hook);
          chain = back.chain;
          i = back.next;
          continue;
        }
        case 'jump':
          (stack ??= []).push({ chain, next: i });
          chain = chains.get(t.chain)!;
          i = 0;
          continue;
        case 'MARK':
          skb.mark = ((skb.mark & ~t.mask) ^ t.value) >>> 0;
          this.traceNf(hook, table, 'MARK', skb);
          continue;
        case 'LOG':
          this.traceNf(hook, table, 'LOG', skb);
          continue;
        case 'REJECT':
          this.traceNf(hook, table, 'REJECT', skb);
          sendReject(this.host, skb.packet, t.with, skb.inDev, ctOf(skb));
          return { kind: 'drop', reason: 'firewall', detail: `${where(table, chain, i)}: REJECT --reject-with ${t.with}` };
        case 'DNAT':
        case 'SNAT':
          return this.nat(skb, t.kind === 'DNAT' ? 'dst' : 'src', t.to, t.kind);
        case 'MASQUERADE': {
          const addr = st.outDev ? this.masqueradeAddress(skb, st.outDev) : 0;
          if (addr === 0) {
            this.traceNf(hook, table, 'DROP', skb);
            return { kind: 'drop', reason: 'firewall', detail: `${where(table, chain, i)}: MASQUERADE found no address on ${outName}` };
          }
          return this.nat(skb, 'src', { minAddr: addr, maxAddr: addr, ports: t.ports }, 'MASQUERADE');
        }
        case 'REDIRECT': {
          // nf_nat_redirect_ipv4: to 127.0.0.1 when locally generated, else the receiving device's first address.
          const addr = hook === 'OUTPUT' ? 0x7f000001 : skb.inDev?.primaries()[0]?.address;
          if (addr === undefined) {
            this.traceNf(hook, table, 'DROP', skb);
            return { kind: 'drop', reason: 'firewall', detail: `${where(table, chain, i)}: REDIRECT found no address on ${inName}` };
          }
          return this.nat(skb, 'dst', { minAddr: addr, maxAddr: addr, ports: t.ports }, 'REDIRECT');
        }
      }
    }
  }

  /** The end of a built-in chain: count on the policy and apply it. */
  private policy(table: TableName, base: Chain, skb: Skb, bytes: number, hook: HookPoint): Verdict {
    base.packets++;
    base.bytes += bytes;
    if (base.policy === 'ACCEPT') return ACCEPT;
    this.traceNf(hook, table, 'DROP', skb);
    return { kind: 'drop', reason: 'firewall', detail: `table ${table} chain ${base.name} policy DROP` };
  }

  /** A nat target: bind the connection; the nat hook rewrites the packet right after (NF_ACCEPT). */
  private nat(skb: Skb, m: Manip, range: NatRange, by: string): Verdict {
    const ref = ctOf(skb);
    if (ref && this.ct) setupNat(this.ct, ref.entry, m, { range, by });
    return ACCEPT;
  }

  /**
   * nf_nat_masquerade_ipv4: the output device's address chosen as inet_select_addr(out, nexthop, universe)
   * would, toward the route's next hop.
   */
  private masqueradeAddress(skb: Skb, outDev: Interface): Ipv4Address {
    const p = skb.packet;
    const res = this.host.fib.lookup({ dst: p.ip.dst, src: 0, oif: outDev.name, mark: skb.mark, tos: p.ip.tos });
    const nexthop = this.host.redirects.get(p.ip.dst) ?? (res.kind === 'route' ? res.route.gateway : undefined) ?? p.ip.dst;
    return selectAddress(outDev, this.host.interfaces, nexthop, Scope.global);
  }

  private traceNf(hook: HookPoint, table: TableName, target: string, skb: Skb): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'nf', host: this.host.name, hook, table, target, pkt: summarizePacket(skb.packet) });
  }
}

/** How a drop detail names the rule that decided. */
function where(table: TableName, chain: Chain, n: number): string {
  return `table ${table} chain ${chain.name} rule ${n}`;
}

/** The target behind a rewrite: a source rewrite of the original direction is the SNAT's, and so on. */
function natName(e: CtEntry, dir: 0 | 1, m: Manip): string {
  const bySrc = (dir === 0) === (m === 'src');
  return (bySrc ? e.srcNatBy : e.dstNatBy) ?? (bySrc ? 'SNAT' : 'DNAT');
}
