import { Timer, type EventHandle, type SimTime } from '../../../sim/index.ts';
import { ipLocalOut, Scope, sendGratuitous, type Host, type Interface } from '../../../net/index.ts';
import {
  ArpOp,
  decodeVrrp,
  encodeVrrp,
  formatIpv4,
  MAC_BROADCAST,
  VRRP_PROTOCOL,
  VRRP_TTL,
  VrrpAuth,
  type Ipv4Address,
  type Ipv4Packet,
  type VrrpAdvert,
} from '../../../wire/index.ts';
import { summarizePacket } from '../../../trace/index.ts';
import type { VrrpInstanceConfig } from './VrrpConfig.ts';
import { advertProblem } from './vrrpAdvertCheck.ts';
import { intervalField, intervalFromField, masterDownInterval, skewTime } from './vrrpTimers.ts';
import { vrrpNext, type VrrpInput, type VrrpState } from './vrrpStateTable.ts';
import type { SyncMember, VrrpSyncGroup } from './VrrpSyncGroup.ts';
import { effectivePriority, faultyLinks, trackedLinks, type TrackedLink } from './vrrpTracking.ts';

/**
 * One VRRP instance as keepalived runs it (keepalived/vrrp/vrrp.c, vrrp_scheduler.c; RFC 3768 §6.4, RFC 5798
 * §6.4). Adverts are real packets: IP protocol 112 with TTL 255 to the group from the interface's primary
 * address, received through a raw socket that joined the group on that interface — or, with `unicast_peer`,
 * one unicast packet to each peer (TTL `unicast_ttl`, source `unicast_src_ip` when given), received through a
 * raw socket that joined no group.
 *
 * - Start: an owner (priority 255) configured MASTER becomes MASTER at once; everyone else starts BACKUP with
 *   the master-down timer at Master_Down_Interval (keepalived's man page: "waits 3–4 advert intervals"); an
 *   instance whose tracked interface is down starts in FAULT.
 * - BACKUP: an advert of priority 0 cuts the timer to Skew_Time; an advert at least our priority (or any advert
 *   with nopreempt) re-arms it; a lower one is ignored so that the timer expires and we preempt — after
 *   `preempt_delay` (counted from the first lower advert) when one is set.
 * - MASTER (on entry): the VIPs are added, an advert goes out at once, then `garp_master_repeat` gratuitous ARPs
 *   per VIP, and the same burst again after `garp_master_delay`; then an advert every advert_int. A better advert
 *   (higher priority, or equal from a higher address) makes it BACKUP and removes the VIPs — after an advert of
 *   its own with `higher_prio_send_advert`; a priority-0 advert is answered with an advert at once. A lower advert
 *   (two masters, after a split) is answered as keepalived does by default, not as the RFC says: an advert at once
 *   (unless `lower_prio_no_advert`) and `garp_lower_prio_repeat` gratuitous ARPs per VIP, again after
 *   `garp_lower_prio_delay` (masterHeard, lowerHeard).
 * - FAULT (keepalived's interface tracking, vrrp_track.c / vrrp_scheduler.c down_instance and try_up_instance):
 *   while a tracked interface — its own, unless `dont_track_primary`, and each unweighted `track_interface` — is
 *   down (not up and running), the instance sends nothing, ignores adverts and holds no VIPs. A MASTER going to
 *   FAULT resigns as it leaves (vrrp_state_leave_master with a FAULT wantstate sends a priority-0 advert, and
 *   vrrp_restore_interface another): on a down interface they cannot leave, but when another tracked interface
 *   failed they tell the backup to take over after its skew time. When the interfaces are up again it is
 *   BACKUP, with the master-down timer running. keepalived hears link changes from netlink at once; so does
 *   the instance (Host.watchLinks).
 * - Weighted `track_interface` lines change the priority instead (vrrpTracking.ts); the next advert carries it,
 *   and a BACKUP's running master-down timer moves by the change of its skew (vrrp_set_effective_priority).
 * - Sync groups (VrrpSyncGroup.ts): what the instance does on its own is passed to its group.
 * - Stop: a MASTER sends a priority-0 advert and removes its VIPs. A crashed host's instance just stops.
 * Simplified: no track_script, no VMAC, no AH, no per-peer min_ttl/max_ttl.
 */
