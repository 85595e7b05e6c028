import { formatTimestamp } from '../../lab/index.ts';
import { hopDiff, type FieldChange } from '../viewmodel/hopDiff.ts';
import type { Hop, PacketJourney } from '../viewmodel/packetJourney.ts';
import { el } from './dom.ts';
import { headerLayers } from './headerView.ts';

export interface PacketInspectorOptions {
  /** Called when the student selects a hop (click, or arrow keys in the hop list), after the view updated. */
  readonly onSelectHop?: (index: number, hop: Hop) => void;
}

/** The visible marker of a changed field: a symbol and words, so colour is never the only cue. */
const CHANGED_MARK = '◆ changed';
const ADDED_MARK = '✚ new';

/**
 * The packet inspector: a packet's journey as a list of hops (time, host, interface, what happened there) and,
 * for the selected hop, every header field of the packet there, with the fields that changed since the hop it
 * follows from (hopDiff) marked by a class (`changed`), a visible marker and the old value. A header that
 * appeared (the outer IP header of a tunnel) is marked as a whole; one that went is listed as removed.
 */
export class PacketInspector {
  private root: HTMLElement | undefined;
  private hopList: HTMLOListElement | undefined;
  private detail: HTMLElement | undefined;
  private journey: PacketJourney | undefined;
  private selected = 0;

  constructor(private readonly options: PacketInspectorOptions = {}) {}

  mount(container: HTMLElement): void {
    const doc = container.ownerDocument;
    this.root = el(doc, 'section', { class: 'packet-inspector', attrs: { 'aria-label': 'Packet inspector' } });
    this.hopList = el(doc, 'ol', { class: 'inspector-hops', attrs: { 'aria-label': 'Hops of the packet' } });
    this.hopList.addEventListener('keydown', this.onKey);
    this.detail = el(doc, 'div', { class: 'inspector-detail', attrs: { 'aria-live': 'polite' } });
    this.root.append(el(doc, 'h2', { text: 'Packet' }), this.hopList, this.detail);
    container.append(this.root);
    this.render();
  }

  /** Shows a journey (undefined: nothing selected) with hop `selected` open (default: the first, or the same index). */
  update(journey: PacketJourney | undefined, selected?: number): void {
    const same = journey !== undefined && this.journey !== undefined && journey.root === this.journey.root;
    this.journey = journey;
    this.selected = clamp(selected ?? (same ? this.selected : 0), journey?.hops.length ?? 0);
    this.render();
  }

  /** Opens hop `index` of the current journey. */
  select(index: number): void {
    if (this.journey === undefined) return;
    this.selected = clamp(index, this.journey.hops.length);
    this.render();
    const hop = this.journey.hops[this.selected];
    if (hop !== undefined) this.options.onSelectHop?.(this.selected, hop);
  }

  get selectedHop(): number {
    return this.selected;
  }

  destroy(): void {
    this.hopList?.removeEventListener('keydown', this.onKey);
    this.root?.remove();
    this.root = this.hopList = this.detail = undefined;
  }

