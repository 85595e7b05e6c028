import type { ChainView, Host, IptError, IptRule } from '../../net/index.ts';
import { ok, type CommandResult } from '../AdminCommand.ts';
import { iptcError, paramProblem, VERSION } from './errors.ts';
import { Fmt, FMT_PRINT_RULE, printHeader, printRule, saveRule } from './formatIptables.ts';
import type { IptablesCall } from './parseIptables.ts';

/**
 * Carries out a parsed `iptables` command on a host's engine (iptables.c do_command4): rule changes, chain
 * operations and the listings, with libiptc's refusals turned into the tool's messages.
 */
export function applyIptables(host: Host, c: IptablesCall): CommandResult {
  const ipt = host.iptables;
  const t = c.table;
  const chain = c.chain ?? '';
  const out: string[] = [];
  const check = (err: IptError | undefined): void => {
    if (err) throw iptcError(err.message);
  };
  switch (c.command) {
    case 'version':
      return ok([VERSION]);
    case 'help':
      return ok(usage());
    case 'append':
    case 'insert':
    case 'check':
    case 'delete':
    case 'replace':
      for (const rule of c.rules) {
        requireJumpTarget(host, c, rule);
        if (c.verbose) out.push(printRule(rule, { packets: 0, bytes: 0 }, 0, FMT_PRINT_RULE));
        if (c.command === 'append') check(ipt.append(t, chain, rule));
        else if (c.command === 'insert') check(ipt.insert(t, chain, c.ruleNum ?? 1, rule));
        else if (c.command === 'check') check(ipt.check(t, chain, rule));
        else if (c.command === 'delete') check(ipt.delete(t, chain, rule));
        else check(ipt.replace(t, chain, c.ruleNum ?? 1, rule));
      }
      return ok(out);
    case 'deleteNum':
      check(ipt.delete(t, chain, c.ruleNum ?? 1));
      return ok();
    case 'list':
    case 'listRules': {
      const views = ipt.list(t, c.chain);
      if (!Array.isArray(views)) throw iptcError(views.message);
      const lines = c.command === 'list' ? listTable(views, c) : listRules(views, c);
      if (c.alsoZero) check(ipt.zero(t, c.chain));
      return ok(lines);
    }
    case 'flush':
    case 'zero':
    case 'zeroNum': {
      const views = ipt.list(t, c.chain);
      if (!Array.isArray(views)) throw iptcError(views.message);
      if (c.verbose && c.command !== 'zeroNum') for (const v of views) out.push(`${c.command === 'flush' ? 'Flushing' : 'Zeroing'} chain \`${v.name}'`);
      if (c.command === 'flush') check(ipt.flush(t, c.chain));
      else check(ipt.zero(t, c.chain, c.command === 'zeroNum' ? c.ruleNum : undefined));
      return ok(out);
    }
    case 'newChain':
      check(ipt.newChain(t, chain));
      return ok();
    case 'deleteChain': {
      if (c.verbose) {
        const views = ipt.list(t, c.chain);
        if (Array.isArray(views)) for (const v of views) if (v.policy === undefined) out.push(`Deleting chain \`${v.name}'`);
      }
      check(ipt.deleteChain(t, c.chain));
      return ok(out);
    }
    case 'renameChain':
      check(ipt.renameChain(t, chain, c.newName ?? ''));
      return ok();
    case 'policy':
      check(ipt.setPolicy(t, chain, c.policy ?? ''));
      return ok();
  }
}

/**
 * A `-j NAME` that is no target extension must be a chain of the table; otherwise loading NAME as an extension
 * fails (xtables_find_target with XTF_LOAD_MUST_SUCCEED).
 */
function requireJumpTarget(host: Host, c: IptablesCall, rule: IptRule): void {
  const target = rule.target;
  if (target.kind === 'jump' && !host.iptables.hasChain(c.table, target.chain)) {
    throw paramProblem(`Couldn't load target \`${target.chain}':No such file or directory\n`);
  }
}

/** list_entries: each chain's header, then its rules; a blank line between chains. */
function listTable(views: readonly ChainView[], c: IptablesCall): string[] {
  let format = Fmt.options;
  format |= c.verbose ? Fmt.via : Fmt.noCounts;
  if (c.numeric) format |= Fmt.numeric;
  if (!c.exact) format |= Fmt.kiloMegaGiga;
  if (c.lineNumbers) format |= Fmt.lineNumbers;
  const lines: string[] = [];
  views.forEach((v, k) => {
    if (k > 0) lines.push('');
    if (c.ruleNum === undefined) lines.push(...printHeader(v, format));
    v.rules.forEach((r, i) => {
      if (c.ruleNum === undefined || c.ruleNum === i + 1) lines.push(printRule(r.rule, r, i + 1, format));
    });
  });
  return lines;
}

/** list_rules (-S): policies and new chains first, then every rule as iptables-save writes it. */
function listRules(views: readonly ChainView[], c: IptablesCall): string[] {
  const lines: string[] = [];
  if (c.ruleNum === undefined) {
    for (const v of views) {
      if (v.policy !== undefined) lines.push(`-P ${v.name} ${v.policy}` + (c.verbose ? ` -c ${v.packets} ${v.bytes}` : ''));
      else lines.push(`-N ${v.name}`);
    }
  }
  for (const v of views) {
    v.rules.forEach((r, i) => {
      if (c.ruleNum === undefined || c.ruleNum === i + 1) lines.push(saveRule(v.name, r.rule, c.verbose ? r : undefined));
    });
  }
  return lines;
}

function usage(): string[] {
  const p = 'iptables';
  return [
    'iptables v1.8.9',
    '',
    `Usage: ${p} -[ACD] chain rule-specification [options]`,
    `       ${p} -I chain [rulenum] rule-specification [options]`,
    `       ${p} -R chain rulenum rule-specification [options]`,
    `       ${p} -D chain rulenum [options]`,
    `       ${p} -[LS] [chain [rulenum]] [options]`,
    `       ${p} -[FZ] [chain] [options]`,
    `       ${p} -[NX] chain`,
    `       ${p} -E old-chain-name new-chain-name`,
    `       ${p} -P chain target [options]`,
    `       ${p} -h (print this help information)`,
  ];
}
