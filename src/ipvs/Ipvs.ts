import type { Host, Skb } from '../net/index.ts';
import { NfPriority } from '../net/index.ts';
import { ipLocalDeliverFinish } from '../net/ipv4/ipLocalDeliver.ts';
import { loopback } from '../net/ipv4/ipOutput.ts';
import { SECOND } from '../sim/index.ts';
import { formatIpv4 } from '../wire/index.ts';
import { FtpHelper } from './app/FtpHelper.ts';
import { Connection, IPPROTO_IP, IPPROTO_TCP } from './Connection.ts';
import { ConnectionTable } from './ConnectionTable.ts';
import type { Destination } from './Destination.ts';
import { DirectorCpu } from './DirectorCpu.ts';
import type { ConnectionView, IpvsDataPlane, IpvsTimeouts } from './IpvsDataPlane.ts';
import { IpvsControl } from './IpvsControl.ts';
import { IpvsCore, connStateName, serviceText } from './IpvsCore.ts';
import { registerIpvsSysctls } from './ipvsSysctls.ts';
import { SyncDaemon } from './sync/SyncDaemon.ts';
import { ProtocolTimeouts } from './protocolState.ts';
import type { SchedulerContext } from './schedulers/Scheduler.ts';
import { IpvsStats } from './Stats.ts';
import { TcpState } from './tcpStates.ts';
import type { ServiceKey, VirtualService } from './VirtualService.ts';

/** One jiffy at Debian's HZ=250: the delay of the expire_nodest_conn sweep. */
const JIFFY = 4_000_000;
/** net_ratelimit's defaults (net.core.message_cost 5 s, message_burst 10): kernel log lines per window. */
const LOG_BURST = 10;
const LOG_WINDOW = 5 * SECOND;

const INSTANCES = new WeakMap<Host, Ipvs>();
/** Address texts an instance remembers for its trace events before it starts over. */
const ADDRESS_TEXTS = 4096;

/**
 * IPVS on one host (struct netns_ipvs): the control plane (services, destinations, schedulers, estimator), the
 * connection table, the protocol timeouts, the director's CPU, and the data path registered on the host's
 * netfilter hooks at the kernel's priorities (ip_vs_ops4). Every lab host has one, idle until a service exists,
 * as every Linux host can `modprobe ip_vs`.
 */
export class Ipvs implements IpvsDataPlane {
  readonly conns: ConnectionTable;
  readonly protocolTimeouts = new ProtocolTimeouts();
  readonly cpu: DirectorCpu;
  readonly totals = new IpvsStats();
  readonly control: IpvsControl;
  /** The connection synchronisation daemon (ip_vs_sync.c): idle until started as master or backup. */
  readonly sync: SyncDaemon;
  private readonly core: IpvsCore;
  private logTimes: number[] = [];
  /** The ip_vs_ftp module, while loaded (`modprobe ip_vs_ftp`); not loaded by default. */
  private ftpHelper: FtpHelper | undefined = undefined;

  constructor(readonly host: Host) {
    registerIpvsSysctls(host.sysctls);
    const sim = host.ctx.sim;
    this.cpu = new DirectorCpu(sim);
    this.conns = new ConnectionTable(sim, {
      // ip_vs_conn_new → ip_vs_bind_app: a loaded helper looks at every new entry.
      created: (cp) => this.ftpHelper?.bind(cp),
      expired: (cp) => this.traceConn('expire', cp),
    });
    this.control = new IpvsControl({
      sim,
      dataPlane: this,
      schedulerContext: (svc) => this.schedulerContext(svc),
      sysctl: (key) => host.sysctls.get(key),
      addressType: undefined,
      totalStats: this.totals,
    });
    const table = this.control.table;
    this.core = new IpvsCore(
      host,
      table,
      this.conns,
      this.protocolTimeouts,
      this.cpu,
      {
        scheduled: (cp) => this.traceConn('conn', cp),
        templateCreated: (ct) => this.traceConn('template', ct),
        stateChanged: (cp) => this.traceConn('state', cp),
      },
      this.totals,
    );
    this.core.continueLocal = (skb) => this.continueLocal(skb);
    this.sync = new SyncDaemon(host, this.conns, table);
    this.sync.synced = (cp, created) => this.traceConn(created ? 'sync' : 'state', cp);
    this.core.connSeen = (cp, pkts) => this.sync.connSeen(cp, pkts);
    this.control.syncDaemon = this.sync;
    this.core.isRealServer = (proto, addr, port) => this.control.table.findRealService(proto, addr, port) !== undefined;
    // A crash takes the connection table with it (the service table is configuration its boot scripts or
    // keepalived set up again, so it stays, as the host's addresses and routes do).
    host.onCrash(() => this.conns.forgetAll());
    const h = host.hooks;
    const core = this.core;
    // ip_vs_ops4: replies before requests at each hook, both after filtering (INPUT) or after mangle (OUTPUT).
    h.register('INPUT', { name: 'ipvs-out', priority: NfPriority.natSrc - 2, fn: (skb, st) => core.outHook(skb, st) });
    h.register('INPUT', { name: 'ipvs-in', priority: NfPriority.natSrc - 1, fn: (skb, st) => core.inHook(skb, st) });
    h.register('OUTPUT', { name: 'ipvs-out', priority: NfPriority.natDst + 1, fn: (skb, st) => core.outHook(skb, st) });
    h.register('OUTPUT', { name: 'ipvs-in', priority: NfPriority.natDst + 2, fn: (skb, st) => core.inHook(skb, st) });
    h.register('FORWARD', { name: 'ipvs-forward-icmp', priority: 99, fn: (skb, st) => core.forwardIcmpHook(skb, st) });
    h.register('FORWARD', { name: 'ipvs-out', priority: 100, fn: (skb, st) => core.outHook(skb, st) });
  }