  private readonly onKey = (ev: KeyboardEvent): void => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    ev.preventDefault();
    this.select(this.selected + (ev.key === 'ArrowDown' ? 1 : -1));
    (this.hopList?.querySelector('button[aria-current="true"]') as HTMLElement | null)?.focus();
  };

  private render(): void {
    const list = this.hopList;
    const detail = this.detail;
    if (list === undefined || detail === undefined) return;
    const doc = list.ownerDocument;
    list.replaceChildren();
    detail.replaceChildren();
    const j = this.journey;
    if (j === undefined || j.hops.length === 0) {
      detail.append(el(doc, 'p', { class: 'inspector-empty', text: 'Select a packet to see its headers at every hop.' }));
      return;
    }
    j.hops.forEach((hop, i) => {
      const current = i === this.selected;
      const b = el(doc, 'button', {
        class: `inspector-hop hop-${hop.kind}`,
        text: hopText(hop),
        attrs: { type: 'button', 'aria-current': current ? 'true' : 'false', ...(hop.via.length > 0 ? { title: `made by ${hop.via.join(', ')}` } : {}) },
        data: { hop: String(i) },
      });
      b.addEventListener('click', () => this.select(i));
      list.append(el(doc, 'li', { class: current ? 'selected' : '' }, [b]));
    });
    this.renderHop(detail, j, this.selected);
    if (j.offshoots.length > 0) {
      const ul = el(doc, 'ul', { class: 'inspector-offshoots', attrs: { 'aria-label': 'Packets made in reaction' } });
      for (const o of j.offshoots) ul.append(el(doc, 'li', { text: `${formatTimestamp(o.t)} ${o.host ?? ''}: ${o.derivation === 'reply' ? 'reply' : 'ICMP error'} (packet ${o.pid})` }));
      detail.append(ul);
    }
  }

  private renderHop(detail: HTMLElement, j: PacketJourney, index: number): void {
    const doc = detail.ownerDocument;
    const hop = j.hops[index];
    const changes = hopDiff(j, index);
    const byPath = new Map<string, FieldChange>(changes.map((c) => [c.path, c]));
    const from = hop.prev !== undefined ? j.hops[hop.prev] : undefined;
    detail.append(
      el(doc, 'h3', { text: `${hopText(hop)}` }),
      el(doc, 'p', {
        class: 'inspector-summary',
        text: from === undefined ? 'Where the packet starts.' : changes.length === 0 ? `Unchanged since ${placeText(from)}.` : `${changes.length} change${changes.length === 1 ? '' : 's'} since ${placeText(from)}${hop.via.length > 0 ? ` (${hop.via.join(', ')})` : ''}.`,
      }),
    );
    if (hop.kind === 'drop') detail.append(el(doc, 'p', { class: 'inspector-drop', text: `Dropped: ${hop.reason ?? ''}${hop.detail !== undefined ? ` — ${hop.detail}` : ''}` }));
    for (const layer of headerLayers(hop.pkt)) {
      const whole = byPath.get(layer.path);
      const section = el(doc, 'section', { class: `inspector-layer${whole?.kind === 'added' ? ' added' : ''}`, data: { path: layer.path } });
      const title = el(doc, 'h4', { text: layer.title });
      if (whole?.kind === 'added') title.append(' ', el(doc, 'span', { class: 'change-mark', text: ADDED_MARK }));
      const dl = el(doc, 'dl');
      for (const f of layer.fields) {
        const c = byPath.get(f.path);
        const dt = el(doc, 'dt', { text: f.label });
        const dd = el(doc, 'dd', { text: f.value });
        const row = el(doc, 'div', { class: 'inspector-field', data: { path: f.path } }, [dt, dd]);
        if (c !== undefined) {
          row.classList.add('changed');
          dd.append(' ', el(doc, 'span', { class: 'change-mark', text: c.kind === 'added' ? ADDED_MARK : CHANGED_MARK }));
          if (c.before !== undefined) dd.append(' ', el(doc, 'span', { class: 'change-before', text: `(was ${c.before})` }));
        }
        dl.append(row);
      }
      section.append(title, dl);
      detail.append(section);
    }
    // Headers and fields that are gone have no row of their own: list them, so a decapsulation shows too.
    const removed = changes.filter((c) => c.kind === 'removed');
    if (removed.length > 0) {
      const ul = el(doc, 'ul', { class: 'inspector-removed', attrs: { 'aria-label': 'Removed since the previous hop' } });
      for (const c of removed) ul.append(el(doc, 'li', { class: 'changed removed', text: `✖ removed ${c.path}${c.before !== undefined ? `: ${c.before}` : ''}`, data: { path: c.path } }));
      detail.append(ul);
    }
  }
}

function clamp(i: number, n: number): number {
  return n === 0 ? 0 : Math.min(Math.max(0, i), n - 1);
}

function placeText(hop: Hop): string {
  return `${hop.kind} at ${hop.host ?? hop.segment ?? '?'}${hop.iface !== undefined ? ` ${hop.iface}` : ''}`;
}

/** `1.000123000  director eth1  tx`, and the reason of a drop. */
export function hopText(hop: Hop): string {
  const where = hop.host ?? (hop.segment !== undefined ? `switch ${hop.segment}` : '?');
  const iface = hop.iface !== undefined ? ` ${hop.iface}` : '';
  const reason = hop.kind === 'drop' && hop.reason !== undefined ? ` (${hop.reason})` : '';
  return `${formatTimestamp(hop.t)}  ${where}${iface}  ${hop.kind}${reason}`;
}
