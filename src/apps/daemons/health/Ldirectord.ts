import type { Host } from '../../../net/index.ts';
import type { EventHandle } from '../../../sim/index.ts';
import type { DestSpec, IpvsControl } from '../../../ipvs/IpvsControl.ts';
import { formatIpv4 } from '../../../wire/index.ts';
import type { CheckResult } from './checks/CheckResult.ts';
import { bodyText, httpExchange } from './checks/httpGet.ts';
import { pingCheck } from './checks/ping.ts';
import { tcpConnectCheck } from './checks/tcpConnect.ts';
import type { LdFallback, LdirectordConfig, LdRealServer, LdVirtual } from './LdirectordConfig.ts';
import { ManagedService, serverText } from './ManagedService.ts';
import type { Daemon } from '../Daemon.ts';

interface RealState {
  readonly real: LdRealServer;
  up: boolean;
  failCount: number;
}

interface VirtualState {
  readonly v: LdVirtual;
  readonly svc: ManagedService;
  readonly reals: RealState[];
  readonly fallback?: LdFallback;
  fallbackActive: boolean;
}

/**
 * ldirectord's run-time behaviour (ldirectord.in: ld_start, check loop, _service_up/_service_down,
 * fallback_on/fallback_off; reference config-formats.md §2.4):
 * - start: each virtual service is added (or edited); every real server starts DOWN — at weight 0 with
 *   quiescent=yes, absent otherwise — and the fallback goes in, since no real server is up yet;
 * - a round checks every real server; the next round starts `checkinterval` after the round finished;
 * - success: the failure count resets; a DOWN server comes UP (weight restored or destination added) and the
 *   fallback leaves once a real server is up;
 * - failure: the count grows; an UP server goes DOWN once it reaches `failurecount` — weight 0 with
 *   quiescent=yes (its connections drain), deleted with quiescent=no — and the fallback comes in when no real
 *   server is up.
 * Simplified: the checks of a round run in parallel (ldirectord's fork mode; without fork they run one after
 * the other); negotiate speaks HTTP only (for other services it checks the connection); no external checks,
 * e-mail alerts or maintenance dir.
 */
export class Ldirectord implements Daemon {
  readonly name = 'ldirectord';
  private readonly virtuals: VirtualState[];
  private pending: EventHandle | undefined;
  private running = false;
  rounds = 0;

