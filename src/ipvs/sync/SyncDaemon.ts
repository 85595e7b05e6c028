import { ipLocalOut, type Host } from '../../net/index.ts';
import { SECOND, type EventHandle, type SimTime } from '../../sim/index.ts';
import { formatIpv4, type Ipv4Address, type UdpDatagram } from '../../wire/index.ts';
import { HZ, IPPROTO_IP, IPPROTO_TCP, type Connection } from '../Connection.ts';
import type { ConnectionTable } from '../ConnectionTable.ts';
import type { ServiceTable } from '../ServiceTable.ts';
import { TcpState } from '../tcpStates.ts';
import { decodeSyncMessage, encodeSyncMessage, SYNC_CONN_LEN, SYNC_GROUP, SYNC_HEADER_LEN, SYNC_PORT, SyncConnFlag, type SyncConn } from './syncMessage.ts';

/** sysctl sync_threshold defaults (ip_vs_ctl.c DEFAULT_SYNC_THRESHOLD / DEFAULT_SYNC_PERIOD); not tunable in the lab. */
export const SYNC_THRESHOLD = 3;
export const SYNC_PERIOD = 50;
/** IPVS_SYNC_CHECK_PERIOD (HZ), IPVS_SYNC_FLUSH_TIME (2 HZ), IPVS_SYNC_SEND_DELAY (HZ/50). */
export const SYNC_CHECK_PERIOD: SimTime = SECOND;
export const SYNC_FLUSH_TIME: SimTime = 2 * SECOND;
export const SYNC_SEND_DELAY: SimTime = SECOND / 50;

export type SyncRole = 'master' | 'backup';

export interface SyncDaemonState {
  readonly role: SyncRole;
  readonly iface: string;
  readonly syncId: number;
}

/** TCP states in which a connection is synced (ip_vs_sync_conn_needed). */
const SYNCED_TCP_STATES = new Set<number>([TcpState.ESTABLISHED, TcpState.FIN_WAIT, TcpState.CLOSE, TcpState.CLOSE_WAIT, TcpState.TIME_WAIT]);

/**
 * The IPVS connection synchronisation daemon (net/netfilter/ipvs/ip_vs_sync.c), the kernel threads that
 * `ipvsadm --start-daemon master|backup` and keepalived's `lvs_sync_daemon` start.
 *
 * Master: after each packet from a client (ip_vs_in), ip_vs_sync_conn_needed decides whether the entry is sent:
 * a TCP entry only in ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT or TIME_WAIT — at once when it changed to a state
 * other than ESTABLISHED, else when its packet count is sync_threshold modulo sync_period (the 3rd, 53rd, …
 * packet); a template whenever a connection it controls is sent. Entries gather in a buffer (version-1 message,
 * as many 36-byte entries as the interface MTU allows) that goes out as one UDP datagram to 224.0.0.81:8848 with
 * TTL 1 when full (after IPVS_SYNC_SEND_DELAY) or, checked every second, once it is 2 s old.
 * Backup: each entry of a message with our sync id creates the connection (ip_vs_proc_conn), bound to the
 * real server with that address in the same virtual service when there is one, with the state, activity and
 * timeout the master sent — or updates the entry when it exists.
 * Simplified: sync_refresh_period/sync_retries (0 by default) and the version-0 format are not modelled; the
 * source port of the datagrams is 8848 (unverified).
 */
export class SyncDaemon {
  private master: SyncDaemonState | undefined;
  private backup: SyncDaemonState | undefined;
  private closeBackup: (() => void) | undefined;
  private tick: EventHandle | undefined;
  private flush: EventHandle | undefined;
  private buffer: SyncConn[] = [];
  private bufferSince: SimTime = 0;
  /** cp->old_state: the state at the last sync decision. */
  private readonly oldState = new WeakMap<Connection, number>();
  messagesSent = 0;
  entriesApplied = 0;

  constructor(
    private readonly host: Host,
    private readonly conns: ConnectionTable,
    private readonly services: ServiceTable,
  ) {}

  /** The running daemons (ipvsadm -L --daemon). */
  states(): SyncDaemonState[] {
    return [this.master, this.backup].filter((s): s is SyncDaemonState => s !== undefined);
  }

