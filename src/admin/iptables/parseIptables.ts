import type { AddrSpec, IfaceSpec, IptRule, MatchSpec, TableName, TargetSpec } from '../../net/index.ts';
import { parseAbbreviatedIpv4, prefixMask } from '../../wire/index.ts';
import { badArgument, notModelled, noTable, paramProblem } from './errors.ts';
import { loadMatch, loadTarget, TARGET_NAMES, type Extension, type OptSpec, type ParseContext } from './extensions.ts';
import { parseProtocol } from './names.ts';

/**
 * `iptables` argument parsing as iptables-legacy 1.8.9 does it (iptables/xshared.c do_parse, iptables.c
 * do_command4): getopt_long over the base options plus those of every loaded match and target, in the order
 * given; `!` inverts the option after it; commands with optional arguments take the next word when it does not
 * start with `-` or `!`; an option nothing knows loads the match of the `-p` protocol once (`-p tcp --dport 80`).
 * The result is the rules to act on, already in the kernel's form. Everything here is syntax: whether a chain
 * exists is the engine's answer.
 */

export type IptCommand =
  | 'append'
  | 'check'
  | 'delete'
  | 'deleteNum'
  | 'insert'
  | 'replace'
  | 'list'
  | 'listRules'
  | 'flush'
  | 'zero'
  | 'zeroNum'
  | 'newChain'
  | 'deleteChain'
  | 'renameChain'
  | 'policy'
  | 'version'
  | 'help';