export class VrrpInstance implements SyncMember {
  private current: VrrpState = 'INIT';
  private readonly downTimer: Timer;
  private readonly advertTimer: Timer;
  private closeSocket: (() => void) | undefined;
  private unwatchLinks: (() => void) | undefined;
  /** Master_Adver_Interval (v3 learns it from the master's adverts; v2 always uses its own). */
  private masterAdverInterval: SimTime;
  /** With preempt_delay: when preemption becomes allowed (set by the first lower-priority advert). */
  private preemptAt: SimTime | undefined;
  /** The pending GARPs (a burst's spaced ones, the second bursts): leaving MASTER cancels them. */
  private readonly garpHandles = new Set<EventHandle>();
  /** keepalived's wantstate MASTER while BACKUP: the master-down timer ran out, but the sync group held us back. */
  private wantMaster = false;
  /** The interfaces tracked (set again when the instance joins a sync group, which may zero the weights). */
  private links: TrackedLink[];
  /** The tracked interfaces holding the instance in FAULT now. */
  private faults: string[] = [];
  /** The effective priority (the configured one unless weighted tracking moves it). */
  private prio: number;
  private group: VrrpSyncGroup | undefined;
  /** Called after every state change (keepalived's notify scripts; the sync daemon switches on it). */
  onStateChange: ((to: VrrpState, from: VrrpState) => void) | undefined;
  /** Adverts this instance sent (one per packet: a unicast advert counts once per peer). */
  advertsSent = 0;

  constructor(
    private readonly host: Host,
    readonly config: VrrpInstanceConfig,
  ) {
    const sim = host.ctx.sim;
    this.downTimer = new Timer(sim, () => this.alive() && this.masterDownExpired());
    this.advertTimer = new Timer(sim, () => {
      if (!this.alive() || this.current !== 'MASTER') return;
      this.sendAdvert(this.prio);
      this.advertTimer.set(this.config.advertInt);
    });
    this.masterAdverInterval = config.advertInt;
    this.links = trackedLinks(config, false);
    this.prio = config.priority;
  }

  get name(): string {
    return this.config.name;
  }

  get state(): VrrpState {
    return this.current;
  }

  /** The effective priority: what the adverts carry and the election compares. */
  get priority(): number {
    return this.prio;
  }

  get wantsMaster(): boolean {
    return this.current === 'BACKUP' && this.wantMaster;
  }

  get ownFault(): boolean {
    return this.faults.length > 0;
  }

  /** Skew_Time and Master_Down_Interval as this instance uses them now. */
  get skew(): SimTime {
    return skewTime(this.config.version, this.prio, this.masterAdverInterval);
  }

  get masterDown(): SimTime {
    return masterDownInterval(this.config.version, this.prio, this.masterAdverInterval);
  }

  /** Joins a sync group (before start); without `sync_group_tracking_weight` its weighted tracking counts as 0. */
  joinGroup(g: VrrpSyncGroup): void {
    this.group = g;
    g.join(this);
    this.links = trackedLinks(this.config, !g.config.trackingWeight);
  }

  start(): void {
    if (this.current !== 'INIT') return;
    const dev = this.dev();
    const unicast = this.config.unicastPeers.length > 0;
    this.closeSocket = this.host.sockets.openRaw({
      protocol: VRRP_PROTOCOL,
      groups: unicast ? [] : [{ group: this.config.mcastGroup, dev: dev.name }],
      onPacket: (p, inDev) => this.receive(p, inDev),
    });
    this.unwatchLinks = this.host.watchLinks(() => this.alive() && this.current !== 'INIT' && this.linksChanged());
    this.readLinks();
    const other = this.group?.faultElsewhere(this);
    if (this.ownFault) this.ownEvent('startup-fault', `start-up with ${this.faultText()}`);
    else if (other) this.move('startup-fault', `start-up: sync group ${this.group!.name}: ${other.name} is FAULT`);
    else if (this.config.priority === 255 && this.config.state === 'MASTER') this.move('startup-owner', 'start-up as address owner');
    else this.move('startup', 'start-up');
  }

