/**
 * The browser lab's only way to make DOM: elements from tag names, text through textContent and text nodes, and
 * a short list of attributes that cannot carry script or load anything. Scenario, trace, command and URL text is
 * data: nothing here parses HTML (no innerHTML, no insertAdjacentHTML), no attribute named on* is ever set, so
 * `<img onerror=...>` in a host name stays characters. The page (app/dom.ts) and the panels (panels/dom.ts)
 * both build on it.
 */

/** Attributes the page may set: none of them runs code or loads anything (no on*, href, src, style). */
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
  'hidden',
  'scope',
  'aria-label',
  'aria-labelledby',
  'aria-describedby',
  'aria-controls',
  'aria-selected',
  'aria-pressed',
  'aria-current',
  'aria-live',
  'aria-expanded',
  'aria-keyshortcuts',
  'aria-valuetext',
  'aria-disabled',
  'aria-busy',
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
  if (!SAFE_ATTRIBUTES.has(name)) throw new Error(`attribute ${name} is not on the safe list`);
  e.setAttribute(name, value);
}

/** Sets text only when it changed, so a per-frame refresh that changes nothing leaves the DOM (and screen readers) alone. */
export function setText(e: Node, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