export interface IptablesCall {
  readonly command: IptCommand;
  /** `-L`/`-S` together with `-Z`: list, then zero. */
  readonly alsoZero: boolean;
  readonly table: TableName;
  readonly chain?: string;
  readonly newName?: string;
  readonly policy?: string;
  readonly ruleNum?: number;
  /** The rules of -A/-C/-D/-I/-R: one per source × destination address given. */
  readonly rules: readonly IptRule[];
  readonly verbose: boolean;
  readonly numeric: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

// Command bits and their letters (iptables.c CMD_* and cmdflags[]).
const CMD = {
  INSERT: 0x1,
  DELETE: 0x2,
  DELETE_NUM: 0x4,
  REPLACE: 0x8,
  APPEND: 0x10,
  LIST: 0x20,
  FLUSH: 0x40,
  ZERO: 0x80,
  NEW_CHAIN: 0x100,
  DELETE_CHAIN: 0x200,
  SET_POLICY: 0x400,
  RENAME_CHAIN: 0x800,
  LIST_RULES: 0x1000,
  ZERO_NUM: 0x2000,
  CHECK: 0x4000,
} as const;
const CMD_LETTERS = ['I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z', 'N', 'X', 'P', 'E', 'S', 'Z', 'C'];

// Option bits in optflags[] order: n s d p j v x i o --line c f.
const OPT_LETTERS = ['n', 's', 'd', 'p', 'j', 'v', 'x', 'i', 'o', '0', 'c', 'f'];
const OPT = { n: 1, s: 2, d: 4, p: 8, j: 16, v: 32, x: 64, i: 128, o: 256, line: 512 } as const;
const INVERTIBLE = OPT.s | OPT.d | OPT.p | OPT.i | OPT.o;

/** commands_v_options: 'x' marks an option illegal with that command (rows in CMD bit order, columns as OPT_LETTERS). */
const LEGAL: readonly string[] = [
  'x.....x..x..', // INSERT
  'x.....x..xx.', // DELETE
  'xxxxx.xxxxxx', // DELETE_NUM
  'x.....x..x..', // REPLACE
  'x.....x..x..', // APPEND
  '.xxxx..xx.xx', // LIST
  'xxxxx.xxxxxx', // FLUSH
  'xxxxx.xxxxxx', // ZERO
  'xxxxx.xxxxxx', // NEW_CHAIN
  'xxxxx.xxxxxx', // DELETE_CHAIN
  'xxxxx.xxxx.x', // SET_POLICY
  'xxxxx.xxxxxx', // RENAME_CHAIN
  'xxxxx.xxxxxx', // LIST_RULES
  'xxxxx.xxxxxx', // ZERO_NUM
  'x.....x..xx.', // CHECK
];

type ArgKind = 'none' | 'req' | 'opt';

/** The base long options (original_opts) and the short option each stands for. */
const LONG: ReadonlyArray<readonly [string, string, ArgKind]> = [
  ['append', 'A', 'req'],
  ['delete', 'D', 'req'],
  ['check', 'C', 'req'],
  ['insert', 'I', 'req'],
  ['replace', 'R', 'req'],
  ['list', 'L', 'opt'],
  ['list-rules', 'S', 'opt'],
  ['flush', 'F', 'opt'],
  ['zero', 'Z', 'opt'],
  ['new-chain', 'N', 'req'],
  ['delete-chain', 'X', 'opt'],
  ['rename-chain', 'E', 'req'],
  ['policy', 'P', 'req'],
  ['source', 's', 'req'],
  ['destination', 'd', 'req'],
  ['src', 's', 'req'],
  ['dst', 'd', 'req'],
  ['protocol', 'p', 'req'],
  ['in-interface', 'i', 'req'],
  ['jump', 'j', 'req'],
  ['table', 't', 'req'],
  ['match', 'm', 'req'],
  ['numeric', 'n', 'none'],
  ['out-interface', 'o', 'req'],
  ['verbose', 'v', 'none'],
  ['wait', 'w', 'opt'],
  ['wait-interval', 'W', 'opt'],
  ['exact', 'x', 'none'],
  ['fragments', 'f', 'none'],
  ['version', 'V', 'none'],
  ['help', 'h', 'opt'],
  ['line-numbers', '0', 'none'],
  ['modprobe', 'M', 'req'],
  ['set-counters', 'c', 'req'],
  ['goto', 'g', 'req'],
  ['ipv4', '4', 'none'],
  ['ipv6', '6', 'none'],
];

/** The short options of the getopt string "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46". */
const SHORT: Readonly<Record<string, ArgKind>> = {
  A: 'req', C: 'req', D: 'req', R: 'req', I: 'req', L: 'opt', S: 'opt', M: 'req', F: 'opt', Z: 'opt', N: 'req',
  X: 'opt', E: 'req', P: 'req', V: 'none', h: 'opt', o: 'req', p: 'req', s: 'req', d: 'req', j: 'req', i: 'req',
  f: 'none', b: 'none', v: 'none', w: 'opt', W: 'opt', n: 'none', t: 'req', m: 'req', x: 'none', c: 'req', g: 'req',
  '4': 'none', '6': 'none',
};

const TABLES: readonly TableName[] = ['filter', 'nat', 'mangle'];
const CHAIN_MAX = 29; // XT_EXTENSION_MAXNAMELEN

export function parseIptables(args: readonly string[]): IptablesCall {
  return new Parser(args).run();
}

class Parser {
  private i = 0;
  private command = 0;
  private options = 0;
  private invFlags = 0;
  private invert = false;
  private table: TableName = 'filter';
  private chain: string | undefined;
  private newName: string | undefined;
  private policy: string | undefined;
  private ruleNum: number | undefined;
  private srcText: string | undefined;
  private dstText: string | undefined;
  private proto = 0;
  private protoGiven = false;
  private protoMatchLoaded = false;
  private inIface: string | undefined;
  private outIface: string | undefined;
  private readonly matches: Array<Extension<MatchSpec>> = [];
  private jumpTo: string | undefined;
  private target: Extension<TargetSpec> | undefined;
  private verbose = false;

  constructor(private readonly args: readonly string[]) {}

  run(): IptablesCall {
    const a = this.args;
    while (this.i < a.length) {
      const w = a[this.i++];
      if (w === '--') {
        if (this.i < a.length) throw paramProblem('unknown arguments found on commandline');
        break;
      }
      if (w.startsWith('--')) this.longOption(w);
      else if (w.startsWith('-') && w.length > 1) this.shortCluster(w);
      else this.word(w);
      // -V and -h print and exit as soon as getopt returns them.
      if (this.early) return this.early;
    }
    return this.finish();
  }

  private early: IptablesCall | undefined;

  // ------------------------------------------------------------------ tokens

  private word(w: string): void {
    if (w === '!') {
      if (this.invert) throw paramProblem('multiple consecutive ! not allowed');
      this.invert = true;
      return;
    }
    throw badArgument(w);
  }

  private shortCluster(w: string): void {
    for (let j = 1; j < w.length; j++) {
      const c = w[j];
      const kind = SHORT[c];
      if (kind === undefined) throw paramProblem(`unknown option "-${c}"`);
      let arg: string | undefined;
      const rest = w.slice(j + 1);
      if (kind === 'req') {
        if (rest !== '') arg = rest;
        else if (this.i < this.args.length) arg = this.args[this.i++];
        else throw paramProblem(`option "${w}" requires an argument`);
        this.option(c, arg);
        return;
      }
      if (kind === 'opt' && rest !== '') {
        this.option(c, rest);
        return;
      }
      this.option(c, undefined);
    }
  }

