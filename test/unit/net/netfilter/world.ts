import { RandomStreams, Simulator } from '../../../../src/sim/index.ts';
import { MemorySink, Tracer, type TraceEvent } from '../../../../src/trace/index.ts';
import { parseIpv4, type Ipv4Address } from '../../../../src/wire/index.ts';
import { Cable, Host, NetContext, Scope, Switch, TABLE_MAIN, type Interface, type IptRule, type TargetSpec } from '../../../../src/net/index.ts';

/** Small networks for the netfilter tests: hosts on switched segments, a tracer with a memory sink. */

export const ip = (s: string): Ipv4Address => parseIpv4(s)!;

export class World {
  readonly sim = new Simulator();
  readonly tracer = new Tracer(() => this.sim.now());
  readonly sink = new MemorySink();
  readonly ctx: NetContext;
  private readonly segments = new Map<string, Switch>();
  private macSeq = 1;

  constructor() {
    this.tracer.attach(this.sink);
    this.ctx = new NetContext(this.sim, new RandomStreams(1), this.tracer);
  }

  host(name: string): Host {
    return new Host(this.ctx, name);
  }

  /** Adds `dev` to `host` on segment `seg` with address `cidr` (A.B.C.D/N). */
  attach(host: Host, dev: string, seg: string, cidr: string): Interface {
    let sw = this.segments.get(seg);
    if (!sw) {
      sw = new Switch(this.ctx, seg);
      this.segments.set(seg, sw);
    }
    const mac = `02:00:00:00:00:${(this.macSeq++).toString(16).padStart(2, '0')}`;
    const d = host.addInterface(dev, 'ether', mac, 1500);
    host.plug(d, new Cable(this.ctx, sw, `${host.name}/${dev}`, { bandwidth: 1e9, latency: 10_000, queue: 100 }));
    const [a, len] = cidr.split('/');
    host.addAddress(d, { address: ip(a), prefixLen: Number(len), scope: Scope.global, label: dev });
    return d;
  }

  defaultRoute(host: Host, via: string): void {
    const r = host.addRoute({ table: TABLE_MAIN, type: 'unicast', dst: 0, prefixLen: 0, tos: 0, gateway: ip(via), scope: Scope.global, metric: 0, proto: 'boot' });
    if (r) throw new Error(`default route on ${host.name}: ${r}`);
  }

  events<K extends TraceEvent['kind']>(kind: K, host?: string): Array<Extract<TraceEvent, { kind: K }>> {
    return this.sink.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind && (host === undefined || e.host === host));
  }

  run(ns: number): void {
    this.sim.runUntil(this.sim.now() + ns);
  }
}

/** A rule with everything unset but what is given. */
export function rule(target: TargetSpec, more: Partial<IptRule> = {}): IptRule {
  return { proto: 0, protoInvert: false, matches: [], target, ...more };
}

export function hostAddr(a: string): { addr: number; mask: number; invert: boolean } {
  return { addr: ip(a), mask: 0xffffffff, invert: false };
}
