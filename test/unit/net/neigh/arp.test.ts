import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/index.ts';
import { MAC_BROADCAST, parseIpv4, type IcmpEcho } from '../../../../src/wire/index.ts';
import { ipLocalOut, Scope, sendArpingRequest, sendGratuitous, type Host } from '../../../../src/net/index.ts';
import { SimWorld } from '../../simWorld.ts';

const ip = (s: string) => parseIpv4(s)!;

/** a (10.0.0.1, …:01) and b (10.0.0.2, …:02) on one segment. */
function pair() {
  const w = new SimWorld();
  const mk = (name: string, mac: string, addr: string): Host => {
    const h = w.newHost(name);
    const d = w.plugNew(h, 'eth0', mac, 'lan');
    h.addAddress(d, { address: ip(addr), prefixLen: 24, scope: Scope.global, label: 'eth0' });
    return h;
  };
  return { w, a: mk('a', '02:00:00:00:00:01', '10.0.0.1'), b: mk('b', '02:00:00:00:00:02', '10.0.0.2') };
}

const echo: IcmpEcho = { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: 1, payload: { length: 56 } };

describe('ARP requests from user space (iputils arping send_pack)', () => {
  it('a broadcast request carries the broadcast address as target hardware address', () => {
    const { w, a } = pair();
    sendArpingRequest(a, a.iface('eth0')!, ip('10.0.0.1'), ip('10.0.0.2'));
    const [tx] = w.events('tx', 'a');
    expect(tx.pkt.eth).toMatchObject({ dst: MAC_BROADCAST });
    expect(tx.pkt.arp).toEqual({ op: 'request', sha: '02:00:00:00:00:01', spa: '10.0.0.1', tha: MAC_BROADCAST, tpa: '10.0.0.2' });
  });

  it('a unicast request (after the first reply, without -b) carries the address it is sent to', () => {
    const { w, a } = pair();
    sendArpingRequest(a, a.iface('eth0')!, ip('10.0.0.1'), ip('10.0.0.2'), '02:00:00:00:00:02');
    const [tx] = w.events('tx', 'a');
    expect(tx.pkt.eth).toMatchObject({ dst: '02:00:00:00:00:02' });
    expect(tx.pkt.arp).toMatchObject({ tha: '02:00:00:00:00:02' });
    // b answers it like any request for its address.
    w.run(SECOND);
    expect(w.events('tx', 'b').map((e) => e.pkt.arp?.op)).toEqual(['reply']);
  });

  it('gratuitous ARP: zeros in a kernel request (arp_notify), our MAC in a reply, or what the caller names', () => {
    const { w, a } = pair();
    const dev = a.iface('eth0')!;
    sendGratuitous(a, dev, ip('10.0.0.1'));
    sendGratuitous(a, dev, ip('10.0.0.1'), 2);
    sendGratuitous(a, dev, ip('10.0.0.1'), 1, MAC_BROADCAST);
    w.run(SECOND);
    expect(w.events('tx', 'a').map((e) => e.pkt.arp?.tha)).toEqual(['00:00:00:00:00:00', '02:00:00:00:00:01', MAC_BROADCAST]);
  });
});

describe('neighbour entries flushed by a device going down', () => {
  it('drop the packets still waiting for resolution as link-down instead of losing them', () => {
    const { w, a } = pair();
    // Nobody has 10.0.0.9: the echo waits in the INCOMPLETE entry's queue.
    ipLocalOut(a, { dst: ip('10.0.0.9'), protocol: 1, l4: echo });
    const queued = w.events('route', 'a')[0].pkt.pid;
    w.run(100_000_000);
    expect(w.events('drop', 'a')).toEqual([]);
    a.setLinkUp(a.iface('eth0')!, false);
    const drops = w.events('drop', 'a');
    expect(drops).toMatchObject([{ reason: 'link-down', iface: 'eth0', pkt: { pid: queued } }]);
    // And no ICMP error for it: the kernel purges the queue silently (only a resolution failure reports).
    expect(w.events('icmp', 'a')).toEqual([]);
  });
});