  private longOption(w: string): void {
    const eq = w.indexOf('=');
    const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
    const inline = eq < 0 ? undefined : w.slice(eq + 1);
    let hit = this.resolve(name);
    if (!hit && this.loadProtoMatch()) hit = this.resolve(name);
    if (!hit) throw paramProblem(`unknown option "${w}"`);
    if (hit.kind === 'base') {
      let arg = inline;
      if (hit.arg === 'req' && arg === undefined) {
        if (this.i >= this.args.length) throw paramProblem(`option "${w}" requires an argument`);
        arg = this.args[this.i++];
      }
      this.option(hit.c, arg);
      return;
    }
    const { ext, spec, full } = hit;
    if (spec.unsupported) throw notModelled(`option "--${full}" of ${ext.name}`);
    if (this.invert && !spec.invert) throw paramProblem(`${ext.name}: option "--${full}" cannot be inverted.`);
    let arg = inline ?? '';
    if (spec.arg && inline === undefined) {
      if (this.i >= this.args.length) throw paramProblem(`option "${w}" requires an argument`);
      arg = this.args[this.i++];
    }
    const ctx: ParseContext = { proto: this.proto, protoInvert: (this.invFlags & OPT.p) !== 0 };
    ext.parse(spec.id, full, arg, this.invert, ctx);
    this.invert = false;
  }

  /** getopt_long: an exact name, else a unique prefix of one, among the base and the loaded extensions' options. */
  private resolve(
    name: string,
  ): { kind: 'base'; c: string; arg: ArgKind } | { kind: 'ext'; ext: Extension<MatchSpec> | Extension<TargetSpec>; spec: OptSpec; full: string } | undefined {
    type Cand = { full: string; base?: readonly [string, string, ArgKind]; ext?: Extension<MatchSpec> | Extension<TargetSpec>; spec?: OptSpec };
    const cands: Cand[] = [];
    for (const b of LONG) cands.push({ full: b[0], base: b });
    // The newest extension that offers an option owns it (a second `-m tcp` gets the next --dport).
    const exts: Array<Extension<MatchSpec> | Extension<TargetSpec>> = [...this.matches].reverse();
    if (this.target) exts.unshift(this.target);
    for (const e of exts) for (const [full, spec] of e.options) if (!cands.some((c) => c.full === full)) cands.push({ full, ext: e, spec });
    if (name === '') return undefined;
    const exact = cands.find((c) => c.full === name);
    const pick = exact ?? (() => {
      const p = cands.filter((c) => c.full.startsWith(name));
      const distinct = new Set(p.map((c) => (c.base ? c.base[1] : `${c.ext!.name}:${c.spec!.id}`)));
      return distinct.size === 1 ? p[0] : undefined;
    })();
    if (!pick) return undefined;
    if (pick.base) return { kind: 'base', c: pick.base[1], arg: pick.base[2] };
    return { kind: 'ext', ext: pick.ext!, spec: pick.spec!, full: pick.full };
  }

  /** load_proto: `-p tcp` brings in the tcp match the first time an option is unknown. */
  private loadProtoMatch(): boolean {
    if (!this.protoGiven || this.protoMatchLoaded) return false;
    const name = this.proto === 6 ? 'tcp' : this.proto === 17 ? 'udp' : this.proto === 1 ? 'icmp' : undefined;
    if (!name) return false;
    this.protoMatchLoaded = true;
    if (this.matches.some((m) => m.name === name)) return false;
    this.matches.push(loadMatch(name));
    return true;
  }

  /** xs_has_arg: the next word is an argument of the command rather than an option. */
  private hasArg(): boolean {
    const n = this.args[this.i];
    return n !== undefined && !n.startsWith('-') && !n.startsWith('!');
  }

  // ------------------------------------------------------------------ options

  private addCommand(bit: number, others: number): void {
    if (this.invert) throw paramProblem('unexpected ! flag');
    const clash = this.command & ~others;
    if (clash) throw paramProblem(`Cannot use -${cmdLetter(bit)} with -${cmdLetter(clash)}`);
    this.command |= bit;
  }

  private setOption(bit: number): void {
    if (this.options & bit) throw paramProblem(`multiple -${optLetter(bit)} flags not allowed`);
    this.options |= bit;
    if (this.invert) {
      if (!(INVERTIBLE & bit)) throw paramProblem(`cannot have ! before -${optLetter(bit)}`);
      this.invFlags |= bit;
    }
  }

