// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { EventList, EVENT_ROWS, packetOf } from '../../../../src/ui/app/EventList.ts';
import { runLesson } from '../panels/domCheck.ts';

const { events } = runLesson('lessons/dr-basic');

function rows(list: EventList): HTMLTableRowElement[] {
  return [...list.element.querySelectorAll<HTMLTableRowElement>('#events tbody tr')];
}

describe('EventList', () => {
  it('shows events up to the cursor, one more per step, as text', () => {
    const picked: number[] = [];
    const list = new EventList((pid) => picked.push(pid));
    document.body.append(list.element);
    list.update(events, 10, 0);
    expect(rows(list)).toHaveLength(10);
    list.update(events, 11, 0);
    expect(rows(list)).toHaveLength(11);
    const last = rows(list)[10];
    expect(last.cells[0].textContent).toMatch(/^\d+\.\d{9}$/);
    expect(last.cells[4].textContent).toBe(events[10].kind);
    // A packet's row selects it; an event about no packet has no button.
    const i = events.findIndex((e) => e.kind === 'tx');
    list.update(events, i + 1, 0);
    const row = rows(list)[i];
    const button = row.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe(`Inspect packet ${packetOf(events[i])}`);
    button.click();
    expect(picked).toEqual([packetOf(events[i])]);
    expect(rows(list)[0].querySelector('button')).toBeNull();
  });

  it('keeps only the newest rows, and starts again for a re-simulated trace or a step back', () => {
    const list = new EventList(() => undefined);
    const n = Math.min(events.length, EVENT_ROWS + 50);
    list.update(events, n, 0);
    expect(rows(list)).toHaveLength(Math.min(n, EVENT_ROWS));
    expect(rows(list).at(-1)!.cells[5].textContent).not.toBe('');
    const copy = [...events];
    list.update(copy, 5, 1);
    expect(rows(list)).toHaveLength(5);
    list.update(copy, 3, 1);
    expect(rows(list)).toHaveLength(3);
  });

  it('puts trace text in as text, never as markup', () => {
    const list = new EventList(() => undefined);
    const evil = [{ ...events[0], kind: 'command' as const, host: '<img src=x onerror=alert(1)>', run: '<b>x</b>', exit: 0, output: '' }];
    list.update(evil as typeof events, 1, 0);
    expect(list.element.querySelector('img, b')).toBeNull();
    expect(rows(list)[0].cells[2].textContent).toBe('<img src=x onerror=alert(1)>');
  });
});
