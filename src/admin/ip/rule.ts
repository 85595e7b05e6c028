import { ok, text } from '../AdminCommand.ts';
import { tableName, TABLE_MAIN, type Host, type PolicyRule } from '../../net/index.ts';
import { formatIpv4, prefixMask } from '../../wire/index.ts';
import {
  Args,
  formatPrefix,
  invarg,
  matches,
  notModelled,
  parsePrefix,
  parseTable,
  parseU32,
  rtnl,
  unknownCommand,
  type InetPrefix,
  type IpOptions,
  type IpRun,
} from './common.ts';

/**
 * `ip rule add|del|show|list|flush` (iproute2 ip/iprule.c; kernel net/core/fib_rules.c fib_nl_newrule,
 * fib_nl_delrule, rule_exists, rule_find). The routing policy database lives in Host.fib.rules, kept in
 * priority order by Fib.addRule.
 */
export function ipRule(a: Args, _opts: IpOptions): IpRun {
  const cmd = a.done ? 'list' : a.take();
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return ruleShow(parseSelector(a, 'show'));
  if (matches(cmd, 'add')) return ruleAdd(parseSelector(a, 'add'));
  if (matches(cmd, 'delete')) return ruleDel(parseSelector(a, 'del'));
  if (matches(cmd, 'flush')) return ruleFlush(a);
  if (matches(cmd, 'save') || matches(cmd, 'restore')) throw notModelled(`"ip rule ${cmd}"`);
  throw unknownCommand(cmd, 'rule');
}

interface RuleSpec {
  priority?: number;
  not?: boolean;
  from?: InetPrefix;
  to?: InetPrefix;
  tos?: number;
  fwmark?: { value: number; mask: number };
  iif?: string;
  oif?: string;
  action?: PolicyRule['action']['kind'];
  table?: number;
}

const UNMODELLED_RULE_KEYS = [
  'realms', 'suppress_prefixlength', 'suppress_ifgroup', 'l3mdev', 'uidrange', 'ipproto', 'sport', 'dport', 'protocol',
  'nat', 'map-to', 'goto', 'nop', 'flowlabel', 'dscp',
];

function parseSelector(a: Args, mode: 'add' | 'del' | 'show'): RuleSpec {
  const s: RuleSpec = {};
  while (!a.done) {
    const w = a.take();
    if (w === 'not') s.not = true;
    else if (w === 'from') s.from = parsePrefix(a.value());
    else if (w === 'to') s.to = parsePrefix(a.value());
    else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = a.value();
      const p = parseU32(v);
      if (p === undefined) throw invarg('preference value is invalid', v);
      s.priority = p;
    } else if (matches(w, 'tos') || matches(w, 'dsfield')) {
      const v = a.value();
      const t = /^(0[xX])?[0-9a-fA-F]{1,2}$/.test(v) ? parseInt(v.replace(/^0[xX]/, ''), 16) : undefined;
      if (t === undefined) throw invarg('TOS value is invalid', v);
      s.tos = t;
    } else if (w === 'fwmark') {
      const v = a.value();
      const [mv, mk] = v.split('/', 2);
      const value = parseU32(mv);
      if (value === undefined) throw invarg('fwmark value is invalid', v);
      let mask = 0xffffffff;
      if (mk !== undefined) {
        const m = parseU32(mk);
        if (m === undefined) throw invarg('fwmask value is invalid', mk);
        mask = m;
      }
      s.fwmark = { value, mask };
    } else if (matches(w, 'table') || w === 'lookup') {
      const v = a.value();
      const t = parseTable(v);
      if (t === undefined) throw invarg('invalid table ID', v);
      s.table = t;
      s.action = 'table';
    } else if (w === 'dev' || w === 'iif') s.iif = a.value();
    else if (w === 'oif') s.oif = a.value();
    else if (UNMODELLED_RULE_KEYS.includes(w)) throw notModelled(`rule attribute "${w}"`);
    else {
      const v = w === 'type' ? a.value() : w;
      if (mode === 'show') throw invarg('Failed to parse rule selector', v);
      if (v === 'unicast') s.action = 'table';
      else if (v === 'blackhole' || v === 'unreachable' || v === 'prohibit') s.action = v;
      else if (v === 'nat' || v === 'goto' || v === 'nop') throw notModelled(`rule type "${v}"`);
      else throw invarg('Failed to parse rule type', v);
    }
  }
  return s;
}

