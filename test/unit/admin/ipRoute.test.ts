import { describe, expect, it } from 'vitest';
import { routeOutput, TABLE_MAIN } from '../../../src/net/index.ts';
import { formatIpv4, parseIpv4 } from '../../../src/wire/index.ts';
import { lines, TestWorld } from './helpers.ts';

function router() {
  const w = new TestWorld();
  const h = w.host('h1', { eth0: '02:00:00:00:00:01', eth1: '02:00:00:00:00:02' });
  w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
  w.ok(h, 'ip addr add 10.0.0.2/24 dev eth1');
  return { w, h };
}

describe('ip route', () => {
  it('adds a default route via a gateway and lists table main as iproute2 does', () => {
    const { w, h } = router();
    w.ok(h, 'ip route add default via 192.168.1.1');
    w.ok(h, 'ip route add 172.16.0.0/12 via 10.0.0.1 dev eth1 metric 20');
    w.ok(h, 'ip route add 192.168.50.0/24 dev eth1 src 10.0.0.2');
    expect(w.out(h, 'ip route show')).toBe(
      lines(
        'default via 192.168.1.1 dev eth0',
        '10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.2',
        '172.16.0.0/12 via 10.0.0.1 dev eth1 metric 20',
        '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.2',
        '192.168.50.0/24 dev eth1 scope link src 10.0.0.2',
      ),
    );
    const r = h.fib.table(TABLE_MAIN).find((x) => x.dst === 0)!;
    expect(r).toMatchObject({ type: 'unicast', prefixLen: 0, gateway: parseIpv4('192.168.1.1'), dev: 'eth0', scope: 0, proto: 'boot', metric: 0 });
    expect(w.out(h, 'ip route list 172.16.0.0/12')).toBe(lines('172.16.0.0/12 via 10.0.0.1 dev eth1 metric 20'));
    expect(w.out(h, 'ip route show dev eth1')).toBe(
      lines('10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.2', '172.16.0.0/12 via 10.0.0.1 dev eth1 metric 20', '192.168.50.0/24 dev eth1 scope link src 10.0.0.2'),
    );
    expect(w.out(h, 'ip route show match 172.20.1.1')).toBe(lines('default via 192.168.1.1 dev eth0', '172.16.0.0/12 via 10.0.0.1 dev eth1 metric 20'));
  });

  it('lists table local with types, and table all with table names', () => {
    const { w, h } = router();
    expect(w.out(h, 'ip route show table local')).toBe(
      lines(
        'local 10.0.0.2 dev eth1 proto kernel scope host src 10.0.0.2',
        'broadcast 10.0.0.255 dev eth1 proto kernel scope link src 10.0.0.2',
        'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1',
        'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1',
        'local 192.168.1.2 dev eth0 proto kernel scope host src 192.168.1.2',
        'broadcast 192.168.1.255 dev eth0 proto kernel scope link src 192.168.1.2',
      ),
    );
    const all = w.out(h, 'ip route show table all');
    expect(all).toContain('10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.2\n');
    expect(all).toContain('local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1\n');
  });

  it('seed 004: local 0/0 dev lo table 100 makes every destination local for marked packets', () => {
    const { w, h } = router();
    w.ok(h, 'ip rule add prio 100 fwmark 1 table 100');
    w.ok(h, 'ip route add local 0/0 dev lo table 100');
    expect(w.out(h, 'ip route list table 100')).toBe(lines('local default dev lo scope host'));
    const marked = routeOutput(h, parseIpv4('192.168.10.100')!, { mark: 1 });
    expect(marked.kind === 'ok' && marked.local).toBe(true);
    const unmarked = routeOutput(h, parseIpv4('192.168.10.100')!, {});
    expect(unmarked.kind === 'error' || !unmarked.local).toBe(true);
    expect(h.fib.customLocalRoutes).toBe(true);
    w.ok(h, 'ip route del local 0/0 dev lo table 100');
    expect(w.out(h, 'ip route list table 100')).toBe('');
  });

  it('adds unreachable, prohibit, blackhole and throw routes with global scope', () => {
    const { w, h } = router();
    w.ok(h, 'ip route add unreachable 10.9.0.0/16');
    w.ok(h, 'ip route add prohibit 10.8.0.0/16');
    w.ok(h, 'ip route add blackhole 10.7.0.0/16 table 7');
    w.ok(h, 'ip route add throw 10.6.0.0/16 table 7');
    expect(w.out(h, 'ip route show type unreachable')).toBe(lines('unreachable 10.9.0.0/16'));
    expect(w.out(h, 'ip route show table 7')).toBe(lines('throw 10.6.0.0/16', 'blackhole 10.7.0.0/16'));
    expect(w.out(h, 'ip route show')).toContain('prohibit 10.8.0.0/16\n');
  });

  it('replace swaps a route in place; change needs an existing one; append keeps both metrics', () => {
    const { w, h } = router();
    w.ok(h, 'ip route add 172.16.0.0/12 via 192.168.1.1');
    expect(w.sh(h, 'ip route add 172.16.0.0/12 via 10.0.0.1')).toEqual({ exit: 2, output: 'RTNETLINK answers: File exists\n' });
    w.ok(h, 'ip route replace 172.16.0.0/12 via 10.0.0.1');
    expect(w.out(h, 'ip route show 172.16.0.0/12')).toBe(lines('172.16.0.0/12 via 10.0.0.1 dev eth1'));
    w.ok(h, 'ip route replace 172.17.0.0/16 dev eth0');
    expect(w.sh(h, 'ip route change 172.18.0.0/16 dev eth0')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such file or directory\n' });
    w.ok(h, 'ip route append 172.16.0.0/12 via 192.168.1.1 metric 5');
    expect(w.out(h, 'ip route show root 172.16.0.0/12')).toBe(
      lines('172.16.0.0/12 via 10.0.0.1 dev eth1', '172.16.0.0/12 via 192.168.1.1 dev eth0 metric 5', '172.17.0.0/16 dev eth0 scope link'),
    );
    // A failed replace leaves the old route in place.
    expect(w.sh(h, 'ip route replace 172.17.0.0/16 via 8.8.8.8').output).toBe('Error: Nexthop has invalid gateway.\n');
    expect(w.out(h, 'ip route show 172.17.0.0/16')).toBe(lines('172.17.0.0/16 dev eth0 scope link'));
  });

  it('reports iproute2 and kernel errors', () => {
    const { w, h } = router();
    expect(w.sh(h, 'ip route add x via 192.168.1.1')).toEqual({ exit: 1, output: 'Error: inet prefix is expected rather than "x".\n' });
    expect(w.sh(h, 'ip route add default via 1.2.3.x')).toEqual({ exit: 1, output: 'Error: inet address is expected rather than "1.2.3.x".\n' });
    expect(w.sh(h, 'ip route add default via 8.8.8.8')).toEqual({ exit: 2, output: 'Error: Nexthop has invalid gateway.\n' });
    expect(w.sh(h, 'ip route add 10.1.0.0/16 dev eth9')).toEqual({ exit: 1, output: 'Cannot find device "eth9"\n' });
    expect(w.sh(h, 'ip route del 10.99.0.0/16')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such process\n' });
    expect(w.sh(h, 'ip route add 10.1.0.1/16 dev eth0')).toEqual({ exit: 2, output: 'Error: Invalid prefix for given prefix length.\n' });
    expect(w.sh(h, 'ip route add 10.1.0.0/16')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such device\n' });
    expect(w.sh(h, 'ip route add 10.1.0.0/16 dev eth0 table foo')).toEqual({ exit: 255, output: 'Error: argument "foo" is wrong: "table" value is invalid\n' });
    expect(w.sh(h, 'ip route add 10.1.0.0/16 dev eth0 10.2.0.0/16')).toEqual({ exit: 255, output: 'Error: either "to" is duplicate, or "10.2.0.0/16" is a garbage.\n' });
    expect(w.sh(h, 'ip route add 10.1.0.0/16 dev eth0 mtu 1400').output).toBe('ip: route attribute "mtu" is not modelled by lvs-lab\n');
    expect(w.sh(h, 'ip route add nat 10.1.0.0/16 dev eth0').output).toBe('ip: route type "nat" is not modelled by lvs-lab\n');
    expect(w.sh(h, 'ip route flush')).toEqual({ exit: 1, output: '"ip route flush" requires arguments.\n' });
    expect(w.sh(h, 'ip route add').exit).toBe(255);
  });

  it('deletes by the attributes given, and flushes selected routes', () => {
    const { w, h } = router();
    w.ok(h, 'ip route add 172.16.0.0/12 via 192.168.1.1 metric 5');
    expect(w.sh(h, 'ip route del 172.16.0.0/12 metric 6')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such process\n' });
    w.ok(h, 'ip route del 172.16.0.0/12');
    w.ok(h, 'ip route flush cache');
    w.ok(h, 'ip route flush dev eth1');
    expect(w.out(h, 'ip route')).toBe(lines('192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.2'));
  });

  it('ip route get answers like the kernel route lookup', () => {
    const { w, h } = router();
    w.ok(h, 'ip route add default via 192.168.1.1');
    expect(w.out(h, 'ip route get 8.8.8.8')).toBe(lines('8.8.8.8 via 192.168.1.1 dev eth0 src 192.168.1.2 uid 0', '    cache'));
    expect(w.out(h, 'ip route get 10.0.0.7')).toBe(lines('10.0.0.7 dev eth1 src 10.0.0.2 uid 0', '    cache'));
    expect(w.out(h, 'ip route get 192.168.1.2')).toBe(lines('local 192.168.1.2 dev lo src 192.168.1.2 uid 0', '    cache <local>'));
    w.ok(h, 'ip route del default');
    expect(w.sh(h, 'ip route get 8.8.8.8')).toEqual({ exit: 2, output: 'RTNETLINK answers: Network is unreachable\n' });
    w.ok(h, 'ip route add unreachable 8.8.8.0/24');
    expect(w.sh(h, 'ip route get 8.8.8.8')).toEqual({ exit: 2, output: 'RTNETLINK answers: No route to host\n' });
  });

  it('marks routes through a device without carrier as linkdown', () => {
    const w = new TestWorld();
    const h = w.host('h1', { eth0: '02:00:00:00:00:01' }, false);
    w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
    expect(w.out(h, 'ip route')).toBe(lines('192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.2 linkdown'));
  });

  it('the route a command adds is the one the data path uses', () => {
    const { w, h } = router();
    w.ok(h, 'ip route add 172.16.0.0/12 via 10.0.0.1');
    const r = routeOutput(h, parseIpv4('172.16.5.5')!);
    expect(r.kind === 'ok' && [r.outDev.name, formatIpv4(r.nexthop), formatIpv4(r.src)]).toEqual(['eth1', '10.0.0.1', '10.0.0.2']);
  });
});

describe('ip rule', () => {
  it('lists the boot rules in iproute2 layout', () => {
    const { w, h } = router();
    expect(w.out(h, 'ip rule')).toBe(lines('0:\tfrom all lookup local', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default'));
  });

  it('seed 004: adds and deletes prio 100 fwmark 1 table 100', () => {
    const { w, h } = router();
    w.ok(h, 'ip rule add prio 100 fwmark 1 table 100');
    expect(w.out(h, 'ip rule list')).toBe(
      lines('0:\tfrom all lookup local', '100:\tfrom all fwmark 0x1 lookup 100', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default'),
    );
    expect(h.fib.rules[1]).toEqual({ priority: 100, not: false, from: undefined, to: undefined, iif: undefined, oif: undefined, fwmark: { value: 1, mask: 0xffffffff }, tos: undefined, action: { kind: 'table', table: 100 } });
    expect(w.sh(h, 'ip rule add prio 100 fwmark 1 table 100')).toEqual({ exit: 2, output: 'RTNETLINK answers: File exists\n' });
    w.ok(h, 'ip rule del prio 100 fwmark 1 table 100');
    expect(h.fib.rules.map((r) => r.priority)).toEqual([0, 32766, 32767]);
    expect(w.sh(h, 'ip rule del prio 100 fwmark 1 table 100')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such file or directory\n' });
  });

  it('prints every selector and action, and picks a default priority below the lowest', () => {
    const { w, h } = router();
    w.ok(h, 'ip rule add from 10.0.0.0/8 to 192.168.0.0/16 iif eth0 lookup main');
    w.ok(h, 'ip rule add not from 10.1.2.3 fwmark 0x10/0xff oif eth1 unreachable');
    w.ok(h, 'ip rule add pref 500 tos 0x10 prohibit');
    w.ok(h, 'ip rule add priority 600 to 1.2.3.0/24 blackhole');
    expect(w.out(h, 'ip rule show')).toBe(
      lines(
        '0:\tfrom all lookup local',
        '500:\tfrom all tos 0x10 prohibit',
        '600:\tfrom all to 1.2.3.0/24 blackhole',
        '32764:\tnot from 10.1.2.3 fwmark 0x10/0xff oif eth1 unreachable',
        '32765:\tfrom 10.0.0.0/8 to 192.168.0.0/16 iif eth0 lookup main',
        '32766:\tfrom all lookup main',
        '32767:\tfrom all lookup default',
      ),
    );
  });

  it('flush keeps only priority 0; errors name the bad argument', () => {
    const { w, h } = router();
    w.ok(h, 'ip rule add prio 100 fwmark 1 table 100');
    w.ok(h, 'ip rule flush');
    expect(w.out(h, 'ip rule')).toBe(lines('0:\tfrom all lookup local'));
    expect(w.sh(h, 'ip rule add fwmark x table 100')).toEqual({ exit: 255, output: 'Error: argument "x" is wrong: fwmark value is invalid\n' });
    expect(w.sh(h, 'ip rule add prio 100 frobnicate')).toEqual({ exit: 255, output: 'Error: argument "frobnicate" is wrong: Failed to parse rule type\n' });
    expect(w.sh(h, 'ip rule add prio 100 goto 200').output).toBe('ip: rule attribute "goto" is not modelled by lvs-lab\n');
  });
});
