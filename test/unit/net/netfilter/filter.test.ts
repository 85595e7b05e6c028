import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/index.ts';
import { formatIpv4, TcpFlag, textPayload, type TcpSegment } from '../../../../src/wire/index.ts';
import { CtStateBit, ipLocalOut, type Host } from '../../../../src/net/index.ts';
import { echo, hostAddr, ip, rule, World } from './world.ts';

/** The filter table: policies, DROP and REJECT (ICMP and TCP reset), stateful rules, user chains, counters. */

function net() {
  const w = new World();
  const client = w.host('client');
  const other = w.host('other');
  const server = w.host('server');
  w.attach(client, 'eth0', 'lan', '10.1.0.2/24');
  w.attach(other, 'eth0', 'lan', '10.1.0.3/24');
  w.attach(server, 'eth0', 'lan', '10.1.0.1/24');
  return { w, client, other, server };
}

function ping(host: Host, dst: string, ident = 7) {
  const replies: string[] = [];
  const errors: Array<{ from: string; type: number; code: number }> = [];
  host.sockets.openPing(ident, {
    onEchoReply: (from) => replies.push(formatIpv4(from)),
    onError: (from, m) => errors.push({ from: formatIpv4(from), type: m.type, code: m.code }),
  });
  ipLocalOut(host, { dst: ip(dst), protocol: 1, l4: echo(ident, 1) });
  return { replies, errors };
}

function chain(host: Host, table: 'filter' | 'nat' | 'mangle', name: string) {
  const v = host.iptables.list(table, name);
  if (!Array.isArray(v)) throw new Error(v.message);
  return v[0];
}

describe('policies and verdicts', () => {
  it('INPUT policy DROP drops with reason firewall and counts on the policy', () => {
    const { w, client, server } = net();
    expect(server.iptables.setPolicy('filter', 'INPUT', 'DROP')).toBeUndefined();
    const p = ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(p.replies).toEqual([]);
    const drop = w.events('drop', 'server').find((e) => e.reason === 'firewall')!;
    expect(drop.detail).toBe('table filter chain INPUT policy DROP');
    expect(w.events('nf', 'server')).toMatchObject([{ hook: 'INPUT', table: 'filter', target: 'DROP' }]);
    expect(chain(server, 'filter', 'INPUT')).toMatchObject({ policy: 'DROP', packets: 1, bytes: 84 });
  });

  it('a DROP rule names its table, chain and rule number', () => {
    const { w, client, server } = net();
    server.iptables.append('filter', 'INPUT', rule({ kind: 'ACCEPT' }, { proto: 17 }));
    server.iptables.append('filter', 'INPUT', rule({ kind: 'DROP' }, { src: hostAddr('10.1.0.2') }));
    const p = ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(p.replies).toEqual([]);
    expect(w.events('drop', 'server').find((e) => e.reason === 'firewall')?.detail).toBe('table filter chain INPUT rule 2: DROP');
  });

  it('REJECT answers with the ICMP error it is told to', () => {
    const { w, client, server } = net();
    server.iptables.append('filter', 'INPUT', rule({ kind: 'REJECT', with: 'icmp-port-unreachable' }, { proto: 1 }));
    const p = ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(p.replies).toEqual([]);
    expect(p.errors).toEqual([{ from: '10.1.0.1', type: 3, code: 3 }]);
    expect(w.events('nf', 'server')[0]).toMatchObject({ target: 'REJECT' });

    const q = ping(client, '10.1.0.1', 8);
    server.iptables.flush('filter');
    server.iptables.append('filter', 'INPUT', rule({ kind: 'REJECT', with: 'icmp-host-prohibited' }));
    ipLocalOut(client, { dst: ip('10.1.0.1'), protocol: 1, l4: echo(8, 2) });
    w.run(1 * SECOND);
    expect(q.errors.at(-1)).toEqual({ from: '10.1.0.1', type: 3, code: 10 });
  });

  it('REJECT --reject-with tcp-reset sends a RST for the segment', () => {
    const { w, client, server } = net();
    server.iptables.append('filter', 'INPUT', rule({ kind: 'REJECT', with: 'tcp-reset' }, { proto: 6 }));
    const syn: TcpSegment = { proto: 'tcp', sport: 40000, dport: 80, seq: 1000, ack: 0, flags: TcpFlag.SYN, window: 65535, payload: { length: 0 } };
    const sent = ipLocalOut(client, { dst: ip('10.1.0.1'), protocol: 6, l4: syn });
    w.run(1 * SECOND);
    const rst = w.events('tx', 'server').find((e) => e.pkt.tcp)!;
    expect(rst.pkt.tcp).toMatchObject({ sport: 80, dport: 40000, flags: 'RA', seq: 0, ack: 1001 });
    expect(rst.pkt.parent).toBe(sent.ok ? sent.packet.id : -1);
    expect(w.events('rx', 'client').some((e) => e.pkt.tcp?.flags === 'RA')).toBe(true);
  });

  it('OUTPUT DROP stops locally generated packets before they leave', () => {
    const { w, client } = net();
    client.iptables.append('filter', 'OUTPUT', rule({ kind: 'DROP' }, { dst: hostAddr('10.1.0.1') }));
    ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(w.events('tx', 'client').filter((e) => e.pkt.ip)).toEqual([]);
    expect(w.events('drop', 'client').some((e) => e.reason === 'firewall')).toBe(true);
  });

  it('LOG traces and goes on to the next rule', () => {
    const { w, client, server } = net();
    server.iptables.append('filter', 'INPUT', rule({ kind: 'LOG', prefix: 'in: ', level: 4 }));
    const p = ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(p.replies).toEqual(['10.1.0.1']);
    expect(w.events('nf', 'server')).toMatchObject([{ hook: 'INPUT', table: 'filter', target: 'LOG' }]);
  });
});

