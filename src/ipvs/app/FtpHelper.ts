import { formatIpv4, payloadText, textPayload, type Ipv4Packet, type TcpSegment } from '../../wire/index.ts';
import { IPPROTO_TCP, type Connection } from '../Connection.ts';
import type { ConnectionTable } from '../ConnectionTable.ts';
import type { ProtocolTimeouts } from '../protocolState.ts';
import { TcpState } from '../tcpStates.ts';
import { getAddrPort, passiveRequest, type FtpMode } from './ftpGrammar.ts';
import { CT_ORIGINAL, CT_REPLY, SeqAdjust } from './SeqAdjust.ts';

/** The module's `ports` parameter: control ports the helper watches (default 21; the lab takes no parameters). */
export const FTP_APP_PORTS: readonly number[] = [21];

/** A reply the helper could not handle: the packet is dropped, for this reason. */
export interface AppDrop {
  readonly drop: string;
}

/**
 * What the data path asks of the application helper bound to a connection (ip_vs_app.c: ip_vs_app_pkt_in from
 * tcp_dnat_handler, ip_vs_app_pkt_out from tcp_snat_handler), together with what conntrack then does to the
 * packet on its way out (nf_confirm → nf_ct_seq_adjust at POSTROUTING), which the mangling makes necessary.
 */
export interface ConnectionApp {
  /** A client's packet of `cp` on its way to the real server (its state already moved by this packet). */
  request(cp: Connection, p: Ipv4Packet): Ipv4Packet;
  /** A real server's reply of `cp` on its way to the client, already from the virtual address (state not yet moved). */
  response(cp: Connection, p: Ipv4Packet): Ipv4Packet | AppDrop;
}

export interface FtpHelperDeps {
  readonly conns: ConnectionTable;
  readonly timeouts: ProtocolTimeouts;
  /** Whether the host's connection tracking runs now, so that a new connection's first packet gets an entry. */
  conntrackRunning(): boolean;
  /** An `ipvs` `app` trace event about `cp` (a data entry made or refreshed). */
  traced(cp: Connection, detail: string): void;
}

/** A control connection the helper is bound to: cp->app_data, and the conntrack entry it keeps (NFCT). */
interface FtpControl {
  mode: FtpMode;
  /** The seqadj extension of the connection's conntrack entry; undefined when the connection has no entry. */
  readonly ct: SeqAdjust | undefined;
}

/**
 * ip_vs_ftp (net/netfilter/ipvs/ip_vs_ftp.c, Linux 6.1), loaded on a director with `modprobe ip_vs_ftp`: the FTP
 * application helper that makes passive FTP work through LVS-NAT without persistence.
 *
 * - Binding (tcp_app_conn_bind, ip_vs_ftp_init_conn): a new NAT connection whose virtual port is 21 gets the
 *   helper and keeps its conntrack entry (IP_VS_CONN_F_NFCT); DR and TUN connections never do.
 * - In (ip_vs_ftp_in): `PASV` or `EPSV` from the client on an ESTABLISHED control connection is remembered.
 * - Out (ip_vs_ftp_out): on an ESTABLISHED connection that asked for it, a reply starting `227 ` (`229 `) names the
 *   server's data address and port. The helper finds or makes the data entry <client:0 → VIP:port → server:port>
 *   (NO_CPORT: the client's port is filled in by its first packet), controlled by the control connection, puts
 *   it in LISTEN with the LISTEN timeout, and rewrites the reply's address to the VIP's (a 229 reply becomes
 *   `|||port|`). The mode goes back to ACTIVE, so a retransmitted reply is not rewritten again.
 * - The rewrite changes the reply's length (`192,168,0,2` → `81,57,54,100` is one byte more). The change goes
 *   into the control connection's conntrack entry (nf_nat_mangle_tcp_packet → seqadj), and from then on every
 *   packet of the connection leaving the director has its sequence numbers moved (SeqAdjust), so both TCPs stay
 *   in step. The helper itself reports no length change to IPVS (diff 0), so IPVS's own in_seq/out_seq stay unused.
 *
 * Conntrack. Mangling needs the connection's conntrack entry, and in 6.1 a packet has one when connection
 * tracking runs in the namespace: since Linux 4.10 its hooks are registered only for a user — an iptables nat
 * table or state match, or IPVS itself, which registers it when a port-21 service gets a NAT destination. With
 * no entry (say a firewall-mark or port-0 service carrying FTP on a director without iptables rules),
 * ip_vs_ftp_out still makes the data entry but returns 0 and the reply is dropped; the server retransmits it,
 * the mode is ACTIVE by then, and the copy passes unchanged. The lab models the entry the helper needs — its
 * sequence adjustment — on the IPVS connection, decided when the connection is bound, rather than in the host's
 * conntrack table: IPVS connections stay out of that table (`conntrack -L`-style views) and out of iptables nat
 * rules, as the lab's other IPVS traffic does. The conntrack expectation for the data connection
 * (ip_vs_nfct_expect_related) is not modelled: it only concerns that table.
 *
 * - In, active mode (ip_vs_ftp_in): `PORT`/`EPRT` from the client makes the entry for the server's data connection
 *   from port 20 back to the client (see activeRequest).
 *
 * Not modelled: module parameters (`ports=`); the helper watches port 21.
 */