  private option(c: string, arg: string | undefined): void {
    switch (c) {
      case 'A':
        this.addCommand(CMD.APPEND, 0);
        this.chain = arg;
        break;
      case 'C':
        this.addCommand(CMD.CHECK, 0);
        this.chain = arg;
        break;
      case 'D':
        this.addCommand(CMD.DELETE, 0);
        this.chain = arg;
        if (this.hasArg()) {
          this.ruleNum = ruleNumber(this.args[this.i++]);
          this.command = CMD.DELETE_NUM;
        }
        break;
      case 'R':
        this.addCommand(CMD.REPLACE, 0);
        this.chain = arg;
        if (!this.hasArg()) throw paramProblem('-R requires a rule number');
        this.ruleNum = ruleNumber(this.args[this.i++]);
        break;
      case 'I':
        this.addCommand(CMD.INSERT, 0);
        this.chain = arg;
        this.ruleNum = this.hasArg() ? ruleNumber(this.args[this.i++]) : 1;
        break;
      case 'L':
      case 'S':
        this.addCommand(c === 'L' ? CMD.LIST : CMD.LIST_RULES, CMD.ZERO | CMD.ZERO_NUM);
        this.chain = arg ?? (this.hasArg() ? this.args[this.i++] : undefined);
        if (this.hasArg()) this.ruleNum = ruleNumber(this.args[this.i++]);
        break;
      case 'F':
        this.addCommand(CMD.FLUSH, 0);
        this.chain = arg ?? (this.hasArg() ? this.args[this.i++] : undefined);
        break;
      case 'Z':
        this.addCommand(CMD.ZERO, CMD.LIST | CMD.LIST_RULES);
        this.chain = arg ?? (this.hasArg() ? this.args[this.i++] : this.chain);
        if (this.hasArg()) {
          this.ruleNum = ruleNumber(this.args[this.i++]);
          this.command = (this.command & ~CMD.ZERO) | CMD.ZERO_NUM;
        }
        break;
      case 'N':
        this.addCommand(CMD.NEW_CHAIN, 0);
        this.chain = arg;
        break;
      case 'X':
        this.addCommand(CMD.DELETE_CHAIN, 0);
        this.chain = arg ?? (this.hasArg() ? this.args[this.i++] : undefined);
        break;
      case 'E':
        this.addCommand(CMD.RENAME_CHAIN, 0);
        this.chain = arg;
        if (!this.hasArg()) throw paramProblem('-E requires old-chain-name and new-chain-name');
        this.newName = this.args[this.i++];
        break;
      case 'P':
        this.addCommand(CMD.SET_POLICY, 0);
        this.chain = arg;
        if (!this.hasArg()) throw paramProblem('-P requires a chain and a policy');
        this.policy = this.args[this.i++];
        break;
      case 'h':
        this.early = this.special('help');
        break;
      case 'V':
        this.early = this.special('version');
        break;
      case 's':
        this.setOption(OPT.s);
        this.srcText = arg;
        break;
      case 'd':
        this.setOption(OPT.d);
        this.dstText = arg;
        break;
      case 'p': {
        this.setOption(OPT.p);
        const text = (arg ?? '').toLowerCase();
        const n = parseProtocol(text);
        if (n === undefined) throw paramProblem(`unknown protocol "${text}" specified`);
        if (n === 0 && this.invFlags & OPT.p) throw paramProblem('rule would never match protocol');
        this.proto = n;
        this.protoGiven = true;
        break;
      }
      case 'i':
      case 'o': {
        this.setOption(c === 'i' ? OPT.i : OPT.o);
        const name = arg ?? '';
        if (name.length > 15) throw paramProblem(`interface name \`${name}' must be shorter than IFNAMSIZ (15)`);
        if (c === 'i') this.inIface = name;
        else this.outIface = name;
        break;
      }
      case 'j':
        this.setOption(OPT.j);
        this.jump(arg ?? '');
        break;
      case 'g':
        throw notModelled('option "--goto"');
      case 't': {
        if (this.invert) throw paramProblem('unexpected ! flag before --table');
        const t = arg ?? '';
        if (!(TABLES as readonly string[]).includes(t)) throw noTable(t);
        this.table = t as TableName;
        break;
      }
      case 'm':
        if (this.invert) throw paramProblem('unexpected ! flag before --match');
        this.matches.push(loadMatch(arg ?? ''));
        if (arg === 'tcp' || arg === 'udp' || arg === 'icmp') this.protoMatchLoaded = true;
        break;
      case 'n':
        this.setOption(OPT.n);
        break;
      case 'v':
        if (!this.verbose) this.setOption(OPT.v);
        this.verbose = true;
        break;
      case 'x':
        this.setOption(OPT.x);
        break;
      case '0':
        this.setOption(OPT.line);
        break;
      case 'w':
      case 'W':
        // The xtables lock: nothing to wait for in the lab; an optional number is taken and ignored.
        if (arg === undefined && this.hasArg() && /^\d+$/.test(this.args[this.i])) this.i++;
        break;
      case 'M':
      case '4':
      case 'b':
        break;
      case '6':
        throw paramProblem('This is the IPv4 version of iptables.');
      case 'c':
        throw notModelled('option "--set-counters"');
      case 'f':
        throw notModelled('option "--fragment"');
    }
    this.invert = false;
  }

