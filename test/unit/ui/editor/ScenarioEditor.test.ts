// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ScenarioEditor } from '../../../../src/ui/editor/ScenarioEditor.ts';
import type { ScenarioDiagnostic } from '../../../../src/ui/editor/diagnostics.ts';

const GOOD = 'name: two\nduration: 1s\nsegments:\n  lan: {}\nhosts:\n  a:\n    role: client\n    interfaces:\n      eth0: { segment: lan, addresses: [10.0.0.1/24] }\n';
const BAD = GOOD.replace('role: client', 'rolle: client');

let editor: ScenarioEditor | undefined;
afterEach(() => {
  editor?.destroy();
  document.body.replaceChildren();
});

function mount(text: string, options = {}): { editor: ScenarioEditor; container: HTMLElement; root: ShadowRoot } {
  const container = document.createElement('div');
  document.body.append(container);
  editor = new ScenarioEditor({ lintDelay: 10, file: 'mine.yaml', ...options });
  editor.mount(container, text);
  const host = container.querySelector('.lvs-editor')!;
  return { editor, container, root: host.shadowRoot! };
}

/** The next diagnostics the editor computes. */
function nextDiagnostics(e: ScenarioEditor): Promise<readonly ScenarioDiagnostic[]> {
  return new Promise((resolve) => {
    const off = e.onDiagnostics((d) => {
      off();
      resolve(d);
    });
  });
}

describe('ScenarioEditor (CodeMirror 6 in happy-dom)', () => {
  it('shows the text inside a shadow root, with its styles adopted rather than injected', () => {
    const { editor, root } = mount(GOOD);
    expect(root).not.toBeNull();
    expect(editor.getText()).toBe(GOOD);
    expect(root.querySelector('.cm-content')!.textContent).toContain('role: client');
    expect(root.querySelector('.cm-content')!.getAttribute('aria-label')).toBe('Scenario (YAML)');
    expect(root.adoptedStyleSheets.length).toBeGreaterThan(0);
    expect(document.querySelectorAll('style').length).toBe(0);
  });

  it('puts document text in as text, never as markup', () => {
    const { editor, root } = mount('name: "<img src=x onerror=alert(1)>"\n');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.cm-content')!.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(editor.getText()).toContain('<img');
  });

  it('reports changes with the whole text and lets listeners unsubscribe', () => {
    const { editor } = mount(GOOD);
    const seen: string[] = [];
    const off = editor.onChange((t) => seen.push(t));
    editor.setText(BAD);
    expect(seen).toEqual([BAD]);
    expect(editor.getText()).toBe(BAD);
    off();
    editor.setText(GOOD);
    expect(seen).toHaveLength(1);
  });

  it("shows the loader's error as a lint diagnostic at its line, and clears it when fixed", async () => {
    const { editor, root } = mount(GOOD);
    expect(await nextDiagnostics(editor)).toEqual([]);
    const found = nextDiagnostics(editor);
    editor.setText(BAD);
    const [d] = await found;
    expect(d.line).toBe(7);
    expect(BAD.slice(d.from, d.to)).toBe('rolle');
    expect(editor.diagnostics).toEqual([d]);
    // CodeMirror marks the range in the document.
    await new Promise((r) => setTimeout(r, 0));
    const marked = root.querySelector('.cm-lintRange-error');
    expect(marked?.textContent).toBe('rolle');
    const fixed = nextDiagnostics(editor);
    editor.setText(GOOD);
    expect(await fixed).toEqual([]);
  });

  it('checks at once on checkNow', async () => {
    const { editor } = mount(BAD, { lintDelay: 60_000 });
    const found = nextDiagnostics(editor);
    editor.checkNow();
    expect((await found)[0].path).toBe('hosts.a.rolle');
  });

  it('removes itself on destroy and may be mounted again', () => {
    const { editor, container } = mount(GOOD);
    expect(() => editor.mount(container, GOOD)).toThrow(/already mounted/);
    editor.destroy();
    expect(container.querySelector('.lvs-editor')).toBeNull();
    expect(() => editor.getText()).toThrow(/not mounted/);
    editor.mount(container, 'x: 1\n');
    expect(editor.getText()).toBe('x: 1\n');
  });

  it('can run in the light DOM with a CSP nonce on its style element', () => {
    const { container } = mount(GOOD, { shadow: false, nonce: 'abc123' });
    expect(container.querySelector('.lvs-editor')!.shadowRoot).toBeNull();
    expect(container.querySelector('.cm-editor')).not.toBeNull();
    const styles = [...document.querySelectorAll('style')];
    expect(styles.length).toBeGreaterThan(0);
    expect(styles.every((s) => s.getAttribute('nonce') === 'abc123')).toBe(true);
  });
});
