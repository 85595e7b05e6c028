import type { Host } from '../../net/index.ts';
import type { RandomStream } from '../../sim/index.ts';
import type { Ipv4Address } from '../../wire/index.ts';
import { meanOf, sample } from '../Distribution.ts';
import { ArrivalProcess, type ArrivalSpec } from './ArrivalProcess.ts';
import { ClientPopulation } from './ClientPopulation.ts';
import { dnsLikeSession } from './DnsLikeSession.ts';
import { ftpLikeSession } from './FtpLikeSession.ts';
import { httpSession } from './HttpSession.ts';
import type { Session, SessionContext, AppProtocol, FtpMode } from './Session.ts';
import { SessionReport } from './SessionReport.ts';
import type { ClosedLoopSpec, WorkloadPlan } from './WorkloadPlan.ts';

const SESSIONS: Record<AppProtocol, Session> = { http: httpSession, dns: dnsLikeSession, ftp: ftpLikeSession };

/**
 * A workload on one client host: a population of client addresses starting sessions of one protocol against
 * one destination (or, when `to` is a prefix population, a destination address each session picks), either
 * open loop (arrivals from an ArrivalProcess, whatever the servers do) or closed loop (`users` users, each with
 * at most one session at a time, thinking between sessions). All randomness comes from the host's named streams
 * `workload:<name>/arrivals`, `/clients`, `/destinations` (only with a destination prefix), `/sizes`, `/think`
 * (and `udp-port:<name>` for the DNS-like sessions' ports), so adding a workload never changes another's numbers.
 */
export class Workload {
  readonly report: SessionReport;
  readonly population: ClientPopulation;
  /** The destination address of the next session: the plan's one address, or a draw from its prefix. */
  private readonly destination: () => Ipv4Address;
  private readonly session: Session;
  private readonly sizes: RandomStream;
  /** Sessions started, sessions running now and the most that ever ran at once. */
  started = 0;
  active = 0;
  maxActive = 0;

  constructor(
    private readonly host: Host,
    readonly plan: WorkloadPlan,
  ) {
    this.report = new SessionReport(host, plan.name);
    this.population = new ClientPopulation(plan.clients);
    const to = plan.to;
    if (typeof to === 'number') this.destination = () => to;
    else {
      // The stream exists only for a destination prefix: a one-address workload's streams are as before.
      const destinations = new ClientPopulation(to);
      const stream = host.stream(`workload:${plan.name}/destinations`);
      // A prefix population holds at least one address, so a pick is never undefined.
      this.destination = () => destinations.pick(stream)!;
    }
    this.session = SESSIONS[plan.protocol];
    this.sizes = host.stream(`workload:${plan.name}/sizes`);
  }

  /** Schedules the first arrivals; call once, at or before `plan.start`. */
  start(): void {
    const a = this.plan.arrivals;
    if (a.kind === 'closed') this.startClosed(a);
    else this.startOpen(a);
  }

  private startOpen(spec: ArrivalSpec): void {
    const sim = this.host.ctx.sim;
    const arrivals = new ArrivalProcess(spec, this.host.stream(`workload:${this.plan.name}/arrivals`), this.plan.start);
    const clients = this.host.stream(`workload:${this.plan.name}/clients`);
    const arrive = (t: number) => {
      if (!this.accepting(t)) return;
      sim.scheduleAt(t, () => {
        this.run(this.population.pick(clients), () => {});
        arrive(arrivals.next(t));
      });
    };
    arrive(arrivals.next(this.plan.start, true));
  }

  private startClosed(spec: ClosedLoopSpec): void {
    const sim = this.host.ctx.sim;
    const think = this.host.stream(`workload:${this.plan.name}/think`);
    for (let user = 0; user < spec.users; user++) {
      const src = this.population.forUser(user);
      const loop = () => {
        if (!this.accepting(sim.now())) return;
        this.run(src, () => sim.schedule(sample(spec.think, think), loop));
      };
      // Users start spread uniformly over one mean think time, so they do not all connect in the same nanosecond.
      const spread = Math.max(0, Math.round(meanOf(spec.think)) - 1);
      sim.scheduleAt(this.plan.start + think.int(0, spread), loop);
    }
  }

  private accepting(t: number): boolean {
    return this.plan.stop === undefined || t < this.plan.stop;
  }

  private run(src: number | undefined, after: () => void): void {
    this.started++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    const ctx = new WorkloadSessionContext(this.host, this.plan, src, this.destination(), this.sizes, this.report);
    this.session(ctx, () => {
      this.active--;
      after();
    });
  }
}

/** One session's context: the plan's fields and its size draws (methods, not a closure per session). */
class WorkloadSessionContext implements SessionContext {
  readonly port: number;
  readonly requests: number;
  readonly timeout: number | undefined;
  readonly ftpMode: FtpMode;

  constructor(
    readonly host: Host,
    private readonly plan: WorkloadPlan,
    readonly src: number | undefined,
    readonly to: number,
    private readonly sizes: RandomStream,
    readonly report: SessionReport,
  ) {
    this.port = plan.port;
    this.requests = plan.requestsPerConnection;
    this.timeout = plan.timeout;
    this.ftpMode = plan.ftpMode ?? 'passive';
  }

  drawRequest(): number {
    return sample(this.plan.request, this.sizes);
  }

  drawResponse(): number {
    return sample(this.plan.response, this.sizes);
  }
}
