/**
 * The VRRP state machine as a literal table (RFC 3768 §6.4, RFC 5798 §6.4, with keepalived's FAULT state and its
 * sync groups, keepalived/vrrp/vrrp.c and vrrp_sync.c): for each state, the events that move it and where to.
 * Events not listed leave the state unchanged; what each state does on an event that does not move it (re-arm
 * the master-down timer, answer a priority-0 advert) is the instance's business, not the table's. Whether an
 * event may happen at all (a sync group holding a member back from MASTER, a FAULT that clears only when no
 * member of the group has a fault of its own) is decided before the table is consulted.
 */
export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

export type VrrpInput =
  /** Start-up of an address owner (priority 255) configured `state MASTER`. */
  | 'startup-owner'
  /** Start-up of anyone else. */
  | 'startup'
  /** Start-up while a tracked interface is down (keepalived: "Entering FAULT STATE (init)"). */
  | 'startup-fault'
  /** The master-down timer expired. */
  | 'master-down'
  /** A MASTER hears an advert that wins (higher priority, or equal priority from a higher address). */
  | 'preempted'
  /** A tracked interface went down (keepalived's down_instance). */
  | 'fault'
  /** The tracked interfaces are back (try_up_instance). */
  | 'fault-clear'
  /** Another member of the sync group became MASTER (vrrp_sync_master). */
  | 'sync-master'
  /** Another member of the sync group became BACKUP, or left FAULT (vrrp_sync_backup). */
  | 'sync-backup'
  /** Another member of the sync group went to FAULT (vrrp_sync_fault). */
  | 'sync-fault'
  /** The daemon is stopped. */
  | 'shutdown';

export const VRRP_TRANSITIONS: Readonly<Record<VrrpState, Readonly<Partial<Record<VrrpInput, VrrpState>>>>> = {
  INIT: { 'startup-owner': 'MASTER', startup: 'BACKUP', 'startup-fault': 'FAULT' },
  BACKUP: { 'master-down': 'MASTER', fault: 'FAULT', 'sync-master': 'MASTER', 'sync-fault': 'FAULT', shutdown: 'INIT' },
  MASTER: { preempted: 'BACKUP', fault: 'FAULT', 'sync-backup': 'BACKUP', 'sync-fault': 'FAULT', shutdown: 'INIT' },
  FAULT: { 'fault-clear': 'BACKUP', 'sync-backup': 'BACKUP', shutdown: 'INIT' },
};

export function vrrpNext(state: VrrpState, input: VrrpInput): VrrpState | undefined {
  return VRRP_TRANSITIONS[state][input];
}
