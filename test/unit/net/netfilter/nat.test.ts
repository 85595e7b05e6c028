import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../../src/sim/index.ts';
import { formatIpv4, textPayload, type Ipv4Address } from '../../../../src/wire/index.ts';
import { ipLocalOut, type Host } from '../../../../src/net/index.ts';
import { echo, hostAddr, ip, rule, World } from './world.ts';

/**
 * NAT through conntrack: MASQUERADE of private clients behind a router (seed 000's
 * `iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE`), REDIRECT to a local address on a real server
 * (seed 004), DNAT with a port, and the reply direction restored each time.
 */

/** client1, client2 (10.0.0.0/24) — router (eth1 10.0.0.1, eth0 192.0.2.1) — server 192.0.2.10 (no route back). */
function masqueradeNet() {
  const w = new World();
  const c1 = w.host('c1');
  const c2 = w.host('c2');
  const router = w.host('router');
  const server = w.host('server');
  w.attach(c1, 'eth0', 'lan', '10.0.0.2/24');
  w.attach(c2, 'eth0', 'lan', '10.0.0.3/24');
  w.attach(router, 'eth1', 'lan', '10.0.0.1/24');
  w.attach(router, 'eth0', 'wan', '192.0.2.1/24');
  w.attach(server, 'eth0', 'wan', '192.0.2.10/24');
  w.defaultRoute(c1, '10.0.0.1');
  w.defaultRoute(c2, '10.0.0.1');
  router.sysctls.set('net.ipv4.ip_forward', '1');
  return { w, c1, c2, router, server };
}

function pinger(host: Host, ident: number): Array<{ from: string; seq: number }> {
  const got: Array<{ from: string; seq: number }> = [];
  host.sockets.openPing(ident, {
    onEchoReply: (from, m) => got.push({ from: formatIpv4(from), seq: m.sequence }),
    onError: () => {},
  });
  return got;
}