describe('matches', () => {
  it('-i/-o with the + wildcard and inversion on FORWARD', () => {
    const w = new World();
    const a = w.host('a');
    const r = w.host('r');
    const b = w.host('b');
    w.attach(a, 'eth0', 'one', '10.0.1.2/24');
    w.attach(r, 'eth1', 'one', '10.0.1.1/24');
    w.attach(r, 'eth0', 'two', '10.0.2.1/24');
    w.attach(b, 'eth0', 'two', '10.0.2.2/24');
    w.defaultRoute(a, '10.0.1.1');
    w.defaultRoute(b, '10.0.2.1');
    r.sysctls.set('net.ipv4.ip_forward', '1');
    // Drop what comes in on eth1 and goes out on any eth*, except out of eth1 itself.
    r.iptables.append('filter', 'FORWARD', rule({ kind: 'DROP' }, { inIface: { name: 'eth1', invert: false }, outIface: { name: 'eth1', invert: true } }));
    const fromA = ping(a, '10.0.2.2');
    const fromB = ping(b, '10.0.1.2', 9);
    w.run(1 * SECOND);
    expect(fromA.replies).toEqual([]);
    // b's request passes; a's reply to it enters on eth1 and is dropped too.
    expect(fromB.replies).toEqual([]);
    expect(chain(r, 'filter', 'FORWARD').rules[0].packets).toBe(2);
    r.iptables.flush('filter', 'FORWARD');
    r.iptables.append('filter', 'FORWARD', rule({ kind: 'DROP' }, { inIface: { name: 'eth+', invert: false }, proto: 17 }));
    const again = ping(a, '10.0.2.2', 10);
    w.run(1 * SECOND);
    expect(again.replies).toEqual(['10.0.2.2']);
  });

  it('tcp/udp ports, ranges and inversion', () => {
    const { w, client, server } = net();
    const got: number[] = [];
    for (const port of [53, 80, 8080]) server.sockets.bindUdp({ addr: 0, port, onDatagram: () => got.push(port) });
    server.iptables.append(
      'filter',
      'INPUT',
      rule({ kind: 'DROP' }, { proto: 17, matches: [{ kind: 'udp', dport: { min: 1, max: 1023 }, dportInvert: true, sportInvert: false }] }),
    );
    for (const port of [53, 80, 8080]) client.sockets.sendUdp(ip('10.1.0.1'), port, 40000, textPayload('x'));
    w.run(1 * SECOND);
    expect(got).toEqual([53, 80]);
  });

  it('mark match with a mask', () => {
    const { w, client, server } = net();
    server.iptables.append('mangle', 'PREROUTING', rule({ kind: 'MARK', value: 0x25, mask: 0xffffffff }, { src: hostAddr('10.1.0.2') }));
    server.iptables.append('filter', 'INPUT', rule({ kind: 'DROP' }, { matches: [{ kind: 'mark', value: 0x5, mask: 0xf, invert: false }] }));
    const p = ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(p.replies).toEqual([]);
    expect(chain(server, 'filter', 'INPUT').rules[0].packets).toBe(1);
  });
});

