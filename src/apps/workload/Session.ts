import type { SimTime } from '../../sim/index.ts';
import type { Host } from '../../net/index.ts';
import type { Ipv4Address } from '../../wire/index.ts';
import type { SessionReport } from './SessionReport.ts';

/** The application protocols a workload speaks (the servers of src/apps/servers answer them). */
export const APP_PROTOCOLS = ['http', 'dns', 'ftp'] as const;
export type AppProtocol = (typeof APP_PROTOCOLS)[number];

/** How an FTP-like session opens its data connections: the client connects (PASV) or the server does (PORT). */
export const FTP_MODES = ['passive', 'active'] as const;
export type FtpMode = (typeof FTP_MODES)[number];

/**
 * One session: a user's connection (or, for the DNS-like service, a run of queries from one socket) carrying
 * `requests` request/response exchanges one after another. `done` is called exactly once, when the last
 * exchange ended or the session failed; the connection's teardown may go on after it.
 */
export interface SessionContext {
  readonly host: Host;
  readonly to: Ipv4Address;
  readonly port: number;
  /** The client's source address; undefined lets the route choose. */
  readonly src: Ipv4Address | undefined;
  /** Exchanges on this connection (keep-alive when above 1). */
  readonly requests: number;
  /** Draws one request size in bytes. */
  readonly drawRequest: () => number;
  /** Draws one response body size in bytes. */
  readonly drawResponse: () => number;
  /** Gives up on an exchange not answered within this time (undefined: wait for TCP to give up). */
  readonly timeout: SimTime | undefined;
  /** For an `ftp` session: passive (PASV) or active (PORT) data connections. */
  readonly ftpMode: FtpMode;
  readonly report: SessionReport;
}

export type Session = (ctx: SessionContext, done: () => void) => void;
