import { RandomStreams, Simulator } from '../sim/index.ts';
import { MemorySink, Tracer } from '../trace/index.ts';
import type { Frame } from '../wire/index.ts';
import { NetContext, type Cable, type Host, type Switch } from '../net/index.ts';

/**
 * A built simulation: the engine, the random streams, the trace source, the hosts and segments. Owns nothing
 * global; two worlds can run side by side.
 */
export class World {
  readonly sim = new Simulator();
  readonly streams: RandomStreams;
  readonly tracer: Tracer;
  readonly ctx: NetContext;
  readonly memory = new MemorySink();
  readonly hosts = new Map<string, Host>();
  readonly segments = new Map<string, Switch>();
  /** Each Ethernet interface's cable into its switch, by `HOST/IFACE` (what a timeline's cable and loss name). */
  readonly cables = new Map<string, Cable>();
  /** Taps called with every frame an interface starts to send, by segment (pcap capture). */
  readonly taps: Array<(segment: string, time: number, frame: Frame) => void> = [];

  constructor(seed: number, run: number) {
    this.streams = new RandomStreams(seed, run);
    this.tracer = new Tracer(() => this.sim.now());
    this.ctx = new NetContext(this.sim, this.streams, this.tracer);
  }

  host(name: string): Host {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no host ${name}`);
    return h;
  }
}