export class FtpHelper implements ConnectionApp {
  private readonly controls = new WeakMap<Connection, FtpControl>();

  constructor(private readonly deps: FtpHelperDeps) {}

  /** ip_vs_bind_app → tcp_app_conn_bind for a new entry: NAT connections to an FTP control port only. */
  bind(cp: Connection): void {
    if (cp.fwd !== 'masq' || cp.protocol !== IPPROTO_TCP || !FTP_APP_PORTS.includes(cp.vport)) return;
    this.controls.set(cp, { mode: 'ACTIVE', ct: this.deps.conntrackRunning() ? new SeqAdjust() : undefined });
  }

  /** Whether `cp` holds the helper (each bound entry holds a reference on the module until it expires). */
  isBound(cp: Connection): boolean {
    return this.controls.has(cp);
  }

  request(cp: Connection, p: Ipv4Packet): Ipv4Packet {
    const st = this.controls.get(cp);
    const seg = p.l4;
    if (st === undefined || seg.proto !== 'tcp') return p;
    if (cp.state === TcpState.ESTABLISHED && seg.payload.length > 0) {
      const text = payloadText(seg.payload);
      const mode = passiveRequest(text);
      if (mode !== undefined) st.mode = mode;
      else this.activeRequest(cp, st, text);
    }
    return st.ct ? withSegment(p, st.ct.adjust(CT_ORIGINAL, seg)) : p;
  }

  response(cp: Connection, p: Ipv4Packet): Ipv4Packet | AppDrop {
    const st = this.controls.get(cp);
    const seg = p.l4;
    if (st === undefined || seg.proto !== 'tcp') return p;
    let out: TcpSegment = seg;
    if (cp.state === TcpState.ESTABLISHED && (st.mode === 'PASV' || st.mode === 'EPSV') && seg.payload.length > 0) {
      const r = this.passiveReply(cp, st, seg);
      if ('drop' in r) return r;
      out = r;
    }
    return withSegment(p, st.ct ? st.ct.adjust(CT_REPLY, out) : out);
  }

  /**
   * ip_vs_ftp_in's second half: a client's segment that starts with `PORT h1,…,p2` or `EPRT |1|a.b.c.d|port|`
   * names where it listens for the server's data connection. The helper finds or makes the entry <client
   * address:port → VIP:vport−1 → server:dport−1> (port 20 for a control port 21), controlled by the control
   * connection, and puts it in LISTEN: the server's SYN from its port 20 then meets it on the way out and leaves
   * from VIP:20 (handle_response), and the client's answers to VIP:20 go back to the server. Passive mode is off.
   * The command itself passes unchanged: the client's address is already the one the server must reach.
   */
  private activeRequest(cp: Connection, st: FtpControl, text: string): void {
    let m = getAddrPort(text, 'PORT', ' ', false, 'ACTIVE');
    let command = 'PORT';
    if (m.result !== 1) {
      m = getAddrPort(text, 'EPRT', ' ', true, 'EPRT');
      command = 'EPRT';
    }
    if (m.result !== 1) return;
    st.mode = 'ACTIVE';
    const data =
      this.deps.conns.lookupIn(IPPROTO_TCP, m.addr, m.port, cp.vaddr, cp.vport - 1) ??
      this.newDataEntry(cp, { caddr: m.addr, cport: m.port, vport: cp.vport - 1, daddr: cp.daddr, dport: cp.dport - 1, noCport: false });
    this.listen(data, `ftp: ${command} ${formatIpv4(m.addr)}:${m.port} ← ${formatIpv4(data.vaddr)}:${data.vport}`);
  }

