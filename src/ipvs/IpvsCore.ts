import { ACCEPT, type Host, type HookState, type Skb, type SysctlValue, type Verdict } from '../net/index.ts';
import { icmpSend } from '../net/ipv4/icmpSend.ts';
import { neighOutput } from '../net/ipv4/ipOutput.ts';
import { routeOutput } from '../net/route/routeOutput.ts';
import { IcmpType, IcmpUnreachCode, TcpFlag, formatIpv4, ipTotalLength, ipv4Rewritten, withSourcePort, type Ipv4Address, type Ipv4Packet } from '../wire/index.ts';
import { Connection, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP } from './Connection.ts';
import type { ConnectionTable } from './ConnectionTable.ts';
import type { Destination } from './Destination.ts';
import type { ConnectionApp } from './app/FtpHelper.ts';
import type { DirectorCpu } from './DirectorCpu.ts';
import { IcmpRelated } from './icmpRelated.ts';
import { countPacket, type IpvsStats } from './Stats.ts';
import { stateTransition, type ProtocolTimeouts } from './protocolState.ts';
import { TCP_STATE_NAMES, TcpState } from './tcpStates.ts';
import type { VirtualService } from './VirtualService.ts';
import { transmit } from './xmit.ts';
import { packetPorts } from './packetPorts.ts';

/** The net.ipv4.vs.* knobs the data path reads. */
const VS_KEYS = {
  backup_only: 'net.ipv4.vs.backup_only',
  expire_nodest_conn: 'net.ipv4.vs.expire_nodest_conn',
  conn_reuse_mode: 'net.ipv4.vs.conn_reuse_mode',
  sloppy_tcp: 'net.ipv4.vs.sloppy_tcp',
  expire_quiescent_template: 'net.ipv4.vs.expire_quiescent_template',
  secure_tcp: 'net.ipv4.vs.secure_tcp',
  nat_icmp_send: 'net.ipv4.vs.nat_icmp_send',
} as const;
type IpvsSysctlName = keyof typeof VS_KEYS;

const FTPPORT = 21;
const FTPDATA = 20;
const STOLEN: Verdict = { kind: 'stolen' };

/** How the data path finds a virtual service for a packet (ip_vs_service_find). */
export interface ServiceLookup {
  find(protocol: number, daddr: Ipv4Address, dport: number, mark: number): VirtualService | undefined;
  /** ipvs->enable: some service was ever added. */
  readonly enabled: boolean;
  /** ip_vs_find_tunnel: the IPIP real server with this address (for ICMP errors about tunnel packets). */
  findTunnel(daddr: Ipv4Address): Destination | undefined;
}

/** Trace hooks of the data path (Ipvs turns them into `ipvs` trace events). */
export interface IpvsCoreEvents {
  scheduled(cp: Connection, svc: VirtualService): void;
  templateCreated(ct: Connection, svc: VirtualService): void;
  stateChanged(cp: Connection): void;
}


/**
 * The IPVS data path of one director (net/netfilter/ipvs/ip_vs_core.c): the inbound hook that looks up or
 * schedules a connection and transmits the packet by its forwarding method, and the outbound hook that
 * un-NATs replies of NAT connections (and follows the state of DR/TUN replies that happen to pass by).
 */
