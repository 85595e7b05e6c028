import { describe, expect, it } from 'vitest';
import { FtpHelper } from '../../../../src/ipvs/app/FtpHelper.ts';
import type { Connection } from '../../../../src/ipvs/Connection.ts';
import { ConnectionTable, type NewConnection } from '../../../../src/ipvs/ConnectionTable.ts';
import { Destination } from '../../../../src/ipvs/Destination.ts';
import { ProtocolTimeouts } from '../../../../src/ipvs/protocolState.ts';
import type { Scheduler } from '../../../../src/ipvs/schedulers/Scheduler.ts';
import { TcpState } from '../../../../src/ipvs/tcpStates.ts';
import { VirtualService } from '../../../../src/ipvs/VirtualService.ts';
import { SECOND, Simulator } from '../../../../src/sim/index.ts';
import { EMPTY_PAYLOAD, parseIpv4, payloadText, TcpFlag, textPayload, type Ipv4Packet } from '../../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;
const noScheduler: Scheduler = { name: 'none', schedule: () => null };
const CLIENT = ip('81.57.54.10');
const VIP = ip('81.57.54.100');
const RIP = ip('192.168.0.2');

/**
 * The helper on crafted packets, for what the lab's FTP client never sends (EPSV) and for the kernel's rules
 * that real traffic rarely shows (a reply while the mode is ACTIVE, a connection not yet established).
 */
function setup(o: { fwd?: 'masq' | 'route'; conntrack?: boolean } = {}) {
  const sim = new Simulator();
  let helper: FtpHelper | undefined;
  const conns = new ConnectionTable(sim, { created: (cp) => helper?.bind(cp), expired: () => undefined });
  const traced: Array<[Connection, string]> = [];
  helper = new FtpHelper({ conns, timeouts: new ProtocolTimeouts(), conntrackRunning: () => o.conntrack ?? true, traced: (cp, d) => traced.push([cp, d]) });
  const svc = new VirtualService({ kind: 'addr', protocol: 'tcp', address: VIP, port: 21 }, noScheduler);
  const dest = new Destination(svc, { address: RIP, port: 21, fwd: o.fwd ?? 'masq', weight: 1, uThreshold: 0, lThreshold: 0 });
  const params: NewConnection = { protocol: 6, caddr: CLIENT, cport: 40000, vaddr: VIP, vport: 21, daddr: RIP, dport: 21, template: false, onePacket: false, dest, fwd: o.fwd ?? 'masq', service: svc };
  const cp = conns.create(params);
  cp.state = TcpState.ESTABLISHED;
  return { sim, conns, helper, cp, traced };
}

const fromClient = (text: string, seq = 100, ack = 5000): Ipv4Packet => ({
  kind: 'ipv4',
  id: 1,
  ip: { tos: 0, ident: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, src: CLIENT, dst: VIP },
  l4: { proto: 'tcp', sport: 40000, dport: 21, seq, ack, flags: TcpFlag.ACK | TcpFlag.PSH, window: 65535, payload: text ? textPayload(text) : EMPTY_PAYLOAD },
});
const fromServer = (text: string, seq = 5000, ack = 106): Ipv4Packet => ({
  kind: 'ipv4',
  id: 2,
  ip: { tos: 0, ident: 2, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, src: VIP, dst: CLIENT },
  l4: { proto: 'tcp', sport: 21, dport: 40000, seq, ack, flags: TcpFlag.ACK | TcpFlag.PSH, window: 65535, payload: text ? textPayload(text) : EMPTY_PAYLOAD },
});
const textOf = (p: Ipv4Packet | { drop: string }) => ('drop' in p || p.l4.proto !== 'tcp' ? '' : payloadText(p.l4.payload));

