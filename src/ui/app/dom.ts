import { el, setAttr, type ElementProps } from '../safeDom.ts';

/**
 * The page's DOM helpers over the safe core (../safeDom.ts): elements in this document, links that take only
 * relative query or fragment URLs, buttons, and the page's keyboard rule.
 */

export { setText } from '../safeDom.ts';
export type Props = ElementProps;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: ReadonlyArray<Node | string> = []): HTMLElementTagNameMap[K] {
  return el(document, tag, props, children);
}

export const attr = setAttr;

/** A link within the page: only `?query`, `#fragment` or `./` URLs, so no text can become a `javascript:` URL. */
export function link(href: string, text: string, className?: string): HTMLAnchorElement {
  if (!/^(\?|#|\.\/)/.test(href)) throw new Error(`page links are relative (?, # or ./), not ${href}`);
  const a = h('a', { class: className, text });
  a.setAttribute('href', href);
  return a;
}

export function button(text: string, label: string | undefined, onClick: () => void, className?: string): HTMLButtonElement {
  const b = h('button', { class: className, text, attrs: { type: 'button', ...(label !== undefined ? { 'aria-label': label, title: label } : {}) } });
  b.addEventListener('click', onClick);
  return b;
}

export function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html has no #${id}`);
  return e as T;
}

/** Is a key press aimed at something that takes typing (a field, the editor, the console)? Then page keys stay off. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .lvs-editor') !== null) return true;
  return false;
}
