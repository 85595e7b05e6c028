import { Cable, Host, NetContext, Switch, type CableParams, type Interface } from '../../src/net/index.ts';
import { RandomStreams, Simulator } from '../../src/sim/index.ts';
import { MemorySink, Tracer, type TraceEvent } from '../../src/trace/index.ts';

/** 1 Gbit/s, 10 us, 100 frames: the scenario format's default cable. */
export const DEFAULT_CABLE: CableParams = { bandwidth: 1e9, latency: 10_000, queue: 100 };

/**
 * A bare simulated network for unit tests below the scenario layer: one engine, a tracer recording into a
 * memory sink, named segments (switches created on first use), hosts and cables. The net, netfilter and admin
 * tests build on it.
 */
export class SimWorld {
  readonly sim = new Simulator();
  readonly tracer = new Tracer(() => this.sim.now());
  readonly sink = new MemorySink();
  readonly ctx: NetContext;
  private readonly switches = new Map<string, Switch>();

  constructor(seed = 1) {
    this.tracer.attach(this.sink);
    this.ctx = new NetContext(this.sim, new RandomStreams(seed), this.tracer);
  }

  /** The switch of segment `name`, created on first use. */
  segment(name: string): Switch {
    let sw = this.switches.get(name);
    if (!sw) {
      sw = new Switch(this.ctx, name);
      this.switches.set(name, sw);
    }
    return sw;
  }

  newHost(name: string): Host {
    return new Host(this.ctx, name);
  }

  /** Adds Ethernet device `dev` with `mac` to `host`, its cable plugged into segment `seg` (unless undefined). */
  plugNew(host: Host, dev: string, mac: string, seg: string | undefined, cable: CableParams = DEFAULT_CABLE): Interface {
    const d = host.addInterface(dev, 'ether', mac, 1500);
    if (seg !== undefined) host.plug(d, new Cable(this.ctx, this.segment(seg), `${host.name}/${dev}`, cable));
    return d;
  }

  /** Trace events of one kind, optionally on one host. */
  events<K extends TraceEvent['kind']>(kind: K, host?: string): Array<Extract<TraceEvent, { kind: K }>> {
    return this.sink.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind && (host === undefined || e.host === host));
  }

  /** Runs `ns` of simulated time from now. */
  run(ns: number): void {
    this.sim.runUntil(this.sim.now() + ns);
  }
}
