import { parseIpv4 } from '../../../src/wire/index.ts';
import { Simulator } from '../../../src/sim/index.ts';
import type { ConnectionView, IpvsDataPlane, IpvsTimeouts } from '../../../src/ipvs/IpvsDataPlane.ts';
import type { Destination } from '../../../src/ipvs/Destination.ts';
import { IpvsControl, type IpvsControlOptions } from '../../../src/ipvs/IpvsControl.ts';
import type { Scheduler, SchedulerFactory } from '../../../src/ipvs/schedulers/Scheduler.ts';
import type { VirtualService } from '../../../src/ipvs/VirtualService.ts';

/** A data plane that only records what the control plane tells it. */
export class FakeDataPlane implements IpvsDataPlane {
  t: IpvsTimeouts = { tcp: 900, tcpfin: 120, udp: 300 };
  conns: ConnectionView[] = [];
  readonly unlinked: Destination[] = [];
  timeouts(): IpvsTimeouts {
    return { ...this.t };
  }
  setTimeouts(t: IpvsTimeouts): void {
    if (t.tcp) this.t.tcp = t.tcp;
    if (t.tcpfin) this.t.tcpfin = t.tcpfin;
    if (t.udp) this.t.udp = t.udp;
  }
  connections(): readonly ConnectionView[] {
    return this.conns;
  }
  destUnlinked(dest: Destination): void {
    this.unlinked.push(dest);
  }
}

/** One recorded scheduler callback: which instance, which hook, and the list as the hook saw it. */
export interface SchedCall {
  readonly instance: number;
  readonly name: string;
  readonly hook: 'init' | 'addDest' | 'delDest' | 'updDest' | 'doneService';
  readonly dest?: Destination;
  readonly list: readonly Destination[];
}

/**
 * Schedulers that record their lifecycle calls (the kernel's init_service / add_dest / del_dest / upd_dest /
 * done_service) and pick the first destination in list order with a positive weight.
 */
export function recordingSchedulers(names: readonly string[] = ['rr', 'wrr', 'wlc', 'lc', 'sh', 'mh', 'dh', 'sed', 'nq', 'fo', 'ovf', 'lblc', 'lblcr', 'twos']) {
  const calls: SchedCall[] = [];
  let instances = 0;
  const lookup = (name: string): SchedulerFactory | undefined => {
    if (!names.includes(name)) return undefined;
    return (svc: VirtualService) => {
      const instance = ++instances;
      const rec = (hook: SchedCall['hook'], s: VirtualService, dest?: Destination) => calls.push({ instance, name, hook, dest, list: [...s.destinations] });
      rec('init', svc);
      const sched: Scheduler = {
        name,
        addDest: (s, d) => rec('addDest', s, d),
        delDest: (s, d) => rec('delDest', s, d),
        updDest: (s, d) => rec('updDest', s, d),
        doneService: (s) => rec('doneService', s),
        schedule: (s) => s.destinations.find((d) => d.weight > 0 && !d.overloaded) ?? null,
      };
      return sched;
    };
  };
  return { calls, lookup };
}

export function makeControl(extra: Partial<IpvsControlOptions> = {}) {
  const sim = new Simulator();
  const dataPlane = new FakeDataPlane();
  const scheds = recordingSchedulers();
  const control = new IpvsControl({
    sim,
    dataPlane,
    schedulerContext: () => ({ now: () => sim.now(), sysctl: () => 0, randomBelow: () => 0, schedulerError: () => undefined }),
    schedulers: scheds.lookup,
    ...extra,
  });
  return { sim, dataPlane, control, calls: scheds.calls };
}

/** A dotted-quad literal of a test, as a number (throws on a typo). */
export function ip(text: string): number {
  const a = parseIpv4(text);
  if (a === undefined) throw new Error(`not an IPv4 address: ${text}`);
  return a;
}
