import { Destination } from '../../../../src/ipvs/Destination.ts';
import { schedulerFactory } from '../../../../src/ipvs/schedulers/registry.ts';
import type { ScheduleRequest, Scheduler, SchedulerContext } from '../../../../src/ipvs/schedulers/Scheduler.ts';
import { serviceKeyText, VirtualService, type ServiceKey } from '../../../../src/ipvs/VirtualService.ts';
import { parseIpv4, type Ipv4Address } from '../../../../src/wire/Ipv4Address.ts';

/**
 * A service with a scheduler, driven the way the control plane drives it (ip_vs_ctl.c): a new destination is
 * put at index 0 and then `addDest` runs; an edit changes the fields and then `updDest` runs (last weight kept
 * unless the new weight is 0); a delete unlinks, clears `available`, then `delDest` runs. The context is fake:
 * a settable clock, a sysctl table with the kernel defaults, scripted random numbers, and a log of errors.
 */

export const SECOND = 1_000_000_000;

export function ip(text: string): Ipv4Address {
  const a = parseIpv4(text);
  if (a === undefined) throw new Error(`bad address ${text}`);
  return a;
}

export interface AddOptions {
  port?: number;
  uThreshold?: number;
  lThreshold?: number;
}

export class Harness {
  readonly svc: VirtualService;
  /** Scheduler errors as the kernel would log them: `IPVS: <sched>: <service> - <message>`. */
  readonly errors: string[] = [];
  /** Values `randomBelow` returns, in order (each must be below the bound it is asked for). */
  readonly randoms: number[] = [];
  /** The bounds `randomBelow` was asked for. */
  readonly randomBounds: number[] = [];
  /** When set, answers `randomBelow` once the scripted values are used up. */
  randomSource: ((n: number) => number) | undefined;
  readonly sysctls = new Map<string, number>([
    ['lblc_expiration', 86_400],
    ['lblcr_expiration', 86_400],
  ]);
  now = 0;
  readonly ctx: SchedulerContext;
  private readonly byName = new Map<string, Destination>();

  constructor(key: ServiceKey = { kind: 'addr', protocol: 'tcp', address: ip('10.0.0.100'), port: 80 }) {
    this.svc = new VirtualService(key, UNBOUND);
    this.ctx = {
      now: () => this.now,
      sysctl: (name) => {
        const v = this.sysctls.get(name);
        if (v === undefined) throw new Error(`no sysctl ${name}`);
        return v;
      },
      randomBelow: (n) => {
        this.randomBounds.push(n);
        const v = this.randoms.length === 0 && this.randomSource !== undefined ? this.randomSource(n) : this.randoms.shift();
        if (v === undefined || v < 0 || v >= n) throw new Error(`scripted random ${v} not in [0, ${n})`);
        return v;
      },
      schedulerError: (svc, message) => {
        this.errors.push(`IPVS: ${svc.scheduler.name}: ${serviceText(svc.key)} - ${message}`);
      },
    };
  }

  /** Binds a scheduler by name, as `-A -s` / `-E -s` do (init_service sees the current list). */
  bind(name: string, flags = 0): this {
    const f = schedulerFactory(name);
    if (f === undefined) throw new Error(`no scheduler ${name}`);
    this.svc.scheduler.doneService?.(this.svc);
    this.svc.schedFlags = flags;
    this.svc.scheduler = f(this.svc, this.ctx);
    return this;
  }

  get sched(): Scheduler {
    return this.svc.scheduler;
  }

  /** `-a`: a new destination named `name` (address 10.2.K.2 for rsK, else the name itself). */
  add(name: string, weight: number, o: AddOptions = {}): Destination {
    const m = /^rs(\d+)$/.exec(name);
    const address = m ? ip(`10.2.${m[1]}.2`) : ip(name);
    const d = new Destination(this.svc, { address, port: o.port ?? 80, fwd: 'masq', weight, uThreshold: o.uThreshold ?? 0, lThreshold: o.lThreshold ?? 0 });
    this.byName.set(name, d);
    this.svc.destinations.unshift(d);
    this.sched.addDest?.(this.svc, d);
    return d;
  }

