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
import { intervalField, intervalFromField, masterDownInterval, skewTime } from './vrrpTimers.ts';
import { vrrpNext, type VrrpInput, type VrrpState } from './vrrpStateTable.ts';

/**
 * One VRRP instance as keepalived runs it (keepalived/vrrp/vrrp.c, vrrp_scheduler.c; RFC 3768 §6.4, RFC 5798
 * §6.4). Adverts are real packets: IP protocol 112 to the group with TTL 255 from the interface's primary
 * address, received through a raw socket that joined the group on that interface.
 *
 * - Start: an owner (priority 255) configured MASTER becomes MASTER at once; everyone else starts BACKUP with
 *   the master-down timer at Master_Down_Interval (keepalived's man page: "waits 3–4 advert intervals").
 * - BACKUP: an advert of priority 0 cuts the timer to Skew_Time; an advert at least our priority (or any advert
 *   with nopreempt) re-arms it; a lower one is ignored so that the timer expires and we preempt — after
 *   `preempt_delay` (counted from the first lower advert) when one is set.
 * - MASTER (on entry): the VIPs are added, an advert goes out at once, then `garp_master_repeat` gratuitous ARPs
 *   per VIP, and the same burst again after `garp_master_delay`; then an advert every advert_int. A better advert
 *   (higher priority, or equal from a higher address) makes it BACKUP and removes the VIPs; a priority-0 advert
 *   is answered with an advert at once.
 * - Stop: a MASTER sends a priority-0 advert and removes its VIPs. A crashed host's instance just stops.
 * - FAULT: while its own interface is down (seen at the next advert-interval poll), the instance sends nothing
 *   and holds no VIPs; when the interface is up again it starts over as BACKUP.
 * Simplified: no track_interface/track_script, no unicast peers, no VMAC, no AH.
 */
export class VrrpInstance {
  private current: VrrpState = 'INIT';
  private readonly downTimer: Timer;
  private readonly advertTimer: Timer;
  /** Looks at the interface every advert interval (keepalived hears netlink link events at once). */
  private readonly linkTimer: Timer;
  private closeSocket: (() => void) | undefined;
  /** Master_Adver_Interval (v3 learns it from the master's adverts; v2 always uses its own). */
  private masterAdverInterval: SimTime;
  /** With preempt_delay: when preemption becomes allowed (set by the first lower-priority advert). */
  private preemptAt: SimTime | undefined;
  private garpHandles: EventHandle[] = [];
  /** Called after every state change (keepalived's notify scripts; the sync daemon switches on it). */
  onStateChange: ((to: VrrpState, from: VrrpState) => void) | undefined;
  /** Adverts this instance sent (for tests and summaries). */
  advertsSent = 0;

  constructor(
    private readonly host: Host,
    readonly config: VrrpInstanceConfig,
  ) {
    const sim = host.ctx.sim;
    this.downTimer = new Timer(sim, () => this.alive() && this.input('master-down', 'master down timer expired'));
    this.advertTimer = new Timer(sim, () => {
      if (!this.alive() || this.current !== 'MASTER') return;
      this.sendAdvert(this.config.priority);
      this.advertTimer.set(this.config.advertInt);
    });
    this.linkTimer = new Timer(sim, () => {
      if (!this.alive() || this.current === 'INIT') return;
      this.checkLink();
      this.linkTimer.set(this.config.advertInt);
    });
    this.masterAdverInterval = config.advertInt;
  }

  get state(): VrrpState {
    return this.current;
  }

  get priority(): number {
    return this.config.priority;
  }

  /** Skew_Time and Master_Down_Interval as this instance uses them now. */
  get skew(): SimTime {
    return skewTime(this.config.version, this.config.priority, this.masterAdverInterval);
  }

  get masterDown(): SimTime {
    return masterDownInterval(this.config.version, this.config.priority, this.masterAdverInterval);
  }

  start(): void {
    if (this.current !== 'INIT') return;
    const dev = this.dev();
    this.closeSocket = this.host.sockets.openRaw({
      protocol: VRRP_PROTOCOL,
      groups: [{ group: this.config.mcastGroup, dev: dev.name }],
      onPacket: (p, inDev) => this.receive(p, inDev),
    });
    const owner = this.config.priority === 255 && this.config.state === 'MASTER';
    this.input(owner ? 'startup-owner' : 'startup', owner ? 'start-up as address owner' : 'start-up');
    this.checkLink();
    this.linkTimer.set(this.config.advertInt);
  }

