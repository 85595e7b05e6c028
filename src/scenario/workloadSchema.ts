import type { AppProtocol, FtpMode, ArrivalSpec, CheckFile, ClosedLoopSpec, Distribution, PassivePorts, PopulationSpec, PrefixPopulation } from '../apps/index.ts';
import type { SimTime } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import type { SourcePos } from './ScenarioError.ts';

/**
 * Extension (issue 5): the typed form of a `workload:` entry and of the richer keys of a host's `services:`
 * entry (docs/scenario-format.md, "Workloads" and "Services"). The apps layer runs them as they are.
 */

export interface WorkloadSpec {
  /** Unique among the scenario's workloads; names the `app` events and the random streams. */
  name: string;
  /** The client host (the population's addresses are added to it). */
  from: string;
  /** `to: A.B.C.D:PORT`, or `to: { prefix, count, port, zipf }`: each session picks one of the prefix's addresses. */
  to: Ipv4Address | PrefixPopulation;
  port: number;
  protocol: AppProtocol;
  clients: PopulationSpec;
  arrivals: ArrivalSpec | ClosedLoopSpec;
  start: SimTime;
  stop?: SimTime;
  request: Distribution;
  response: Distribution;
  requestsPerConnection: number;
  timeout?: SimTime;
  /** `ftp_mode: passive|active` (only with `protocol: ftp`; default passive). */
  ftpMode?: FtpMode;
  pos: SourcePos;
}

/** The keys a service may add to `port`, `protocol` and `response` (all optional). */
export interface ServiceExtras {
  /** `http` (tcp), `dns` (udp) or `ftp` (tcp, control port + passive data ports); from `protocol` when absent. */
  app?: AppProtocol;
  /** Worker slots (0 or absent: unlimited). */
  workers?: number;
  /** Requests that may wait for a worker (default WORKLOAD_DEFAULTS.queue when `workers` is set). */
  queue?: number;
  /** Work per request on a speed-1 server. */
  serviceTime?: Distribution;
  /** Relative speed (default 1). */
  speed?: number;
  check?: CheckFile;
  passivePorts?: PassivePorts;
  /** The systemd unit that runs it (`systemctl stop httpd`); default from the app: httpd, vsftpd, named. */
  unit?: string;
}

/** The unit a service belongs to when the scenario names none: the daemons the seeds' real servers run. */
export const DEFAULT_UNIT: Record<AppProtocol, string> = { http: 'httpd', ftp: 'vsftpd', dns: 'named' };

export const WORKLOAD_DEFAULTS = {
  protocol: 'http' as AppProtocol,
  request: { kind: 'fixed', value: 100 } as Distribution,
  response: { kind: 'fixed', value: 1024 } as Distribution,
  requestsPerConnection: 1,
  /** Requests a server with `workers:` lets wait (Apache's ListenBacklog is 511; a lab server is smaller). */
  queue: 100,
} as const;
