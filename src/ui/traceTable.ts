import { formatTimestamp } from '../lab/index.ts';
import type { TraceEvent } from '../trace/index.ts';
import { eventText, placeText } from './eventText.ts';

/** Rows beyond this are left out: a browser table of a million rows helps nobody and freezes the page. */
export const MAX_TRACE_ROWS = 2000;

const COLUMNS = ['time (s)', 'host', 'iface', 'kind', 'what'] as const;

/**
 * Renders the trace as a table of its first `max` events into `container` (replacing what was there), with a
 * note when rows were left out. All text goes in through textContent: scenario names, commands and outputs are
 * the file author's text and never markup.
 */
export function renderTraceTable(container: HTMLElement, events: readonly TraceEvent[], max = MAX_TRACE_ROWS): void {
  const doc = container.ownerDocument;
  container.replaceChildren();
  const shown = Math.min(events.length, max);
  const note = doc.createElement('p');
  note.id = 'trace-note';
  note.textContent = events.length > shown ? `Showing the first ${shown} of ${events.length} events.` : `${events.length} events.`;
  container.append(note);

  const table = doc.createElement('table');
  table.id = 'trace';
  const head = table.createTHead().insertRow();
  for (const c of COLUMNS) {
    const th = doc.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (let i = 0; i < shown; i++) {
    const e = events[i];
    const row = body.insertRow();
    row.className = `kind-${e.kind.replace(/[^a-z0-9-]/gi, '-')}`;
    for (const text of [formatTimestamp(e.t), e.host ?? '', placeText(e), e.kind, eventText(e)]) {
      row.insertCell().textContent = text;
    }
  }
  container.append(table);
}
