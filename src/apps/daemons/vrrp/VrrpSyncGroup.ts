import type { VrrpSyncGroupConfig } from './VrrpConfig.ts';
import type { VrrpInput, VrrpState } from './vrrpStateTable.ts';

/** What a sync group needs of its member instances (VrrpInstance; an interface so the two files need not import each other). */
export interface SyncMember {
  readonly name: string;
  readonly state: VrrpState;
  /** keepalived's `wantstate` MASTER: the master-down timer ran out while BACKUP, and no advert said otherwise since. */
  readonly wantsMaster: boolean;
  /** A fault of its own (a tracked interface down), not one the group imposed. */
  readonly ownFault: boolean;
  /** The group moves the member; the member does not pass the move on. */
  follow(input: Extract<VrrpInput, 'sync-master' | 'sync-backup' | 'sync-fault'>, reason: string): void;
  /** Its gratuitous ARPs for a lower-priority advert (none unless MASTER with `garp_lower_prio_repeat` above 0). */
  lowerPrioGarps(): void;
}

/**
 * A keepalived `vrrp_sync_group` (keepalived.conf(5) "VRRP synchronization group(s)"; keepalived 2.x
 * vrrp_sync.c, and vrrp_scheduler.c try_up_instance): instances that change state together, so that a NAT
 * director's outside VIP and its real servers' gateway VIP are always held by the same director.
 *
 * - MASTER: a member whose master-down timer runs out becomes MASTER only when every other member wants MASTER
 *   too, or one already is (vrrp_sync_can_goto_master: "prefer backup state to avoid thrashing"); until then it
 *   stays BACKUP with its timer running again. Once one member is MASTER the others follow at once.
 * - BACKUP: a member that leaves MASTER for a better advert takes the others to BACKUP (no priority-0 advert).
 * - FAULT: a member's own fault takes every other member to FAULT; a MASTER among them resigns with a
 *   priority-0 advert on its own interface, which is still up. The group leaves FAULT only when no member has a
 *   fault of its own any more (num_member_fault): the last one to recover goes to BACKUP and the others with it.
 * - A MASTER member that hears a lower-priority advert sends its gratuitous ARPs for the other members as well
 *   (vrrp_state_master_rx): after a split, the other pair's members may have been MASTER too without any of ours
 *   hearing a lower advert of their own.
 * A move the group imposes is not passed on again (keepalived runs the sync only for the instance whose own
 * event it was).
 */
export class VrrpSyncGroup {
  private readonly members: SyncMember[] = [];

  constructor(readonly config: VrrpSyncGroupConfig) {}

  get name(): string {
    return this.config.name;
  }

  join(m: SyncMember): void {
    this.members.push(m);
  }

  /** vrrp_sync_can_goto_master. */
  canGoMaster(m: SyncMember): boolean {
    return this.members.every((o) => o === m || o.wantsMaster || o.state === 'MASTER');
  }

  /** Whether a member other than `m` has a fault of its own (the group stays in FAULT for it). */
  faultElsewhere(m: SyncMember): SyncMember | undefined {
    return this.members.find((o) => o !== m && o.ownFault);
  }

  /** Member `m` heard a lower-priority advert: the others send their lower-priority GARPs too, in group order. */
  lowerPrioGarps(m: SyncMember): void {
    for (const o of this.members) if (o !== m) o.lowerPrioGarps();
  }

  /** After member `m` moved by an event of its own: the others follow. */
  moved(m: SyncMember, to: VrrpState): void {
    const input = to === 'MASTER' ? 'sync-master' : to === 'BACKUP' ? 'sync-backup' : to === 'FAULT' ? 'sync-fault' : undefined;
    if (input === undefined) return;
    const reason = `sync group ${this.name}: ${m.name} is ${to}`;
    for (const o of this.members) if (o !== m && o.state !== to) o.follow(input, reason);
  }
}