  /** IPVS_CMD_NEW_DAEMON: EEXIST when that role already runs, ENODEV for an unknown interface. */
  start(role: SyncRole, iface: string, syncId = 0): 'EEXIST' | 'ENODEV' | undefined {
    if ((role === 'master' ? this.master : this.backup) !== undefined) return 'EEXIST';
    if (!this.host.iface(iface)) return 'ENODEV';
    const st = { role, iface, syncId };
    if (role === 'master') {
      this.master = st;
      this.buffer = [];
      this.tick = this.host.ctx.sim.schedule(SYNC_CHECK_PERIOD, () => this.checkPeriod());
    } else {
      this.backup = st;
      this.closeBackup = this.host.sockets.bindUdp({ addr: SYNC_GROUP, port: SYNC_PORT, onDatagram: (from, _fp, _to, payload) => this.receive(from, payload) });
    }
    this.log(`IPVS: sync thread started: state = ${role.toUpperCase()}, mcast_ifn = ${iface}, syncid = ${syncId}`);
    return undefined;
  }

  /** IPVS_CMD_DEL_DAEMON: ESRCH when that role is not running. Synced entries stay in the table. */
  stop(role: SyncRole): 'ESRCH' | undefined {
    if (role === 'master') {
      if (!this.master) return 'ESRCH';
      this.master = undefined;
      this.host.ctx.sim.cancel(this.tick);
      this.host.ctx.sim.cancel(this.flush);
      this.flush = undefined;
      this.buffer = [];
    } else {
      if (!this.backup) return 'ESRCH';
      this.backup = undefined;
      this.closeBackup?.();
      this.closeBackup = undefined;
    }
    this.log(`IPVS: stopping ${role} sync thread`);
    return undefined;
  }

  // ------------------------------------------------------------------------------------------ master

  /** ip_vs_sync_conn: called by the data path after each client packet, with the entry's packet count. */
  connSeen(cp: Connection, pkts: number): void {
    if (!this.master || cp.onePacket) return;
    let c: Connection | undefined = cp;
    let count = pkts;
    while (c) {
      if (!this.needed(c, count)) return;
      this.append(c);
      // sloop: the template controlling it goes along.
      c = c.control;
      count = SYNC_THRESHOLD;
    }
  }

  private needed(cp: Connection, pkts: number): boolean {
    let force = false;
    if (!cp.template && cp.protocol === IPPROTO_TCP) {
      if (!SYNCED_TCP_STATES.has(cp.state)) return false;
      force = cp.state !== (this.oldState.get(cp) ?? -1);
      if (force && cp.state !== TcpState.ESTABLISHED) {
        this.oldState.set(cp, cp.state);
        return true;
      }
    }
    if (!cp.template && pkts % SYNC_PERIOD !== SYNC_THRESHOLD) return false;
    this.oldState.set(cp, cp.state);
    return true;
  }

  private append(cp: Connection): void {
    const now = this.host.ctx.sim.now();
    if (this.buffer.length === 0) this.bufferSince = now;
    let flags = cp.fwd === 'masq' ? SyncConnFlag.MASQ : cp.fwd === 'tunnel' ? SyncConnFlag.TUNNEL : SyncConnFlag.DROUTE;
    if (cp.template) flags |= SyncConnFlag.TEMPLATE;
    if (cp.inactive) flags |= SyncConnFlag.INACTIVE;
    if (cp.noOutput) flags |= SyncConnFlag.NOOUTPUT;
    const fwmark = cp.service && cp.service.key.kind === 'fwmark' ? cp.service.key.mark : 0;
    this.buffer.push({
      protocol: cp.protocol,
      flags,
      state: cp.state,
      cport: cp.cport,
      vport: cp.vport,
      dport: cp.dport,
      fwmark,
      timeout: Math.floor(cp.timeoutJiffies / HZ),
      caddr: cp.caddr,
      vaddr: cp.vaddr,
      daddr: cp.daddr,
    });
    if (this.buffer.length >= this.capacity() && this.flush === undefined) {
      this.flush = this.host.ctx.sim.schedule(SYNC_SEND_DELAY, () => {
        this.flush = undefined;
        this.send();
      });
    }
  }

  /** Entries per message: the interface MTU less the IP and UDP headers (set_sync_mesg_maxlen). */
  private capacity(): number {
    const mtu = this.host.iface(this.master!.iface)?.mtu ?? 1500;
    return Math.min(255, Math.floor((mtu - 20 - 8 - SYNC_HEADER_LEN) / SYNC_CONN_LEN));
  }

