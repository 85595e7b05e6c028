/**
 * The small, safe markup of narration steps, exercise tasks and hints: `code`, *emphasis*, **strong**, and a
 * backslash before `` ` ``, `*` or `\` for the character itself. Everything else is text — `<b>` is four
 * characters, never an element — and a marker without its closing partner is text too, so parsing never
 * fails: any string gives a tree. The tree is all a face gets; the browser makes DOM text nodes from it (never
 * innerHTML) and the CLI prints it as plain text.
 */

export interface TextNode {
  type: 'text';
  text: string;
}

export interface CodeNode {
  type: 'code';
  text: string;
}

/** Emphasis and strong hold text and code only (no nesting: one level is all a lesson needs). */
export interface SpanNode {
  type: 'em' | 'strong';
  children: Array<TextNode | CodeNode>;
}

export type MarkupNode = TextNode | CodeNode | SpanNode;

const ESCAPABLE = new Set(['`', '*', '\\']);

export function parseMarkup(source: string): MarkupNode[] {
  const out: MarkupNode[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '*') {
      const strong = source[i + 1] === '*';
      const open = strong ? 2 : 1;
      const close = findClose(source, i + open, strong ? '**' : '*');
      if (close > i + open) {
        out.push({ type: strong ? 'strong' : 'em', children: parseInner(source.slice(i + open, close)) });
        i = close + open;
        continue;
      }
      // No partner (or nothing between): the stars are text.
      pushText(out, source.slice(i, i + open));
      i += open;
      continue;
    }
    const n = readInner(source, i, out);
    i = n;
  }
  return out;
}

/** Text and code spans only (the inside of *...* and **...**). */
function parseInner(source: string): Array<TextNode | CodeNode> {
  const out: MarkupNode[] = [];
  let i = 0;
  while (i < source.length) {
    if (source[i] === '*') {
      pushText(out, '*');
      i++;
      continue;
    }
    i = readInner(source, i, out);
  }
  return out as Array<TextNode | CodeNode>;
}

/** Reads one escape, one code span or one run of plain text at `i`; returns where it ended (always > i). */
function readInner(source: string, i: number, out: MarkupNode[]): number {
  const c = source[i];
  if (c === '\\' && i + 1 < source.length && ESCAPABLE.has(source[i + 1])) {
    pushText(out, source[i + 1]);
    return i + 2;
  }
  if (c === '`') {
    const end = source.indexOf('`', i + 1);
    if (end > i + 1) {
      out.push({ type: 'code', text: source.slice(i + 1, end) });
      return end + 1;
    }
    pushText(out, '`');
    return i + 1;
  }
  let j = i + 1;
  while (j < source.length && source[j] !== '`' && source[j] !== '*' && source[j] !== '\\') j++;
  pushText(out, source.slice(i, j));
  return j;
}

/**
 * Where the closing `marker` of a span opened before `from` is, skipping escapes and code spans; -1 when
 * there is none. A single `*` never closes on half of a `**`.
 */
function findClose(source: string, from: number, marker: '*' | '**'): number {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length && ESCAPABLE.has(source[i + 1])) {
      i += 2;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      i = end > i + 1 ? end + 1 : i + 1;
    } else if (c === '*') {
      if (marker === '**') {
        if (source[i + 1] === '*') return i;
        i++;
      } else {
        if (source[i + 1] !== '*') return i;
        i += 2;
      }
    } else {
      i++;
    }
  }
  return -1;
}

function pushText(out: MarkupNode[], text: string): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}

/** The tree as plain text for a terminal: code keeps its backticks, emphasis and strong lose their stars. */
export function markupToPlainText(nodes: readonly MarkupNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += n.text;
    else if (n.type === 'code') out += `\`${n.text}\``;
    else out += markupToPlainText(n.children);
  }
  return out;
}