  /** A clean stop (SIGTERM): a MASTER resigns with a priority-0 advert and removes its addresses. */
  stop(): void {
    if (this.current === 'INIT') return;
    this.move('shutdown', 'daemon stopped');
    this.unwatchLinks?.();
    this.unwatchLinks = undefined;
    this.closeSocket?.();
    this.closeSocket = undefined;
  }

  /** The sync group moves this member (SyncMember). */
  follow(input: Extract<VrrpInput, 'sync-master' | 'sync-backup' | 'sync-fault'>, reason: string): void {
    this.move(input, reason);
  }

  // ------------------------------------------------------------------------------------------ tracking

  private isUp = (name: string): boolean => {
    const d = this.host.iface(name);
    return d !== undefined && d.up && (d.port?.carrier ?? true);
  };

  private readLinks(): void {
    this.faults = faultyLinks(this.links, this.isUp);
    this.prio = effectivePriority(this.config.priority, this.links, this.isUp);
  }

  private faultText(names = this.faults): string {
    return names.map((n) => `interface ${n} ${this.isUp(n) ? 'up' : 'down'}`).join(', ');
  }

  /** A link changed (RTM_NEWLINK): a new effective priority, a FAULT, or the end of one. */
  private linksChanged(): void {
    const before = this.faults;
    const oldPrio = this.prio;
    const oldDown = this.masterDown;
    this.readLinks();
    if (this.prio !== oldPrio && this.current === 'BACKUP') {
      // vrrp_set_effective_priority: the running timer moves by the change of Master_Down_Interval.
      const at = this.downTimer.expiresAt;
      if (at !== undefined) this.downTimer.setAt(Math.max(this.host.ctx.sim.now(), at + this.masterDown - oldDown));
    }
    if (before.length === 0 && this.faults.length > 0) {
      this.ownEvent('fault', this.faultText());
    } else if (before.length > 0 && this.faults.length === 0) {
      // try_up_instance: a sync group stays in FAULT while another member has a fault of its own.
      if (this.group?.faultElsewhere(this)) return;
      this.ownEvent('fault-clear', this.faultText(before));
    }
  }

  // ------------------------------------------------------------------------------------------ transitions

  private masterDownExpired(): void {
    if (this.current !== 'BACKUP') return;
    this.wantMaster = true;
    if (this.group && !this.group.canGoMaster(this)) {
      // vrrp_sync_can_goto_master: not before every member wants MASTER; meanwhile the timer runs again.
      this.downTimer.set(this.masterDown);
      return;
    }
    this.ownEvent('master-down', 'master down timer expired');
  }

  /** An event of the instance's own: it moves, and its sync group follows (start-up excepted). */
  private ownEvent(ev: VrrpInput, reason: string): void {
    if (this.move(ev, reason) && ev !== 'startup' && ev !== 'startup-owner') this.group?.moved(this, this.current);
  }

  private move(ev: VrrpInput, reason: string): boolean {
    const to = vrrpNext(this.current, ev);
    if (to === undefined) return false;
    const from = this.current;
    if (from === 'MASTER') this.leaveMaster(resignations(ev));
    this.current = to;
    this.downTimer.cancel();
    this.wantMaster = false;
    this.trace(from, to, reason);
    if (to === 'BACKUP') {
      this.masterAdverInterval = this.config.advertInt;
      this.preemptAt = undefined;
      this.downTimer.set(this.masterDown);
    } else if (to === 'MASTER') {
      this.enterMaster();
    }
    this.onStateChange?.(to, from);
    return true;
  }

  private enterMaster(): void {
    for (const v of this.config.virtualAddresses) {
      const dev = this.host.iface(v.dev ?? this.config.interface);
      if (!dev) continue;
      this.host.addAddress(dev, { address: v.address, prefixLen: v.prefixLen, scope: Scope.global, label: v.label ?? dev.name });
    }
    this.sendAdvert(this.prio);
    this.advertTimer.set(this.config.advertInt);
    this.garpBurst(this.config.garpMasterRepeat);
    if (this.config.garpMasterDelay > 0) this.later(this.config.garpMasterDelay, () => this.alive() && this.current === 'MASTER' && this.garpBurst(this.config.garpMasterRepeat));
  }