  /**
   * FAULT while the instance's interface is down (administratively, or its cable unplugged): no adverts, no
   * VIPs; back to BACKUP when it is up again (keepalived's interface tracking of its own interface).
   */
  private checkLink(): void {
    const dev = this.dev();
    const ok = dev.up && (dev.port?.carrier ?? true);
    if (!ok && this.current !== 'FAULT') this.input('fault', `interface ${dev.name} down`);
    else if (ok && this.current === 'FAULT') this.input('fault-clear', `interface ${dev.name} up`);
  }

  /** A clean stop (SIGTERM): a MASTER resigns with a priority-0 advert and removes its addresses. */
  stop(): void {
    if (this.current === 'INIT') return;
    this.input('shutdown', 'daemon stopped');
    this.linkTimer.cancel();
    this.closeSocket?.();
    this.closeSocket = undefined;
  }

  // ------------------------------------------------------------------------------------------ transitions

  private input(ev: VrrpInput, reason: string): void {
    const to = vrrpNext(this.current, ev);
    if (to === undefined) return;
    const from = this.current;
    if (from === 'MASTER') this.leaveMaster(ev === 'shutdown');
    this.current = to;
    this.downTimer.cancel();
    this.trace(from, to, reason);
    if (to === 'BACKUP') {
      this.masterAdverInterval = this.config.advertInt;
      this.preemptAt = undefined;
      this.downTimer.set(this.masterDown);
    } else if (to === 'MASTER') {
      this.enterMaster();
    }
    this.onStateChange?.(to, from);
  }

  private enterMaster(): void {
    for (const v of this.config.virtualAddresses) {
      const dev = this.host.iface(v.dev ?? this.config.interface);
      if (!dev) continue;
      this.host.addAddress(dev, { address: v.address, prefixLen: v.prefixLen, scope: Scope.global, label: v.label ?? dev.name });
    }
    this.sendAdvert(this.config.priority);
    this.advertTimer.set(this.config.advertInt);
    this.garpBurst();
    if (this.config.garpMasterDelay > 0) {
      this.garpHandles.push(this.host.ctx.sim.schedule(this.config.garpMasterDelay, () => this.alive() && this.current === 'MASTER' && this.garpBurst()));
    }
  }

  private leaveMaster(resign: boolean): void {
    this.advertTimer.cancel();
    for (const h of this.garpHandles) this.host.ctx.sim.cancel(h);
    this.garpHandles = [];
    if (resign && this.host.alive) this.sendAdvert(0);
    for (const v of this.config.virtualAddresses) {
      const dev = this.host.iface(v.dev ?? this.config.interface);
      if (dev && dev.hasAddress(v.address)) this.host.delAddress(dev, v.address, v.prefixLen);
    }
  }

  /** vrrp_send_link_update: `garp_master_repeat` gratuitous ARPs for each VIP, `vrrp_garp_interval` apart. */
  private garpBurst(): void {
    const sim = this.host.ctx.sim;
    let k = 0;
    for (let i = 0; i < this.config.garpMasterRepeat; i++) {
      for (const v of this.config.virtualAddresses) {
        const dev = this.host.iface(v.dev ?? this.config.interface);
        if (!dev) continue;
        const send = () => {
          if (this.alive() && this.current === 'MASTER') sendGratuitous(this.host, dev, v.address, ArpOp.request, MAC_BROADCAST);
        };
        const delay = k++ * this.config.garpInterval;
        if (delay === 0) send();
        else this.garpHandles.push(sim.schedule(delay, send));
      }
    }
  }

  // ------------------------------------------------------------------------------------------ adverts

  private sendAdvert(priority: number): void {
    const dev = this.dev();
    const src = this.primaryAddress(dev);
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
    const r = ipLocalOut(this.host, {
      dst: c.mcastGroup,
      src,
      protocol: VRRP_PROTOCOL,
      l4: { proto: 'raw', payload: encodeVrrp(advert, src, c.mcastGroup) },
      ttl: VRRP_TTL,
      oif: dev.name,
      df: false,
    });
    if (r.ok) this.advertsSent++;
  }