  private jump(name: string): void {
    if (name.length < 1) throw paramProblem('Invalid target name (too short)');
    if (name.length >= CHAIN_MAX) throw paramProblem(`Invalid target name \`${name}' (${CHAIN_MAX - 1} chars max)`);
    if (/\s/.test(name)) throw paramProblem(`Invalid target name \`${name}'`);
    this.jumpTo = name;
    this.target = loadTarget(name);
  }

  private special(command: 'help' | 'version'): IptablesCall {
    return { ...this.base(), command };
  }

  private base(): Omit<IptablesCall, 'command'> {
    return {
      alsoZero: false,
      table: this.table,
      rules: [],
      verbose: this.verbose,
      numeric: (this.options & OPT.n) !== 0,
      exact: (this.options & OPT.x) !== 0,
      lineNumbers: (this.options & OPT.line) !== 0,
    };
  }

  // ------------------------------------------------------------------ checks and result

  private finish(): IptablesCall {
    if (this.table === 'nat' && (this.policy === 'DROP' || this.jumpTo === 'DROP')) {
      throw paramProblem('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
    }
    const matchSpecs = this.matches.map((m) => m.final());
    const targetSpec = this.targetSpec();
    if (this.command === 0) throw paramProblem('no command specified');
    if (this.invert) throw paramProblem('nothing appropriate following !');
    this.optCheck();
    const cmd = this.command;
    const chain = this.chain;
    const ruleCmd = cmd & (CMD.APPEND | CMD.DELETE | CMD.CHECK | CMD.INSERT | CMD.REPLACE);
    if (chain !== undefined && chain.length >= CHAIN_MAX) throw paramProblem(`chain name \`${chain}' too long (must be under ${CHAIN_MAX} chars)`);
    if (ruleCmd && chain !== undefined) {
      if ((chain === 'PREROUTING' || chain === 'INPUT') && this.options & OPT.o) throw paramProblem(`Can't use -o with ${chain}`);
      if ((chain === 'POSTROUTING' || chain === 'OUTPUT') && this.options & OPT.i) throw paramProblem(`Can't use -i with ${chain}`);
    }
    if (cmd & CMD.NEW_CHAIN) checkChainName(chain ?? '');
    if (cmd & CMD.RENAME_CHAIN) checkChainName(this.newName ?? '');
    const rules = ruleCmd ? this.rules(matchSpecs, targetSpec) : [];
    if (cmd & CMD.REPLACE && rules.length !== 1) throw paramProblem('Replacement rule does not specify a unique address');
    return {
      ...this.base(),
      command: commandName(cmd),
      alsoZero: (cmd & (CMD.LIST | CMD.LIST_RULES)) !== 0 && (cmd & (CMD.ZERO | CMD.ZERO_NUM)) !== 0,
      chain,
      newName: this.newName,
      policy: this.policy,
      ruleNum: this.ruleNum,
      rules,
    };
  }

  private targetSpec(): TargetSpec {
    if (this.target) return this.target.final();
    const j = this.jumpTo;
    if (j === undefined) return { kind: 'continue' };
    if (j === 'ACCEPT' || j === 'DROP' || j === 'RETURN') return { kind: j };
    return { kind: 'jump', chain: j };
  }

  /** generic_opt_check: every option given must be legal with at least one of the commands given. */
  private optCheck(): void {
    for (let o = 0; o < OPT_LETTERS.length; o++) {
      if (!(this.options & (1 << o))) continue;
      let legal = 0;
      for (let k = 0; k < LEGAL.length; k++) {
        if (!(this.command & (1 << k))) continue;
        if (LEGAL[k][o] !== 'x') legal = 1;
        else if (legal === 0) legal = -1;
      }
      if (legal === -1) throw paramProblem(`Illegal option \`-${OPT_LETTERS[o]}' with this command`);
    }
  }

  private rules(matches: MatchSpec[], target: TargetSpec): IptRule[] {
    const srcs = this.srcText !== undefined ? parseAddresses(this.srcText, (this.invFlags & OPT.s) !== 0) : [undefined];
    const dsts = this.dstText !== undefined ? parseAddresses(this.dstText, (this.invFlags & OPT.d) !== 0) : [undefined];
    const iface = (name: string | undefined, bit: number): IfaceSpec | undefined => (name === undefined ? undefined : { name, invert: (this.invFlags & bit) !== 0 });
    const out: IptRule[] = [];
    for (const src of srcs) {
      for (const dst of dsts) {
        out.push({
          src,
          dst,
          proto: this.proto,
          protoInvert: (this.invFlags & OPT.p) !== 0,
          inIface: iface(this.inIface, OPT.i),
          outIface: iface(this.outIface, OPT.o),
          matches,
          target,
        });
      }
    }
    return out;
  }
}

function cmdLetter(bits: number): string {
  let k = 0;
  while (bits > 1) {
    bits >>>= 1;
    k++;
  }
  return CMD_LETTERS[k];
}

function optLetter(bit: number): string {
  return OPT_LETTERS[Math.log2(bit)];
}

function commandName(cmd: number): IptCommand {
  if (cmd & CMD.LIST) return 'list';
  if (cmd & CMD.LIST_RULES) return 'listRules';
  if (cmd & CMD.APPEND) return 'append';
  if (cmd & CMD.CHECK) return 'check';
  if (cmd & CMD.DELETE) return 'delete';
  if (cmd & CMD.DELETE_NUM) return 'deleteNum';
  if (cmd & CMD.INSERT) return 'insert';
  if (cmd & CMD.REPLACE) return 'replace';
  if (cmd & CMD.FLUSH) return 'flush';
  if (cmd & CMD.ZERO_NUM) return 'zeroNum';
  if (cmd & CMD.ZERO) return 'zero';
  if (cmd & CMD.NEW_CHAIN) return 'newChain';
  if (cmd & CMD.DELETE_CHAIN) return 'deleteChain';
  if (cmd & CMD.RENAME_CHAIN) return 'renameChain';
  return 'policy';
}

/** parse_rulenumber: 1 .. INT_MAX. */
function ruleNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 2147483647) throw paramProblem(`Invalid rule number \`${text}'`);
  return Number(text);
}

