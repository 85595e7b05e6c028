import type { DiagnosticList } from '../Diagnostic.ts';

/**
 * keepalived.conf's lexical layer (lib/parser.c, keepalived.conf(5) "Quoted strings"): a line is split into
 * whitespace-separated words; `#` or `!` outside quotes ends it; `"…"`/`'…'` group words with spaces, the quotes
 * are removed and \n \t \\ \" \' \xHH are honoured; a quote left open is an error (the words before it stay).
 * Braces written against a word (`80{`) are split off, as keepalived accepts them.
 */

export interface Word {
  text: string;
  /** 1-based column of the word's first character */
  col: number;
  /** true when the word was quoted (a quoted "{" is not a brace) */
  quoted: boolean;
}

export interface ConfLine {
  line: number;
  words: Word[];
}

export function lexKeepalived(text: string, diags: DiagnosticList): ConfLine[] {
  const out: ConfLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const words = lexLine(raw, i + 1, diags);
    if (words && words.length > 0) out.push({ line: i + 1, words });
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

function lexLine(raw: string, line: number, diags: DiagnosticList): Word[] | undefined {
  const words: Word[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#' || c === '!') break;
    const col = i + 1;
    if (c === '"' || c === "'") {
      let s = '';
      let j = i + 1;
      let closed = false;
      while (j < raw.length) {
        const d = raw[j];
        if (d === c) {
          closed = true;
          break;
        }
        if (d === '\\' && j + 1 < raw.length) {
          const e = raw[j + 1];
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(j + 2, j + 4))) {
            s += String.fromCharCode(parseInt(raw.slice(j + 2, j + 4), 16));
            j += 4;
            continue;
          }
          if (ESCAPES[e] !== undefined) {
            s += ESCAPES[e];
            j += 2;
            continue;
          }
        }
        s += d;
        j++;
      }
      if (!closed) {
        // keepalived reports it and keeps the words before the quote (checked: `vrrp_instance V"I {` is then a
        // block keyword without its '{').
        diags.error(line, 'KA_UNMATCHED_QUOTE', `Unmatched quote: '${raw.trim()}'`, col);
        return words;
      }
      words.push({ text: s, col, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < raw.length && !' \t#!"\''.includes(raw[j])) j++;
    pushBare(words, raw.slice(i, j), col);
    i = j;
  }
  return words;
}

/** A bare word, with braces at its ends split into words of their own. */
function pushBare(words: Word[], text: string, col: number): void {
  let t = text;
  let c = col;
  while (t.length > 1 && (t.startsWith('}') || t.startsWith('{'))) {
    words.push({ text: t[0], col: c, quoted: false });
    t = t.slice(1);
    c++;
  }
  const tail: Word[] = [];
  while (t.length > 1 && (t.endsWith('{') || t.endsWith('}'))) {
    tail.unshift({ text: t[t.length - 1], col: c + t.length - 1, quoted: false });
    t = t.slice(0, -1);
  }
  words.push({ text: t, col: c, quoted: false }, ...tail);
}
