import type { MarkupNode } from '../../lab/index.ts';

/**
 * The panels' only way to make DOM: elements from tag names, text through textContent and text nodes, and a
 * short list of attributes that cannot carry script. Scenario, trace and command text is data; nothing here
 * parses HTML (no innerHTML, no insertAdjacentHTML), so `<img onerror=...>` in a host name stays characters.
 */

/** Attributes a panel may set: none of them runs code or loads anything. */
const SAFE_ATTRIBUTES = new Set([
  'class',
  'id',
  'role',
  'type',
  'title',
  'tabindex',
  'placeholder',
  'autocomplete',
  'spellcheck',
  'aria-label',
  'aria-selected',
  'aria-controls',
  'aria-current',
  'aria-pressed',
  'aria-live',
  'aria-expanded',
  'aria-describedby',
  'aria-labelledby',
  'hidden',
  'scope',
]);

export interface ElementProps {
  readonly class?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
  /** `data-*` attributes (without the prefix). */
  readonly data?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: ElementProps = {}, children: ReadonlyArray<Node | string> = []): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (props.class !== undefined) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) setAttr(e, k, v);
  if (props.data) for (const [k, v] of Object.entries(props.data)) e.setAttribute(`data-${k.replace(/[^a-z0-9-]/g, '-')}`, v);
  for (const c of children) e.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  return e;
}

export function setAttr(e: Element, name: string, value: string): void {
  if (!SAFE_ATTRIBUTES.has(name)) throw new Error(`panel attribute ${name} is not on the safe list`);
  e.setAttribute(name, value);
}

/** Sets an element's text only when it changed (a refresh that changes nothing leaves the DOM alone). */
export function setText(e: Node, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** A class name fragment from free text (a NUD state, a drop reason): letters, digits and `-` only. */
export function classPart(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Narration markup as DOM: `code`, *emphasis* and **strong** become elements, everything else text nodes. */
export function renderMarkup(doc: Document, nodes: readonly MarkupNode[]): DocumentFragment {
  const f = doc.createDocumentFragment();
  for (const n of nodes) {
    if (n.type === 'text') f.append(doc.createTextNode(n.text));
    else if (n.type === 'code') f.append(el(doc, 'code', { text: n.text }));
    else {
      const span = el(doc, n.type);
      for (const c of n.children) span.append(c.type === 'code' ? el(doc, 'code', { text: c.text }) : doc.createTextNode(c.text));
      f.append(span);
    }
  }
  return f;
}

/** A table with a header row and text cells. */
export function textTable(doc: Document, caption: string, head: readonly string[], rows: ReadonlyArray<readonly string[]>, rowClass?: (i: number) => string | undefined): HTMLTableElement {
  const t = el(doc, 'table', { class: 'panel-table' });
  t.createCaption().textContent = caption;
  const hr = t.createTHead().insertRow();
  for (const h of head) hr.append(el(doc, 'th', { text: h, attrs: { scope: 'col' } }));
  const body = t.createTBody();
  rows.forEach((r, i) => {
    const tr = body.insertRow();
    const c = rowClass?.(i);
    if (c !== undefined) tr.className = c;
    for (const cell of r) tr.insertCell().textContent = cell;
  });
  return t;
}