/** parse_chain / assert_valid_chain_name for `-N` and `-E`. */
function checkChainName(name: string): void {
  if (name.length >= CHAIN_MAX) throw paramProblem(`chain name \`${name}' too long (must be under ${CHAIN_MAX} chars)`);
  if (name.startsWith('-') || name.startsWith('!')) throw paramProblem(`chain name not allowed to start with \`${name[0]}'`);
  if (TARGET_NAMES.includes(name)) throw paramProblem('chain name may not clash with target name');
  if (/\s/.test(name) || name === '') throw paramProblem(`Invalid chain name \`${name}'`);
}

/**
 * xtables_ipparse_multiple: comma-separated ADDR[/MASK], MASK a length or a dotted mask; the address is
 * stored masked (`-s 10.1.2.3/8` is 10.0.0.0/8). Names would need DNS, which the lab has not.
 */
function parseAddresses(text: string, invert: boolean): AddrSpec[] {
  const out: AddrSpec[] = [];
  for (const item of text.split(',')) {
    const slash = item.indexOf('/');
    const addrText = slash < 0 ? item : item.slice(0, slash);
    const addr = parseAbbreviatedIpv4(addrText, true);
    if (addr === undefined) throw paramProblem(`host/network \`${addrText}' not found`);
    let mask = 0xffffffff;
    if (slash >= 0) {
      const m = item.slice(slash + 1);
      if (/^\d{1,2}$/.test(m) && Number(m) <= 32) mask = prefixMask(Number(m));
      else {
        const dotted = m.includes('.') ? parseAbbreviatedIpv4(m, false) : undefined;
        if (dotted === undefined) throw paramProblem(`invalid mask \`${m}' specified`);
        mask = dotted;
      }
    }
    out.push({ addr: (addr & mask) >>> 0, mask, invert });
  }
  return out;
}