  /**
   * The data connection's entry as ip_vs_conn_new makes it for the helper: the control connection's virtual
   * address, real server and forwarding, and the control connection as its controller (ip_vs_control_add).
   */
  private newDataEntry(cp: Connection, at: { caddr: number; cport: number; vport: number; daddr: number; dport: number; noCport: boolean }): Connection {
    const { conns } = this.deps;
    const data = conns.create({
      protocol: IPPROTO_TCP,
      caddr: at.caddr,
      cport: at.cport,
      vaddr: cp.vaddr,
      vport: at.vport,
      daddr: at.daddr,
      dport: at.dport,
      template: false,
      onePacket: false,
      noCport: at.noCport,
      dest: cp.dest,
      fwd: cp.dest?.fwd ?? 'masq',
      service: cp.service,
    });
    conns.control(data, cp);
    return data;
  }

  /** ip_vs_tcp_conn_listen, then ip_vs_conn_put: the entry waits in LISTEN, with that state's timeout, for its first packet. */
  private listen(data: Connection, detail: string): void {
    data.state = TcpState.LISTEN;
    data.timeout = this.deps.timeouts.tcpTimeout(TcpState.LISTEN);
    this.deps.conns.put(data);
    this.deps.traced(data, detail);
  }

  /** ip_vs_ftp_out once the client asked for passive mode: the segment as it leaves, or why it is dropped. */
  private passiveReply(cp: Connection, st: FtpControl, seg: TcpSegment): TcpSegment | AppDrop {
    const mode = st.mode;
    const text = payloadText(seg.payload);
    const m = mode === 'PASV' ? getAddrPort(text, '227 ', '(', false, mode) : getAddrPort(text, '229 ', '(', true, mode, cp.daddr);
    if (m.result !== 1) return seg;
    const data =
      this.deps.conns.lookupOut(IPPROTO_TCP, m.addr, m.port, cp.caddr, 0) ??
      this.newDataEntry(cp, { caddr: cp.caddr, cport: 0, vport: m.port, daddr: m.addr, dport: m.port, noCport: true });
    const replacement = mode === 'PASV' ? pasvText(data.vaddr, data.vport) : `|||${data.vport}|`;
    let result: TcpSegment | AppDrop;
    if (st.ct) {
      const payload = textPayload(text.slice(0, m.start) + replacement + text.slice(m.end));
      st.ct.set(CT_REPLY, seg.seq, replacement.length - (m.end - m.start));
      result = { ...seg, payload };
    } else {
      result = { drop: `ip_vs_ftp: no conntrack entry to rewrite the ${mode === 'PASV' ? '227' : '229'} reply with` };
    }
    st.mode = 'ACTIVE';
    // The entry waits for the client's SYN.
    this.listen(data, `ftp: ${mode} ${formatIpv4(m.addr)}:${m.port} → ${formatIpv4(data.vaddr)}:${data.vport}`);
    return result;
  }
}

/** The address and port as a 227 reply writes them: `a,b,c,d,p1,p2`. */
function pasvText(addr: number, port: number): string {
  return `${addr >>> 24},${(addr >>> 16) & 255},${(addr >>> 8) & 255},${addr & 255},${port >>> 8},${port & 255}`;
}

/** The packet with `seg` as its TCP segment (the same packet when nothing changed: the skb is mangled in place). */
function withSegment(p: Ipv4Packet, seg: TcpSegment): Ipv4Packet {
  return seg === p.l4 ? p : { ...p, l4: seg };
}