  /** Leaves MASTER: `resign` priority-0 adverts (tried even when the interface is down), then the VIPs go. */
  private leaveMaster(resign: number): void {
    this.advertTimer.cancel();
    this.cancelGarps();
    for (let i = 0; i < resign && this.host.alive; i++) this.sendAdvert(0);
    this.removeVips();
  }

  private removeVips(): void {
    for (const v of this.config.virtualAddresses) {
      const dev = this.host.iface(v.dev ?? this.config.interface);
      if (dev && dev.hasAddress(v.address)) this.host.delAddress(dev, v.address, v.prefixLen);
    }
  }

  /** vrrp_send_link_update: `repeat` gratuitous ARPs for each VIP, `vrrp_garp_interval` apart. */
  private garpBurst(repeat: number): void {
    let k = 0;
    for (let i = 0; i < repeat; i++) {
      for (const v of this.config.virtualAddresses) {
        const dev = this.host.iface(v.dev ?? this.config.interface);
        if (!dev) continue;
        const send = () => {
          if (this.alive() && this.current === 'MASTER') sendGratuitous(this.host, dev, v.address, ArpOp.request, MAC_BROADCAST);
        };
        const delay = k++ * this.config.garpInterval;
        if (delay === 0) send();
        else this.later(delay, send);
      }
    }
  }

  /** Runs `fn` after `delay` unless the instance leaves MASTER first (the handle is kept until then). */
  private later(delay: SimTime, fn: () => void): void {
    const h = this.host.ctx.sim.schedule(delay, () => {
      this.garpHandles.delete(h);
      fn();
    });
    this.garpHandles.add(h);
  }

  private cancelGarps(): void {
    for (const h of this.garpHandles) this.host.ctx.sim.cancel(h);
    this.garpHandles.clear();
  }

  /**
   * The gratuitous ARPs a MASTER sends on hearing a lower-priority advert (vrrp_state_master_rx): a burst of
   * `garp_lower_prio_repeat` per VIP at once and another `garp_lower_prio_delay` later
   * (vrrp_lower_prio_gratuitous_arp_thread). keepalived.conf(5) has both keywords (global `vrrp_garp_lower_prio_*`,
   * "number of gratuitous ARP messages to send at a time after lower priority advert received when MASTER",
   * "delay for second set"); a repeat of 0 sends none, and then no second set either (the delay is only looked at
   * when the repeat is not 0). Nothing is sent unless the VIPs are set, i.e. while MASTER (vrrp_send_link_update:
   * "Only send gratuitous ARP if VIP are set"). Also called by the sync group for its other members (SyncMember).
   */
  lowerPrioGarps(): void {
    const c = this.config;
    if (this.current !== 'MASTER' || c.garpLowerPrioRepeat === 0) return;
    this.garpBurst(c.garpLowerPrioRepeat);
    if (c.garpLowerPrioDelay > 0) this.later(c.garpLowerPrioDelay, () => this.alive() && this.current === 'MASTER' && this.garpBurst(c.garpLowerPrioRepeat));
  }

  // ------------------------------------------------------------------------------------------ adverts

  /** One advert to the group, or one to each unicast peer in list order (keepalived's vrrp_send_adv). */
  private sendAdvert(priority: number): void {
    const dev = this.dev();
    const src = this.sourceAddress(dev);
    if (src === undefined) return;
    const c = this.config;
    const advert: VrrpAdvert = {
      version: c.version,
      vrid: c.vrid,
      priority,
      interval: intervalField(c.version, c.advertInt),
      addresses: c.virtualAddresses.map((v) => v.address),
      authType: c.version === 2 ? (c.authPass !== undefined ? VrrpAuth.pass : VrrpAuth.none) : undefined,
      authPass: c.version === 2 ? c.authPass?.slice(0, 8) : undefined,
    };
    const unicast = c.unicastPeers.length > 0;
    for (const dst of unicast ? c.unicastPeers : [c.mcastGroup]) {
      // The v3 checksum covers the pseudo-header with the packet's own destination (the peer, for unicast).
      const r = ipLocalOut(this.host, {
        dst,
        src,
        protocol: VRRP_PROTOCOL,
        l4: { proto: 'raw', payload: encodeVrrp(advert, src, dst) },
        ttl: unicast ? c.unicastTtl : VRRP_TTL,
        oif: dev.name,
        df: false,
        // keepalived writes the header itself (IP_HDRINCL): a unicast_src_ip the host does not have still goes.
        anySource: true,
      });
      if (r.ok) this.advertsSent++;
    }
  }

