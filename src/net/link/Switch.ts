import type { SimTime } from '../../sim/index.ts';
import { isMulticastMac, type Frame, type MacAddress } from '../../wire/index.ts';
import type { NetContext } from '../NetContext.ts';
import { summarizeFrame } from '../../trace/index.ts';
import { Cable } from './Cable.ts';

/** A frame inside the link layer, with the transmission number its tx event carried. */
export interface WireFrame {
  readonly frame: Frame;
  readonly fid: number;
}

/** Default MAC ageing of a Linux bridge / most switches: 300 s. */
export const MAC_AGEING: SimTime = 300_000_000_000;

interface MacEntry {
  port: Cable;
  seen: SimTime;
}

/**
 * One L2 segment: a store-and-forward learning switch with a cable per attached interface.
 *
 * It floods broadcasts, multicasts and unknown unicasts to every other port in the order the ports were attached
 * (the scenario file's order of interfaces: docs/scenario-format.md), so simultaneous copies leave in a fixed
 * order. Known unicasts go to the learned port; a frame whose destination was learned on its own ingress port
 * is filtered, as a bridge does.
 */
export class Switch {
  readonly ports: Cable[] = [];
  private readonly macTable = new Map<MacAddress, MacEntry>();
  private nextFid = 1;

  constructor(
    private readonly ctx: NetContext,
    readonly name: string,
  ) {}

  attach(cable: Cable): void {
    this.ports.push(cable);
  }

  /** A transmission number for a frame an interface starts sending. */
  frameNumber(): number {
    return this.nextFid++;
  }

  /** A frame fully received from `ingress`'s cable. */
  forward(wf: WireFrame, ingress: Cable): void {
    const now = this.ctx.sim.now();
    const f = wf.frame;
    if (!isMulticastMac(f.eth.src)) {
      // Refresh the entry in place: the common case (a known station talking again) allocates nothing.
      const known = this.macTable.get(f.eth.src);
      if (known) {
        known.port = ingress;
        known.seen = now;
      } else {
        this.macTable.set(f.eth.src, { port: ingress, seen: now });
      }
    }
    if (!isMulticastMac(f.eth.dst)) {
      const e = this.macTable.get(f.eth.dst);
      if (e && now - e.seen <= MAC_AGEING && e.port.carrier) {
        if (e.port === ingress) this.dropAtSwitch(wf, 'not-for-us', 'destination learned on the ingress port');
        else e.port.fromSwitch(wf);
        return;
      }
    }
    let sent = false;
    for (const p of this.ports) {
      if (p === ingress || !p.carrier) continue;
      p.fromSwitch(wf);
      sent = true;
    }
    if (!sent) this.dropAtSwitch(wf, 'link-down', 'no other port is connected');
  }

  /** Learned MAC → port table (for display). */
  macEntries(): Array<{ mac: MacAddress; port: string; age: SimTime }> {
    const now = this.ctx.sim.now();
    const out: Array<{ mac: MacAddress; port: string; age: SimTime }> = [];
    for (const [mac, e] of this.macTable) if (now - e.seen <= MAC_AGEING) out.push({ mac, port: e.port.label, age: now - e.seen });
    out.sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0));
    return out;
  }

  dropAtSwitch(wf: WireFrame, reason: 'link-queue-full' | 'link-down' | 'not-for-us' | 'link-loss', detail: string): void {
    const t = this.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'drop', segment: this.name, frame: wf.fid, pkt: summarizeFrame(wf.frame), reason, detail });
  }
}
