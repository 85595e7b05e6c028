import type { CommandResult, InterfaceEntry, NeighbourEntry, SysctlEntry } from '../../lab/index.ts';
import { classPart, el, setText, textTable } from './dom.ts';

/**
 * What a host panel reads: `Lab.queries` (src/lab/queries.ts), which adds no trace event and changes nothing,
 * so refreshing a panel can never change the run. A Lab satisfies it (`hostPanel.update(driver.current, h)`).
 */
export interface HostQuerySource {
  readonly queries: {
    run(host: string, line: string): CommandResult;
    neighbours(host: string): readonly NeighbourEntry[];
    interfaces(host: string): readonly InterfaceEntry[];
    sysctls(host: string, which?: (key: string) => boolean): readonly SysctlEntry[];
  };
}

export type HostSection = 'arp' | 'routes' | 'interfaces' | 'sysctls' | 'ipvs' | 'conns' | 'stats';

export const HOST_SECTIONS: ReadonlyArray<{ readonly id: HostSection; readonly label: string }> = [
  { id: 'arp', label: 'ARP cache' },
  { id: 'routes', label: 'Routes & rules' },
  { id: 'interfaces', label: 'Interfaces' },
  { id: 'sysctls', label: 'Sysctls' },
  { id: 'ipvs', label: 'ipvsadm -L -n' },
  { id: 'conns', label: 'Connections' },
  { id: 'stats', label: 'Stats & rate' },
];

/** The command lines each text section shows, in order. */
export const SECTION_COMMANDS: Readonly<Partial<Record<HostSection, readonly string[]>>> = {
  routes: ['ip rule show', 'ip route show table all'],
  ipvs: ['ipvsadm -L -n'],
  conns: ['ipvsadm -L -n -c'],
  stats: ['ipvsadm -L -n --stats', 'ipvsadm -L -n --rate'],
};

/** The sysctls of the ARP problem and of forwarding: ip_forward, every level's arp_* and rp_filter. */
export function isPanelSysctl(key: string): boolean {
  return key === 'net.ipv4.ip_forward' || /^net\.ipv4\.conf\.[^.]+\.(arp_[a-z_]+|rp_filter)$/.test(key);
}

export interface HostPanelOptions {
  /** The section shown first (default: the ARP cache). */
  readonly section?: HostSection;
  /** Called when the student switches section, so the integrator can refresh at once. */
  readonly onSection?: (section: HostSection) => void;
}

let nextId = 0;

/**
 * One host's live state in tabs: ARP cache with NUD states, routes and policy rules, interfaces, the ARP and
 * forwarding sysctls, and the IPVS listings (`-L -n`, the connection table `-c`, `--stats` and `--rate`).
 * `update` reads only the visible section, and leaves the DOM alone when it reads the same as last time: the
 * integrator can call it on every advance of simulated time.
 */
export class HostPanel {
  private root: HTMLElement | undefined;
  private heading: HTMLElement | undefined;
  private body: HTMLElement | undefined;
  private readonly tabs = new Map<HostSection, HTMLButtonElement>();
  private section: HostSection;
  private source: HostQuerySource | undefined;
  private host: string | undefined;
  /** What the body shows now (host, section and the data read), to skip identical refreshes. */
  private shown = '';
  private readonly id = `host-panel-${nextId++}`;

  constructor(private readonly options: HostPanelOptions = {}) {
    this.section = options.section ?? 'arp';
  }

  get visibleSection(): HostSection {
    return this.section;
  }

  mount(container: HTMLElement): void {
    const doc = container.ownerDocument;
    this.root = el(doc, 'section', { class: 'host-panel', attrs: { 'aria-label': 'Host state' } });
    this.heading = el(doc, 'h2', { text: 'Host' });
    const tablist = el(doc, 'div', { class: 'host-tabs', attrs: { role: 'tablist', 'aria-label': 'Host state sections' } });
    tablist.addEventListener('keydown', this.onKey);
    for (const s of HOST_SECTIONS) {
      const b = el(doc, 'button', {
        class: 'host-tab',
        text: s.label,
        attrs: { type: 'button', role: 'tab', id: `${this.id}-tab-${s.id}`, 'aria-controls': `${this.id}-body` },
        data: { section: s.id },
      });
      b.addEventListener('click', () => this.show(s.id));
      this.tabs.set(s.id, b);
      tablist.append(b);
    }
    this.body = el(doc, 'div', { class: 'host-body', attrs: { role: 'tabpanel', id: `${this.id}-body` } });
    this.root.append(this.heading, tablist, this.body);
    container.append(this.root);
    this.markTabs();
    this.refresh();
  }