  /** `-a` of a destination still in the trash: the same object goes back to the head. */
  readd(d: Destination, weight: number): void {
    d.weight = weight;
    d.lastWeight = weight;
    d.available = true;
    this.svc.destinations.unshift(d);
    this.sched.addDest?.(this.svc, d);
  }

  /** `-e ... -w weight`. */
  weight(d: Destination | string, weight: number): void {
    const dest = this.dest(d);
    if (weight !== 0) dest.lastWeight = weight;
    dest.weight = weight;
    this.sched.updDest?.(this.svc, dest);
  }

  /** `-d`. */
  del(d: Destination | string): void {
    const dest = this.dest(d);
    const list = this.svc.destinations;
    const i = list.indexOf(dest);
    if (i < 0) throw new Error('not in the service');
    list.splice(i, 1);
    dest.available = false;
    this.sched.delDest?.(this.svc, dest);
  }

  dest(d: Destination | string): Destination {
    if (typeof d !== 'string') return d;
    const x = this.byName.get(d);
    if (x === undefined) throw new Error(`no destination ${d}`);
    return x;
  }

  /** The name a destination was added under. */
  nameOf(d: Destination | null): string | null {
    if (d === null) return null;
    for (const [n, x] of this.byName) if (x === d) return n;
    throw new Error('unknown destination');
  }

  /** Names in kernel list order. */
  order(): string[] {
    return this.svc.destinations.map((d) => this.nameOf(d)!);
  }

  pick(req: Partial<ScheduleRequest> = {}): Destination | null {
    return this.sched.schedule(this.svc, request(req));
  }

  /** Schedules and, on success, counts a new active connection on the pick. Returns the pick's name. */
  open(req: Partial<ScheduleRequest> = {}): string | null {
    const d = this.pick(req);
    if (d !== null) connect(d);
    return this.nameOf(d);
  }

  /** `n` opens, names joined by spaces (`-` for a refusal). */
  opens(n: number, req: Partial<ScheduleRequest> = {}): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.open(req) ?? '-');
    return out.join(' ');
  }

  /** `n` picks without counting any connection. */
  picks(n: number, req: Partial<ScheduleRequest> = {}): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.nameOf(this.pick(req)) ?? '-');
    return out.join(' ');
  }
}

export function request(r: Partial<ScheduleRequest> = {}): ScheduleRequest {
  return { protocol: r.protocol ?? 6, saddr: r.saddr ?? ip('10.1.1.10'), sport: r.sport ?? 10000, daddr: r.daddr ?? ip('10.0.0.100'), dport: r.dport ?? 80 };
}

/** How ip_vs_scheduler_err names a service: `TCP 10.0.0.100:80`, or `FWM 1 0x00000001`. */
function serviceText(key: ServiceKey): string {
  return key.kind === 'fwmark' ? `FWM ${key.mark} 0x${key.mark.toString(16).toUpperCase().padStart(8, '0')}` : serviceKeyText(key);
}

/** The placeholder a service holds before its scheduler is bound. */
const UNBOUND: Scheduler = {
  name: 'none',
  schedule: () => {
    throw new Error('no scheduler bound');
  },
};

/** A harness with `name` bound to an empty service, then `servers` added in order (rs1 first). */
export function serviceWith(name: string, weights: number[], flags = 0): Harness {
  const h = new Harness().bind(name, flags);
  weights.forEach((w, i) => h.add(`rs${i + 1}`, w));
  return h;
}

/** A new connection bound to `d` that has become active (ip_vs_bind_dest, then the TCP handshake). */
export function connect(d: Destination, n = 1): void {
  d.activeConns += n;
  d.totalConns += n;
}

/** `n` of `d`'s active connections close (FIN_WAIT/TIME_WAIT or CLOSE): still bound, no longer active. */
export function finish(d: Destination, n = 1): void {
  d.activeConns -= n;
}

/** `n` of `d`'s inactive connections expire and are unbound. */
export function expire(d: Destination, n = 1): void {
  d.totalConns -= n;
}
