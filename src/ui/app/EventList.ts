import { formatTimestamp } from '../../lab/index.ts';
import type { TraceEvent } from '../../trace/index.ts';
import { eventText, placeText } from '../eventText.ts';
import { h } from './dom.ts';

/** Rows kept in the list: the newest ones; older rows leave the DOM (the digest and the CLI have the whole trace). */
export const EVENT_ROWS = 400;

/** The packet an event is about, if any. */
export function packetOf(e: TraceEvent): number | undefined {
  switch (e.kind) {
    case 'tx':
    case 'rx':
    case 'route':
    case 'nf':
      return e.pkt.pid;
    case 'drop':
      return e.pkt?.pid;
    default:
      return undefined;
  }
}

/**
 * The text alternative to the animation: the trace up to the shown position, one row per event (time, host,
 * interface, kind and a tcpdump-like line, from eventText.ts), newest last. A packet's row has a button that
 * selects the packet for the inspector, so everything the stage offers by pointer is here by keyboard too.
 * Updates are incremental: stepping adds a row; a jump adds at most EVENT_ROWS.
 */
export class EventList {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly note: HTMLElement;
  private readonly scroller: HTMLElement;
  private events: readonly TraceEvent[] | undefined;
  private shown = 0;
  private generation = -1;
  private selected: ReadonlySet<number> = new Set();

  constructor(private readonly onSelectPacket: (pid: number) => void) {
    this.note = h('p', { class: 'event-note', attrs: { 'aria-live': 'off' } });
    const table = h('table', { class: 'event-table', attrs: { id: 'events' } });
    table.createCaption().textContent = 'Trace events up to the shown time, newest last';
    const head = table.createTHead().insertRow();
    for (const c of ['time (s)', 'packet', 'host', 'where', 'kind', 'what']) head.append(h('th', { text: c, attrs: { scope: 'col' } }));
    this.body = table.createTBody();
    this.scroller = h('div', { class: 'event-scroller', attrs: { tabindex: '0', 'aria-label': 'Trace events' } }, [table]);
    this.element = h('div', { class: 'event-list' }, [this.note, this.scroller]);
  }

  /** Shows events[0, cursor) (the newest EVENT_ROWS of them); `generation` changes when the trace was re-simulated. */
  update(events: readonly TraceEvent[], cursor: number, generation: number): void {
    const stick = this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - 4;
    if (events !== this.events || generation !== this.generation || cursor < this.shown) {
      this.events = events;
      this.generation = generation;
      this.body.replaceChildren();
      this.shown = Math.max(0, cursor - EVENT_ROWS);
    }
    if (cursor - this.shown > EVENT_ROWS) {
      this.body.replaceChildren();
      this.shown = cursor - EVENT_ROWS;
    }
    if (cursor > this.shown) {
      const rows = document.createDocumentFragment();
      for (let i = this.shown; i < cursor; i++) rows.append(this.row(events[i]));
      this.body.append(rows);
      this.shown = cursor;
      while (this.body.childElementCount > EVENT_ROWS) this.body.firstElementChild!.remove();
    }
    const first = cursor - this.body.childElementCount;
    this.note.textContent = cursor === 0 ? 'No event yet.' : first > 0 ? `Events ${first + 1}–${cursor} of the ${cursor} shown so far (older ones are left out here).` : `${cursor} events so far.`;
    if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** The cursor the list shows (events[0, shownCursor)). */
  get shownCursor(): number {
    return this.shown;
  }

  /** Marks the rows of the selected packet's journey (its pids). */
  markPackets(pids: ReadonlySet<number>): void {
    this.selected = pids;
    for (const row of this.body.children) row.classList.toggle('selected', pids.has(Number((row as HTMLElement).dataset.pid)));
  }

  private row(e: TraceEvent): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.className = `kind-${e.kind.replace(/[^a-z0-9-]/gi, '-')}`;
    tr.insertCell().textContent = formatTimestamp(e.t);
    const cell = tr.insertCell();
    for (const text of [e.host ?? '', placeText(e), e.kind, eventText(e)]) tr.insertCell().textContent = text;
    const pid = packetOf(e);
    if (pid !== undefined) {
      tr.dataset.pid = String(pid);
      if (this.selected.has(pid)) tr.classList.add('selected');
      const b = h('button', { class: 'event-packet', text: `#${pid}`, attrs: { type: 'button', 'aria-label': `Inspect packet ${pid}` } });
      b.addEventListener('click', () => this.onSelectPacket(pid));
      cell.append(b);
    }
    return tr;
  }
}
