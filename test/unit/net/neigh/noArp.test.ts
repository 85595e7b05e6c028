import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../../../src/wire/index.ts';
import { lines, TestWorld, twoHosts } from '../../admin/helpers.ts';

/**
 * IFF_NOARP on an Ethernet device (`ip link set DEV arp off`): arp_rcv discards every ARP frame arriving on it,
 * arp_constructor makes its neighbour entries NOARP with the device's own address (so nothing is solicited),
 * and toggling the flag flushes the device's neighbour table (arp_netdev_event → neigh_changeaddr). The LVS
 * "extra NIC without ARP" fix rests on the first two.
 */
describe('ip link set DEV arp off (IFF_NOARP)', () => {
  it('shows NOARP in ip link and ifconfig, and arp on clears it', () => {
    const w = new TestWorld();
    const h = w.host('h1', { eth0: '02:00:00:00:00:0a' });
    w.ok(h, 'ip link set dev eth0 arp off');
    expect(w.out(h, 'ip link show eth0')).toContain('2: eth0: <BROADCAST,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500');
    expect(w.out(h, 'ifconfig eth0')).toContain('eth0: flags=4291<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1500');
    expect(w.sh(h, 'arping -c 1 -I eth0 192.168.1.2')).toEqual({ exit: 2, output: 'Interface "eth0" is not ARPable\n' });
    w.ok(h, 'ip link set eth0 arp on');
    expect(w.out(h, 'ip link show eth0')).toContain('2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500');
    expect(w.sh(h, 'ip link set eth0 arp maybe')).toEqual({ exit: 255, output: 'Error: argument of "arp" must be "on" or "off", not "maybe"\n' });
    // net-tools: `ifconfig DEV -arp` / `arp` set and clear the same flag.
    w.ok(h, 'ifconfig eth0 -arp');
    expect(h.iface('eth0')!.noArp).toBe(true);
    w.ok(h, 'ifconfig eth0 arp');
    expect(h.iface('eth0')!.noArp).toBe(false);
  });

  it('a NOARP device does not answer who-has for its own address, an ARP device does', () => {
    for (const arp of ['on', 'off'] as const) {
      const { w, a, b } = twoHosts();
      w.ok(b, `ip link set dev eth0 arp ${arp}`);
      w.runTimed(a, 'ping -c 1 -W 1 192.168.1.2');
      const replies = w.events('tx', 'b').filter((e) => e.pkt.arp?.op === 'reply');
      const dropped = w.events('drop', 'b').filter((e) => e.pkt?.arp?.op === 'request' && e.reason === 'arp-invalid');
      if (arp === 'on') {
        expect(replies.length).toBe(1);
        expect(dropped.length).toBe(0);
      } else {
        expect(replies.length).toBe(0);
        expect(dropped.length).toBeGreaterThan(0);
        expect(w.out(a, 'ip neigh show 192.168.1.2')).toBe(lines('192.168.1.2 dev eth0 FAILED'));
      }
    }
  });

  it('sends no ARP request: the neighbour entry is NOARP with the device’s own MAC', () => {
    const { w, a } = twoHosts();
    w.ok(a, 'ip link set dev eth0 arp off');
    w.runTimed(a, 'ping -c 1 -W 1 192.168.1.2');
    expect(w.events('tx', 'a').filter((e) => e.pkt.arp !== undefined)).toEqual([]);
    const n = a.neigh.lookup(parseIpv4('192.168.1.2')!, a.iface('eth0')!)!;
    expect([n.state, n.mac]).toEqual(['NOARP', '02:00:00:00:00:01']);
    // The echo request did leave, addressed to the sender's own MAC (no one takes it).
    expect(w.events('tx', 'a').filter((e) => e.pkt.icmp?.type === 8).map((e) => e.pkt.eth?.dst)).toEqual(['02:00:00:00:00:01']);
    // A static entry made after the flag is set is used as given; b cannot answer, though: its who-has for a
    // arrives on a's NOARP device and is dropped.
    w.ok(a, 'ip neigh replace 192.168.1.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent');
    expect(w.runTimed(a, 'ping -c 1 -W 1 192.168.1.2').result.exit).toBe(1);
    expect(w.events('tx', 'a').filter((e) => e.pkt.icmp?.type === 8).map((e) => e.pkt.eth?.dst)).toEqual(['02:00:00:00:00:01', '02:00:00:00:00:02']);
    expect(w.events('drop', 'a').filter((e) => e.pkt?.arp?.op === 'request' && e.reason === 'arp-invalid').length).toBeGreaterThan(0);
  });

  it('changing the flag flushes the device’s neighbour entries, permanent ones included', () => {
    const { w, a } = twoHosts();
    w.ok(a, 'ip neigh add 192.168.1.110 lladdr 02:00:00:00:01:10 dev eth0 nud permanent');
    w.runTimed(a, 'ping -c 1 192.168.1.2');
    expect(w.out(a, 'ip neigh show').split('\n').filter(Boolean).length).toBe(2);
    w.ok(a, 'ip link set dev eth0 arp off');
    expect(w.out(a, 'ip neigh show')).toBe('');
    // Setting the same value again changes nothing.
    w.ok(a, 'ip neigh add 192.168.1.110 lladdr 02:00:00:00:01:10 dev eth0 nud permanent');
    w.ok(a, 'ip link set dev eth0 arp off');
    expect(w.out(a, 'ip neigh show')).toBe(lines('192.168.1.110 dev eth0 lladdr 02:00:00:00:01:10 PERMANENT'));
  });
});
