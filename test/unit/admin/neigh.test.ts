import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../../src/wire/index.ts';
import { lines, TestWorld, twoHosts } from './helpers.ts';

describe('ip neigh', () => {
  it('shows resolved, incomplete and failed entries in iproute2 layout', () => {
    const { w, a } = twoHosts();
    w.runTimed(a, 'ping -c 1 192.168.1.2');
    w.shell.run(a, 'ping -c 1 -W 1 192.168.1.77');
    w.sim.runUntil(w.sim.now() + 500_000_000);
    // The first ping ran to quiescence, so its entry aged from REACHABLE to STALE.
    expect(w.out(a, 'ip neigh show')).toBe(lines('192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 STALE', '192.168.1.77 dev eth0 INCOMPLETE'));
    w.sim.run();
    expect(w.out(a, 'ip neigh show 192.168.1.77')).toBe(lines('192.168.1.77 dev eth0 FAILED'));
    // Listing one device leaves the device out of each line.
    expect(w.out(a, 'ip neigh show dev eth0')).toBe(lines('192.168.1.2 lladdr 02:00:00:00:00:02 STALE', '192.168.1.77 FAILED'));
    expect(w.out(a, 'ip neigh show nud failed')).toBe(lines('192.168.1.77 dev eth0 FAILED'));
    expect(w.out(a, 'ip neigh show to 192.168.1.0/30')).toBe(lines('192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 STALE'));
  });

  it('replace/add make administrative entries the kernel then uses', () => {
    const { w, a } = twoHosts();
    w.ok(a, 'ip neigh replace 192.168.1.110 lladdr 02:00:00:00:01:10 dev eth0 nud permanent');
    w.ok(a, 'ip neigh add 192.168.1.111 lladdr 02:00:00:00:01:11 dev eth0');
    w.ok(a, 'ip neigh add 192.168.1.112 lladdr 02:00:00:00:01:12 dev eth0 nud stale');
    w.ok(a, 'ip neigh replace 192.168.1.113 lladdr 02:00:00:00:01:13 dev eth0 nud reachable');
    expect(w.out(a, 'ip neigh')).toBe(
      lines(
        '192.168.1.110 dev eth0 lladdr 02:00:00:00:01:10 PERMANENT',
        '192.168.1.111 dev eth0 lladdr 02:00:00:00:01:11 PERMANENT',
        '192.168.1.112 dev eth0 lladdr 02:00:00:00:01:12 STALE',
        '192.168.1.113 dev eth0 lladdr 02:00:00:00:01:13 REACHABLE',
      ),
    );
    const n = a.neigh.lookup(parseIpv4('192.168.1.110')!, a.iface('eth0')!)!;
    expect([n.state, n.mac]).toEqual(['PERMANENT', '02:00:00:00:01:10']);
    // A permanent entry is not changed by ARP; replace changes it.
    w.ok(a, 'ip neigh replace 192.168.1.110 lladdr 02:00:00:00:02:10 dev eth0');
    expect(n.mac).toBe('02:00:00:00:02:10');
    expect(w.sh(a, 'ip neigh add 192.168.1.110 lladdr 02:00:00:00:02:10 dev eth0')).toEqual({ exit: 2, output: 'RTNETLINK answers: File exists\n' });
    // noarp needs no resolution either.
    w.ok(a, 'ip neigh add 192.168.1.120 lladdr 02:00:00:00:01:20 dev eth0 nud noarp');
    expect(w.out(a, 'ip neigh show 192.168.1.120')).toBe('');
    expect(w.out(a, 'ip neigh show 192.168.1.120 nud noarp')).toBe(lines('192.168.1.120 dev eth0 lladdr 02:00:00:00:01:20 NOARP'));
  });

  it('del and flush remove entries; flush spares permanent ones', () => {
    const { w, a } = twoHosts();
    w.runTimed(a, 'ping -c 1 192.168.1.2');
    w.ok(a, 'ip neigh add 192.168.1.110 lladdr 02:00:00:00:01:10 dev eth0');
    w.ok(a, 'ip neigh flush dev eth0');
    expect(w.out(a, 'ip neigh')).toBe(lines('192.168.1.110 dev eth0 lladdr 02:00:00:00:01:10 PERMANENT'));
    w.ok(a, 'ip neigh del 192.168.1.110 dev eth0');
    expect(w.out(a, 'ip neigh')).toBe('');
    expect(w.sh(a, 'ip neigh del 192.168.1.110 dev eth0')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such file or directory\n' });
    w.runTimed(a, 'ping -c 1 192.168.1.2');
    w.ok(a, 'ip neigh flush all');
    expect(w.out(a, 'ip neigh')).toBe('');
  });

  it('reports neighbour errors', () => {
    const { w, a } = twoHosts();
    expect(w.sh(a, 'ip neigh add 192.168.1.5 lladdr 02:00:00:00:00:09')).toEqual({ exit: 255, output: 'Device and destination are required arguments.\n' });
    expect(w.sh(a, 'ip neigh add 192.168.1.5 lladdr zz dev eth0')).toEqual({ exit: 1, output: '"zz" is invalid lladdr.\n' });
    expect(w.sh(a, 'ip neigh add 192.168.1.5 lladdr 02:00:00:00:00:09 dev eth0 nud bogus')).toEqual({ exit: 255, output: 'Error: argument "bogus" is wrong: nud state is bad\n' });
    expect(w.sh(a, 'ip neigh add 192.168.1.5 dev eth0')).toEqual({ exit: 2, output: 'Error: No link layer address given.\n' });
    expect(w.sh(a, 'ip neigh add 192.168.1.5 lladdr 02:00:00:00:00:09 dev eth9')).toEqual({ exit: 1, output: 'Cannot find device "eth9"\n' });
    expect(w.sh(a, 'ip neigh flush')).toEqual({ exit: 1, output: 'Flush requires arguments.\n' });
  });

  it('a static entry stops ARP for that address', () => {
    const { w, a } = twoHosts();
    w.ok(a, 'ip neigh add 192.168.1.2 lladdr 02:00:00:00:00:02 dev eth0');
    const { result } = w.runTimed(a, 'ping -c 1 192.168.1.2');
    expect(result.exit).toBe(0);
    const requestsFromA = w.events('tx').filter((e) => e.host === 'a' && e.pkt.arp?.op === 'request');
    expect(requestsFromA).toEqual([]);
    // b still resolves a to answer: its own request is the only one on the wire.
    expect(w.events('tx').filter((e) => e.pkt.arp?.op === 'request').map((e) => e.host)).toEqual(['b']);
    expect(result.output).toContain('1 received');
  });
});

describe('arp (net-tools)', () => {
  it('arp -n lists entries in the net-tools columns, arp -a in BSD style', () => {
    const { w, a } = twoHosts();
    w.runTimed(a, 'ping -c 1 192.168.1.2');
    w.ok(a, 'arp -s 192.168.1.110 02:00:00:00:01:10');
    w.shell.run(a, 'ping -c 1 -W 1 192.168.1.77');
    w.sim.runUntil(w.sim.now() + 100_000_000);
    expect(w.out(a, 'arp -n')).toBe(
      lines(
        'Address                  HWtype  HWaddress           Flags Mask            Iface',
        '192.168.1.2              ether   02:00:00:00:00:02   C                     eth0',
        '192.168.1.110            ether   02:00:00:00:01:10   CM                    eth0',
        '192.168.1.77                     (incomplete)                              eth0',
      ),
    );
    expect(w.out(a, 'arp -an')).toBe(
      lines(
        '? (192.168.1.2) at 02:00:00:00:00:02 [ether] on eth0',
        '? (192.168.1.110) at 02:00:00:00:01:10 [ether] PERM on eth0',
        '? (192.168.1.77) at <incomplete> on eth0',
      ),
    );
    expect(w.out(a, 'arp -n 192.168.1.9')).toBe(lines('192.168.1.9 (192.168.1.9) -- no entry'));
    w.sim.run();
  });

  it('arp -s needs an on-link route; arp -d deletes', () => {
    const { w, a } = twoHosts();
    expect(w.sh(a, 'arp -s 10.1.1.1 02:00:00:00:01:10')).toEqual({ exit: 255, output: 'SIOCSARP: Network is unreachable\n' });
    expect(w.sh(a, 'arp -s 192.168.1.5 zz:00')).toEqual({ exit: 255, output: 'arp: invalid hardware address\n' });
    w.ok(a, 'arp -i eth0 -s 192.168.1.5 02:00:00:00:00:05 temp');
    expect(a.neigh.lookup(parseIpv4('192.168.1.5')!, a.iface('eth0')!)!.state).toBe('REACHABLE');
    w.ok(a, 'arp -d 192.168.1.5');
    expect(w.sh(a, 'arp -d 192.168.1.5')).toEqual({ exit: 255, output: 'No ARP entry for 192.168.1.5\n' });
  });
});
