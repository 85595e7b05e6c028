import type { MarkupNode } from '../../lab/index.ts';

/** The panels make DOM through the page's safe core (../safeDom.ts); these are the panels' own helpers. */
export { el, setAttr, setText, type ElementProps } from '../safeDom.ts';
import { el } from '../safeDom.ts';

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
