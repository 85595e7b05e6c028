import { maskToPrefix, parseIpv4 } from '../../../wire/Ipv4Address.ts';
import type { DiagnosticList } from '../Diagnostic.ts';
import type { Word } from './lexer.ts';

/**
 * Value readers for keepalived keywords, with the messages keepalived 2.2.7 prints for bad values (its
 * read_int/read_unsigned/read_decimal helpers in lib/parser.c): `invalid number 'X'`, `negative number 'X'`,
 * `number 'X' outside range [A, B]`. Each returns undefined after reporting.
 */
export class Values {
  /**
   * Set by a keyword that lacks its parameter: keepalived 2.2.7 prints "*** Configuration line starting …
   * is missing a parameter" and reads no further (checked: nothing after that line is reported), so the
   * parser stops there too.
   */
  stopped = false;

  constructor(readonly diags: DiagnosticList) {}

  /** The keyword's first argument, or a missing-parameter error that ends the reading. */
  need(kw: Word, args: Word[], line: number): Word | undefined {
    if (args.length > 0) return args[0];
    this.diags.error(line, 'KA_MISSING_PARAMETER', `*** Configuration line starting \`${kw.text}\` is missing a parameter after keyword \`${kw.text}\` at word position 2 (keepalived stops reading here)`, kw.col);
    this.stopped = true;
    return undefined;
  }

  int(w: Word, line: number, min: number, max: number): number | undefined {
    if (!/^[-+]?\d+$/.test(w.text)) {
      this.diags.error(line, 'KA_BAD_NUMBER', `invalid number '${w.text}'`, w.col);
      return undefined;
    }
    const n = Number(w.text);
    if (n < 0 && min >= 0) {
      this.diags.error(line, 'KA_RANGE', `negative number '${w.text}'`, w.col);
      return undefined;
    }
    if (n < min || n > max) {
      this.diags.error(line, 'KA_RANGE', `number '${w.text}' outside range [${min}, ${max}]`, w.col);
      return undefined;
    }
    return n;
  }

  /** A <TIMER> or other decimal: seconds with an optional fraction (µs resolution in keepalived). */
  decimal(w: Word, line: number, min: number, max: number, minExclusive = false): number | undefined {
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(w.text)) {
      this.diags.error(line, 'KA_BAD_NUMBER', `invalid number '${w.text}'`, w.col);
      return undefined;
    }
    const n = Number(w.text);
    if (n < 0 && min >= 0) {
      this.diags.error(line, 'KA_RANGE', `negative number '${w.text}'`, w.col);
      return undefined;
    }
    if (n < min || n > max || (minExclusive && n === min)) {
      this.diags.error(line, 'KA_RANGE', `number '${w.text}' outside range [${min}, ${max}]`, w.col);
      return undefined;
    }
    return n;
  }

  ipv4(w: Word, line: number, what: string): string | undefined {
    if (parseIpv4(w.text) === undefined) {
      this.diags.error(line, 'KA_BAD_ADDRESS', `Invalid ${what} address ${w.text}`, w.col);
      return undefined;
    }
    return w.text;
  }

  /** A contiguous dotted netmask (persistence_granularity); keepalived itself does not check for holes. */
  netmask(w: Word, line: number): string | undefined {
    const a = parseIpv4(w.text);
    if (a === undefined || maskToPrefix(a) === undefined) {
      this.diags.warning(line, 'KA_NETMASK', `persistence_granularity ${w.text} is not a contiguous netmask (keepalived passes it to IPVS unchecked)`, w.col);
      return a === undefined ? undefined : w.text;
    }
    return w.text;
  }

  bool(w: Word | undefined, line: number): boolean | undefined {
    if (w === undefined) return true;
    const t = w.text.toLowerCase();
    if (['on', 'true', 'yes'].includes(t)) return true;
    if (['off', 'false', 'no'].includes(t)) return false;
    this.diags.error(line, 'KA_BAD_VALUE', `invalid boolean '${w.text}'`, w.col);
    return undefined;
  }
}
