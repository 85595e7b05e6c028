import { describe, expect, it } from 'vitest';
import { ipLocalOut, Scope, type Host } from '../../../src/net/index.ts';
import { SECOND } from '../../../src/sim/index.ts';
import { parseIpv4, textPayload, type Ipv4Packet } from '../../../src/wire/index.ts';
import { SimWorld } from '../simWorld.ts';

const GROUP = parseIpv4('224.0.0.18')!;

function lan() {
  const w = new SimWorld();
  const hosts: Host[] = [];
  for (let i = 1; i <= 4; i++) {
    const h = w.newHost(`h${i}`);
    w.plugNew(h, 'eth0', `02:00:00:00:00:0${i}`, 'lan');
    h.addAddress(h.iface('eth0')!, { address: parseIpv4(`10.0.0.${i}`)!, prefixLen: 24, scope: Scope.global, label: 'eth0' });
    hosts.push(h);
  }
  return { w, hosts };
}

function sendRaw(h: Host, protocol: number, ttl = 255): void {
  const r = ipLocalOut(h, { dst: GROUP, protocol, l4: { proto: 'raw', payload: textPayload('hello') }, ttl, oif: 'eth0', df: false });
  expect(r.ok).toBe(true);
}

describe('IPv4 multicast on a segment', () => {
  it('leaves on the group MAC, is flooded to every port, and reaches only the raw sockets that joined it', () => {
    const { w, hosts } = lan();
    const got: string[] = [];
    const join = (h: Host, protocol: number, dev = 'eth0') =>
      h.sockets.openRaw({ protocol, groups: [{ group: GROUP, dev }], onPacket: (p: Ipv4Packet, inDev) => got.push(`${h.name} ${inDev} ${p.ip.ttl}`) });
    join(hosts[1], 112);
    join(hosts[2], 113); // another protocol
    const close = join(hosts[3], 112, 'eth1'); // joined on another device
    sendRaw(hosts[0], 112);
    w.run(SECOND);
    expect(w.events('tx', 'h1')[0].pkt.eth!.dst).toBe('01:00:5e:00:00:12');
    // Every other port got the frame (the switch floods multicast).
    expect(w.events('rx').map((e) => e.host).sort()).toEqual(['h2', 'h3', 'h4']);
    expect(got).toEqual(['h2 eth0 255']);
    // The others drop it as not theirs — no ICMP protocol unreachable about a multicast.
    expect(w.events('drop').map((e) => `${e.host} ${e.reason}`).sort()).toEqual(['h3 not-for-us', 'h4 not-for-us']);
    expect(w.events('icmp').length).toBe(0);
    close();
  });

  it('a unicast packet of an unknown protocol still gets protocol unreachable', () => {
    const { w, hosts } = lan();
    ipLocalOut(hosts[0], { dst: parseIpv4('10.0.0.2')!, protocol: 112, l4: { proto: 'raw', payload: textPayload('x') } });
    w.run(SECOND);
    expect(w.events('drop', 'h2').map((e) => e.reason)).toEqual(['protocol-unreachable']);
    expect(w.events('icmp', 'h2').length).toBe(1);
  });

  it('UDP to a group: delivered to a socket bound to it, not-for-us elsewhere', () => {
    const { w, hosts } = lan();
    const sync = parseIpv4('224.0.0.81')!;
    const got: string[] = [];
    hosts[1].sockets.bindUdp({ addr: sync, port: 8848, onDatagram: (from) => got.push(`h2 from ${from}`) });
    ipLocalOut(hosts[0], { dst: sync, protocol: 17, l4: { proto: 'udp', sport: 8848, dport: 8848, payload: textPayload('x') }, ttl: 1, oif: 'eth0', df: false });
    w.run(SECOND);
    expect(w.events('tx', 'h1')[0].pkt.eth!.dst).toBe('01:00:5e:00:00:51');
    expect(got).toEqual([`h2 from ${parseIpv4('10.0.0.1')}`]);
    expect(w.events('drop').map((e) => `${e.host} ${e.reason}`).sort()).toEqual(['h3 not-for-us', 'h4 not-for-us']);
  });
});
