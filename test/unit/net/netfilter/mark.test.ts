import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/index.ts';
import { formatIpv4, textPayload } from '../../../../src/wire/index.ts';
import { Scope, type Host } from '../../../../src/net/index.ts';
import { hostAddr, ip, rule, World } from './world.ts';

/**
 * mangle MARK and policy routing by fwmark (linux-arp-routing.md §6.1, seed 004): a director without the VIP
 * marks packets to it in PREROUTING, `ip rule add prio 100 fwmark 1 table 100` and
 * `ip route add local 0/0 dev lo table 100` make them local.
 */

const VIP = '192.168.10.100';

function net() {
  const w = new World();
  const client = w.host('client');
  const director = w.host('director');
  w.attach(client, 'eth0', 'lan', '192.168.10.24/24');
  w.attach(director, 'eth0', 'lan', '192.168.10.200/24');
  w.route(client, `${VIP}/32`, '192.168.10.200');
  const got: Array<{ from: string; to: string }> = [];
  director.sockets.bindUdp({ addr: 0, port: 5000, onDatagram: (from, _p, to) => got.push({ from: formatIpv4(from), to: formatIpv4(to) }) });
  return { w, client, director, got };
}

function fwmarkLocal(director: Host): void {
  director.fib.addRule({ priority: 100, not: false, fwmark: { value: 1, mask: 0xffffffff }, action: { kind: 'table', table: 100 } });
  const r = director.addRoute({ table: 100, type: 'local', dst: 0, prefixLen: 0, tos: 0, dev: 'lo', scope: Scope.host, metric: 0, proto: 'boot' });
  if (r) throw new Error(r);
}

describe('MARK + ip rule fwmark + local 0/0 table 100 (seed 004)', () => {
  it('without the mark the non-local VIP is not for this host', () => {
    const { w, client, director, got } = net();
    fwmarkLocal(director);
    client.sockets.sendUdp(ip(VIP), 5000, 40000, textPayload('x'));
    w.run(1 * SECOND);
    expect(got).toEqual([]);
    expect(w.events('drop', 'director').map((e) => e.reason)).toContain('not-forwarding');
  });

  it('with the mark the VIP is delivered locally through table 100', () => {
    const { w, client, director, got } = net();
    fwmarkLocal(director);
    director.iptables.append('mangle', 'PREROUTING', rule({ kind: 'MARK', value: 1, mask: 0xffffffff }, { dst: hostAddr(VIP) }));
    client.sockets.sendUdp(ip(VIP), 5000, 40000, textPayload('x'));
    w.run(1 * SECOND);
    expect(got).toEqual([{ from: '192.168.10.24', to: VIP }]);
    const nf = w.events('nf', 'director');
    expect(nf).toHaveLength(1);
    expect(nf[0]).toMatchObject({ hook: 'PREROUTING', table: 'mangle', target: 'MARK' });
    expect(w.events('route', 'director').find((e) => e.decision === 'local')?.table).toBe(100);
    // The VIP is still not an address of the director: it does not answer ARP for it.
    expect(director.isLocalAddress(ip(VIP))).toBe(false);
  });

  it('the mark does not leak to other destinations', () => {
    const { w, client, director, got } = net();
    fwmarkLocal(director);
    director.iptables.append('mangle', 'PREROUTING', rule({ kind: 'MARK', value: 1, mask: 0xffffffff }, { dst: hostAddr(VIP) }));
    client.sockets.sendUdp(ip('192.168.10.200'), 5000, 40000, textPayload('x'));
    w.run(1 * SECOND);
    expect(got).toEqual([{ from: '192.168.10.24', to: '192.168.10.200' }]);
    expect(w.events('nf', 'director')).toEqual([]);
  });

  it('MARK --set-xmark / or / and / xor combine with the existing mark', () => {
    const { w, client, director } = net();
    const seen: number[] = [];
    director.hooks.register('PREROUTING', { name: 'probe', priority: 1000, fn: (skb) => (seen.push(skb.mark), { kind: 'accept' }) });
    const mangle = (value: number, mask: number) => director.iptables.append('mangle', 'PREROUTING', rule({ kind: 'MARK', value, mask }));
    mangle(0xf0, 0xffffffff); // set 0xf0
    mangle(0x0f, 0x0f); // or 0x0f  → 0xff
    mangle(0, ~0x3c >>> 0); // and 0x3c → 0x3c
    mangle(0x101, 0); // xor 0x101 → 0x13d
    client.sockets.sendUdp(ip('192.168.10.200'), 5000, 40000, textPayload('x'));
    w.run(1 * SECOND);
    expect(seen).toEqual([0x13d]);
  });

  it('a mark set on a locally generated packet survives the trip through lo (loopback_xmit keeps it)', () => {
    const { w, director, got } = net();
    director.iptables.append('mangle', 'OUTPUT', rule({ kind: 'MARK', value: 7, mask: 0xffffffff }));
    director.iptables.append('filter', 'INPUT', rule({ kind: 'DROP' }, { matches: [{ kind: 'mark', value: 7, mask: 0xffffffff, invert: false }] }));
    director.sockets.sendUdp(ip('192.168.10.200'), 5000, 40000, textPayload('x'));
    w.run(1 * SECOND);
    expect(got).toEqual([]);
    expect(w.events('drop', 'director').find((e) => e.reason === 'firewall')?.detail).toBe('table filter chain INPUT rule 1: DROP');
  });

  it('a mark set in mangle OUTPUT re-routes the locally generated packet by fwmark', () => {
    const { w, director } = net();
    const alt = w.host('alt');
    w.attach(director, 'eth1', 'alt', '172.16.0.1/24');
    w.attach(alt, 'eth0', 'alt', '172.16.0.254/24');
    w.defaultRoute(director, '192.168.10.24');
    director.fib.addRule({ priority: 200, not: false, fwmark: { value: 2, mask: 0xffffffff }, action: { kind: 'table', table: 200 } });
    director.addRoute({ table: 200, type: 'unicast', dst: 0, prefixLen: 0, tos: 0, gateway: ip('172.16.0.254'), scope: 0, metric: 0, proto: 'boot' });
    director.iptables.append('mangle', 'OUTPUT', rule({ kind: 'MARK', value: 2, mask: 0xffffffff }, { dst: hostAddr('203.0.113.1') }));
    director.sockets.sendUdp(ip('203.0.113.1'), 9, 40000, textPayload('x'));
    director.sockets.sendUdp(ip('203.0.113.2'), 9, 40000, textPayload('y'));
    w.run(1 * SECOND);
    const route = w.events('route', 'director').filter((e) => e.decision === 'output');
    expect(route.map((e) => [e.pkt.ip!.dst, e.oif, e.via])).toEqual([
      ['203.0.113.1', 'eth1', '172.16.0.254'],
      ['203.0.113.2', 'eth0', '192.168.10.24'],
    ]);
  });
});