export class IpvsCore {
  constructor(
    private readonly host: Host,
    private readonly services: ServiceLookup,
    private readonly conns: ConnectionTable,
    private readonly timeouts: ProtocolTimeouts,
    private readonly cpu: DirectorCpu,
    private readonly events: IpvsCoreEvents,
    /** The instance-wide counters (ipvs->tot_stats), shared with the control plane's listings. */
    private readonly totals: IpvsStats,
  ) {
    const sysctls = host.sysctls;
    this.knobs = {
      backup_only: sysctls.globalValue(VS_KEYS.backup_only),
      expire_nodest_conn: sysctls.globalValue(VS_KEYS.expire_nodest_conn),
      conn_reuse_mode: sysctls.globalValue(VS_KEYS.conn_reuse_mode),
      sloppy_tcp: sysctls.globalValue(VS_KEYS.sloppy_tcp),
      expire_quiescent_template: sysctls.globalValue(VS_KEYS.expire_quiescent_template),
      secure_tcp: sysctls.globalValue(VS_KEYS.secure_tcp),
      nat_icmp_send: sysctls.globalValue(VS_KEYS.nat_icmp_send),
    };
    this.related = new IcmpRelated({ host, conns, cpu, totals, findTunnel: (a) => services.findTunnel(a), continueLocal: (skb) => this.continueLocal(skb) });
  }

  /** ip_vs_in_icmp / ip_vs_out_icmp: ICMP errors about connections (icmpRelated.ts). */
  private readonly related: IcmpRelated;

  private sysctl(name: IpvsSysctlName): number {
    return this.knobs[name].value;
  }

  /** The knobs' live values, looked up by name once (IPVS registered them before making its data path). */
  private readonly knobs: Record<IpvsSysctlName, SysctlValue>;

  /** ip_vs_in_hook (LOCAL_IN at NF_IP_PRI_NAT_SRC - 1, LOCAL_OUT at NF_IP_PRI_NAT_DST + 2). */
  inHook(skb: Skb, state: HookState): Verdict {
    if (skb.ipvsProperty || !this.services.enabled) return ACCEPT;
    if (skb.pktType !== 'host' && skb.pktType !== 'local' && state.hook !== 'OUTPUT') return ACCEPT;
    if (this.sysctl('backup_only') !== 0) return ACCEPT;
    const p = skb.packet;
    const ports = packetPorts(p);
    // ip_vs_in_icmp: an ICMP error about a connection goes to its real server (or, for one about a tunnel packet, back to the client).
    if (!ports) return p.l4.proto === 'icmp' ? this.related.inIcmp(skb, state) : ACCEPT;
    const { proto, sport, dport } = ports;
    let cp = this.conns.lookupIn(proto, p.ip.src, sport, p.ip.dst, dport);
    const isSyn = p.l4.proto === 'tcp' && (p.l4.flags & TcpFlag.SYN) !== 0;

    if (cp && isSyn) {
      let resched = false;
      if (this.sysctl('expire_nodest_conn') !== 0 && cp.dest && cp.dest.weight === 0) resched = true;
      else {
        const mode = this.sysctl('conn_reuse_mode');
        if (mode !== 0 && newConnExpected(cp, mode)) resched = true;
      }
      if (resched) {
        if (cp.nControl === 0) this.conns.expireNow(cp);
        cp = undefined;
      }
    }
    if (cp && cp.dest && !cp.dest.available) {
      if (this.sysctl('expire_nodest_conn') !== 0) {
        this.conns.expireNow(cp);
        cp = undefined;
      } else {
        this.host.drop(skb, 'ipvs-dest-unavailable', skb.inDev, `real server ${destText(cp.dest)} was deleted`);
        return STOLEN;
      }
    }
    if (!cp) {
      const r = this.trySchedule(skb, proto, sport, dport);
      if (r.kind === 'verdict') return r.verdict;
      cp = r.cp;
    }
    const conn = cp;
    const bytes = ipTotalLength(p);
    if (this.cpu.takesAtOnce(bytes)) {
      this.inbound(conn, skb, bytes);
      return STOLEN;
    }
    const ok = this.cpu.submit(bytes, () => this.inbound(conn, skb, bytes));
    if (!ok) {
      this.host.drop(skb, 'cpu-backlog', skb.inDev, `IPVS backlog of ${this.cpu.cost.backlog} packets is full`);
      return STOLEN;
    }
    return STOLEN;
  }

