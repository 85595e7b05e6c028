import type { CommandResult } from '../../lab/index.ts';
import { Console, HostPanel, type HostQuerySource } from '../panels/index.ts';
import { h } from './dom.ts';

export interface HostTabOptions {
  readonly hosts: readonly string[];
  readonly programs: readonly string[];
  readonly host: string;
  /** Runs a typed line (LabDriver.runCommand, so it is journalled); `done` gets the output. */
  readonly run: (host: string, line: string, done: (r: CommandResult) => void) => void;
  /** The student picked a host from the list. */
  readonly onPick: (host: string) => void;
}

/**
 * The host tab: a list to pick a host by keyboard (the stage picks by click), the host's live state (HostPanel,
 * read through Lab.queries, so looking never changes the run) and its console.
 */
export class HostTab {
  readonly element: HTMLElement;
  readonly panel: HostPanel;
  readonly console: Console;
  private readonly picker: HTMLSelectElement;
  private current: string;

  constructor(options: HostTabOptions) {
    this.current = options.host;
    this.picker = h('select', { attrs: { id: 'host-picker', name: 'host' } });
    for (const name of options.hosts) this.picker.append(h('option', { text: name, attrs: { value: name } }));
    this.picker.value = options.host;
    this.picker.addEventListener('change', () => options.onPick(this.picker.value));
    const pick = h('div', { class: 'host-pick' }, [h('label', { text: 'Host ', attrs: { for: 'host-picker' } }), this.picker]);
    const state = h('div', { class: 'host-state' });
    const shell = h('div', { class: 'host-console' });
    this.element = h('div', { class: 'host-tab' }, [pick, state, h('h2', { class: 'console-heading', text: 'Console' }), shell]);
    this.panel = new HostPanel({ section: 'arp' });
    this.panel.mount(state);
    this.console = new Console({ host: options.host, programs: options.programs, run: options.run });
    this.console.mount(shell);
  }

  get host(): string {
    return this.current;
  }

  /** Shows `host` in the list, the panel and the console. */
  select(host: string, source: HostQuerySource): void {
    this.current = host;
    if (this.picker.value !== host) this.picker.value = host;
    this.console.update({ host });
    this.panel.update(source, host);
  }

  refresh(source: HostQuerySource): void {
    this.panel.update(source, this.current);
  }

  destroy(): void {
    this.console.destroy();
    this.panel.destroy();
    this.element.remove();
  }
}
