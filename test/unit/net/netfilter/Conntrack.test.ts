import { describe, expect, it } from 'vitest';
import { SECOND, Simulator } from '../../../../src/sim/index.ts';
import { TcpFlag, type IcmpMessage, type Ipv4Packet, type L4 } from '../../../../src/wire/index.ts';
import { Conntrack, CtStatus, invertTuple, packetTuple } from '../../../../src/net/netfilter/Conntrack.ts';
import { ip } from './world.ts';

/** Connection tracking on its own: tuples, directions, ctinfo, TCP states and timeouts, ICMP errors. */

let nextId = 1;
function pkt(src: string, dst: string, l4: L4): Ipv4Packet {
  const protocol = l4.proto === 'tcp' ? 6 : l4.proto === 'udp' ? 17 : 1;
  return { kind: 'ipv4', id: nextId++, ip: { tos: 0, ident: 0, df: false, mf: false, fragOffset: 0, ttl: 64, protocol, src: ip(src), dst: ip(dst) }, l4 };
}
const tcp = (sport: number, dport: number, flags: number): L4 => ({ proto: 'tcp', sport, dport, seq: 1, ack: 1, flags, window: 100, payload: { length: 0 } });
const udp = (sport: number, dport: number): L4 => ({ proto: 'udp', sport, dport, payload: { length: 1 } });
const icmp = (m: IcmpMessage): L4 => m;

const C = '10.0.0.2';
const S = '10.0.0.1';

describe('Conntrack', () => {
  it('a new entry is attached but unconfirmed until confirm(); both tuples then find it', () => {
    const sim = new Simulator();
    const ct = new Conntrack(sim);
    const syn = pkt(C, S, tcp(40000, 80, TcpFlag.SYN));
    const r1 = ct.inbound(syn)!;
    expect(r1).toMatchObject({ dir: 0, info: 'new' });
    expect(ct.entries()).toEqual([]);
    ct.confirm(r1);
    expect(ct.entries()).toEqual([r1.entry]);
    expect(r1.entry.reply).toEqual(invertTuple(packetTuple(syn)!));
    const synack = ct.inbound(pkt(S, C, tcp(80, 40000, TcpFlag.SYN | TcpFlag.ACK)))!;
    expect(synack).toMatchObject({ entry: r1.entry, dir: 1, info: 'established' });
    expect(r1.entry.tcpState).toBe('SYN_RECV');
    const ack = ct.inbound(pkt(C, S, tcp(40000, 80, TcpFlag.ACK)))!;
    expect(ack).toMatchObject({ dir: 0, info: 'established' });
    expect(r1.entry.tcpState).toBe('ESTABLISHED');
    expect(r1.entry.status & CtStatus.assured).not.toBe(0);
    expect(r1.entry.expires).toBe(432_000 * SECOND);
  });

  it('TCP: only a SYN or a bare ACK opens an entry; RST closes it for 10 s; a new SYN starts over', () => {
    const sim = new Simulator();
    const ct = new Conntrack(sim);
    expect(ct.inbound(pkt(C, S, tcp(1, 2, TcpFlag.SYN | TcpFlag.ACK)))).toBeUndefined();
    expect(ct.inbound(pkt(C, S, tcp(1, 2, TcpFlag.FIN | TcpFlag.ACK)))).toBeUndefined();
    expect(ct.inbound(pkt(C, S, tcp(1, 2, TcpFlag.RST)))).toBeUndefined();
    const mid = ct.inbound(pkt(C, S, tcp(1, 2, TcpFlag.ACK)))!;
    expect(mid.entry.tcpState).toBe('ESTABLISHED');
    ct.confirm(mid);
    ct.inbound(pkt(S, C, tcp(2, 1, TcpFlag.RST)));
    expect(mid.entry.tcpState).toBe('CLOSE');
    expect(mid.entry.expires).toBe(10 * SECOND);
    const again = ct.inbound(pkt(C, S, tcp(1, 2, TcpFlag.SYN)))!;
    expect(again.entry).not.toBe(mid.entry);
    expect(again.info).toBe('new');
  });

  it('UDP lives 30 s unanswered and 180 s once answered; expired entries are gone', () => {
    const sim = new Simulator();
    const ct = new Conntrack(sim);
    const r = ct.inbound(pkt(C, S, udp(5000, 53)))!;
    ct.confirm(r);
    expect(r.entry.expires).toBe(30 * SECOND);
    ct.inbound(pkt(S, C, udp(53, 5000)));
    expect(r.entry.expires).toBe(180 * SECOND);
    sim.runUntil(180 * SECOND);
    expect(ct.entries()).toEqual([]);
    expect(ct.inbound(pkt(C, S, udp(5000, 53)))!.info).toBe('new');
  });

  it('ICMP: echo request opens, echo reply answers, an unsolicited reply is INVALID', () => {
    const sim = new Simulator();
    const ct = new Conntrack(sim);
    const req = ct.inbound(pkt(C, S, icmp({ proto: 'icmp', type: 8, code: 0, ident: 9, sequence: 1, payload: { length: 0 } })))!;
    ct.confirm(req);
    expect(req.entry.orig).toEqual({ proto: 1, src: ip(C), sport: 9, dst: ip(S), dport: 8 });
    expect(req.entry.reply).toEqual({ proto: 1, src: ip(S), sport: 9, dst: ip(C), dport: 0 });
    expect(ct.inbound(pkt(S, C, icmp({ proto: 'icmp', type: 0, code: 0, ident: 9, sequence: 1, payload: { length: 0 } })))).toMatchObject({ dir: 1 });
    expect(ct.inbound(pkt(S, C, icmp({ proto: 'icmp', type: 0, code: 0, ident: 10, sequence: 1, payload: { length: 0 } })))).toBeUndefined();
    expect(req.entry.expires).toBe(30 * SECOND);
  });

  it('an ICMP error quoting a tracked packet is RELATED to its connection, in the direction it travels', () => {
    const sim = new Simulator();
    const ct = new Conntrack(sim);
    const out = pkt(C, S, udp(5000, 9));
    const r = ct.inbound(out)!;
    ct.confirm(r);
    const err = ct.inbound(pkt(S, C, icmp({ proto: 'icmp', type: 3, code: 3, mtu: 0, gateway: 0, original: out })))!;
    expect(err).toMatchObject({ entry: r.entry, dir: 1, info: 'related' });
    const stray = pkt(C, S, udp(5001, 9));
    expect(ct.inbound(pkt(S, C, icmp({ proto: 'icmp', type: 3, code: 3, mtu: 0, gateway: 0, original: stray })))).toBeUndefined();
  });
});