  /** The rest of ip_vs_in_hook once the CPU gets to the packet: stats, state, transmit, refresh. */
  private inbound(cp: Connection, skb: Skb, bytes: number): void {
    this.follow(cp, skb, bytes, 'input');
    // ip_vs_nat_xmit: an FTP data entry learns its client port from its first packet (ip_vs_conn_fill_cport).
    if (cp.noCport && cp.fwd === 'masq') this.conns.fillCport(cp, packetPorts(skb.packet)!.sport);
    if (this.app !== undefined) skb.packet = this.app.request(cp, skb.packet);
    const v = transmit(this.host, cp, skb);
    cp.inPkts++;
    this.connSeen?.(cp, cp.inPkts);
    this.conns.put(cp);
    if (v.kind === 'accept') {
      // A local real server: the (possibly rewritten) packet continues up this host's stack.
      this.continueLocal(skb);
    }
  }

  /** ip_vs_in's call to ip_vs_sync_conn: the sync daemon sees each client packet's entry and count. */
  connSeen: ((cp: Connection, pkts: number) => void) | undefined;

  /** The application helper (ip_vs_ftp) while its module is loaded: it sees the packets of the entries bound to it. */
  app: ConnectionApp | undefined;

  /** Hands a packet IPVS accepted after stealing it (for the CPU) back to local delivery. */
  continueLocal: (skb: Skb) => void = () => undefined;

  /**
   * ip_vs_try_to_schedule → tcp/udp_conn_schedule: only a TCP SYN (any non-RST segment with sloppy_tcp) or any
   * UDP datagram to a virtual service makes a new connection; everything else continues normally.
   */
  private trySchedule(skb: Skb, proto: number, sport: number, dport: number): { kind: 'verdict'; verdict: Verdict } | { kind: 'conn'; cp: Connection } {
    const p = skb.packet;
    if (p.l4.proto === 'tcp') {
      const f = p.l4.flags;
      if (f & TcpFlag.RST || !(this.sysctl('sloppy_tcp') !== 0 || f & TcpFlag.SYN)) return { kind: 'verdict', verdict: ACCEPT };
    }
    const svc = this.services.find(proto, p.ip.dst, dport, skb.mark);
    if (!svc) return { kind: 'verdict', verdict: ACCEPT };
    const cp = this.schedule(svc, skb, proto, sport, dport);
    if (cp) return { kind: 'conn', cp };
    return { kind: 'verdict', verdict: this.leave(svc, skb, dport) };
  }

  /** ip_vs_schedule: a connection for the first packet of a flow, or undefined when none can be made. */
  private schedule(svc: VirtualService, skb: Skb, proto: number, cport: number, vport: number): Connection | undefined {
    const p = skb.packet;
    if (proto === IPPROTO_TCP && cport === FTPDATA) return undefined;
    if (!skb.inDev || skb.inDev.kind === 'loopback') {
      // A local real server's reply to an existing connection is not a new one.
      if (this.conns.lookupIn(proto, p.ip.dst, vport, p.ip.src, cport)) return undefined;
    }
    if (svc.persistent) return this.schedulePersistent(svc, skb, proto, cport, vport);
    const svcPort = svc.key.kind === 'addr' ? svc.key.port : 0;
    if (svc.key.kind === 'addr' && vport !== svcPort) {
      if (svcPort === 0) this.log('IPVS: Schedule: port zero only supported in persistent services, check your ipvs configuration');
      return undefined;
    }
    const dest = svc.scheduler.schedule(svc, { protocol: proto, saddr: p.ip.src, sport: cport, daddr: p.ip.dst, dport: vport });
    if (!dest) return undefined;
    const cp = this.newConnection(svc, p, proto, cport, vport, dest, dest.port !== 0 ? dest.port : vport);
    this.connStats(cp, svc, dest);
    return cp;
  }