  // ------------------------------------------------------------------ application helper modules

  /** Whether ip_vs_ftp is loaded on this host. */
  get ftpLoaded(): boolean {
    return this.ftpHelper !== undefined;
  }

  /** `modprobe ip_vs_ftp`: registers the FTP helper on port 21 (loading it again changes nothing). */
  loadFtp(): void {
    if (this.ftpHelper) return;
    const helper = new FtpHelper({
      conns: this.conns,
      timeouts: this.protocolTimeouts,
      conntrackRunning: () => this.conntrackRunning(),
      traced: (cp, detail) => this.traceConn('app', cp, detail),
    });
    this.ftpHelper = helper;
    this.core.app = helper;
  }

  /**
   * `modprobe -r ip_vs_ftp` / `rmmod ip_vs_ftp`. Every entry bound to the helper holds a reference on the module
   * (ip_vs_app_inc_get → try_module_get) until it expires, so while one is in the table the module is in use.
   */
  unloadFtp(): 'not-loaded' | 'in-use' | undefined {
    const helper = this.ftpHelper;
    if (!helper) return 'not-loaded';
    for (const cp of this.conns.entries()) if (helper.isBound(cp)) return 'in-use';
    this.ftpHelper = undefined;
    this.core.app = undefined;
    return undefined;
  }

  /**
   * Whether a packet arriving now gets a conntrack entry: connection tracking runs in the namespace once
   * something registered it (nf_ct_netns_get) — iptables nat rules or state matches, or a port-21 service with
   * a NAT destination (ip_vs_register_conntrack).
   */
  private conntrackRunning(): boolean {
    if (this.host.iptables.conntrack !== undefined) return true;
    return this.control.table.services().some((s) => s.conntrackRegistered);
  }

  /** The service with this key, if any (for readers such as the oracle replay). */
  serviceFor(key: ServiceKey): VirtualService | undefined {
    return this.control.table.lookup(key);
  }

  // ------------------------------------------------------------------ IpvsDataPlane (for the control plane)

  timeouts(): IpvsTimeouts {
    const t = this.protocolTimeouts;
    return { tcp: t.tcp[TcpState.ESTABLISHED], tcpfin: t.tcp[TcpState.FIN_WAIT], udp: t.udp };
  }

  setTimeouts(t: IpvsTimeouts): void {
    const p = this.protocolTimeouts;
    if (t.tcp) p.tcp[TcpState.ESTABLISHED] = t.tcp;
    if (t.tcpfin) p.tcp[TcpState.FIN_WAIT] = t.tcpfin;
    if (t.udp) p.udp = t.udp;
  }

  connections(): readonly ConnectionView[] {
    const now = this.host.ctx.sim.now();
    const out: ConnectionView[] = [];
    for (const cp of this.conns.entries()) {
      out.push({
        protocol: cp.protocol === IPPROTO_IP ? 'IP' : cp.protocol === IPPROTO_TCP ? 'TCP' : 'UDP',
        caddr: cp.caddr,
        cport: cp.cport,
        vaddr: cp.vaddr,
        vport: cp.vport,
        daddr: cp.daddr,
        dport: cp.dport,
        state: connStateName(cp),
        expiresIn: Math.max(0, cp.expires - now),
        template: cp.template,
        fwd: cp.fwd,
      });
    }
    return out;
  }

