import type { Host } from '../../net/index.ts';
import type { RandomStream } from '../../sim/index.ts';
import { meanOf, sample } from '../Distribution.ts';
import { ArrivalProcess, type ArrivalSpec } from './ArrivalProcess.ts';
import { ClientPopulation } from './ClientPopulation.ts';
import { dnsLikeSession } from './DnsLikeSession.ts';
import { ftpLikeSession } from './FtpLikeSession.ts';
import { httpSession } from './HttpSession.ts';
import type { Session, SessionContext, AppProtocol } from './Session.ts';
import { SessionReport } from './SessionReport.ts';
import type { ClosedLoopSpec, WorkloadPlan } from './WorkloadPlan.ts';

const SESSIONS: Record<AppProtocol, Session> = { http: httpSession, dns: dnsLikeSession, ftp: ftpLikeSession };

/**
 * A workload on one client host: a population of client addresses starting sessions of one protocol against
 * one destination, either open loop (arrivals from an ArrivalProcess, whatever the servers do) or closed loop
 * (`users` users, each with at most one session at a time, thinking between sessions). All randomness comes
 * from the host's named streams `workload:<name>/arrivals`, `/clients`, `/sizes`, `/think` (and
 * `udp-port:<name>` for the DNS-like sessions' ports), so adding a workload never changes another's numbers.
 */
export class Workload {
  readonly report: SessionReport;
  readonly population: ClientPopulation;
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
    const ctx = new WorkloadSessionContext(this.host, this.plan, src, this.sizes, this.report);
    this.session(ctx, () => {
      this.active--;
      after();
    });
  }
}

/** One session's context: the plan's fields and its size draws (methods, not a closure per session). */
class WorkloadSessionContext implements SessionContext {
  readonly to: number;
  readonly port: number;
  readonly requests: number;
  readonly timeout: number | undefined;

  constructor(
    readonly host: Host,
    private readonly plan: WorkloadPlan,
    readonly src: number | undefined,
    private readonly sizes: RandomStream,
    readonly report: SessionReport,
  ) {
    this.to = plan.to;
    this.port = plan.port;
    this.requests = plan.requestsPerConnection;
    this.timeout = plan.timeout;
  }

  drawRequest(): number {
    return sample(this.plan.request, this.sizes);
  }

  drawResponse(): number {
    return sample(this.plan.response, this.sizes);
  }
}
