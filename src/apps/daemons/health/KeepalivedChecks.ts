import type { Host } from '../../../net/index.ts';
import type { EventHandle, SimTime } from '../../../sim/index.ts';
import type { DestSpec, IpvsControl } from '../../../ipvs/IpvsControl.ts';
import { formatIpv4 } from '../../../wire/index.ts';
import type { CheckDone } from './checks/CheckResult.ts';
import { httpExchange } from './checks/httpGet.ts';
import { pingCheck } from './checks/ping.ts';
import { tcpConnectCheck } from './checks/tcpConnect.ts';
import { KA_CHECK_DEFAULTS, type KaChecker, type KaRealServer, type KaUrl, type KaVirtualServer } from './KeepalivedCheckConfig.ts';
import { ManagedService, serverText } from './ManagedService.ts';
import { md5Hex } from './md5.ts';

interface CheckerState {
  readonly c: KaChecker;
  /** UP or DOWN; before its first run, UP without alpha and DOWN with it. */
  up: boolean;
  /** Failed attempts since the last success or the last verdict (keepalived's retry_it). */
  retries: number;
  timer: EventHandle | undefined;
}

interface RealState {
  readonly rs: KaRealServer;
  readonly checkers: CheckerState[];
  /** The real server as IPVS last heard of it: alive (added or at its weight) or not. */
  alive: boolean;
}

/**
 * keepalived's checkers for one virtual server (check_api.c, check_http.c, check_tcp.c, ipwrapper.c;
 * reference §1.4):
 * - each checker runs every `delay_loop` (the first run after a seeded `warmup` delay);
 * - success: the retry count resets and a DOWN checker comes UP; failure: while fewer than `retry` retries were
 *   made, another attempt follows after `delay_before_retry`; then the checker goes DOWN and waits `delay_loop`;
 * - a real server is alive while none of its checkers is DOWN; UP→DOWN deletes the destination, or sets weight 0
 *   with `inhibit_on_failure`; DOWN→UP adds it back or restores its weight;
 * - quorum: when the live weight falls to 0 (or below quorum − hysteresis) every alive real server leaves (weight 0
 *   with `inhibit_on_failure`, so inhibited servers stay listed) and the `sorry_server` goes in (weight 1); when it
 *   reaches quorum + hysteresis again the sorry server leaves and the alive real servers return. While the sorry
 *   server is in, real servers are not re-added one by one.
 * Simplified: one connection per URL, all URLs of an HTTP_GET in one run; SSL_GET is HTTP_GET without TLS;
 * no MISC/SMTP/DNS/UDP checks, notify scripts, omega or quorum commands.
 */
export class KeepalivedVirtualServer {
  readonly svc: ManagedService;
  private readonly reals: RealState[];
  private sorryActive = false;
  private running = false;

