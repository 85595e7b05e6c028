import type { CommandResult } from '../../lab/index.ts';
import { el } from './dom.ts';

/**
 * Runs a command line on a host; `done` gets what it printed (later in simulated time for ping and arping).
 * The integrator passes LabDriver.runCommand, so every typed command is journaled for re-simulation.
 */
export type RunCommand = (host: string, line: string, done: (r: CommandResult) => void) => void;

export interface ConsoleOptions {
  readonly host: string;
  /** Program names for Tab completion (`lab.programs()`). */
  readonly programs: readonly string[];
  readonly run: RunCommand;
  /** Scrollback entries kept per host (default 500): older ones are removed from the DOM. */
  readonly maxEntries?: number;
  /** History lines kept per host (default 200). */
  readonly maxHistory?: number;
}

interface HostState {
  readonly history: string[];
  readonly log: HTMLElement;
}

/** Cleared by the console itself, never sent to the lab (it changes nothing there). */
const LOCAL_CLEAR = 'clear';

/**
 * A per-host console: an input line, the scrollback of commands and what they printed (as text), history with
 * the up and down arrows, and Tab completion of the command name from the lab's program list. Each host keeps
 * its own history and scrollback; `update({ host })` switches host.
 */
export class Console {
  private root: HTMLElement | undefined;
  private input: HTMLInputElement | undefined;
  private prompt: HTMLElement | undefined;
  private logHolder: HTMLElement | undefined;
  private host: string;
  private programs: readonly string[];
  private readonly run: RunCommand;
  private readonly states = new Map<string, HostState>();
  /** Position while walking the history: history.length means the line being typed. */
  private cursor = 0;
  /** The line being typed when the walk started, restored when walking past the newest entry. */
  private draft = '';
  private readonly maxEntries: number;
  private readonly maxHistory: number;
  /** False once destroyed: a command finishing later must not write into a detached console. */
  private alive = true;

  constructor(options: ConsoleOptions) {
    this.host = options.host;
    this.programs = options.programs;
    this.run = options.run;
    this.maxEntries = options.maxEntries ?? 500;
    this.maxHistory = options.maxHistory ?? 200;
  }

