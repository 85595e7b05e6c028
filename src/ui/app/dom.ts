/**
 * The page's way to make DOM: elements from tag names, text through textContent, and attributes from a list
 * that cannot carry script or load anything. Scenario, trace, command and URL text is data here: nothing parses
 * HTML (no innerHTML), no attribute named on* is ever set, and links take only relative query or fragment URLs.
 */

const SAFE_ATTRIBUTES = new Set([
  'class',
  'id',
  'role',
  'type',
  'title',
  'name',
  'for',
  'min',
  'max',
  'step',
  'value',
  'list',
  'tabindex',
  'inputmode',
  'placeholder',
  'autocomplete',
  'spellcheck',
  'readonly',
  'rows',
  'aria-label',
  'aria-labelledby',
  'aria-describedby',
  'aria-controls',
  'aria-selected',
  'aria-pressed',
  'aria-current',
  'aria-live',
  'aria-keyshortcuts',
  'aria-valuetext',
  'aria-disabled',
  'aria-busy',
  'scope',
]);

export interface Props {
  readonly class?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
  /** `data-*` attributes (without the prefix). */
  readonly data?: Readonly<Record<string, string>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: ReadonlyArray<Node | string> = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class !== undefined) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) attr(e, k, v);
  if (props.data) for (const [k, v] of Object.entries(props.data)) e.setAttribute(`data-${k.replace(/[^a-z0-9-]/g, '-')}`, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export function attr(e: Element, name: string, value: string): void {
  if (!SAFE_ATTRIBUTES.has(name)) throw new Error(`page attribute ${name} is not on the safe list`);
  e.setAttribute(name, value);
}

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

/** Sets text only when it changed, so a per-frame refresh that changes nothing leaves the DOM (and screen readers) alone. */
export function setText(e: Node, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** Is a key press aimed at something that takes typing (a field, the editor, the console)? Then page keys stay off. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .lvs-editor') !== null) return true;
  return false;
}
