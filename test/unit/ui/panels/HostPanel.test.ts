// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lab, MS } from '../../../../src/lab/index.ts';
import { HOST_SECTIONS, HostPanel, type HostQuerySource } from '../../../../src/ui/panels/HostPanel.ts';
import { HOSTILE, injectedElements, scenarioFile } from './domCheck.ts';

let container: HTMLElement;
let panel: HostPanel;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  panel = new HostPanel();
  panel.mount(container);
});
afterEach(() => {
  panel.destroy();
  container.remove();
});

function pre(): string[] {
  return [...container.querySelectorAll('.host-output')].map((p) => p.textContent!);
}

function tab(id: string): HTMLElement {
  return container.querySelector(`.host-tab[data-section="${id}"]`) as HTMLElement;
}

/** Counts which query a refresh made. */
function counting(lab: Lab): { source: HostQuerySource; calls: string[] } {
  const calls: string[] = [];
  const q = lab.queries;
  return {
    calls,
    source: {
      queries: {
        run: (h, line) => (calls.push(`run ${line}`), q.run(h, line)),
        neighbours: (h) => (calls.push('neighbours'), q.neighbours(h)),
        interfaces: (h) => (calls.push('interfaces'), q.interfaces(h)),
        sysctls: (h, w) => (calls.push('sysctls'), q.sysctls(h, w)),
      },
    },
  };
}

describe('HostPanel on a running lesson', () => {
  it('shows the ARP cache with NUD states, routes and rules, sysctls, and the ipvsadm listings as the commands print them', () => {
    const lab = Lab.fromText(scenarioFile('lessons/nat-basic'));
    lab.runUntil(1500 * MS);
    panel.update(lab, 'director');
    expect(container.querySelector('h2')!.textContent).toBe('Host director');
    const rows = [...container.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    expect(rows).toEqual(lab.queries.neighbours('director').map((n) => [n.address, n.device, n.lladdr ?? '—', n.state]));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^(REACHABLE|STALE|DELAY|PROBE|INCOMPLETE|FAILED|PERMANENT|NOARP)$/.test(r[3]!))).toBe(true);
    expect(container.querySelector('tbody tr')!.className).toMatch(/^nud-[a-z]+$/);

    tab('routes').click();
    expect(pre()).toEqual([lab.queries.run('director', 'ip rule show').output, lab.queries.run('director', 'ip route show table all').output]);
    expect(pre()[1]).toContain('local 10.0.0.100 dev eth0 table local');

    tab('ipvs').click();
    let typed = '';
    lab.runCommand('director', 'ipvsadm -L -n', (r) => (typed = r.output));
    expect(pre()).toEqual([typed]);
    expect(typed).toContain('-> 192.168.1.2:8080');

    tab('conns').click();
    expect(pre()[0]).toMatch(/ESTABLISHED|SYN_RECV|TIME_WAIT|FIN_WAIT/);
    tab('stats').click();
    expect(pre()).toEqual([lab.queries.run('director', 'ipvsadm -L -n --stats').output, lab.queries.run('director', 'ipvsadm -L -n --rate').output]);

    tab('sysctls').click();
    const sys = new Map([...container.querySelectorAll('tbody tr')].map((r) => [r.children[0].textContent!, r.children[1].textContent!]));
    expect(sys.get('net.ipv4.ip_forward')).toBe('1');
    expect(sys.get('net.ipv4.conf.all.arp_ignore')).toBe('0');
    expect(sys.get('net.ipv4.conf.eth0.rp_filter')).toBeDefined();
    expect([...sys.keys()].every((k) => k === 'net.ipv4.ip_forward' || /\.(arp_[a-z_]+|rp_filter)$/.test(k))).toBe(true);

    tab('interfaces').click();
    expect(container.querySelector('table')!.textContent).toContain('10.0.0.100/24');
  });

  it('reads only the visible section, and follows the lab as time advances without changing its trace', () => {
    const lab = Lab.fromText(scenarioFile('lessons/arp-problem'));
    const plain = Lab.fromText(scenarioFile('lessons/arp-problem'));
    plain.run();
    const { source, calls } = counting(lab);
    panel.update(source, 'router');
    expect(calls).toEqual(['neighbours']);
    expect(container.querySelector('.host-empty')!.textContent).toBe('The ARP cache is empty.');
    for (let t = 0; t <= 3000; t += 50) {
      lab.runUntil(t * MS);
      panel.update(source, 'router');
    }
    expect(new Set(calls)).toEqual(new Set(['neighbours']));
    // The ARP problem: the router learned the VIP's MAC.
    expect([...container.querySelectorAll('tbody td')].map((c) => c.textContent)).toContain('192.168.1.110');
    calls.length = 0;
    tab('ipvs').click();
    expect(calls).toEqual(['run ipvsadm -L -n']);
    lab.run();
    expect(lab.digest()).toBe(plain.digest());
  });

  it('leaves the DOM alone when a refresh reads the same', () => {
    const lab = Lab.fromText(scenarioFile('lessons/dr-basic'));
    lab.runUntil(1200 * MS);
    panel.update(lab, 'director');
    const table = container.querySelector('table');
    panel.update(lab, 'director');
    expect(container.querySelector('table')).toBe(table);
    panel.update(lab, 'rs1');
    expect(container.querySelector('table')).not.toBe(table);
  });

  it('is a keyboard tablist: arrow keys move between sections', () => {
    const lab = Lab.fromText(scenarioFile('lessons/dr-basic'));
    panel.update(lab, 'director');
    const list = container.querySelector('[role="tablist"]')!;
    expect(tab('arp').getAttribute('aria-selected')).toBe('true');
    expect(tab('arp').getAttribute('tabindex')).toBe('0');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(panel.visibleSection).toBe(HOST_SECTIONS[1].id);
    expect(tab(HOST_SECTIONS[1].id).getAttribute('aria-selected')).toBe('true');
    expect(tab('arp').getAttribute('tabindex')).toBe('-1');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(panel.visibleSection).toBe('stats');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(panel.visibleSection).toBe('arp');
  });

  it('shows hostile host names and outputs as text', () => {
    const source: HostQuerySource = {
      queries: {
        run: () => ({ exit: 1, output: HOSTILE }),
        neighbours: () => [{ address: HOSTILE, device: HOSTILE, lladdr: HOSTILE, state: HOSTILE }],
        interfaces: () => [{ name: HOSTILE, kind: 'ether', mac: HOSTILE, mtu: 1500, up: true, noArp: false, addresses: [{ cidr: HOSTILE, label: HOSTILE, scope: 'global', secondary: false }] }],
        sysctls: () => [{ key: HOSTILE, value: 1 }],
      },
    };
    for (const s of HOST_SECTIONS) {
      panel.show(s.id);
      panel.update(source, HOSTILE);
      expect(injectedElements(container), s.id).toBe(0);
      expect(container.textContent, s.id).toContain(HOSTILE);
    }
    panel.show('arp');
    expect(container.querySelector('tbody tr')!.className).toBe('nud--img-src-x-onerror-alert-1---script-alert-2---script-');
  });
});
