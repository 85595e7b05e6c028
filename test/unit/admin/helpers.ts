import { expect } from 'vitest';
import type { Host } from '../../../src/net/index.ts';
import { Shell, type CommandResult, type CommandTable } from '../../../src/admin/index.ts';
import { SimWorld } from '../simWorld.ts';

/** One simulated world with a trace sink, a shared L2 segment `lan` and a shell. */
export class TestWorld extends SimWorld {
  readonly shell: Shell;

  constructor(commands?: CommandTable) {
    super();
    this.shell = new Shell(commands);
  }

  /** A host with Ethernet interfaces (name → MAC); `plugged` ones get a cable into the LAN. */
  host(name: string, ifaces: Record<string, string> = { eth0: '02:00:00:00:00:01' }, plugged = true): Host {
    const h = this.newHost(name);
    for (const [dev, mac] of Object.entries(ifaces)) this.plugNew(h, dev, mac, plugged ? 'lan' : undefined);
    return h;
  }

  /** Runs a configuration command, which must finish at once. */
  sh(host: Host, line: string): CommandResult {
    let r: CommandResult | undefined;
    this.shell.run(host, line, (x) => {
      expect(r, 'done called twice').toBeUndefined();
      r = x;
    });
    expect(r, `"${line}" did not finish synchronously`).toBeDefined();
    return r!;
  }

  /** Runs a configuration command that must succeed silently. */
  ok(host: Host, line: string): void {
    expect(this.sh(host, line)).toEqual({ exit: 0, output: '' });
  }

  /** The output of a command that must succeed. */
  out(host: Host, line: string): string {
    const r = this.sh(host, line);
    expect(r.exit, r.output).toBe(0);
    return r.output;
  }

  /** Starts a command that takes simulated time, runs the simulation to the end, returns its result and finish time. */
  runTimed(host: Host, line: string): { result: CommandResult; at: number; started: number } {
    const started = this.sim.now();
    let result: CommandResult | undefined;
    let at = -1;
    this.shell.run(host, line, (r) => {
      expect(result, 'done called twice').toBeUndefined();
      result = r;
      at = this.sim.now();
    });
    this.sim.run(1_000_000);
    expect(result, `"${line}" never finished`).toBeDefined();
    return { result: result!, at, started };
  }

}

/** Lines of an expected output, '\n'-terminated. */
export function lines(...ls: string[]): string {
  return ls.map((l) => l + '\n').join('');
}

/** Hosts a (192.168.1.1, MAC …:01) and b (192.168.1.2, MAC …:02) on the LAN, addressed with `ip addr add`. */
export function twoHosts(): { w: TestWorld; a: Host; b: Host } {
  const w = new TestWorld();
  const a = w.host('a', { eth0: '02:00:00:00:00:01' });
  const b = w.host('b', { eth0: '02:00:00:00:00:02' });
  w.ok(a, 'ip addr add 192.168.1.1/24 dev eth0');
  w.ok(b, 'ip addr add 192.168.1.2/24 dev eth0');
  return { w, a, b };
}
