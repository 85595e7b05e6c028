import type { Host } from '../../net/index.ts';

/**
 * A long-running program on a lab host that `systemctl start|stop|restart|status NAME` controls. A daemon whose
 * host crashes stops by itself (its timers see the host is down); it does not come back with the host unless
 * started again.
 */
export interface Daemon {
  readonly name: string;
  readonly isRunning: boolean;
  start(): void;
  /** A clean stop (SIGTERM): what the program does on its way out (resign, clean up IPVS). */
  stop(): void;
  /** The process is gone at once (its host crashed): timers stop, nothing is sent, nothing is cleaned up. */
  halt(): void;
}

const REGISTRY = new WeakMap<Host, Map<string, Daemon>>();

/** The daemons installed on a host, by name (a host's /etc/systemd/system). */
export function daemonsOf(host: Host): Map<string, Daemon> {
  let m = REGISTRY.get(host);
  if (!m) {
    m = new Map();
    REGISTRY.set(host, m);
  }
  return m;
}

export function installDaemon(host: Host, d: Daemon): void {
  daemonsOf(host).set(d.name, d);
}