  /** ip_vs_conn_new for a client's packet: its addresses and ports, bound to `dest` (one-packet for UDP with -o). */
  private newConnection(svc: VirtualService, p: Ipv4Packet, proto: number, cport: number, vport: number, dest: Destination, dport: number): Connection {
    return this.conns.create({
      protocol: proto,
      caddr: p.ip.src,
      cport,
      vaddr: p.ip.dst,
      vport,
      daddr: dest.address,
      dport,
      template: false,
      onePacket: svc.onePacket && proto === IPPROTO_UDP,
      dest,
      fwd: dest.fwd,
      service: svc,
    });
  }

  /** ip_vs_sched_persist: find or make the template (client or its network → real server), then the connection. */
  private schedulePersistent(svc: VirtualService, skb: Skb, proto: number, cport: number, vport: number): Connection | undefined {
    const p = skb.packet;
    const snet = (p.ip.src & svc.netmask) >>> 0;
    const svcPort = svc.key.kind === 'addr' ? svc.key.port : 0;
    let tProto = proto;
    let tVaddr = p.ip.dst;
    let tVport = 0;
    if (vport === svcPort) {
      if (svcPort !== FTPPORT) tVport = vport;
    } else if (svc.key.kind === 'fwmark') {
      tProto = IPPROTO_IP;
      tVaddr = svc.key.mark >>> 0;
    }
    let ct = this.conns.lookupTemplate(tProto, snet, tVaddr, tVport);
    if (ct && !this.templateValid(ct)) ct = undefined;
    let dest: Destination;
    if (!ct) {
      const d = svc.scheduler.schedule(svc, { protocol: proto, saddr: p.ip.src, sport: cport, daddr: p.ip.dst, dport: vport });
      if (!d) return undefined;
      dest = d;
      const tDport = vport === svcPort && svcPort !== FTPPORT ? dest.port : 0;
      ct = this.conns.create({
        protocol: tProto,
        caddr: snet,
        cport: 0,
        vaddr: tVaddr,
        vport: tVport,
        daddr: dest.address,
        dport: tDport,
        template: true,
        onePacket: false,
        dest,
        fwd: dest.fwd,
        service: svc,
      });
      ct.timeout = svc.timeout * 1_000_000_000;
      this.events.templateCreated(ct, svc);
    } else {
      dest = ct.dest!;
    }
    let dport = vport;
    if (dport === svcPort && dest.port !== 0) dport = dest.port;
    const cp = this.newConnection(svc, p, proto, cport, vport, dest, dport);
    this.conns.control(cp, ct);
    // The template's timer restarts with every new connection it makes (ip_vs_conn_put(ct)).
    this.conns.put(ct);
    this.connStats(cp, svc, dest);
    return cp;
  }

  /** ip_vs_check_template: a template whose server was deleted (or quiesced, with expire_quiescent_template) is re-keyed away. */
  private templateValid(ct: Connection): boolean {
    const d = ct.dest;
    if (!d || !d.available || (this.sysctl('expire_quiescent_template') !== 0 && d.weight === 0)) {
      this.conns.invalidateTemplate(ct);
      return false;
    }
    return true;
  }

  /** ip_vs_conn_stats: one more connection for the destination, its service and the host. */
  private connStats(cp: Connection, svc: VirtualService, dest: Destination): void {
    dest.stats.conns++;
    svc.stats.conns++;
    this.totals.conns++;
    this.events.scheduled(cp, svc);
  }

  /**
   * ip_vs_leave: nothing could be scheduled. fwmark services with cache_bypass forward the packet to its
   * original destination — not modelled, so such a packet is dropped with the other refusals; a port-21 service
   * lets other ports through; everything else is answered with ICMP port unreachable — for TCP too, no RST.
   */
  private leave(svc: VirtualService, skb: Skb, dport: number): Verdict {
    const svcPort = svc.key.kind === 'addr' ? svc.key.port : 0;
    if (svcPort === FTPPORT && dport !== FTPPORT) return ACCEPT;
    icmpSend(this.host, skb.packet, IcmpType.destUnreachable, IcmpUnreachCode.port, { inDev: skb.inDev });
    return { kind: 'drop', reason: 'ipvs-no-destination', detail: `no real server available for ${serviceText(svc)}` };
  }

