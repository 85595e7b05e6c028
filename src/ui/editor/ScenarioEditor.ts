import { yaml } from '@codemirror/lang-yaml';
import { forceLinting, linter, type Diagnostic } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { scenarioDiagnostics, type ScenarioDiagnostic } from './diagnostics.ts';

export interface ScenarioEditorOptions {
  /** The file name the loader's messages use (`shared.yaml`, `lessons/nat-basic.yaml`). */
  file?: string;
  /** ms after the last keystroke before the scenario is checked (Lab.check builds the scenario: ~70 ms). */
  lintDelay?: number;
  /** The editor's accessible name. */
  label?: string;
  /**
   * Mount CodeMirror inside a shadow root (default true). There its styles go into a constructed stylesheet
   * (adoptedStyleSheets), which a Content-Security-Policy `style-src 'self'` allows; in the light DOM CodeMirror
   * injects <style> elements, which need `style-src 'nonce-…'` (pass `nonce`) or 'unsafe-inline'.
   */
  shadow?: boolean;
  /** A CSP nonce for CodeMirror's <style> element when not in a shadow root (EditorView.cspNonce). */
  nonce?: string;
}

/**
 * The scenario editor: CodeMirror 6 with YAML highlighting, and the loader's error shown where it is (a lint
 * diagnostic at its line and column, from `scenarioDiagnostics`). The text is only ever a string handed to the
 * loader; nothing in it is rendered as HTML (CodeMirror puts document text in as text nodes).
 * Tab is left to move focus (basicSetup binds no Tab indentation), so the editor does not trap keyboard users.
 */
export class ScenarioEditor {
  private view: EditorView | undefined;
  private host: HTMLElement | undefined;
  private readonly listeners = new Set<(text: string) => void>();
  private readonly diagnosticListeners = new Set<(d: readonly ScenarioDiagnostic[]) => void>();
  private last: ScenarioDiagnostic[] = [];
  private readonly options: Required<Omit<ScenarioEditorOptions, 'nonce'>> & { nonce?: string };

  constructor(options: ScenarioEditorOptions = {}) {
    this.options = { file: 'scenario.yaml', lintDelay: 500, label: 'Scenario (YAML)', shadow: true, ...options };
  }

  /** Creates the editor in `container` (appended), showing `initialText`. Mounting twice is an error. */
  mount(container: HTMLElement, initialText: string): void {
    if (this.view) throw new Error('ScenarioEditor is already mounted');
    const doc = container.ownerDocument;
    const host = doc.createElement('div');
    host.className = 'lvs-editor';
    container.append(host);
    const parent: Element | DocumentFragment = this.options.shadow ? host.attachShadow({ mode: 'open' }) : host;
    const file = this.options.file;
    this.view = new EditorView({
      doc: initialText,
      parent,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': this.options.label }),
        ...(this.options.nonce !== undefined ? [EditorView.cspNonce.of(this.options.nonce)] : []),
        EditorView.theme({
          '&': { height: '100%' },
          '.cm-scroller': { overflow: 'auto' },
          // @codemirror/lint draws its squiggle as a data: SVG background, which a CSP without `img-src data:`
          // blocks; a wavy text underline is the same cue with no image.
          '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy #d11', textDecorationSkipInk: 'none', textUnderlineOffset: '3px' },
        }),
        linter(
          (view): Diagnostic[] => {
            const found = scenarioDiagnostics(view.state.doc.toString(), file);
            this.last = found;
            for (const fn of this.diagnosticListeners) fn(found);
            return found.map((d) => ({ from: d.from, to: d.to, severity: d.severity, message: d.message, source: `${file}:${d.line}:${d.column}` }));
          },
          { delay: this.options.lintDelay },
        ),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const text = update.state.doc.toString();
          for (const fn of this.listeners) fn(text);
        }),
      ],
    });
    this.host = host;
  }

  private get mounted(): EditorView {
    if (!this.view) throw new Error('ScenarioEditor is not mounted');
    return this.view;
  }

  getText(): string {
    return this.mounted.state.doc.toString();
  }

  /** Replaces the whole text (a reset to the shipped scenario, a decoded share link); fires onChange. */
  setText(text: string): void {
    const view = this.mounted;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }

  /** Called with the whole text after every change; returns the unsubscribe function. */
  onChange(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with the diagnostics each time the scenario is checked (empty: it loads); returns the unsubscribe. */
  onDiagnostics(listener: (diagnostics: readonly ScenarioDiagnostic[]) => void): () => void {
    this.diagnosticListeners.add(listener);
    return () => this.diagnosticListeners.delete(listener);
  }

  /** The diagnostics of the last check (which runs `lintDelay` ms after a change, or on `checkNow`). */
  get diagnostics(): readonly ScenarioDiagnostic[] {
    return this.last;
  }

  /** Checks the text now instead of waiting for the delay (before Run, say). */
  checkNow(): void {
    forceLinting(this.mounted);
  }

  focus(): void {
    this.mounted.focus();
  }

  /** Removes the editor and its DOM; listeners are dropped. The instance may be mounted again. */
  destroy(): void {
    this.view?.destroy();
    this.host?.remove();
    this.view = undefined;
    this.host = undefined;
    this.listeners.clear();
    this.diagnosticListeners.clear();
    this.last = [];
  }
}
