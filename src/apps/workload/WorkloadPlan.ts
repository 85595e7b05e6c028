import type { SimTime } from '../../sim/index.ts';
import type { Ipv4Address } from '../../wire/index.ts';
import type { Distribution } from '../Distribution.ts';
import type { ArrivalSpec } from './ArrivalProcess.ts';
import type { PopulationSpec, PrefixPopulation } from './ClientPopulation.ts';
import type { AppProtocol, FtpMode } from './Session.ts';

/** Closed loop: `users` people, each starting a session, waiting for it to end, thinking, and starting again. */
export interface ClosedLoopSpec {
  readonly kind: 'closed';
  readonly users: number;
  /** Think time between the end of one session and the start of the next (ns). */
  readonly think: Distribution;
}

/** Everything a workload needs: who, how often, what, to where (the scenario's `workload:` entry, typed). */
export interface WorkloadPlan {
  /** Names the `app` events and the random streams (`workload:<name>/...`). */
  readonly name: string;
  readonly protocol: AppProtocol;
  /**
   * One destination address, or a prefix population each session picks its destination address from (many
   * origin servers behind one director: what dh, lblc and lblcr hash).
   */
  readonly to: Ipv4Address | PrefixPopulation;
  readonly port: number;
  readonly clients: PopulationSpec;
  readonly arrivals: ArrivalSpec | ClosedLoopSpec;
  readonly start: SimTime;
  /** No session starts at or after this time (undefined: until the run ends). */
  readonly stop: SimTime | undefined;
  readonly request: Distribution;
  readonly response: Distribution;
  /** Exchanges per connection (keep-alive for HTTP, several RETRs for FTP, several queries for DNS). */
  readonly requestsPerConnection: number;
  readonly timeout: SimTime | undefined;
  /** An `ftp` session's data connections: `passive` (PASV, the default) or `active` (PORT). */
  readonly ftpMode?: FtpMode;
}
