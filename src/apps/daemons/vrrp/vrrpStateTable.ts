/**
 * The VRRP state machine as a literal table (RFC 3768 §6.4, RFC 5798 §6.4, with keepalived's FAULT state):
 * for each state, the events that move it and where to. Events not listed leave the state unchanged; what each
 * state does on an event that does not move it (re-arm the master-down timer, answer a priority-0 advert) is
 * the instance's business, not the table's.
 */
export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

export type VrrpInput =
  /** Start-up of an address owner (priority 255) configured `state MASTER`. */
  | 'startup-owner'
  /** Start-up of anyone else. */
  | 'startup'
  /** The master-down timer expired. */
  | 'master-down'
  /** A MASTER hears an advert that wins (higher priority, or equal priority from a higher address). */
  | 'preempted'
  /** A tracked interface went down. */
  | 'fault'
  /** The tracked interfaces are back. */
  | 'fault-clear'
  /** The daemon is stopped. */
  | 'shutdown';

export const VRRP_TRANSITIONS: Readonly<Record<VrrpState, Readonly<Partial<Record<VrrpInput, VrrpState>>>>> = {
  INIT: { 'startup-owner': 'MASTER', startup: 'BACKUP' },
  BACKUP: { 'master-down': 'MASTER', fault: 'FAULT', shutdown: 'INIT' },
  MASTER: { preempted: 'BACKUP', fault: 'FAULT', shutdown: 'INIT' },
  FAULT: { 'fault-clear': 'BACKUP', shutdown: 'INIT' },
};

export function vrrpNext(state: VrrpState, input: VrrpInput): VrrpState | undefined {
  return VRRP_TRANSITIONS[state][input];
}