  /** vrrp_check_packet, then the state's advert handling (vrrp_backup / vrrp_master). */
  private receive(p: Ipv4Packet, inDev: string | undefined): void {
    if (!this.alive() || inDev !== this.config.interface) return;
    if (p.l4.proto !== 'raw') return;
    const c = this.config;
    const d = decodeVrrp(p.l4.payload, p.ip.src, p.ip.dst);
    if (!d.ok) return this.discard(p, d.error);
    const a = d.advert;
    if (a.vrid !== c.vrid) return; // another instance's advert (a host may run several)
    if (p.ip.ttl !== VRRP_TTL) return this.discard(p, `TTL ${p.ip.ttl}, not 255`);
    if (a.version !== c.version) return this.discard(p, `VRRP version ${a.version}, we run ${c.version}`);
    if (a.version === 2) {
      const wantType = c.authPass !== undefined ? VrrpAuth.pass : VrrpAuth.none;
      if (a.authType !== wantType || (wantType === VrrpAuth.pass && a.authPass !== c.authPass!.slice(0, 8))) return this.discard(p, 'authentication mismatch');
      if (a.interval !== intervalField(2, c.advertInt)) return this.discard(p, `advert interval ${a.interval}s, ours ${intervalField(2, c.advertInt)}s`);
    }
    if (this.current === 'BACKUP') this.backupHeard(a);
    else if (this.current === 'MASTER') this.masterHeard(p, a);
  }

  private backupHeard(a: VrrpAdvert): void {
    const c = this.config;
    const now = this.host.ctx.sim.now();
    if (a.version === 3) this.masterAdverInterval = intervalFromField(3, a.interval);
    if (a.priority === 0) {
      this.downTimer.set(this.skew);
      return;
    }
    if (!c.preempt || a.priority >= c.priority) {
      this.preemptAt = undefined;
      this.downTimer.set(this.masterDown);
      return;
    }
    // A lower-priority master: preempt (let the timer run out), after preempt_delay if one is set.
    if (c.preemptDelay > 0) {
      this.preemptAt ??= now + c.preemptDelay;
      if (now < this.preemptAt) this.downTimer.set(this.masterDown);
    }
  }

  private masterHeard(p: Ipv4Packet, a: VrrpAdvert): void {
    const c = this.config;
    if (a.priority === 0) {
      this.sendAdvert(c.priority);
      this.advertTimer.set(c.advertInt);
      return;
    }
    const mine = this.primaryAddress(this.dev()) ?? 0;
    if (a.priority > c.priority || (a.priority === c.priority && p.ip.src > mine)) {
      if (a.version === 3) this.masterAdverInterval = intervalFromField(3, a.interval);
      this.input('preempted', `advert from ${formatIpv4(p.ip.src)} with priority ${a.priority}`);
    }
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
    if (this.current === 'MASTER') {
      for (const v of this.config.virtualAddresses) {
        const dev = this.host.iface(v.dev ?? this.config.interface);
        if (dev && dev.hasAddress(v.address)) this.host.delAddress(dev, v.address, v.prefixLen);
      }
    }
    this.downTimer.cancel();
    this.advertTimer.cancel();
    this.linkTimer.cancel();
    for (const h of this.garpHandles) this.host.ctx.sim.cancel(h);
    this.garpHandles = [];
    this.closeSocket?.();
    this.closeSocket = undefined;
    this.current = 'INIT';
  }

  private dev(): Interface {
    const d = this.host.iface(this.config.interface);
    if (!d) throw new Error(`vrrp_instance ${this.config.name}: no interface ${this.config.interface} on ${this.host.name}`);
    return d;
  }

  /** The interface's primary address: the advert's source (keepalived without mcast_src_ip). */
  private primaryAddress(dev: Interface): Ipv4Address | undefined {
    return dev.addresses.find((a) => !a.secondary && !this.config.virtualAddresses.some((v) => v.address === a.address))?.address;
  }

  private trace(from: VrrpState, to: VrrpState, reason: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'vrrp', host: this.host.name, iface: this.config.interface, instance: this.config.name, vrid: this.config.vrid, from, to, priority: this.config.priority, reason });
  }
}