  constructor(
    private readonly host: Host,
    ipvs: IpvsControl,
    readonly config: KaVirtualServer,
  ) {
    this.svc = new ManagedService(host, ipvs, 'keepalived', config.key);
    const alpha = (rs: KaRealServer) => rs.alpha ?? config.alpha;
    // keepalived starts a real server alive unless it has a failed checker (init_service_rs), and alpha marks
    // each checker failed until its first success: a server with no checker has none failed, so it is alive
    // with or without alpha.
    this.reals = config.realServers.map((rs) => ({
      rs,
      alive: !alpha(rs) || rs.checkers.length === 0,
      checkers: rs.checkers.map((c) => ({ c, up: !alpha(rs), retries: 0, timer: undefined })),
    }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const c = this.config;
    this.svc.ensure({ scheduler: c.scheduler, persistent: (c.persistenceTimeout ?? 0) > 0, timeout: c.persistenceTimeout, netmask: c.persistenceGranularity, onePacket: c.onePacket, schedFlags: c.schedFlags });
    for (const r of this.reals) {
      if (!r.alive) continue;
      const action = this.svc.add(this.dest(r.rs));
      const detail = r.checkers.length === 0 ? 'start-up: no checker, so alive' : 'start-up: alive until a check says otherwise (alpha off)';
      this.svc.event({ server: serverText(r.rs.address, r.rs.port), event: 'up', action, detail });
    }
    this.updateQuorum();
    const warm = this.host.stream(`keepalived-warmup:${this.svc.text}`);
    for (const r of this.reals) {
      for (const ch of r.checkers) {
        const warmup = c.warmup ?? this.delayLoop(r.rs, ch.c);
        const first = warmup > 0 ? Math.floor(warm.next() * warmup) : 0;
        ch.timer = this.host.ctx.sim.schedule(first, () => this.run(r, ch));
      }
    }
  }

  /** keepalived's exit: the virtual server and its real servers are removed. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const r of this.reals) for (const ch of r.checkers) this.host.ctx.sim.cancel(ch.timer);
    this.svc.remove();
  }

  /** The daemon died with its host: timers stop, IPVS is left as it was. */
  halt(): void {
    this.running = false;
    for (const r of this.reals) for (const ch of r.checkers) this.host.ctx.sim.cancel(ch.timer);
  }

  isAlive(address: number, port: number): boolean | undefined {
    return this.reals.find((r) => r.rs.address === address && r.rs.port === port)?.alive;
  }

  get sorryServerActive(): boolean {
    return this.sorryActive;
  }

  // ------------------------------------------------------------------------------------------ one checker

  private run(r: RealState, ch: CheckerState): void {
    if (!this.running) return;
    if (!this.host.alive) return this.halt();
    this.attempt(r.rs, ch.c, (res) => {
      if (!this.running || !this.host.alive) return;
      const sim = this.host.ctx.sim;
      const server = serverText(r.rs.address, r.rs.port);
      if (res.ok) {
        ch.retries = 0;
        if (!ch.up) {
          ch.up = true;
          this.checkerChanged(r, ch, res.detail);
        }
        ch.timer = sim.schedule(this.delayLoop(r.rs, ch.c), () => this.run(r, ch));
        return;
      }
      const retry = ch.c.retry ?? r.rs.retry ?? this.config.retry ?? KA_CHECK_DEFAULTS.retry;
      if (ch.retries < retry) {
        ch.retries++;
        if (ch.up) this.svc.event({ server, event: 'failure', check: ch.c.type, detail: `${res.detail} (retry ${ch.retries} of ${retry})` });
        ch.timer = sim.schedule(this.delayBeforeRetry(r.rs, ch.c), () => this.run(r, ch));
        return;
      }
      ch.retries = 0;
      if (ch.up) {
        ch.up = false;
        this.checkerChanged(r, ch, res.detail);
      }
      ch.timer = sim.schedule(this.delayLoop(r.rs, ch.c), () => this.run(r, ch));
    });
  }

  private attempt(rs: KaRealServer, c: KaChecker, done: CheckDone): void {
    const target = { address: c.connectIp ?? rs.address, port: c.connectPort ?? rs.port };
    const timeout = c.connectTimeout ?? rs.connectTimeout ?? this.config.connectTimeout ?? KA_CHECK_DEFAULTS.connectTimeout;
    switch (c.type) {
      case 'TCP_CHECK':
        return tcpConnectCheck(this.host, target, timeout, done);
      case 'PING_CHECK':
        return pingCheck(this.host, target.address, timeout, done);
      case 'HTTP_GET':
      case 'SSL_GET': {
        const hostHeader = c.virtualHost ?? rs.virtualHost ?? this.config.virtualHost ?? formatIpv4(target.address);
        const urls = c.urls && c.urls.length > 0 ? c.urls : [{ path: '/' }];
        return this.urls(target, hostHeader, urls, 0, timeout, done);
      }
    }
  }

  /** The URLs in order, each on its own connection; the first that fails fails the run. */
  private urls(target: { address: number; port: number }, hostHeader: string, urls: readonly KaUrl[], i: number, timeout: SimTime, done: CheckDone): void {
    if (i >= urls.length) return done({ ok: true, detail: urls.map((u) => u.path).join(', ') + ' answered' });
    const u = urls[i];
    httpExchange(this.host, target, { method: 'GET', path: u.path, hostHeader }, timeout, (o) => {
      if (!o.ok) return done({ ok: false, detail: `${u.path}: ${o.detail}` });
      const st = o.response.status;
      const codes = u.statusCodes ?? [[200, 299]];
      if (!codes.some(([lo, hi]) => st >= lo && st <= hi)) return done({ ok: false, detail: `${u.path}: status ${st}` });
      if (u.digest !== undefined) {
        const got = md5Hex(o.response.body);
        if (got !== u.digest.toLowerCase()) return done({ ok: false, detail: `${u.path}: digest ${got}` });
      }
      this.urls(target, hostHeader, urls, i + 1, timeout, done);
    });
  }

  // ------------------------------------------------------------------------------------------ IPVS effects

  private checkerChanged(r: RealState, ch: CheckerState, detail: string): void {
    const server = serverText(r.rs.address, r.rs.port);
    const alive = r.checkers.every((x) => x.up);
    if (alive === r.alive) {
      this.svc.event({ server, event: ch.up ? 'up' : 'down', check: ch.c.type, detail: `${detail} (another checker decides)` });
      return;
    }
    r.alive = alive;
    let action: string | undefined;
    if (!this.sorryActive) {
      if (alive) action = this.inhibit(r.rs) && this.svc.has(r.rs.address, r.rs.port) ? this.svc.setWeight(this.dest(r.rs), r.rs.weight) : this.svc.add(this.dest(r.rs));
      else action = this.inhibit(r.rs) ? this.svc.setWeight(this.dest(r.rs), 0) : this.svc.delete(r.rs.address, r.rs.port);
    }
    this.svc.event({ server, event: alive ? 'up' : 'down', check: ch.c.type, action, detail });
    this.updateQuorum();
  }

  /** update_quorum_state (ipwrapper.c). */
  private updateQuorum(): void {
    const c = this.config;
    let live = 0;
    for (const r of this.reals) if (r.alive) live += r.rs.weight;
    const sorry = c.sorryServer;
    if (!this.sorryActive && (live === 0 || live < c.quorum - c.hysteresis)) {
      if (!sorry) return;
      this.sorryActive = true;
      // perform_quorum_state(vs, false): only the alive real servers leave, through ipvs_cmd's DEL_DEST, which
      // inhibit_on_failure turns into an EDIT to weight 0 — inhibited servers stay listed at weight 0.
      for (const r of this.reals) {
        if (!r.alive || !this.svc.has(r.rs.address, r.rs.port)) continue;
        if (this.inhibit(r.rs)) this.svc.setWeight(this.dest(r.rs), 0);
        else this.svc.delete(r.rs.address, r.rs.port);
      }
      const action = this.svc.add({ address: sorry.address, port: sorry.port, fwd: sorry.fwd ?? c.fwd, weight: 1 });
      this.svc.event({ server: serverText(sorry.address, sorry.port), event: 'sorry-on', action, detail: `live weight ${live} below quorum ${c.quorum}` });
    } else if (this.sorryActive && live >= c.quorum + c.hysteresis && live > 0) {
      this.sorryActive = false;
      const action = sorry ? this.svc.delete(sorry.address, sorry.port) : undefined;
      // perform_quorum_state(vs, true): ADD_DEST, an EDIT to the configured weight for an inhibited server still listed.
      for (const r of this.reals) {
        if (!r.alive) continue;
        if (this.inhibit(r.rs) && this.svc.has(r.rs.address, r.rs.port)) this.svc.setWeight(this.dest(r.rs), r.rs.weight);
        else this.svc.add(this.dest(r.rs));
      }
      if (sorry) this.svc.event({ server: serverText(sorry.address, sorry.port), event: 'sorry-off', action, detail: `live weight ${live} reaches quorum ${c.quorum}` });
    }
  }

  private dest(rs: KaRealServer): DestSpec {
    return { address: rs.address, port: rs.port, fwd: rs.fwd ?? this.config.fwd, weight: rs.weight };
  }

  private inhibit(rs: KaRealServer): boolean {
    return rs.inhibitOnFailure ?? this.config.inhibitOnFailure;
  }

  private delayLoop(rs: KaRealServer, c: KaChecker): SimTime {
    return c.delayLoop ?? rs.delayLoop ?? this.config.delayLoop;
  }

  private delayBeforeRetry(rs: KaRealServer, c: KaChecker): SimTime {
    const dflt = c.type === 'HTTP_GET' || c.type === 'SSL_GET' ? KA_CHECK_DEFAULTS.delayBeforeRetryHttp : KA_CHECK_DEFAULTS.delayBeforeRetry;
    return c.delayBeforeRetry ?? rs.delayBeforeRetry ?? this.config.delayBeforeRetry ?? dflt;
  }
}
