// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { makeControls, makeRoot, makeTooltip, showTooltip } from '../../../../src/ui/stage/stageChrome.ts';

describe('the stage\'s DOM around its canvas', () => {
  it('has a focusable root that says what its keys do', () => {
    const root = makeRoot();
    expect(root.tabIndex).toBe(0);
    expect(root.getAttribute('aria-roledescription')).toBe('network stage');
    expect(root.getAttribute('aria-label')).toMatch(/\+ and - zoom/);
    expect(root.getAttribute('style') ?? '').toMatch(/position: relative/);
  });

  it('puts tooltip text in as text, never as markup', () => {
    const tip = makeTooltip();
    document.body.append(tip);
    showTooltip(tip, ['<img src=x onerror=alert(1)>', 'second line'], 10, 10, 400, 300);
    expect(tip.hidden).toBe(false);
    expect(tip.querySelector('img')).toBeNull();
    expect(tip.textContent).toBe('<img src=x onerror=alert(1)>\nsecond line');
    expect(tip.getAttribute('role')).toBe('tooltip');
    tip.remove();
  });

  it('has labelled zoom buttons whose listeners end with the stage', () => {
    const actions = { zoomIn: vi.fn(), zoomOut: vi.fn(), fit: vi.fn() };
    const abort = new AbortController();
    const bar = makeControls(actions, abort.signal);
    const buttons = [...bar.querySelectorAll('button')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(['Zoom in (+)', 'Zoom out (-)', 'Fit the topology to the stage (0)']);
    expect(buttons.every((b) => b.type === 'button')).toBe(true);
    buttons[0].click();
    buttons[1].click();
    buttons[2].click();
    expect([actions.zoomIn.mock.calls.length, actions.zoomOut.mock.calls.length, actions.fit.mock.calls.length]).toEqual([1, 1, 1]);
    abort.abort();
    buttons[0].click();
    expect(actions.zoomIn).toHaveBeenCalledTimes(1);
  });
});