  constructor(
    private readonly host: Host,
    private readonly ipvs: IpvsControl,
    readonly config: LdirectordConfig,
  ) {
    this.virtuals = config.virtuals.map((v) => ({
      v,
      svc: new ManagedService(host, ipvs, 'ldirectord', v.key),
      reals: v.reals.map((real) => ({ real, up: false, failCount: 0 })),
      fallback: v.fallback ?? config.fallback,
      fallbackActive: false,
    }));
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const vs of this.virtuals) {
      const v = vs.v;
      vs.svc.ensure({ scheduler: v.scheduler, persistent: v.persistent !== undefined, timeout: v.persistent, netmask: v.netmask });
      for (const rs of vs.reals) {
        rs.up = false;
        rs.failCount = 0;
        const r = rs.real;
        let action: string | undefined;
        if (this.quiescent(v)) {
          action = vs.svc.has(r.address, r.port) ? vs.svc.setWeight(dest(r), 0) : vs.svc.add({ ...dest(r), weight: 0 });
        } else if (vs.svc.has(r.address, r.port)) {
          action = vs.svc.delete(r.address, r.port);
        }
        if (action !== undefined) vs.svc.event({ server: serverText(r.address, r.port), event: 'down', action, detail: 'start-up: not checked yet' });
      }
      this.fallbackOn(vs);
    }
    this.round();
  }

  /** SIGTERM: with cleanstop the managed virtual services are removed. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.host.ctx.sim.cancel(this.pending);
    if (this.config.cleanStop) for (const vs of this.virtuals) vs.svc.remove();
  }

  halt(): void {
    this.running = false;
    this.host.ctx.sim.cancel(this.pending);
  }

  /** Whether the daemon believes a real server is up (for tests and panels). */
  isUp(address: number, port: number): boolean | undefined {
    for (const vs of this.virtuals) for (const rs of vs.reals) if (rs.real.address === address && rs.real.port === port) return rs.up;
    return undefined;
  }

  private alive(): boolean {
    if (this.host.alive) return true;
    this.running = false; // the process died with its host
    return false;
  }

  private round(): void {
    if (!this.running || !this.alive()) return;
    this.rounds++;
    let outstanding = 0;
    let started = false;
    const finished = () => {
      if (--outstanding > 0 || !started) return;
      if (!this.running) return;
      this.pending = this.host.ctx.sim.schedule(this.config.checkInterval, () => this.round());
    };
    for (const vs of this.virtuals) {
      for (const rs of vs.reals) {
        outstanding++;
        this.check(vs, rs, (r) => {
          if (this.running && this.host.alive) this.result(vs, rs, r);
          finished();
        });
      }
    }
    started = true;
    if (outstanding === 0) {
      outstanding = 1;
      finished();
    }
  }

  private check(vs: VirtualState, rs: RealState, done: (r: CheckResult) => void): void {
    const v = vs.v;
    const r = rs.real;
    const sim = this.host.ctx.sim;
    const target = { address: r.address, port: v.checkPort ?? r.port };
    const checkTimeout = v.checkTimeout ?? this.config.checkTimeout;
    switch (v.checkType) {
      case 'on':
        return void sim.schedule(0, () => done({ ok: true, detail: 'checktype=on' }));
      case 'off':
        return void sim.schedule(0, () => done({ ok: false, detail: 'checktype=off' }));
      case 'connect':
        return tcpConnectCheck(this.host, target, checkTimeout, done);
      case 'ping':
        return pingCheck(this.host, r.address, checkTimeout, done);
      case 'negotiate': {
        if (!speaksHttp(v.service ?? defaultService(target.port))) return tcpConnectCheck(this.host, target, v.negotiateTimeout ?? this.config.negotiateTimeout, done);
        const request = r.request ?? v.request;
        const receive = r.receive ?? v.receive;
        const path = request.startsWith('/') ? request : `/${request}`;
        httpExchange(this.host, target, { method: v.httpMethod, path, hostHeader: v.virtualHost ?? formatIpv4(r.address) }, v.negotiateTimeout ?? this.config.negotiateTimeout, (o) => {
          if (!o.ok) return done(o);
          const st = o.response.status;
          if (st < 200 || st > 299) return done({ ok: false, detail: `HTTP status ${st}` });
          if (receive !== '' && v.httpMethod === 'GET' && !new RegExp(receive).test(bodyText(o.response.body))) return done({ ok: false, detail: `response does not match "${receive}"` });
          done({ ok: true, detail: `HTTP status ${st}` });
        });
      }
    }
  }

  private result(vs: VirtualState, rs: RealState, r: CheckResult): void {
    const v = vs.v;
    const real = rs.real;
    const server = serverText(real.address, real.port);
    const check = v.checkType;
    if (r.ok) {
      rs.failCount = 0;
      if (rs.up) return;
      rs.up = true;
      const action = vs.svc.has(real.address, real.port) ? vs.svc.setWeight(dest(real), real.weight) : vs.svc.add(dest(real));
      vs.svc.event({ server, event: 'up', check, action, detail: r.detail });
      this.fallbackOff(vs);
      return;
    }
    rs.failCount++;
    if (!rs.up) return;
    const failureCount = v.failureCount ?? this.config.failureCount;
    if (rs.failCount < failureCount) {
      vs.svc.event({ server, event: 'failure', check, detail: `${r.detail} (${rs.failCount} of ${failureCount})` });
      return;
    }
    rs.up = false;
    const action = this.quiescent(v) ? vs.svc.setWeight(dest(real), 0) : vs.svc.delete(real.address, real.port);
    vs.svc.event({ server, event: 'down', check, action, detail: r.detail });
    this.fallbackOn(vs);
  }

  private fallbackOn(vs: VirtualState): void {
    const f = vs.fallback;
    if (!f || vs.fallbackActive || vs.reals.some((rs) => rs.up)) return;
    vs.fallbackActive = true;
    const action = vs.svc.add({ address: f.address, port: f.port, fwd: f.fwd, weight: 1 });
    vs.svc.event({ server: serverText(f.address, f.port), event: 'fallback-on', action, detail: 'no real server is up' });
  }

  private fallbackOff(vs: VirtualState): void {
    const f = vs.fallback;
    if (!f || !vs.fallbackActive || !vs.reals.some((rs) => rs.up)) return;
    vs.fallbackActive = false;
    const action = vs.svc.delete(f.address, f.port);
    vs.svc.event({ server: serverText(f.address, f.port), event: 'fallback-off', action, detail: 'a real server is up' });
  }

  private quiescent(v: LdVirtual): boolean {
    return v.quiescent ?? this.config.quiescent;
  }
}

function dest(r: LdRealServer): DestSpec {
  return { address: r.address, port: r.port, fwd: r.fwd, weight: r.weight };
}

/** The HTTP-like entries of ldirectord's port → service table (the others do not matter to the lab). */
function defaultService(port: number): string {
  return port === 80 ? 'http' : port === 443 ? 'https' : port === 3128 ? 'http_proxy' : 'none';
}

function speaksHttp(service: string): boolean {
  return service === 'http' || service === 'https' || service === 'http_proxy';
}
