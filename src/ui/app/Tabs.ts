import { h } from './dom.ts';

export interface TabSpec<Id extends string> {
  readonly id: Id;
  readonly label: string;
  readonly panel: HTMLElement;
}

let nextId = 0;

/**
 * An ARIA tab set: a tablist of buttons (arrow keys, Home and End move between them) over panels of which one
 * is shown. The panels are the caller's elements; hidden ones keep their state (a console keeps its scrollback).
 */
export class Tabs<Id extends string> {
  readonly element: HTMLElement;
  private readonly buttons = new Map<Id, HTMLButtonElement>();
  private readonly panels = new Map<Id, HTMLElement>();
  private readonly order: Id[] = [];
  private current: Id;

  constructor(
    label: string,
    tabs: ReadonlyArray<TabSpec<Id>>,
    private readonly onChange?: (id: Id) => void,
    className = '',
  ) {
    const prefix = `tabs-${nextId++}`;
    const list = h('div', { class: 'tablist', attrs: { role: 'tablist', 'aria-label': label } });
    this.element = h('section', { class: `tabs ${className}`.trim(), attrs: { 'aria-label': label } }, [list]);
    for (const t of tabs) {
      const b = h('button', { class: 'tab', text: t.label, attrs: { type: 'button', role: 'tab', id: `${prefix}-${t.id}`, 'aria-controls': `${prefix}-${t.id}-panel` }, data: { tab: t.id } });
      b.addEventListener('click', () => this.show(t.id));
      t.panel.classList.add('tabpanel');
      t.panel.setAttribute('role', 'tabpanel');
      t.panel.id = `${prefix}-${t.id}-panel`;
      t.panel.setAttribute('aria-labelledby', b.id);
      list.append(b);
      this.element.append(t.panel);
      this.buttons.set(t.id, b);
      this.panels.set(t.id, t.panel);
      this.order.push(t.id);
    }
    list.addEventListener('keydown', (ev) => {
      const i = this.order.indexOf(this.current);
      let next: number | undefined;
      if (ev.key === 'ArrowRight') next = (i + 1) % this.order.length;
      else if (ev.key === 'ArrowLeft') next = (i - 1 + this.order.length) % this.order.length;
      else if (ev.key === 'Home') next = 0;
      else if (ev.key === 'End') next = this.order.length - 1;
      if (next === undefined) return;
      // The page's arrow keys step the playback; inside a tab list they move between tabs.
      ev.preventDefault();
      ev.stopPropagation();
      this.show(this.order[next]);
      this.buttons.get(this.current)?.focus();
    });
    this.current = this.order[0];
    this.mark();
  }

  get selected(): Id {
    return this.current;
  }

  show(id: Id): void {
    if (!this.panels.has(id) || id === this.current) return;
    this.current = id;
    this.mark();
    this.onChange?.(id);
  }

  private mark(): void {
    for (const id of this.order) {
      const on = id === this.current;
      const b = this.buttons.get(id)!;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      this.panels.get(id)!.hidden = !on;
    }
  }
}