describe('state match (conntrack)', () => {
  function stateful(server: Host): void {
    server.iptables.append('filter', 'INPUT', rule({ kind: 'ACCEPT' }, { matches: [{ kind: 'state', states: CtStateBit.ESTABLISHED | CtStateBit.RELATED, invert: false }] }));
    server.iptables.setPolicy('filter', 'INPUT', 'DROP');
  }

  it('lets answers in and keeps new connections out', () => {
    const { w, client, server } = net();
    stateful(server);
    const out = ping(server, '10.1.0.2');
    w.run(1 * SECOND);
    expect(out.replies).toEqual(['10.1.0.2']);
    const inbound = ping(client, '10.1.0.1', 8);
    w.run(1 * SECOND);
    expect(inbound.replies).toEqual([]);
    expect(chain(server, 'filter', 'INPUT')).toMatchObject({ packets: 1 });
  });

  it('accepts an ICMP error about its own connection as RELATED', () => {
    const { w, server } = net();
    stateful(server);
    server.sockets.sendUdp(ip('10.1.0.2'), 9999, 40000, textPayload('x'));
    w.run(1 * SECOND);
    // The port unreachable passed INPUT (it reached ICMP handling, which has no socket to tell).
    expect(w.events('drop', 'server').map((e) => e.reason)).toEqual(['icmp-ignored']);
    expect(chain(server, 'filter', 'INPUT').rules[0].packets).toBe(1);
  });

  it('matches NEW for the first packet and INVALID for an unsolicited echo reply', () => {
    const { w, client, server } = net();
    server.iptables.append('filter', 'INPUT', rule({ kind: 'continue' }, { matches: [{ kind: 'conntrack', states: CtStateBit.NEW, invert: false }] }));
    server.iptables.append('filter', 'INPUT', rule({ kind: 'continue' }, { matches: [{ kind: 'conntrack', states: CtStateBit.INVALID, invert: false }] }));
    ping(client, '10.1.0.1');
    ipLocalOut(client, { dst: ip('10.1.0.1'), protocol: 1, l4: { ...echo(99, 1), type: 0 } });
    w.run(1 * SECOND);
    const rules = chain(server, 'filter', 'INPUT').rules;
    expect(rules.map((r) => r.packets)).toEqual([1, 1]);
  });
});

describe('user chains and counters', () => {
  it('jumps, RETURN and per-rule counters', () => {
    const { w, client, other, server } = net();
    const f = server.iptables;
    expect(f.newChain('filter', 'icmp_in')).toBeUndefined();
    f.append('filter', 'icmp_in', rule({ kind: 'RETURN' }, { src: hostAddr('10.1.0.2') }));
    f.append('filter', 'icmp_in', rule({ kind: 'DROP' }));
    f.append('filter', 'INPUT', rule({ kind: 'jump', chain: 'icmp_in' }, { proto: 1 }));
    const p1 = ping(client, '10.1.0.1');
    const p2 = ping(other, '10.1.0.1');
    w.run(1 * SECOND);
    expect(p1.replies).toEqual(['10.1.0.1']);
    expect(p2.replies).toEqual([]);
    expect(chain(server, 'filter', 'INPUT')).toMatchObject({ packets: 1, bytes: 84, references: 0 });
    expect(chain(server, 'filter', 'INPUT').rules[0]).toMatchObject({ packets: 2, bytes: 168 });
    const user = chain(server, 'filter', 'icmp_in');
    expect(user.references).toBe(1);
    expect(user.rules.map((r) => r.packets)).toEqual([1, 1]);
    f.zero('filter');
    expect(chain(server, 'filter', 'icmp_in').rules.map((r) => r.packets)).toEqual([0, 0]);
    expect(chain(server, 'filter', 'INPUT').packets).toBe(0);
  });

  it('a host without rules runs no iptables code: its policy counters stay at zero', () => {
    const { w, client, server } = net();
    ping(client, '10.1.0.1');
    w.run(1 * SECOND);
    expect(chain(server, 'filter', 'INPUT').packets).toBe(0);
    server.iptables.append('filter', 'OUTPUT', rule({ kind: 'ACCEPT' }, { proto: 17 }));
    ping(client, '10.1.0.1', 8);
    w.run(1 * SECOND);
    expect(chain(server, 'filter', 'INPUT').packets).toBe(1);
    server.iptables.flush('filter');
    ping(client, '10.1.0.1', 9);
    w.run(1 * SECOND);
    expect(chain(server, 'filter', 'INPUT').packets).toBe(1);
  });
});
