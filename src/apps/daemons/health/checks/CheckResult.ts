import type { Ipv4Address } from '../../../../wire/index.ts';

/** The outcome of one check attempt: success or failure, and in words what was seen. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** Where a check goes: the real server's address and the port it checks (`checkport` / `connect_port`). */
export interface CheckTarget {
  readonly address: Ipv4Address;
  readonly port: number;
}

/** A started check attempt: `done` is called exactly once, at the latest when the timeout expires. */
export type CheckDone = (r: CheckResult) => void;
