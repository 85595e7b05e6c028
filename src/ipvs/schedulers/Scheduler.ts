import type { SimTime } from '../../sim/Time.ts';
import type { Ipv4Address } from '../../wire/Ipv4Address.ts';
import type { Destination } from '../Destination.ts';
import type { VirtualService } from '../VirtualService.ts';

/** What a scheduler may look at in the packet that opens a connection (the kernel passes the skb + iph). */
export interface ScheduleRequest {
  /** IP protocol number of the packet (6 TCP, 17 UDP). */
  readonly protocol: number;
  readonly saddr: Ipv4Address;
  readonly sport: number;
  readonly daddr: Ipv4Address;
  readonly dport: number;
}

/**
 * What the IPVS instance offers a scheduler: the clock (lblc/lblcr expire their tables), a host-wide sysctl
 * reader (net.ipv4.vs.lblc_expiration ...), a named seeded random stream (twos) and the kernel log
 * (ip_vs_scheduler_err prints `IPVS: <sched>: <service> - <msg>`).
 */
export interface SchedulerContext {
  now(): SimTime;
  sysctl(name: string): number;
  /** Uniform integer in [0, n), n ≥ 1, from this service's scheduler stream (get_random_u32_below). */
  randomBelow(n: number): number;
  /** ip_vs_scheduler_err: logs `IPVS: <scheduler name>: <service> - <message>`. */
  schedulerError(svc: VirtualService, message: string): void;
}

/**
 * One IPVS scheduler bound to one service (struct ip_vs_scheduler plus its per-service sched_data).
 * A fresh instance is made for every service that binds it (init_service), so per-service state lives in
 * the instance. The lifecycle callbacks run exactly when the kernel runs them (ipvs-schedulers.md §0.7):
 * `addDest` on `-a` (after the destination was put at the head of the list), `delDest` on `-d` (after it was
 * unlinked), `updDest` on `-e`. A scheduler without a callback leaves it undefined.
 */
export interface Scheduler {
  /** The registered name (`rr`, `wrr`, ...). */
  readonly name: string;
  addDest?(svc: VirtualService, dest: Destination): void;
  delDest?(svc: VirtualService, dest: Destination): void;
  updDest?(svc: VirtualService, dest: Destination): void;
  /** done_service: the service is deleted or switches scheduler. */
  doneService?(svc: VirtualService): void;
  /**
   * Whether the scheduler's own state still holds a reference on `dest` (ip_vs_dest_hold): lblc and lblcr
   * cache entries keep a deleted destination in the trash until they expire. Undefined = holds none once the
   * destination has left the list (the other schedulers drop theirs in del_dest).
   */
  holdsDest?(dest: Destination): boolean;
  /** Picks a destination for a new connection, or null (after logging as the kernel does). */
  schedule(svc: VirtualService, req: ScheduleRequest): Destination | null;
}

/** Makes a scheduler instance for a service being bound to it (init_service runs inside, with the service's current list). */
export type SchedulerFactory = (svc: VirtualService, ctx: SchedulerContext) => Scheduler;
