/**
 * The slice of libpopt (poptGetNextOpt, poptGetArg, poptBadOption, poptStrerror) that ipvsadm's command line
 * goes through: short options bundled (`-Lnc`), a short option's argument attached (`-p300`, `-s=rr`) or
 * separate, long options with `--name=value` or a separate value, exact long names only, an optional
 * argument taken only when the next word does not start with `-`, words that are not options kept aside in
 * order (`poptGetArg`), and `--` ending the options. The error texts are popt's.
 */

export type ArgKind = 'none' | 'string' | 'optional';

export interface PoptOption {
  readonly long?: string;
  readonly short?: string;
  readonly arg: ArgKind;
  /** What poptGetNextOpt returns for it (ipvsadm's `val`). */
  readonly tag: string;
}

export type PoptNext =
  | { readonly kind: 'option'; readonly tag: string; readonly arg: string | undefined }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly text: string };

export class Popt {
  private i = 0;
  /** Characters of a short-option bundle still to be read, and the word they came from. */
  private bundle = '';
  private bundleWord = '';
  private dashDash = false;
  private readonly leftovers: string[] = [];
  /** The word last taken from the command line: what poptBadOption reports. */
  private lastWord = '';

  constructor(
    private readonly table: readonly PoptOption[],
    private readonly words: readonly string[],
  ) {}

  /** poptBadOption(ctx, POPT_BADOPTION_NOALIAS). */
  badOption(): string {
    return this.lastWord;
  }

  /** poptGetArg: the next word that was not an option. */
  nextArg(): string | undefined {
    return this.leftovers.shift();
  }

  next(): PoptNext {
    for (;;) {
      if (this.bundle !== '') return this.nextShort();
      if (this.i >= this.words.length) return { kind: 'end' };
      const w = this.take();
      if (this.dashDash || w === '-' || !w.startsWith('-')) {
        this.leftovers.push(w);
        continue;
      }
      if (w === '--') {
        this.dashDash = true;
        continue;
      }
      if (w.startsWith('--')) return this.nextLong(w);
      this.bundle = w.slice(1);
      this.bundleWord = w;
    }
  }

  private take(): string {
    const w = this.words[this.i++];
    this.lastWord = w;
    return w;
  }

  private nextLong(w: string): PoptNext {
    const eq = w.indexOf('=');
    const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
    const inline = eq >= 0 ? w.slice(eq + 1) : undefined;
    const opt = this.table.find((o) => o.long === name);
    if (!opt) return error(w, 'unknown option');
    if (opt.arg === 'none') {
      if (inline !== undefined) return error(w, 'option does not take an argument');
      return { kind: 'option', tag: opt.tag, arg: undefined };
    }
    if (inline !== undefined) return { kind: 'option', tag: opt.tag, arg: inline };
    return this.separateArg(opt, w);
  }

  private nextShort(): PoptNext {
    const c = this.bundle[0];
    this.bundle = this.bundle.slice(1);
    const word = this.bundleWord;
    const opt = this.table.find((o) => o.short === c);
    if (!opt) {
      this.bundle = '';
      return error(word, 'unknown option');
    }
    if (opt.arg === 'none') {
      if (this.bundle.startsWith('=')) {
        this.bundle = '';
        return error(word, 'option does not take an argument');
      }
      return { kind: 'option', tag: opt.tag, arg: undefined };
    }
    if (this.bundle !== '') {
      const v = this.bundle.startsWith('=') ? this.bundle.slice(1) : this.bundle;
      this.bundle = '';
      return { kind: 'option', tag: opt.tag, arg: v };
    }
    return this.separateArg(opt, word);
  }

  /** The value in the next word: always for a required argument, only when it is not an option for an optional one. */
  private separateArg(opt: PoptOption, word: string): PoptNext {
    const next = this.words[this.i];
    if (opt.arg === 'optional') {
      if (next !== undefined && !next.startsWith('-')) return { kind: 'option', tag: opt.tag, arg: this.take() };
      return { kind: 'option', tag: opt.tag, arg: undefined };
    }
    if (next === undefined) return error(word, 'missing argument');
    return { kind: 'option', tag: opt.tag, arg: this.take() };
  }
}

function error(word: string, msg: string): PoptNext {
  return { kind: 'error', text: `${word}: ${msg}` };
}
