import { EditorView } from '@codemirror/view';
import { ScenarioEditor, scenarioDiagnostics, type ScenarioDiagnostic } from '../editor/index.ts';
import { encodeShareFragment } from '../share.ts';
import { button, h, setText } from './dom.ts';

export interface EditorTabOptions {
  readonly text: string;
  /** The file name the loader's messages use. */
  readonly file: string;
  /** The bundled file's text, for "Reset" (absent for shared text). */
  readonly original?: string;
  /** Runs the edited text (the page re-creates the lab from it). */
  readonly run: (text: string) => void;
  /** The address a share link keeps besides its fragment (the seed). */
  readonly shareSearch: () => string;
}

/**
 * The editor tab: CodeMirror (ScenarioEditor, in a shadow root so the page's CSP needs no inline styles) with
 * the loader's errors at their lines and as a list below it; "Run edited" re-creates the lab from the text
 * (refused while the text does not load), "Share" puts a `#s=` link in the address bar and in a text box to copy.
 * The editor is created the first time the tab is shown: CodeMirror costs nothing until someone edits.
 */
export class EditorTab {
  readonly element: HTMLElement;
  private editor: ScenarioEditor | undefined;
  private readonly holder: HTMLElement;
  private readonly errors: HTMLElement;
  private readonly status: HTMLElement;
  private readonly shareBox: HTMLInputElement;
  private readonly shareRow: HTMLElement;

  constructor(private readonly options: EditorTabOptions) {
    this.holder = h('div', { class: 'editor-holder' });
    this.errors = h('ul', { class: 'editor-errors', attrs: { 'aria-label': 'Errors in the scenario', id: 'editor-errors' } });
    this.status = h('p', { class: 'editor-status', attrs: { role: 'status', id: 'editor-status' } });
    this.shareBox = h('input', { class: 'share-link', attrs: { id: 'share-link', type: 'text', readonly: '', 'aria-label': 'Share link' } });
    const copy = button('Copy', 'Copy the share link', () => void this.copy(), 'copy-link');
    this.shareRow = h('div', { class: 'share-row' }, [h('label', { text: 'Link ', attrs: { for: 'share-link' } }), this.shareBox, copy]);
    this.shareRow.hidden = true;
    const bar = h('div', { class: 'editor-bar' }, [
      button('Run edited', 'Run the edited scenario (re-creates the lab)', () => this.runEdited(), 'run-edited'),
      ...(options.original !== undefined ? [button('Reset', 'Put back the scenario as shipped', () => this.reset(), 'reset-edited')] : []),
      button('Share', 'Make a link that carries this scenario', () => void this.share(), 'share'),
    ]);
    this.element = h('div', { class: 'editor-tab' }, [bar, this.holder, this.status, this.errors, this.shareRow]);
  }

  /** Creates the editor if it is not there yet (when the tab is first shown). */
  ensure(): ScenarioEditor {
    if (this.editor === undefined) {
      this.editor = new ScenarioEditor({ file: this.options.file, label: 'Scenario (YAML)', lintDelay: 400 });
      this.editor.mount(this.holder, this.options.text);
      this.editor.onDiagnostics((d) => this.showErrors(d));
      const content = this.holder.querySelector('.lvs-editor')?.shadowRoot?.querySelector<HTMLElement>('.cm-content');
      if (content) content.addEventListener('beforeinput', replaceSelectionItself, { capture: true });
    }
    return this.editor;
  }

  private showErrors(d: readonly ScenarioDiagnostic[]): void {
    this.errors.replaceChildren(...d.map((x) => h('li', { class: `editor-error ${x.severity}`, text: `line ${x.line}, column ${x.column}: ${x.message}` })));
    setText(this.status, d.length === 0 ? 'The scenario loads.' : `${d.length} error${d.length === 1 ? '' : 's'}: see the marked line${d.length === 1 ? '' : 's'}.`);
  }

  private runEdited(): void {
    const text = this.ensure().getText();
    // The same check the linter runs, now, so a Run right after typing cannot slip past a pending lint.
    const d = scenarioDiagnostics(text, this.options.file);
    this.showErrors(d);
    if (d.length > 0) {
      setText(this.status, `Not run: fix the error${d.length === 1 ? '' : 's'} first (line ${d[0].line}: ${d[0].message}).`);
      return;
    }
    this.options.run(text);
  }

  private reset(): void {
    if (this.options.original !== undefined) this.ensure().setText(this.options.original);
  }

  private async share(): Promise<void> {
    try {
      const fragment = await encodeShareFragment(this.ensure().getText());
      const url = new URL(window.location.href);
      url.search = this.options.shareSearch();
      url.hash = fragment;
      window.history.replaceState(null, '', url);
      this.shareBox.value = url.href;
      this.shareRow.hidden = false;
      this.shareBox.select();
      setText(this.status, 'The address bar and the box below now hold a link to this scenario.');
    } catch (err) {
      setText(this.status, err instanceof Error ? err.message : String(err));
    }
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.shareBox.value);
      setText(this.status, 'Link copied.');
    } catch {
      this.shareBox.select();
      setText(this.status, 'Copying is not allowed here: the link is selected, copy it with Ctrl+C.');
    }
  }

  destroy(): void {
    this.editor?.destroy();
    this.element.remove();
  }
}

/**
 * Typing over a selection (select all, then type) is left by CodeMirror to the browser's own contenteditable
 * editing, and Chrome then tries to keep the deleted text's look with an inline `style` attribute on the new
 * text, which the page's Content-Security-Policy (style-src 'self') refuses, reporting a violation. Typing over
 * a selection is done here through CodeMirror's own transaction instead, so no inline style is ever attempted.
 */
function replaceSelectionItself(ev: InputEvent): void {
  if (ev.inputType !== 'insertText' || ev.data === null || ev.isComposing) return;
  const target = ev.currentTarget instanceof HTMLElement ? ev.currentTarget : null;
  const view = target === null ? null : EditorView.findFromDOM(target);
  if (view === null || view.state.selection.ranges.every((r) => r.empty)) return;
  ev.preventDefault();
  view.dispatch(view.state.replaceSelection(ev.data), { userEvent: 'input.type', scrollIntoView: true });
}