  /** ip_vs_forward_icmp (FORWARD at 99): ICMP errors passing through, for connections whose virtual address is not local. */
  forwardIcmpHook(skb: Skb, state: HookState): Verdict {
    if (!this.services.enabled || this.sysctl('backup_only') !== 0 || skb.packet.l4.proto !== 'icmp') return ACCEPT;
    return this.related.inIcmp(skb, state);
  }

  /** ip_vs_out_hook (LOCAL_IN at NAT_SRC - 2, FORWARD at 100, LOCAL_OUT at NAT_DST + 1): replies of known connections. */
  outHook(skb: Skb, state: HookState): Verdict {
    if (skb.ipvsProperty || !this.services.enabled) return ACCEPT;
    const p = skb.packet;
    const ports = packetPorts(p);
    // ip_vs_out_icmp: an ICMP error about a NAT connection leaves from the virtual address.
    if (!ports) return p.l4.proto === 'icmp' ? this.related.outIcmp(skb, state) : ACCEPT;
    const cp = this.conns.lookupOut(ports.proto, p.ip.src, ports.sport, p.ip.dst, ports.dport);
    if (!cp) return this.noReplyEntry(skb, ports.proto, ports.sport);
    if (cp.fwd !== 'masq') {
      // A DR/TUN reply that passes this host: counted and followed, not rewritten (handle_response after_nat).
      this.outbound(cp, skb, ipTotalLength(p));
      skb.ipvsProperty = true;
      return ACCEPT;
    }
    const bytes = ipTotalLength(p);
    if (this.cpu.takesAtOnce(bytes)) {
      this.natResponse(cp, skb, bytes, state);
      return STOLEN;
    }
    const ok = this.cpu.submit(bytes, () => this.natResponse(cp, skb, bytes, state));
    if (!ok) {
      this.host.drop(skb, 'cpu-backlog', skb.inDev, `IPVS backlog of ${this.cpu.cost.backlog} packets is full`);
      return STOLEN;
    }
    return STOLEN;
  }

  /**
   * handle_response for NAT: the source becomes the virtual address and port, the packet is routed again as if
   * this host sent it (snat_reroute, ip_vs_route_me_harder) and goes on through POSTROUTING.
   */
  private natResponse(cp: Connection, skb: Skb, bytes: number, state: HookState): void {
    const p = skb.packet;
    let rewritten: Ipv4Packet = {
      kind: 'ipv4',
      id: this.host.ctx.packetId(),
      parentId: p.id,
      ip: ipv4Rewritten(p.ip, p.ip.ttl, cp.vaddr, p.ip.dst),
      l4: withSourcePort(p.l4, cp.vport),
    };
    if (this.app !== undefined) {
      // tcp_snat_handler → ip_vs_app_pkt_out: the helper may rewrite the payload (the stats count what leaves) or refuse.
      const r = this.app.response(cp, rewritten);
      if ('drop' in r) return this.host.drop(skb, 'ipvs-app-failed', skb.inDev, r.drop);
      rewritten = r;
      bytes = ipTotalLength(r);
    }
    skb.packet = rewritten;
    skb.ipvsProperty = true;
    this.outbound(cp, skb, bytes);
    // ip_route_me_harder(..., RTN_LOCAL) asks with FLOWI_FLAG_ANYSRC: the virtual address need not be the
    // director's own (a firewall-mark service for addresses made local only by policy routing).
    const r = routeOutput(this.host, rewritten.ip.dst, { src: rewritten.ip.src, mark: skb.mark, anySource: true });
    if (r.kind === 'error') return this.host.drop(skb, 'no-route', skb.inDev, `IPVS: cannot route the reply to ${formatIpv4(rewritten.ip.dst)}: ${r.errno}`);
    if (state.hook === 'INPUT' || r.local) {
      // A reply that was going to this host (its client is local) goes on to local delivery, from the VIP.
      return this.continueLocal(skb);
    }
    // From FORWARD (a remote real server's reply) or LOCAL_OUT (this host is the real server): handle_response
    // accepts it after ip_vs_route_me_harder, so it leaves through POSTROUTING by its new route.
    const v = this.host.hooks.run('POSTROUTING', skb, skb.inDev, r.outDev);
    if (v.kind === 'drop') return this.host.drop(skb, v.reason, r.outDev, v.detail);
    if (v.kind === 'stolen') return;
    neighOutput(this.host, r.outDev, r.nexthop, skb.packet, r.broadcast);
  }