  /**
   * A real server left its service. With expire_nodest_conn the kernel sweeps one jiffy later
   * (ip_vs_expire_nodest_conn_flush): connections to unavailable servers that control nothing go, then their
   * templates if those now control nothing; idle templates of unavailable servers go too.
   */
  destUnlinked(_dest: Destination): void {
    if (this.host.sysctls.global('net.ipv4.vs.expire_nodest_conn') === 0) return;
    this.host.ctx.sim.schedule(JIFFY, () => {
      const gone = (cp: Connection) => cp.dest !== undefined && !cp.dest.available;
      for (const cp of this.conns.select((c) => !c.template && gone(c) && c.nControl === 0)) {
        const ct = cp.control;
        this.conns.expireNow(cp);
        if (ct && ct.linked && ct.nControl === 0) this.conns.expireNow(ct);
      }
      for (const ct of this.conns.select((c) => c.template && gone(c) && c.nControl === 0)) this.conns.expireNow(ct);
    });
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private schedulerContext(svc: VirtualService): SchedulerContext {
    const host = this.host;
    let stream: ReturnType<Host['stream']> | undefined;
    return {
      now: () => host.ctx.sim.now(),
      sysctl: (name) => host.sysctls.global(`net.ipv4.vs.${name}`),
      randomBelow: (n) => {
        stream ??= host.stream(`ipvs-scheduler:${serviceText(svc)}`);
        return Math.floor(stream.next() * n);
      },
      schedulerError: (s, message) => this.kernelLog(`IPVS: ${s.scheduler.name}: ${schedulerErrService(s)} - ${message}`),
    };
  }

  /** printk through net_ratelimit: at most 10 lines per 5 s window. */
  kernelLog(line: string): void {
    const now = this.host.ctx.sim.now();
    this.logTimes = this.logTimes.filter((t) => now - t < LOG_WINDOW);
    if (this.logTimes.length >= LOG_BURST) return;
    this.logTimes.push(now);
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'ipvs', host: this.host.name, event: 'log', detail: line });
  }

  private continueLocal(skb: Skb): void {
    if (skb.inDev === undefined) return loopback(this.host, skb.packet, skb);
    ipLocalDeliverFinish(this.host, skb);
  }

  /**
   * Dotted-quad text of the addresses the trace names, remembered: an entry has several events (scheduled, each
   * state change, expiry) and its addresses recur in them. Bounded, as a director may see any number of clients.
   */
  private addressText(a: number): string {
    let text = this.addressTexts.get(a);
    if (text === undefined) {
      if (this.addressTexts.size >= ADDRESS_TEXTS) this.addressTexts.clear();
      text = formatIpv4(a);
      this.addressTexts.set(a, text);
    }
    return text;
  }

  private readonly addressTexts = new Map<number, string>();

  /** A service's text, remembered for the service named last (events of one service usually follow each other). */
  private serviceText(svc: VirtualService): string {
    if (svc !== this.lastService) {
      this.lastService = svc;
      this.lastServiceText = serviceText(svc);
    }
    return this.lastServiceText;
  }

  private lastService: VirtualService | undefined;
  private lastServiceText = '';

  private traceConn(event: 'conn' | 'template' | 'state' | 'expire' | 'sync' | 'app', cp: Connection, detail?: string): void {
    const t = this.host.ctx.tracer;
    if (!t.emitting('ipvs')) return;
    const proto = cp.protocol === IPPROTO_IP ? 'IP' : cp.protocol === IPPROTO_TCP ? 'TCP' : 'UDP';
    const virtual = cp.protocol === IPPROTO_IP ? `FWM ${cp.vaddr}` : `${this.addressText(cp.vaddr)}:${cp.vport}`;
    const client = `${this.addressText(cp.caddr)}:${cp.cport}`;
    const dest = `${this.addressText(cp.daddr)}:${cp.dport}`;
    t.ipvsEntry(this.host.name, event, cp.service ? this.serviceText(cp.service) : undefined, proto, client, virtual, dest, cp.fwd, connStateName(cp), detail);
  }
}

/** ip_vs_scheduler_err's service text: `TCP 10.0.0.100:80` or `FWM 1 0x00000001`. */
function schedulerErrService(svc: VirtualService): string {
  if (svc.key.kind === 'fwmark') return `FWM ${svc.key.mark} 0x${(svc.key.mark >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
  return serviceText(svc);
}

/** The host's IPVS, made on first use (every lab host has the module). */
export function ipvsOf(host: Host): Ipvs {
  let i = INSTANCES.get(host);
  if (!i) {
    i = new Ipvs(host);
    INSTANCES.set(host, i);
  }
  return i;
}
