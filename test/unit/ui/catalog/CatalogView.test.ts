// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { CatalogGroup } from '../../../../src/ui/catalog/catalogGroups.ts';
import { renderCatalog } from '../../../../src/ui/catalog/CatalogView.ts';

const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

const groups: CatalogGroup[] = [
  {
    kind: 'lesson',
    heading: 'Lessons',
    items: [
      { name: 'nat-basic', path: 'scenarios/lessons/nat-basic.yaml', title: 'NAT', description: 'Masquerading.', kind: 'lesson', exercise: false, href: '?scenario=nat-basic' },
      { name: 'evil', path: 'scenarios/lessons/evil.yaml', title: HOSTILE, description: HOSTILE, kind: 'lesson', exercise: false, href: '?scenario=evil' },
    ],
  },
  {
    kind: 'exercise',
    heading: 'Exercises',
    items: [{ name: 'exercises/arp-problem-exercise', path: 'scenarios/exercises/arp-problem-exercise.yaml', title: 'Exercise: fix the ARP problem', kind: 'exercise', exercise: true, href: '?scenario=exercises%2Farp-problem-exercise' }],
  },
  {
    kind: 'example',
    heading: 'Examples',
    items: [{ name: 'broken', path: 'scenarios/examples/broken.yaml', title: 'broken', kind: 'example', exercise: false, href: '?scenario=broken', error: 'broken.yaml:1:7: (document): expected valid YAML' }],
  },
];

describe('renderCatalog', () => {
  it('renders a headed section per group and a link per scenario', () => {
    const container = document.createElement('main');
    const nav = renderCatalog(container, groups);
    expect(nav.parentElement).toBe(container);
    expect(nav.getAttribute('aria-label')).toBe('Scenarios');
    expect([...nav.querySelectorAll('section > h2')].map((h) => h.textContent)).toEqual(['Lessons', 'Exercises', 'Examples']);
    const links = [...nav.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['?scenario=nat-basic', '?scenario=evil', '?scenario=exercises%2Farp-problem-exercise', '?scenario=broken']);
    expect(links[0].textContent).toBe('NAT');
    expect([...nav.querySelectorAll('code.lvs-catalog-name')].map((c) => c.textContent)).toEqual(['nat-basic', 'evil', 'exercises/arp-problem-exercise', 'broken']);
    expect(nav.querySelector('p.lvs-catalog-description')!.textContent).toBe('Masquerading.');
    expect(nav.querySelector('p.lvs-catalog-error')!.textContent).toMatch(/^This scenario does not load: broken\.yaml:1:7/);
  });

  it('marks exercises, and only them, with a text badge', () => {
    const nav = renderCatalog(document.createElement('div'), groups);
    const badges = [...nav.querySelectorAll('.lvs-catalog-badge')];
    expect(badges.map((b) => b.textContent)).toEqual(['Exercise']);
    expect(badges[0].closest('li')!.dataset.scenario).toBe('exercises/arp-problem-exercise');
  });

  it('puts scenario text in as text: no element, handler or script comes from it', () => {
    const nav = renderCatalog(document.createElement('div'), groups);
    expect(nav.querySelector('img, script')).toBeNull();
    const evil = nav.querySelector('li[data-scenario="evil"]')!;
    expect(evil.querySelector('.lvs-catalog-title')!.textContent).toBe(HOSTILE);
    expect(evil.querySelector('.lvs-catalog-description')!.textContent).toBe(HOSTILE);
    for (const el of nav.querySelectorAll('*')) for (const a of [...el.attributes]) expect(a.name).not.toMatch(/^on/);
  });

  it('calls onOpen on a click and lets it keep the page', () => {
    const onOpen = vi.fn((_item, event: MouseEvent) => event.preventDefault());
    const nav = renderCatalog(document.createElement('div'), groups, { onOpen });
    const link = nav.querySelectorAll('a')[2];
    const event = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(event);
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(onOpen.mock.calls[0][0].name).toBe('exercises/arp-problem-exercise');
    expect(event.defaultPrevented).toBe(true);
  });

  it('says so when nothing is bundled', () => {
    const nav = renderCatalog(document.createElement('div'), []);
    expect(nav.textContent).toBe('No scenarios are bundled with this page.');
  });
});