describe('FtpHelper on crafted packets', () => {
  it('EPSV: a 229 reply gets the data entry at the real server\'s address and keeps its length', () => {
    const { conns, helper, cp, traced } = setup();
    helper.request(cp, fromClient('EPSV\r\n'));
    const out = helper.response(cp, fromServer('229 Entering Extended Passive Mode (|||50007|)\r\n'));
    expect(textOf(out)).toBe('229 Entering Extended Passive Mode (|||50007|)\r\n');
    const data = conns.lookupIn(6, CLIENT, 41000, VIP, 50007)!;
    expect(data).toBeDefined();
    expect([data.daddr, data.dport, data.cport, data.noCport, data.state, data.control]).toEqual([RIP, 50007, 0, true, TcpState.LISTEN, cp]);
    expect(data.timeout).toBe(120 * SECOND);
    expect(cp.nControl).toBe(1);
    expect(traced.map(([, d]) => d)).toEqual(['ftp: EPSV 192.168.0.2:50007 → 81.57.54.100:50007']);
  });

  it('EPSV naming an address uses that address for the entry', () => {
    const { conns, helper, cp } = setup();
    helper.request(cp, fromClient('EPSV 1\r\n'));
    const out = helper.response(cp, fromServer('229 (|1|192.168.0.9|50008|)\r\n'));
    // Only the port goes to the client: it will use the VIP anyway.
    expect(textOf(out)).toBe('229 (|||50008|)\r\n');
    expect(conns.lookupIn(6, CLIENT, 41000, VIP, 50008)!.daddr).toBe(ip('192.168.0.9'));
  });

  it('touches no reply while the mode is ACTIVE: before any PASV, and for a second 227 after one was rewritten', () => {
    const { conns, helper, cp } = setup();
    const reply = '227 Entering Passive Mode (192,168,0,2,195,80)\r\n';
    const before = fromServer(reply);
    expect(helper.response(cp, before)).toBe(before);
    helper.request(cp, fromClient('PASV\r\n'));
    expect(textOf(helper.response(cp, fromServer(reply)))).toBe('227 Entering Passive Mode (81,57,54,100,195,80)\r\n');
    // The server's retransmission of the same reply passes as it is (its seq is the change's position: no move).
    const again = helper.response(cp, fromServer(reply));
    expect(textOf(again)).toBe(reply);
    expect('drop' in again ? undefined : again.l4.proto === 'tcp' && again.l4.seq).toBe(5000);
    // Later replies move one byte up; the client's acks past the reply move one byte down.
    const later = helper.response(cp, fromServer('150 Opening\r\n', 5048));
    expect('drop' in later ? undefined : later.l4.proto === 'tcp' && later.l4.seq).toBe(5049);
    const ack = helper.request(cp, fromClient('RETR /x\r\n', 106, 5049));
    expect(ack.l4.proto === 'tcp' && ack.l4.ack).toBe(5048);
    expect(conns.size).toBe(2);
  });

  it('reads nothing before the connection is ESTABLISHED', () => {
    const { helper, cp, traced } = setup();
    cp.state = TcpState.SYN_RECV;
    helper.request(cp, fromClient('PASV\r\n'));
    cp.state = TcpState.ESTABLISHED;
    const reply = fromServer('227 Entering Passive Mode (192,168,0,2,195,80)\r\n');
    expect(helper.response(cp, reply)).toBe(reply);
    expect(traced).toHaveLength(0);
  });

  it('binds only NAT connections to port 21', () => {
    const dr = setup({ fwd: 'route' });
    expect(dr.helper.isBound(dr.cp)).toBe(false);
    dr.helper.request(dr.cp, fromClient('PASV\r\n'));
    const reply = fromServer('227 Entering Passive Mode (192,168,0,2,195,80)\r\n');
    expect(dr.helper.response(dr.cp, reply)).toBe(reply);
    const nat = setup();
    expect(nat.helper.isBound(nat.cp)).toBe(true);
    const web = nat.conns.create({ protocol: 6, caddr: CLIENT, cport: 40001, vaddr: VIP, vport: 80, daddr: RIP, dport: 80, template: false, onePacket: false, dest: nat.cp.dest, fwd: 'masq', service: nat.cp.service });
    expect(nat.helper.isBound(web)).toBe(false);
  });

  it('without a conntrack entry the reply is refused, after the data entry is made and the mode reset', () => {
    const { conns, helper, cp } = setup({ conntrack: false });
    helper.request(cp, fromClient('PASV\r\n'));
    const out = helper.response(cp, fromServer('227 Entering Passive Mode (192,168,0,2,195,80)\r\n'));
    expect(out).toEqual({ drop: 'ip_vs_ftp: no conntrack entry to rewrite the 227 reply with' });
    expect(conns.lookupIn(6, CLIENT, 41000, VIP, 50000)).toBeDefined();
    const again = fromServer('227 Entering Passive Mode (192,168,0,2,195,80)\r\n');
    expect(helper.response(cp, again)).toBe(again);
  });
});

describe('ConnectionTable: entries with no client port (IP_VS_CONN_F_NO_CPORT)', () => {
  it('a client packet finds one by its other fields; filling in the port makes it an ordinary entry', () => {
    const { conns, helper, cp } = setup();
    helper.request(cp, fromClient('PASV\r\n'));
    helper.response(cp, fromServer('227 Entering Passive Mode (192,168,0,2,195,80)\r\n'));
    const data = conns.lookupIn(6, CLIENT, 41000, VIP, 50000)!;
    expect(conns.lookupIn(6, CLIENT, 41000, VIP, 50001)).toBeUndefined();
    expect(conns.lookupIn(6, ip('81.57.54.11'), 41000, VIP, 50000)).toBeUndefined();
    // The server side finds it by client port 0 only (ip_vs_ftp_out's lookup for a repeated reply).
    expect(conns.lookupOut(6, RIP, 50000, CLIENT, 0)).toBe(data);
    conns.fillCport(data, 41000);
    expect([data.cport, data.noCport]).toEqual([41000, false]);
    expect(conns.lookupIn(6, CLIENT, 41000, VIP, 50000)).toBe(data);
    expect(conns.lookupIn(6, CLIENT, 41001, VIP, 50000)).toBeUndefined();
    expect(conns.lookupOut(6, RIP, 50000, CLIENT, 41000)).toBe(data);
    expect(conns.lookupOut(6, RIP, 50000, CLIENT, 0)).toBeUndefined();
  });

  it('a template (client port 0 too) is never taken for one', () => {
    const { conns, cp } = setup();
    conns.create({ protocol: 6, caddr: CLIENT, cport: 0, vaddr: VIP, vport: 50000, daddr: RIP, dport: 50000, template: true, onePacket: false, dest: cp.dest, fwd: 'masq', service: cp.service });
    conns.create({ protocol: 6, caddr: ip('81.57.54.11'), cport: 0, vaddr: VIP, vport: 50000, daddr: RIP, dport: 50000, template: false, onePacket: false, dest: cp.dest, fwd: 'masq', service: cp.service, noCport: true });
    expect(conns.lookupIn(6, CLIENT, 41000, VIP, 50000)).toBeUndefined();
  });
});