  mount(container: HTMLElement): void {
    const doc = container.ownerDocument;
    this.root = el(doc, 'section', { class: 'console', attrs: { 'aria-label': 'Console' } });
    this.logHolder = el(doc, 'div', { class: 'console-scrollback' });
    this.prompt = el(doc, 'label', { class: 'console-prompt' });
    this.input = el(doc, 'input', { class: 'console-input', attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false' } });
    this.input.addEventListener('keydown', this.onKey);
    const form = el(doc, 'div', { class: 'console-line' }, [this.prompt, this.input]);
    this.root.append(this.logHolder, form);
    container.append(this.root);
    this.showHost();
  }

  /** Switches host (its own history and scrollback) and/or the program list. */
  update(change: { host?: string; programs?: readonly string[] }): void {
    if (change.programs !== undefined) this.programs = change.programs;
    if (change.host !== undefined && change.host !== this.host) {
      this.host = change.host;
      this.showHost();
    }
  }

  /** Runs a line as if typed and entered. */
  submit(line: string): void {
    const st = this.state(this.host);
    const trimmed = line.trim();
    if (this.input) this.input.value = '';
    if (trimmed === '') return;
    if (st.history[st.history.length - 1] !== line) st.history.push(line);
    if (st.history.length > this.maxHistory) st.history.splice(0, st.history.length - this.maxHistory);
    this.cursor = st.history.length;
    this.draft = '';
    if (trimmed === LOCAL_CLEAR) {
      st.log.replaceChildren();
      return;
    }
    const host = this.host;
    const entry = this.entry(st, host, line);
    this.run(host, line, (r) => {
      if (!this.alive) return;
      entry.classList.remove('pending');
      const out = entry.querySelector('.console-output')!;
      out.textContent = r.output;
      if (r.exit !== 0) {
        entry.classList.add('failed');
        entry.append(el(entry.ownerDocument, 'div', { class: 'console-exit', text: `exit ${r.exit}` }));
      }
      this.scrollToEnd(st.log);
    });
  }

  /** History of `host` (default: the current one), oldest first. */
  history(host: string = this.host): readonly string[] {
    return this.states.get(host)?.history ?? [];
  }

  /** Completes the command name at the start of `line`: the completed line and the candidates. */
  complete(line: string): { line: string; candidates: string[] } {
    const lead = line.length - line.trimStart().length;
    const word = line.slice(lead);
    if (word.includes(' ')) return { line, candidates: [] };
    const candidates = this.programs.filter((p) => p.startsWith(word));
    if (candidates.length === 0) return { line, candidates };
    if (candidates.length === 1) return { line: `${line.slice(0, lead)}${candidates[0]} `, candidates };
    return { line: `${line.slice(0, lead)}${commonPrefix(candidates)}`, candidates };
  }

  focus(): void {
    this.input?.focus();
  }

  destroy(): void {
    this.alive = false;
    this.input?.removeEventListener('keydown', this.onKey);
    this.root?.remove();
    this.root = this.input = this.prompt = this.logHolder = undefined;
  }

  private readonly onKey = (ev: KeyboardEvent): void => {
    const input = this.input;
    if (input === undefined) return;
    const st = this.state(this.host);
    switch (ev.key) {
      case 'Enter':
        ev.preventDefault();
        this.submit(input.value);
        return;
      case 'ArrowUp':
        if (this.cursor === 0) return;
        ev.preventDefault();
        if (this.cursor === st.history.length) this.draft = input.value;
        this.cursor--;
        input.value = st.history[this.cursor];
        return;
      case 'ArrowDown':
        if (this.cursor >= st.history.length) return;
        ev.preventDefault();
        this.cursor++;
        input.value = this.cursor === st.history.length ? this.draft : st.history[this.cursor];
        return;
      case 'Tab': {
        // Tab only completes while a command name is being typed; otherwise it moves focus as usual, so the
        // console never traps keyboard users.
        if (ev.shiftKey || input.value.trim() === '' || input.value.trimStart().includes(' ')) return;
        ev.preventDefault();
        const { line, candidates } = this.complete(input.value);
        // Several candidates and nothing more to add: list them, as a shell does on a second Tab.
        if (candidates.length > 1 && line === input.value) this.note(st, candidates.join('  '));
        input.value = line;
        return;
      }
      default:
        return;
    }
  };

  private showHost(): void {
    const st = this.state(this.host);
    this.cursor = st.history.length;
    this.draft = '';
    if (this.prompt) this.prompt.textContent = `${this.host}# `;
    this.input?.setAttribute('aria-label', `Command on ${this.host}`);
    this.logHolder?.replaceChildren(st.log);
  }

  private state(host: string): HostState {
    let st = this.states.get(host);
    if (st === undefined) {
      const doc = this.root?.ownerDocument ?? globalThis.document;
      st = { history: [], log: el(doc, 'div', { class: 'console-log', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': `Output on ${host}` } }) };
      this.states.set(host, st);
    }
    return st;
  }

  private entry(st: HostState, host: string, line: string): HTMLElement {
    const doc = st.log.ownerDocument;
    const e = el(doc, 'div', { class: 'console-entry pending' }, [el(doc, 'div', { class: 'console-command', text: `${host}# ${line}` }), el(doc, 'pre', { class: 'console-output' })]);
    this.append(st, e);
    return e;
  }

  private note(st: HostState, text: string): void {
    this.append(st, el(st.log.ownerDocument, 'div', { class: 'console-note', text }));
  }

  private append(st: HostState, e: HTMLElement): void {
    st.log.append(e);
    while (st.log.childElementCount > this.maxEntries) st.log.firstElementChild!.remove();
    this.scrollToEnd(st.log);
  }

  private scrollToEnd(log: HTMLElement): void {
    const holder = this.logHolder;
    if (holder !== undefined && holder.contains(log)) holder.scrollTop = holder.scrollHeight;
  }
}

function commonPrefix(words: readonly string[]): string {
  let p = words[0] ?? '';
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}