describe('MASQUERADE (seed 000)', () => {
  it('without it the server cannot answer a private source', () => {
    const { w, c1 } = masqueradeNet();
    const got = pinger(c1, 7);
    ipLocalOut(c1, { dst: ip('192.0.2.10'), protocol: 1, l4: echo(7, 1) });
    w.run(1 * SECOND);
    expect(got).toEqual([]);
    expect(w.events('drop', 'server').some((e) => e.reason === 'no-route')).toBe(true);
  });

  it('rewrites the source to the out interface address and de-NATs the reply back to the client', () => {
    const { w, c1, router } = masqueradeNet();
    expect(router.iptables.append('nat', 'POSTROUTING', rule({ kind: 'MASQUERADE', random: false }, { outIface: { name: 'eth0', invert: false } }))).toBeUndefined();
    const got = pinger(c1, 7);
    const sent = ipLocalOut(c1, { dst: ip('192.0.2.10'), protocol: 1, l4: echo(7, 1) });
    w.run(1 * SECOND);
    expect(got).toEqual([{ from: '192.0.2.10', seq: 1 }]);

    // The server saw the router's public address, with the same echo id.
    const atServer = w.events('rx', 'server').find((e) => e.pkt.icmp?.type === 8)!;
    expect(atServer.pkt.ip!.src).toBe('192.0.2.1');
    expect(atServer.pkt.icmp!.id).toBe(7);

    // Lineage: the masqueraded packet is a new packet whose parent is the client's.
    const nf = w.events('nf', 'router');
    const out = nf.find((e) => e.hook === 'POSTROUTING')!;
    expect(out).toMatchObject({ table: 'nat', target: 'MASQUERADE' });
    expect(out.pkt.parent).toBe(sent.ok ? sent.packet.id : -1);
    expect(out.pkt.ip!.src).toBe('192.0.2.1');
    // The reply is restored at PREROUTING (reverse of a source NAT), toward the client.
    const back = nf.find((e) => e.hook === 'PREROUTING')!;
    expect(back.pkt.ip!.dst).toBe('10.0.0.2');

    // One tracked connection: original tuple from the client, reply tuple toward the router's address.
    const cts = router.iptables.connections();
    expect(cts).toHaveLength(1);
    expect(formatIpv4(cts[0].orig.src)).toBe('10.0.0.2');
    expect(formatIpv4(cts[0].reply.dst)).toBe('192.0.2.1');
  });

  it('gives two clients using the same echo id distinct ids on the outside, and both get their replies', () => {
    const { w, c1, c2, router } = masqueradeNet();
    router.iptables.append('nat', 'POSTROUTING', rule({ kind: 'MASQUERADE', random: false }, { outIface: { name: 'eth+', invert: false } }));
    const g1 = pinger(c1, 7);
    const g2 = pinger(c2, 7);
    ipLocalOut(c1, { dst: ip('192.0.2.10'), protocol: 1, l4: echo(7, 1) });
    w.run(10 * MS);
    ipLocalOut(c2, { dst: ip('192.0.2.10'), protocol: 1, l4: echo(7, 1) });
    w.run(1 * SECOND);
    expect(g1).toEqual([{ from: '192.0.2.10', seq: 1 }]);
    expect(g2).toEqual([{ from: '192.0.2.10', seq: 1 }]);
    const ids = w.events('rx', 'server').filter((e) => e.pkt.icmp?.type === 8).map((e) => e.pkt.icmp!.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('translates an ICMP error about a masqueraded flow back to the client, quoted packet included', () => {
    const { w, c1, router } = masqueradeNet();
    router.iptables.append('nat', 'POSTROUTING', rule({ kind: 'MASQUERADE', random: false }, { outIface: { name: 'eth0', invert: false } }));
    c1.sockets.sendUdp(ip('192.0.2.10'), 9, 40000, textPayload('x'));
    w.run(1 * SECOND);
    // The server's port unreachable quotes 192.0.2.1:40000 → 192.0.2.10:9 ...
    const atServer = w.events('tx', 'server').find((e) => e.pkt.icmp?.type === 3)!;
    expect(atServer.pkt.inner?.ip?.src).toBe('192.0.2.1');
    // ... and reaches the client addressed to it, quoting what the client really sent.
    const atClient = w.events('rx', 'c1').find((e) => e.pkt.icmp?.type === 3)!;
    expect(atClient.pkt.ip).toMatchObject({ src: '192.0.2.10', dst: '10.0.0.2' });
    expect(atClient.pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: '192.0.2.10' });
    expect(atClient.pkt.inner?.udp).toMatchObject({ sport: 40000, dport: 9 });
  });

  it("seed 000's nat POSTROUTING DROP policy (refused by the iptables command, accepted by the kernel) drops new flows no rule masquerades", () => {
    const { w, c1, router } = masqueradeNet();
    const lan2 = w.host('lan2');
    w.attach(router, 'eth2', 'lan2', '10.0.9.1/24');
    w.attach(lan2, 'eth0', 'lan2', '10.0.9.2/24');
    expect(router.iptables.setPolicy('nat', 'POSTROUTING', 'DROP')).toBeUndefined();
    router.iptables.append('nat', 'POSTROUTING', rule({ kind: 'MASQUERADE', random: false }, { outIface: { name: 'eth0', invert: false } }));
    const out = pinger(c1, 7);
    ipLocalOut(c1, { dst: ip('192.0.2.10'), protocol: 1, l4: echo(7, 1) });
    ipLocalOut(c1, { dst: ip('10.0.9.2'), protocol: 1, l4: echo(7, 2) });
    w.run(1 * SECOND);
    expect(out).toEqual([{ from: '192.0.2.10', seq: 1 }]);
    expect(w.events('drop', 'router').find((e) => e.reason === 'firewall')?.detail).toBe('table nat chain POSTROUTING policy DROP');
  });

  it('leaves traffic out of other interfaces alone', () => {
    const { w, c1, router } = masqueradeNet();
    router.iptables.append('nat', 'POSTROUTING', rule({ kind: 'MASQUERADE', random: false }, { outIface: { name: 'eth9', invert: false } }));
    ipLocalOut(c1, { dst: ip('192.0.2.10'), protocol: 1, l4: echo(7, 1) });
    w.run(1 * SECOND);
    const atServer = w.events('rx', 'server').find((e) => e.pkt.icmp?.type === 8)!;
    expect(atServer.pkt.ip!.src).toBe('10.0.0.2');
  });
});

/** client 192.168.10.24 — rs 192.168.10.1; the client routes the VIP 192.168.10.100 via rs, which has no VIP. */
function redirectNet() {
  const w = new World();
  const client = w.host('client');
  const rs = w.host('rs');
  w.attach(client, 'eth0', 'lan', '192.168.10.24/24');
  w.attach(rs, 'eth0', 'lan', '192.168.10.1/24');
  w.route(client, '192.168.10.100/32', '192.168.10.1');
  return { w, client, rs };
}

function udpServer(host: Host, port: number, reply: boolean): Array<{ from: string; to: string }> {
  const got: Array<{ from: string; to: string }> = [];
  host.sockets.bindUdp({
    addr: 0,
    port,
    onDatagram: (from, fromPort, to, payload) => {
      got.push({ from: formatIpv4(from), to: formatIpv4(to) });
      if (reply) host.sockets.sendUdp(from, fromPort, port, payload, to);
    },
  });
  return got;
}

function udpClient(host: Host, port: number): Array<{ from: string; port: number }> {
  const got: Array<{ from: string; port: number }> = [];
  host.sockets.bindUdp({ addr: 0, port, onDatagram: (from, fromPort) => got.push({ from: formatIpv4(from), port: fromPort }) });
  return got;
}

describe('REDIRECT (seed 004 real server without the VIP)', () => {
  const VIP: Ipv4Address = ip('192.168.10.100');

  it('without it the real server does not accept the VIP', () => {
    const { w, client, rs } = redirectNet();
    const seen = udpServer(rs, 5000, true);
    client.sockets.sendUdp(VIP, 5000, 40000, textPayload('hi'));
    w.run(1 * SECOND);
    expect(seen).toEqual([]);
    expect(w.events('drop', 'rs').some((e) => e.reason === 'not-forwarding')).toBe(true);
  });

  it('delivers to the incoming interface address and answers from the VIP', () => {
    const { w, client, rs } = redirectNet();
    rs.iptables.append('nat', 'PREROUTING', rule({ kind: 'REDIRECT', random: false }, { dst: hostAddr('192.168.10.100') }));
    const seen = udpServer(rs, 5000, true);
    const answers = udpClient(client, 40000);
    client.sockets.sendUdp(VIP, 5000, 40000, textPayload('hi'));
    w.run(1 * SECOND);
    expect(seen).toEqual([{ from: '192.168.10.24', to: '192.168.10.1' }]);
    // The server answered from its own address; conntrack restored the VIP on the way out (POSTROUTING).
    expect(answers).toEqual([{ from: '192.168.10.100', port: 5000 }]);
    const nf = w.events('nf', 'rs');
    expect(nf.map((e) => [e.hook, e.target])).toEqual([
      ['PREROUTING', 'REDIRECT'],
      ['POSTROUTING', 'REDIRECT'],
    ]);
  });

  it('REDIRECT --to-ports moves the port too', () => {
    const { w, client, rs } = redirectNet();
    rs.iptables.append('nat', 'PREROUTING', rule({ kind: 'REDIRECT', random: false, ports: { min: 8053, max: 8053 } }, { proto: 17, dst: hostAddr('192.168.10.100') }));
    const seen = udpServer(rs, 8053, true);
    const answers = udpClient(client, 40000);
    client.sockets.sendUdp(VIP, 53, 40000, textPayload('q'));
    w.run(1 * SECOND);
    expect(seen).toHaveLength(1);
    expect(answers).toEqual([{ from: '192.168.10.100', port: 53 }]);
  });

  it('a locally generated packet is redirected to 127.0.0.1 at OUTPUT (its source stays)', () => {
    const { w, rs } = redirectNet();
    rs.iptables.append('nat', 'OUTPUT', rule({ kind: 'REDIRECT', random: false }, { dst: hostAddr('192.168.10.100') }));
    const seen = udpServer(rs, 5000, false);
    rs.sockets.sendUdp(VIP, 5000, 40001, textPayload('self'));
    w.run(1 * SECOND);
    expect(seen).toEqual([{ from: '192.168.10.1', to: '127.0.0.1' }]);
  });
});

describe('DNAT with a port', () => {
  it('forwards a public port to an inside server and restores the source of its answers', () => {
    const { w, router, c1, server } = masqueradeNet();
    // Outside host 192.0.2.10 reaches 192.0.2.1:53, which is 10.0.0.2:5353 inside.
    router.iptables.append(
      'nat',
      'PREROUTING',
      rule(
        { kind: 'DNAT', to: { minAddr: ip('10.0.0.2'), maxAddr: ip('10.0.0.2'), ports: { min: 5353, max: 5353 } }, random: false, persistent: false },
        { proto: 17, inIface: { name: 'eth0', invert: false }, matches: [{ kind: 'udp', dport: { min: 53, max: 53 }, dportInvert: false, sportInvert: false }] },
      ),
    );
    const inside = udpServer(c1, 5353, true);
    const outside = udpClient(server, 41000);
    server.sockets.sendUdp(ip('192.0.2.1'), 53, 41000, textPayload('q'));
    w.run(1 * SECOND);
    expect(inside).toEqual([{ from: '192.0.2.10', to: '10.0.0.2' }]);
    expect(outside).toEqual([{ from: '192.0.2.1', port: 53 }]);
    // The rule's counter saw the first packet only: later packets of the flow never traverse the nat table.
    server.sockets.sendUdp(ip('192.0.2.1'), 53, 41000, textPayload('q2'));
    w.run(1 * SECOND);
    expect(inside).toHaveLength(2);
    const v = router.iptables.list('nat', 'PREROUTING');
    expect(Array.isArray(v) && v[0].rules[0].packets).toBe(1);
  });
});

describe('REJECT behind DNAT', () => {
  it("a FORWARD tcp-reset answers from the address the client used (the RST carries the connection)", () => {
    const { w, router, server } = masqueradeNet();
    const dnat = rule(
      { kind: 'DNAT', to: { minAddr: ip('10.0.0.2'), maxAddr: ip('10.0.0.2'), ports: { min: 8080, max: 8080 } }, random: false, persistent: false },
      { proto: 6, matches: [{ kind: 'tcp', dport: { min: 80, max: 80 }, dportInvert: false, sportInvert: false }] },
    );
    expect(router.iptables.append('nat', 'PREROUTING', dnat)).toBeUndefined();
    expect(router.iptables.append('filter', 'FORWARD', rule({ kind: 'REJECT', with: 'tcp-reset' }, { proto: 6 }))).toBeUndefined();
    const syn = { proto: 'tcp' as const, sport: 41000, dport: 80, seq: 5, ack: 0, flags: 0x02, window: 1000, payload: { length: 0 } };
    ipLocalOut(server, { dst: ip('192.0.2.1'), protocol: 6, l4: syn });
    w.run(1 * SECOND);
    const rst = w.events('rx', 'server').find((e) => e.pkt.tcp)!;
    expect(rst.pkt.ip).toMatchObject({ src: '192.0.2.1', dst: '192.0.2.10' });
    expect(rst.pkt.tcp).toMatchObject({ sport: 80, dport: 41000, flags: 'RA', ack: 6 });
    // Neither the rejected connection nor its RST left a tracked connection behind.
    expect(router.iptables.connections()).toEqual([]);
  });
});

describe('conntrack expiry', () => {
  it('an idle UDP flow is forgotten after 30 s and its next packet runs the nat table again', () => {
    const { w, router, c1, server } = masqueradeNet();
    router.iptables.append('nat', 'POSTROUTING', rule({ kind: 'MASQUERADE', random: false }, { outIface: { name: 'eth0', invert: false } }));
    udpServer(server, 7000, false);
    c1.sockets.sendUdp(ip('192.0.2.10'), 7000, 40000, textPayload('a'));
    w.run(1 * SECOND);
    expect(router.iptables.connections()).toHaveLength(1);
    w.run(29 * SECOND);
    expect(router.iptables.connections()).toHaveLength(1);
    w.run(1 * SECOND);
    expect(router.iptables.connections()).toHaveLength(0);
    c1.sockets.sendUdp(ip('192.0.2.10'), 7000, 40000, textPayload('b'));
    w.run(1 * SECOND);
    const v = router.iptables.list('nat', 'POSTROUTING');
    expect(Array.isArray(v) && v[0].rules[0].packets).toBe(2);
  });
});