  /** vrrp_check_packet, then the state's advert handling (vrrp_backup / vrrp_master). */
  private receive(p: Ipv4Packet, inDev: string | undefined): void {
    if (!this.alive() || inDev !== this.config.interface) return;
    // keepalived's dispatcher ignores every advert while the instance is in FAULT (or not yet started).
    if (this.current !== 'BACKUP' && this.current !== 'MASTER') return;
    if (p.l4.proto !== 'raw') return;
    const d = decodeVrrp(p.l4.payload, p.ip.src, p.ip.dst);
    if (!d.ok) return this.discard(p, d.error);
    const a = d.advert;
    if (a.vrid !== this.config.vrid) return; // another instance's advert (a host may run several)
    const problem = advertProblem(this.config, p.ip, a);
    if (problem !== undefined) return this.discard(p, problem);
    if (this.current === 'BACKUP') this.backupHeard(a);
    else this.masterHeard(p, a);
  }

  private backupHeard(a: VrrpAdvert): void {
    const c = this.config;
    const now = this.host.ctx.sim.now();
    if (a.version === 3) this.masterAdverInterval = intervalFromField(3, a.interval);
    if (a.priority === 0) {
      this.downTimer.set(this.skew);
      return;
    }
    if (!c.preempt || a.priority >= this.prio) {
      this.preemptAt = undefined;
      // "We might have been held in backup by a sync group … now we want to be in BACKUP state" (vrrp_state_backup).
      this.wantMaster = false;
      this.downTimer.set(this.masterDown);
      return;
    }
    // A lower-priority master: preempt (let the timer run out), after preempt_delay if one is set.
    if (c.preemptDelay > 0) {
      this.preemptAt ??= now + c.preemptDelay;
      if (now < this.preemptAt) {
        this.wantMaster = false;
        this.downTimer.set(this.masterDown);
      }
    }
  }

  /**
   * A MASTER hears a valid advert (keepalived 2.2.7 vrrp.c vrrp_state_master_rx, then vrrp_scheduler.c
   * vrrp_dispatcher_read). "Higher" and "lower" compare the priority and, when it is equal, the advert's source
   * with our own (vrrp_saddr_cmp: `unicast_src_ip`, else the interface's primary address); an equal advert from our
   * own address is neither (keepalived only warns).
   * - Priority 0 (the master resigned): an advert at once.
   * - Higher: BACKUP — with `higher_prio_send_advert`, after an advert of our own first.
   * - Lower: lowerHeard.
   * Afterwards keepalived re-arms the advert timer ("If we have sent an advert, reset the timer") — for a MASTER
   * only without `lower_prio_no_advert`, so with it even the answer to a priority 0 leaves the timer as it was.
   * Simplified: keepalived re-arms it for an advert that fails its checks too; the lab's discarded adverts never
   * get here. Two address owners (both 255) are not resolved as keepalived does (it lowers its own to 254).
   */
  private masterHeard(p: Ipv4Packet, a: VrrpAdvert): void {
    const c = this.config;
    const mine = this.sourceAddress(this.dev()) ?? 0;
    const higher = a.priority > this.prio || (a.priority === this.prio && p.ip.src > mine);
    const lower = a.priority < this.prio || (a.priority === this.prio && p.ip.src < mine);
    if (a.priority === 0 || (higher && c.higherPrioSendAdvert)) this.sendAdvert(this.prio);
    if (a.priority === 0) {
      // answered above
    } else if (lower) {
      this.lowerHeard();
    } else if (higher) {
      if (a.version === 3) this.masterAdverInterval = intervalFromField(3, a.interval);
      this.ownEvent('preempted', `advert from ${formatIpv4(p.ip.src)} with priority ${a.priority}`);
    }
    if (this.current === 'MASTER' && !c.lowerPrioNoAdvert) this.advertTimer.set(c.advertInt);
  }

