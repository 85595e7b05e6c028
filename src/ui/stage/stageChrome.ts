/**
 * The few DOM elements the stage adds around its canvas, inside the container it is given: its root (which
 * takes the keyboard focus), the hover tooltip and the zoom buttons. Styles are set through the CSSOM (no
 * style attributes in markup, no style sheet), so a Content-Security-Policy without 'unsafe-inline' allows them;
 * every text goes in with textContent.
 */

export const STAGE_HELP = 'Network stage. Keys: + and - zoom, 0 fits, Shift with arrow keys pans, Escape clears the selection.';

export function makeRoot(): HTMLDivElement {
  const root = document.createElement('div');
  const s = root.style;
  s.position = 'relative';
  s.width = '100%';
  s.height = '100%';
  s.overflow = 'hidden';
  s.touchAction = 'none';
  s.userSelect = 'none';
  root.tabIndex = 0;
  root.setAttribute('role', 'group');
  root.setAttribute('aria-roledescription', 'network stage');
  root.setAttribute('aria-label', STAGE_HELP);
  root.setAttribute('aria-keyshortcuts', '+ - 0 Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown Escape');
  return root;
}

export function makeTooltip(): HTMLDivElement {
  const tip = document.createElement('div');
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  const s = tip.style;
  s.position = 'absolute';
  s.pointerEvents = 'none';
  s.background = '#ffffff';
  s.color = '#1b1f24';
  s.border = '1px solid #8a94a0';
  s.borderRadius = '4px';
  s.padding = '4px 6px';
  s.font = '12px ui-monospace, monospace';
  s.whiteSpace = 'pre';
  s.maxWidth = '36rem';
  s.overflow = 'hidden';
  s.boxShadow = '0 1px 4px rgba(0,0,0,0.2)';
  return tip;
}

/** Shows `lines` in the tooltip beside (x, y), flipped to stay inside a width × height stage. */
export function showTooltip(tip: HTMLDivElement, lines: readonly string[], x: number, y: number, width: number, height: number): void {
  tip.textContent = lines.join('\n');
  tip.hidden = false;
  const right = x + 14 + tip.offsetWidth > width;
  const down = y + 14 + tip.offsetHeight > height;
  tip.style.left = `${Math.max(0, right ? x - 10 - tip.offsetWidth : x + 14)}px`;
  tip.style.top = `${Math.max(0, down ? y - 10 - tip.offsetHeight : y + 14)}px`;
}

export interface ZoomControls {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
}

/** Zoom in, zoom out and fit buttons for the stage's top right corner; listeners end with `signal`. */
export function makeControls(actions: ZoomControls, signal: AbortSignal): HTMLDivElement {
  const bar = document.createElement('div');
  const s = bar.style;
  s.position = 'absolute';
  s.top = '8px';
  s.right = '8px';
  s.display = 'flex';
  s.gap = '4px';
  const button = (text: string, label: string, action: () => void): HTMLButtonElement => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.style.minWidth = '2rem';
    b.style.font = 'inherit';
    b.addEventListener('click', action, { signal });
    return b;
  };
  bar.append(
    button('+', 'Zoom in (+)', () => actions.zoomIn()),
    button('−', 'Zoom out (-)', () => actions.zoomOut()),
    button('Fit', 'Fit the topology to the stage (0)', () => actions.fit()),
  );
  return bar;
}