function toRule(s: RuleSpec, priority: number): PolicyRule {
  const action: PolicyRule['action'] =
    s.action === undefined || s.action === 'table' ? { kind: 'table', table: s.table ?? TABLE_MAIN } : { kind: s.action };
  return {
    priority,
    not: s.not ?? false,
    // `from all` (0/0) is no selector at all.
    from: s.from && s.from.prefixLen > 0 ? { address: masked(s.from), prefixLen: s.from.prefixLen } : undefined,
    to: s.to && s.to.prefixLen > 0 ? { address: masked(s.to), prefixLen: s.to.prefixLen } : undefined,
    iif: s.iif,
    oif: s.oif,
    fwmark: s.fwmark,
    tos: s.tos,
    action,
  };
}

function masked(p: InetPrefix): number {
  return (p.address & prefixMask(p.prefixLen)) >>> 0;
}

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    a.priority === b.priority &&
    a.not === b.not &&
    samePrefix(a.from, b.from) &&
    samePrefix(a.to, b.to) &&
    a.iif === b.iif &&
    a.oif === b.oif &&
    a.tos === b.tos &&
    a.fwmark?.value === b.fwmark?.value &&
    a.fwmark?.mask === b.fwmark?.mask &&
    a.action.kind === b.action.kind &&
    (a.action.kind !== 'table' || b.action.kind !== 'table' || a.action.table === b.action.table)
  );
}

function samePrefix(x: PolicyRule['from'], y: PolicyRule['from']): boolean {
  return x?.address === y?.address && x?.prefixLen === y?.prefixLen;
}

/** rule_find: every attribute the request carries must match; the others are wildcards. */
function matchesSpec(r: PolicyRule, s: RuleSpec): boolean {
  if (s.priority !== undefined && r.priority !== s.priority) return false;
  if (s.not !== undefined && r.not !== s.not) return false;
  if (s.from !== undefined && !samePrefix(r.from, toRule(s, 0).from)) return false;
  if (s.to !== undefined && !samePrefix(r.to, toRule(s, 0).to)) return false;
  if (s.tos !== undefined && r.tos !== s.tos) return false;
  if (s.fwmark !== undefined && (r.fwmark?.value !== s.fwmark.value || r.fwmark?.mask !== s.fwmark.mask)) return false;
  if (s.iif !== undefined && r.iif !== s.iif) return false;
  if (s.oif !== undefined && r.oif !== s.oif) return false;
  if (s.action !== undefined && r.action.kind !== s.action) return false;
  if (s.table !== undefined && (r.action.kind !== 'table' || r.action.table !== s.table)) return false;
  return true;
}

function ruleAdd(s: RuleSpec): IpRun {
  return (host) => {
    const rule = toRule(s, s.priority ?? host.fib.defaultRulePriority());
    // iproute2 asks with NLM_F_EXCL: an identical rule is refused (rule_exists).
    if (host.fib.rules.some((r) => sameRule(r, rule))) throw rtnl('File exists');
    host.fib.addRule(rule);
    return ok();
  };
}

function ruleDel(s: RuleSpec): IpRun {
  return (host) => {
    const i = host.fib.rules.findIndex((r) => matchesSpec(r, s));
    if (i < 0) throw rtnl('No such file or directory');
    host.fib.rules.splice(i, 1);
    return ok();
  };
}

function ruleFlush(a: Args): IpRun {
  if (!a.done) throw notModelled('selectors on "ip rule flush"');
  // Every rule but priority 0 goes: the kernel dumps that one without FRA_PRIORITY, so iproute2 keeps it.
  return (host) => {
    host.fib.rules = host.fib.rules.filter((r) => r.priority === 0);
    return ok();
  };
}

function ruleShow(s: RuleSpec): IpRun {
  return (host: Host) => ({ exit: 0, output: text(host.fib.rules.filter((r) => matchesSpec(r, s)).map(formatRule)) });
}

/** print_rule. */
export function formatRule(r: PolicyRule): string {
  let line = `${r.priority}:\t`;
  if (r.not) line += 'not ';
  line += r.from ? `from ${formatPrefix(r.from.address, r.from.prefixLen, formatIpv4)}` : 'from all';
  if (r.to) line += ` to ${formatPrefix(r.to.address, r.to.prefixLen, formatIpv4)}`;
  if (r.tos !== undefined && r.tos !== 0) line += ` tos 0x${r.tos.toString(16).padStart(2, '0')}`;
  if (r.fwmark) line += r.fwmark.mask === 0xffffffff ? ` fwmark 0x${r.fwmark.value.toString(16)}` : ` fwmark 0x${r.fwmark.value.toString(16)}/0x${r.fwmark.mask.toString(16)}`;
  if (r.iif !== undefined) line += ` iif ${r.iif}`;
  if (r.oif !== undefined) line += ` oif ${r.oif}`;
  const act = r.action;
  line += act.kind === 'table' ? ` lookup ${tableName(act.table)}` : ` ${act.kind}`;
  return line;
}
