// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../../../../src/lab/index.ts';
import { el, renderMarkup } from '../../../../src/ui/panels/dom.ts';
import { HOSTILE, injectedElements } from './domCheck.ts';

const PANELS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../src/ui/panels');

describe('panel DOM helpers', () => {
  it('no panel source parses HTML or builds handlers from strings', () => {
    const files = readdirSync(PANELS).filter((f) => f.endsWith('.ts'));
    expect(files).toEqual(expect.arrayContaining(['PacketInspector.ts', 'HostPanel.ts', 'Console.ts', 'NarrationPanel.ts']));
    for (const f of files) {
      // Comments may name what is banned (to say it is not used); code may not.
      const src = readFileSync(resolve(PANELS, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      expect(src, f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|javascript:|\bon[a-z]+\s*=\s*['"`]/);
    }
  });

  it('refuses attributes that could run code, and keeps text as text', () => {
    expect(() => el(document, 'img', { attrs: { onerror: 'alert(1)' } })).toThrow(/safe list/);
    expect(() => el(document, 'a', { attrs: { href: 'javascript:alert(1)' } })).toThrow(/safe list/);
    const p = el(document, 'p', { text: HOSTILE, attrs: { title: HOSTILE }, data: { path: HOSTILE } });
    expect(injectedElements(p)).toBe(0);
    expect(p.textContent).toBe(HOSTILE);
    expect(p.getAttribute('title')).toBe(HOSTILE);
  });

  it('renders markup as code, em and strong elements with text inside', () => {
    const div = document.createElement('div');
    div.append(renderMarkup(document, parseMarkup('run `ip a` *now* **or** <b>x</b>')));
    expect([...div.childNodes].map((n) => (n.nodeType === 3 ? `#${n.textContent}` : `${(n as Element).tagName.toLowerCase()}:${n.textContent}`))).toEqual([
      '#run ',
      'code:ip a',
      '# ',
      'em:now',
      '# ',
      'strong:or',
      '# <b>x</b>',
    ]);
    expect(div.querySelector('b')).toBeNull();
  });
});
