// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../../src/lab/index.ts';
import { LabDriver } from '../../../../src/ui/machines/labDriver.ts';
import { Console, type RunCommand } from '../../../../src/ui/panels/Console.ts';
import { HOSTILE, injectedElements, scenarioFile } from './domCheck.ts';

let container: HTMLElement;
let driver: LabDriver;
let con: Console;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  driver = new LabDriver(scenarioFile('lessons/dr-basic'));
  con = new Console({ host: 'director', programs: driver.current.programs(), run: (h, l, d) => driver.runCommand(h, l, d) });
  con.mount(container);
});
afterEach(() => {
  con.destroy();
  container.remove();
});

function input(): HTMLInputElement {
  return container.querySelector('.console-input') as HTMLInputElement;
}

function key(k: string, opts: KeyboardEventInit = {}): KeyboardEvent {
  const ev = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts });
  input().dispatchEvent(ev);
  return ev;
}

function type(line: string): void {
  input().value = line;
  key('Enter');
}

function entries(): Array<{ command: string; output: string; failed: boolean }> {
  return [...container.querySelectorAll('.console-entry')].map((e) => ({
    command: e.querySelector('.console-command')!.textContent!,
    output: e.querySelector('.console-output')!.textContent!,
    failed: e.classList.contains('failed'),
  }));
}

describe('Console', () => {
  it('runs typed commands through the driver (journaled) and shows their output', () => {
    driver.runTo(1100 * MS);
    type('ipvsadm -e -t 192.168.1.110:80 -r 192.168.1.2:80 -g -w 0');
    type('ipvsadm -L -n');
    expect(driver.journal.map((j) => j.line)).toEqual(['ipvsadm -e -t 192.168.1.110:80 -r 192.168.1.2:80 -g -w 0', 'ipvsadm -L -n']);
    const [edit, list] = entries();
    expect(edit).toEqual({ command: 'director# ipvsadm -e -t 192.168.1.110:80 -r 192.168.1.2:80 -g -w 0', output: '', failed: false });
    expect(list.output).toMatch(/-> 192\.168\.1\.2:80 +Route +0 /);
    expect(input().value).toBe('');
    expect(container.querySelector('.console-prompt')!.textContent).toBe('director# ');
  });

  it('shows a failing command with its exit status in words', () => {
    type('ipvsadm -L -t 1.2.3.4:80');
    const e = container.querySelector('.console-entry')!;
    expect(e.classList.contains('failed')).toBe(true);
    expect(e.querySelector('.console-exit')!.textContent).toBe('exit 1');
    expect(e.querySelector('.console-output')!.textContent).toBe('No such service\n');
  });

  it('fills in the output of a command that finishes later in simulated time', () => {
    con.update({ host: 'client' });
    type('ping -c 1 10.0.0.1');
    expect(container.querySelector('.console-entry')!.classList.contains('pending')).toBe(true);
    driver.runTo(2 * SECOND);
    const e = container.querySelector('.console-entry')!;
    expect(e.classList.contains('pending')).toBe(false);
    expect(e.querySelector('.console-output')!.textContent).toContain('1 packets transmitted, 1 received');
  });

  it('walks the history with the arrow keys, keeping the line being typed', () => {
    type('ip neigh show');
    type('ip route');
    type('ip route'); // repeated: kept once, as bash's ignoredups
    expect(con.history()).toEqual(['ip neigh show', 'ip route']);
    input().value = 'arp -n';
    expect(key('ArrowUp').defaultPrevented).toBe(true);
    expect(input().value).toBe('ip route');
    key('ArrowUp');
    expect(input().value).toBe('ip neigh show');
    key('ArrowUp');
    expect(input().value).toBe('ip neigh show');
    key('ArrowDown');
    expect(input().value).toBe('ip route');
    key('ArrowDown');
    expect(input().value).toBe('arp -n');
  });

  it('keeps history and scrollback per host', () => {
    type('ip addr show');
    con.update({ host: 'rs1' });
    expect(con.history()).toEqual([]);
    expect(entries()).toEqual([]);
    expect(input().getAttribute('aria-label')).toBe('Command on rs1');
    type('sysctl net.ipv4.conf.all.arp_ignore');
    expect(entries()[0].output).toBe('net.ipv4.conf.all.arp_ignore = 1\n');
    con.update({ host: 'director' });
    expect(entries().map((e) => e.command)).toEqual(['director# ip addr show']);
    expect(con.history('rs1')).toEqual(['sysctl net.ipv4.conf.all.arp_ignore']);
  });

  it('completes command names with Tab from the lab program list, listing the candidates when ambiguous', () => {
    expect(driver.current.programs()).toContain('ipvsadm');
    input().value = 'ipv';
    expect(key('Tab').defaultPrevented).toBe(true);
    expect(input().value).toBe('ipvsadm ');
    input().value = 'sysc';
    key('Tab');
    expect(input().value).toBe('sysctl ');
    // `sys`: sysctl and systemctl; the common prefix adds nothing, so the second Tab lists them.
    input().value = 'sy';
    key('Tab');
    expect(input().value).toBe('sys');
    expect(container.querySelector('.console-note')).toBeNull();
    key('Tab');
    expect(container.querySelector('.console-note')!.textContent).toBe('sysctl  systemctl');
    input().value = 'if';
    key('Tab');
    expect(input().value).toBe('ifconfig ');
    // `i`: ip, ifconfig, iptables, ipvsadm share only `i`; a Tab with nothing to add lists them.
    input().value = 'i';
    key('Tab');
    expect(input().value).toBe('i');
    const note = [...container.querySelectorAll('.console-note')].at(-1)!.textContent!.split('  ');
    expect(note.sort()).toEqual(driver.current.programs().filter((p) => p.startsWith('i')).sort());
    expect(note).toContain('iptables');
    // `ipt`: unique.
    input().value = 'ipt';
    key('Tab');
    expect(input().value).toBe('iptables ');
    // In the arguments, or on an empty line, Tab moves focus as usual (the console does not trap it).
    input().value = 'ipvsadm -L';
    expect(key('Tab').defaultPrevented).toBe(false);
    input().value = '';
    expect(key('Tab').defaultPrevented).toBe(false);
    expect(con.complete('zz')).toEqual({ line: 'zz', candidates: [] });
  });

  it('clear empties the scrollback without running anything', () => {
    type('ip rule');
    type('clear');
    expect(entries()).toEqual([]);
    expect(driver.journal.map((j) => j.line)).toEqual(['ip rule']);
  });

  it('shows hostile commands and outputs as text', () => {
    const run: RunCommand = (_h, _l, done) => done({ exit: 3, output: HOSTILE });
    con.destroy();
    con = new Console({ host: HOSTILE, programs: [HOSTILE], run });
    con.mount(container);
    type(HOSTILE);
    expect(injectedElements(container)).toBe(0);
    expect(entries()).toEqual([{ command: `${HOSTILE}# ${HOSTILE}`, output: HOSTILE, failed: true }]);
    expect(container.querySelector('.console-prompt')!.textContent).toBe(`${HOSTILE}# `);
  });
});
