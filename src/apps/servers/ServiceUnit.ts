import type { Host } from '../../net/index.ts';
import type { Daemon } from '../daemons/Daemon.ts';

/** What a unit runs: a server that listens (or binds) when started and stops listening when stopped. */
export interface UnitServer {
  start(): void;
  /** `graceful` false: the host crashed, so the server's connections are already gone and nothing is sent. */
  stop(graceful?: boolean): void;
}

/**
 * The web, FTP or DNS server of a real server as the init system sees it: a unit (`httpd`, `vsftpd`, `named`,
 * or the name a scenario gives) that `systemctl stop httpd` / `service httpd stop` stops and starts again —
 * the seeds' "stop httpd on one web server" test of a health check. A unit may hold several servers (httpd on
 * ports 80 and 443).
 *
 * Stop is httpd's graceful stop (RHEL's httpd.service sends SIGWINCH): the listening sockets close at once, so a
 * new connection is refused with a reset, while a connection already accepted gets the response to the request
 * it is on and is then closed (HttpServer.stop). A host crash kills the unit (nothing is sent); the host's
 * restart starts it again, as an enabled unit starts at boot.
 */
export class ServiceUnit implements Daemon {
  private running = false;

  constructor(
    private readonly host: Host,
    readonly name: string,
    private readonly servers: readonly UnitServer[],
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the servers; a running unit is left as it is (as `systemctl start` of an active unit). */
  start(): void {
    if (this.running) return;
    for (const s of this.servers) s.start();
    this.running = true;
    this.trace('started');
  }

  stop(): void {
    if (!this.running) return;
    for (const s of this.servers) s.stop();
    this.running = false;
    this.trace('stopped');
  }

  halt(): void {
    if (!this.running) return;
    for (const s of this.servers) s.stop(false);
    this.running = false;
  }

  /** At build time: the servers were started with the host's configuration, before any trace listener. */
  markRunning(): void {
    this.running = true;
  }

  private trace(event: 'started' | 'stopped'): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: this.name, event });
  }
}