  /** The master thread's wake-up (every IPVS_SYNC_CHECK_PERIOD): a buffer older than 2 s goes out. */
  private checkPeriod(): void {
    if (!this.master || !this.host.alive) return;
    if (this.buffer.length > 0 && this.host.ctx.sim.now() - this.bufferSince >= SYNC_FLUSH_TIME) this.send();
    this.tick = this.host.ctx.sim.schedule(SYNC_CHECK_PERIOD, () => this.checkPeriod());
  }

  private send(): void {
    const m = this.master;
    if (!m || this.buffer.length === 0) return;
    const take = this.buffer.splice(0, this.capacity());
    if (this.buffer.length > 0) this.bufferSince = this.host.ctx.sim.now();
    const dev = this.host.iface(m.iface);
    const src = dev?.addresses.find((a) => !a.secondary)?.address;
    const l4: UdpDatagram = { proto: 'udp', sport: SYNC_PORT, dport: SYNC_PORT, payload: encodeSyncMessage({ syncId: m.syncId, conns: take }) };
    const r = ipLocalOut(this.host, { dst: SYNC_GROUP, src, protocol: 17, l4, ttl: 1, oif: m.iface, df: false });
    if (r.ok) this.messagesSent++;
  }

  // ------------------------------------------------------------------------------------------ backup

  /** ip_vs_process_message. */
  private receive(from: Ipv4Address, payload: UdpDatagram['payload']): void {
    const b = this.backup;
    if (!b || !this.host.alive) return;
    const m = decodeSyncMessage(payload);
    if (!m) return this.log(`IPVS: BACKUP, bogus message from ${formatIpv4(from)}`);
    if (b.syncId !== 0 && m.syncId !== b.syncId) return;
    for (const c of m.conns) this.apply(c);
  }

  /** ip_vs_proc_conn. */
  private apply(c: SyncConn): void {
    const template = (c.flags & SyncConnFlag.TEMPLATE) !== 0;
    const inactive = (c.flags & SyncConnFlag.INACTIVE) !== 0;
    let cp = template ? this.conns.lookupTemplate(c.protocol, c.caddr, c.vaddr, c.vport) : this.conns.lookupIn(c.protocol, c.caddr, c.cport, c.vaddr, c.vport);
    if (cp && !template && (cp.dport !== c.dport || cp.daddr !== c.daddr)) {
      if (inactive) return; // the expiry news of an entry already replaced
      this.conns.expireNow(cp);
      cp = undefined;
    }
    let created = false;
    if (!cp) {
      const svc = c.fwmark !== 0 ? this.services.find(IPPROTO_IP, 0, 0, c.fwmark) : this.services.find(c.protocol, c.vaddr, c.vport, 0);
      const dest = svc?.destinations.find((d) => d.address === c.daddr && d.port === c.dport);
      const fwdBits = c.flags & SyncConnFlag.FWD_MASK;
      const fwd = dest?.fwd ?? (fwdBits === SyncConnFlag.MASQ ? 'masq' : fwdBits === SyncConnFlag.TUNNEL ? 'tunnel' : 'route');
      cp = this.conns.create({ protocol: c.protocol, caddr: c.caddr, cport: c.cport, vaddr: c.vaddr, vport: c.vport, daddr: c.daddr, dport: c.dport, template, onePacket: false, dest, fwd, service: svc });
      created = true;
    }
    if (!template && cp.inactive !== inactive) {
      // The activity the master saw moves this entry between ActiveConn and InActConn.
      if (cp.dest) cp.dest.activeConns += inactive ? -1 : 1;
      cp.inactive = inactive;
    }
    cp.noOutput = (c.flags & SyncConnFlag.NOOUTPUT) !== 0;
    cp.inPkts = SYNC_THRESHOLD;
    const changed = created || cp.state !== c.state;
    cp.state = c.state;
    this.oldState.set(cp, c.state);
    cp.timeoutJiffies = c.timeout > 0 ? c.timeout * HZ : 180 * HZ;
    this.conns.put(cp);
    this.entriesApplied++;
    if (changed) this.synced?.(cp, created);
  }

  /** Trace hook: an entry was created from a sync message, or a message changed its state. */
  synced: ((cp: Connection, created: boolean) => void) | undefined;

  private log(line: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'ipvs', host: this.host.name, event: 'log', detail: line });
  }
}

