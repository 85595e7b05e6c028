import { expect } from 'vitest';
import { Cable, Host, NetContext, Switch, type Interface } from '../../../src/net/index.ts';
import { RandomStreams, Simulator } from '../../../src/sim/index.ts';
import { MemorySink, Tracer, type TraceEvent } from '../../../src/trace/index.ts';
import { Shell, type CommandResult, type CommandTable } from '../../../src/admin/index.ts';

/** One simulated world with a trace sink, a shared L2 segment and a shell. */
export class TestWorld {
  readonly sim = new Simulator();
  readonly tracer = new Tracer(() => this.sim.now());
  readonly sink = new MemorySink();
  readonly ctx: NetContext;
  readonly lan: Switch;
  readonly shell: Shell;

  constructor(commands?: CommandTable) {
    this.tracer.attach(this.sink);
    this.ctx = new NetContext(this.sim, new RandomStreams(1), this.tracer);
    this.lan = new Switch(this.ctx, 'lan');
    this.shell = new Shell(commands);
  }

  /** A host with Ethernet interfaces (name → MAC); `plugged` ones get a cable into the LAN. */
  host(name: string, ifaces: Record<string, string> = { eth0: '02:00:00:00:00:01' }, plugged = true): Host {
    const h = new Host(this.ctx, name);
    for (const [dev, mac] of Object.entries(ifaces)) {
      const d: Interface = h.addInterface(dev, 'ether', mac, 1500);
      if (plugged) h.plug(d, new Cable(this.ctx, this.lan, `${name}/${dev}`, { bandwidth: 1e9, latency: 10_000, queue: 100 }));
    }
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

  events<K extends TraceEvent['kind']>(kind: K): Extract<TraceEvent, { kind: K }>[] {
    return this.sink.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }
}

/** Lines of an expected output, '\n'-terminated. */
export function lines(...ls: string[]): string {
  return ls.map((l) => l + '\n').join('');
}
