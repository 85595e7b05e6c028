import type { CatalogGroup, CatalogItem } from './catalogGroups.ts';

export interface CatalogViewOptions {
  /**
   * Called when a scenario's link is activated (click or Enter), before the browser follows it: call
   * `event.preventDefault()` to open the scenario in place instead of loading `?scenario=NAME`.
   */
  onOpen?: (item: CatalogItem, event: MouseEvent) => void;
  /** The level of the group headings (default 2). */
  headingLevel?: 2 | 3 | 4;
}

/**
 * The landing view: a heading per group and a list of links, each with the scenario's title, its file name,
 * an "Exercise" badge where it has a goal, and its description — every piece of scenario text put in as text.
 * Links are real `?scenario=NAME` links, so they work from the keyboard, open in a new tab, and need no script
 * to follow. Returns the element it appended to `container`.
 */
export function renderCatalog(container: HTMLElement, groups: readonly CatalogGroup[], options: CatalogViewOptions = {}): HTMLElement {
  const doc = container.ownerDocument;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (className !== undefined) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const nav = el('nav', 'lvs-catalog');
  nav.setAttribute('aria-label', 'Scenarios');
  if (groups.length === 0) nav.append(el('p', 'lvs-catalog-empty', 'No scenarios are bundled with this page.'));
  for (const group of groups) {
    const section = el('section', `lvs-catalog-group lvs-catalog-${group.kind}`);
    section.setAttribute('aria-label', group.heading);
    section.append(el(`h${options.headingLevel ?? 2}` as 'h2', undefined, group.heading));
    const list = el('ul', 'lvs-catalog-list');
    for (const item of group.items) {
      const li = el('li', 'lvs-catalog-item');
      li.dataset.scenario = item.name;
      const link = el('a', 'lvs-catalog-link');
      link.setAttribute('href', item.href);
      link.append(el('span', 'lvs-catalog-title', item.title));
      if (options.onOpen) {
        const onOpen = options.onOpen;
        link.addEventListener('click', (event) => onOpen(item, event));
      }
      const header = el('div', 'lvs-catalog-header');
      header.append(link, doc.createTextNode(' '), el('code', 'lvs-catalog-name', item.name));
      if (item.exercise) {
        const badge = el('span', 'lvs-catalog-badge', 'Exercise');
        header.append(doc.createTextNode(' '), badge);
      }
      li.append(header);
      if (item.description !== undefined) li.append(el('p', 'lvs-catalog-description', item.description));
      if (item.error !== undefined) li.append(el('p', 'lvs-catalog-error', `This scenario does not load: ${item.error}`));
      list.append(li);
    }
    section.append(list);
    nav.append(section);
  }
  container.append(nav);
  return nav;
}