  /** Stats and state for a reply (ip_vs_out_stats, ip_vs_set_state OUTPUT) and the entry's refresh. */
  private outbound(cp: Connection, skb: Skb, bytes: number): void {
    this.follow(cp, skb, bytes, 'output');
    this.conns.put(cp);
  }

  /**
   * ip_vs_in_stats / ip_vs_out_stats, then ip_vs_set_state: the packet counts for its destination, service and
   * the host while the destination is still available, and moves the entry's protocol state.
   */
  private follow(cp: Connection, skb: Skb, bytes: number, dir: 'input' | 'output'): void {
    const d = cp.dest;
    if (d && d.available) {
      countPacket(d.stats, dir, bytes);
      countPacket(d.service.stats, dir, bytes);
      countPacket(this.totals, dir, bytes);
    }
    if (stateTransition(cp, dir, skb.packet.l4, this.timeouts, this.sysctl('secure_tcp') === 3)) this.events.stateChanged(cp);
  }

  /** With nat_icmp_send, a real server's packet for no entry (not a TCP RST) is answered with port unreachable. */
  private noReplyEntry(skb: Skb, proto: number, sport: number): Verdict {
    if (this.sysctl('nat_icmp_send') === 0) return ACCEPT;
    const p = skb.packet;
    if (!this.isRealServer?.(proto, p.ip.src, sport)) return ACCEPT;
    if (p.l4.proto === 'tcp' && p.l4.flags & TcpFlag.RST) return ACCEPT;
    icmpSend(this.host, p, IcmpType.destUnreachable, IcmpUnreachCode.port, { inDev: skb.inDev });
    return { kind: 'drop', reason: 'ipvs-no-destination', detail: 'nat_icmp_send: reply from a real server for no connection' };
  }

  /** ip_vs_has_real_service, supplied by the owner. */
  isRealServer: ((proto: number, addr: Ipv4Address, port: number) => boolean) | undefined;

  private log(line: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'ipvs', host: this.host.name, event: 'log', detail: line });
  }
}

/** is_new_conn_expected: a SYN reusing a port whose old entry is closing makes a fresh connection. */
function newConnExpected(cp: Connection, mode: number): boolean {
  if (cp.control) return false;
  if (cp.protocol !== IPPROTO_TCP) return false;
  return cp.state === TcpState.TIME_WAIT || cp.state === TcpState.CLOSE || ((mode & 2) !== 0 && cp.state === TcpState.FIN_WAIT && cp.noOutput);
}

export function destText(d: Destination): string {
  return `${formatIpv4(d.address)}:${d.port}`;
}

export function serviceText(svc: VirtualService): string {
  return svc.key.kind === 'fwmark' ? `FWM ${svc.key.mark}` : `${svc.key.protocol.toUpperCase()} ${formatIpv4(svc.key.address)}:${svc.key.port}`;
}

export function connStateName(cp: Connection): string {
  if (cp.template) return cp.state & 1 ? 'ASSURED' : 'NONE';
  if (cp.protocol === IPPROTO_UDP) return 'UDP';
  return TCP_STATE_NAMES[cp.state] ?? 'ERR!';
}