  /**
   * A lower-priority advert while MASTER: another master, after a split heals (or one that could not hear our
   * adverts). RFC 3768 §6.4.3 says to discard it. keepalived by default answers with an advert at once, so the
   * lower master hears it and becomes BACKUP now rather than at our next periodic advert, and sends gratuitous ARPs
   * (lowerPrioGarps), because the other master's GARPs may have moved the neighbours' ARP caches to it.
   * Sources: keepalived.conf(5) of 2.2.7 — global_defs `vrrp_lower_prio_no_advert` ("If a lower priority advert is
   * received, don't send another advert. This causes adherence to the RFCs. Defaults to false, unless strict_mode
   * is set"), `vrrp_garp_lower_prio_repeat`/`_delay` ("after lower priority advert received when MASTER"),
   * `vrrp_higher_prio_send_advert` ("if the other master has garp_lower_priority_repeat set, it will resend garp
   * messages"), their per-instance forms, and `vrrp_strict` ("Cannot clear lower_prio_no_advert", "Gratuitous ARP
   * repeats cannot be enabled"). The man page does not say whether the GARPs depend on lower_prio_no_advert, what
   * "lower" means for equal priorities, or whether an owner or a sync group differs; keepalived's vrrp.c
   * (vrrp_state_master_rx, read from the acassen/keepalived sources of the 2.2 era) answers: the GARPs do not
   * depend on it, equal priorities compare the addresses, an owner (255) is no exception, a sync group member
   * sends the GARPs of its other members too (Debian's 2.2.7 ChangeLog: "If receive lower priority advert, send
   * GARP messages for sync group"), and every lower advert does it all again — there is no rate limit.
   */
  private lowerHeard(): void {
    if (!this.config.lowerPrioNoAdvert) this.sendAdvert(this.prio);
    this.lowerPrioGarps();
    this.group?.lowerPrioGarps(this);
  }

  private discard(p: Ipv4Packet, why: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'drop', host: this.host.name, iface: this.config.interface, pkt: summarizePacket(p), reason: 'vrrp-invalid', detail: `${this.config.name}: ${why}` });
  }

  // ------------------------------------------------------------------------------------------ helpers

  /** A crashed host's processes are gone: the instance stops without a word (no resignation advert). */
  private alive(): boolean {
    if (this.host.alive) return true;
    this.halt();
    return false;
  }

  /**
   * The process dies with its host: timers stop and nothing is sent. The VIPs it had added go too — they were
   * never part of the host's boot configuration, so a restarted host comes up without them.
   */
  halt(): void {
    if (this.current === 'MASTER') this.removeVips();
    this.downTimer.cancel();
    this.advertTimer.cancel();
    this.cancelGarps();
    this.unwatchLinks?.();
    this.unwatchLinks = undefined;
    this.closeSocket?.();
    this.closeSocket = undefined;
    this.current = 'INIT';
    this.wantMaster = false;
  }

  private dev(): Interface {
    const d = this.host.iface(this.config.interface);
    if (!d) throw new Error(`vrrp_instance ${this.config.name}: no interface ${this.config.interface} on ${this.host.name}`);
    return d;
  }

  /** The adverts' source: `unicast_src_ip`, else the interface's primary address (keepalived's saddr). */
  private sourceAddress(dev: Interface): Ipv4Address | undefined {
    if (this.config.unicastSrcIp !== undefined) return this.config.unicastSrcIp;
    return dev.addresses.find((a) => !a.secondary && !this.config.virtualAddresses.some((v) => v.address === a.address))?.address;
  }

  private trace(from: VrrpState, to: VrrpState, reason: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'vrrp', host: this.host.name, iface: this.config.interface, instance: this.config.name, vrid: this.config.vrid, from, to, priority: this.prio, reason });
  }
}

/**
 * Priority-0 adverts a MASTER sends as it leaves (keepalived 2.x vrrp.c): a stop, one (vrrp_restore_interface);
 * its own fault, two (down_instance calls vrrp_state_leave_master with advF: the FAULT branch sends one and
 * vrrp_restore_interface another); a fault its sync group imposes, one (vrrp_sync_fault, without advF); a
 * better advert or its group going BACKUP, none.
 */
function resignations(ev: VrrpInput): number {
  if (ev === 'fault') return 2;
  if (ev === 'shutdown' || ev === 'sync-fault') return 1;
  return 0;
}