  /** Reads the visible section of `host` from `source` now. */
  update(source: HostQuerySource, host: string): void {
    this.source = source;
    this.host = host;
    this.refresh();
  }

  /** Switches to a section and reads it. */
  show(section: HostSection): void {
    if (section === this.section) return;
    this.section = section;
    this.markTabs();
    this.refresh();
    this.options.onSection?.(section);
  }

  destroy(): void {
    this.root?.remove();
    this.root = this.heading = this.body = undefined;
    this.tabs.clear();
    this.shown = '';
  }

  private readonly onKey = (ev: KeyboardEvent): void => {
    const i = HOST_SECTIONS.findIndex((s) => s.id === this.section);
    let next: number | undefined;
    if (ev.key === 'ArrowRight') next = (i + 1) % HOST_SECTIONS.length;
    else if (ev.key === 'ArrowLeft') next = (i - 1 + HOST_SECTIONS.length) % HOST_SECTIONS.length;
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = HOST_SECTIONS.length - 1;
    if (next === undefined) return;
    ev.preventDefault();
    this.show(HOST_SECTIONS[next].id);
    this.tabs.get(this.section)?.focus();
  };

  private markTabs(): void {
    for (const [id, b] of this.tabs) {
      const on = id === this.section;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.setAttribute('tabindex', on ? '0' : '-1');
    }
    this.body?.setAttribute('aria-labelledby', `${this.id}-tab-${this.section}`);
  }

  private refresh(): void {
    const body = this.body;
    if (body === undefined || this.heading === undefined) return;
    const doc = body.ownerDocument;
    const host = this.host;
    const src = this.source;
    if (host === undefined || src === undefined) {
      setText(this.heading, 'Host');
      this.replace(body, 'none', [el(doc, 'p', { class: 'host-empty', text: 'Select a host to see its state.' })]);
      return;
    }
    setText(this.heading, `Host ${host}`);
    const q = src.queries;
    const commands = SECTION_COMMANDS[this.section];
    if (commands !== undefined) {
      const outputs = commands.map((line) => [line, q.run(host, line)] as const);
      this.replace(body, JSON.stringify([host, this.section, outputs]), () =>
        outputs.map(([line, r]) => {
          const block = el(doc, 'figure', { class: 'host-command' });
          block.append(el(doc, 'figcaption', { text: `${host}# ${line}${r.exit !== 0 ? `  (exit ${r.exit})` : ''}` }), el(doc, 'pre', { class: 'host-output', text: r.output === '' ? '(no output)' : r.output }));
          return block;
        }),
      );
      return;
    }
    switch (this.section) {
      case 'arp': {
        const n = q.neighbours(host);
        this.replace(body, JSON.stringify([host, 'arp', n]), () => [
          n.length === 0
            ? el(doc, 'p', { class: 'host-empty', text: 'The ARP cache is empty.' })
            : textTable(doc, `ARP cache of ${host} (ip neigh)`, ['Address', 'Device', 'Link-layer address', 'State'], n.map((e) => [e.address, e.device, e.lladdr ?? '—', e.state]), (i) => `nud-${classPart(n[i].state)}`),
        ]);
        return;
      }
      case 'interfaces': {
        const ifs = q.interfaces(host);
        const rows = ifs.flatMap((d) => {
          const flags = `${d.up ? 'UP' : 'DOWN'}${d.noArp ? ', NOARP' : ''}`;
          if (d.addresses.length === 0) return [[d.name, d.mac, flags, '—', '']];
          return d.addresses.map((a, i) => [i === 0 ? d.name : '', i === 0 ? d.mac : '', i === 0 ? flags : '', a.cidr, `${a.label} scope ${a.scope}${a.secondary ? ' secondary' : ''}`]);
        });
        this.replace(body, JSON.stringify([host, 'interfaces', ifs]), () => [textTable(doc, `Interfaces of ${host}`, ['Device', 'MAC', 'State', 'Address', 'Label, scope'], rows)]);
        return;
      }
      case 'sysctls': {
        const s = q.sysctls(host, isPanelSysctl);
        this.replace(body, JSON.stringify([host, 'sysctls', s]), () => [textTable(doc, `ARP and forwarding sysctls of ${host}`, ['Key', 'Value'], s.map((e) => [e.key, String(e.value)]))]);
        return;
      }
      default:
        return;
    }
  }

  /** Replaces the body's content unless it already shows `key`. */
  private replace(body: HTMLElement, key: string, make: Node[] | (() => Node[])): void {
    if (key === this.shown) return;
    this.shown = key;
    body.replaceChildren(...(typeof make === 'function' ? make() : make));
  }
}
