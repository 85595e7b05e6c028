import { describe, expect, it } from 'vitest';
import { TABLE_LOCAL, TABLE_MAIN } from '../../../src/net/index.ts';
import { formatIpv4 } from '../../../src/wire/index.ts';
import { lines, TestWorld } from './helpers.ts';

function routes(h: import('../../../src/net/index.ts').Host, table: number): string[] {
  return h.fib.table(table).map((r) => `${r.type} ${formatIpv4(r.dst)}/${r.prefixLen} ${r.dev ?? '-'}${r.prefsrc !== undefined ? ' src ' + formatIpv4(r.prefsrc) : ''}`);
}

describe('ip address', () => {
  it('shows every device with its link line and addresses in iproute2 layout', () => {
    const w = new TestWorld();
    const h = w.host('rs1', { eth0: '02:00:00:00:01:02' });
    w.ok(h, 'ip addr add 192.168.1.2/24 brd + dev eth0');
    w.ok(h, 'ip addr add 192.168.1.110/32 dev lo');
    expect(w.out(h, 'ip addr')).toBe(
      lines(
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    inet 127.0.0.1/8 scope host lo',
        '       valid_lft forever preferred_lft forever',
        '    inet 192.168.1.110/32 scope global lo',
        '       valid_lft forever preferred_lft forever',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        '    link/ether 02:00:00:00:01:02 brd ff:ff:ff:ff:ff:ff',
        '    inet 192.168.1.2/24 brd 192.168.1.255 scope global eth0',
        '       valid_lft forever preferred_lft forever',
      ),
    );
    // `ip a`, `ip addr show`, `ip a s` are the same command.
    expect(w.out(h, 'ip a')).toBe(w.out(h, 'ip addr show'));
    expect(w.out(h, 'ip a s')).toBe(w.out(h, 'ip address list'));
  });

  it('ip -4 addr hides link lines and devices without IPv4 addresses; show dev limits to one device', () => {
    const w = new TestWorld();
    const h = w.host('d', { eth0: '02:00:00:00:00:01', eth1: '02:00:00:00:00:02' });
    w.ok(h, 'ip addr add 10.10.10.52/24 brd + dev eth0');
    w.ok(h, 'ip addr add 10.10.10.53/24 brd 10.10.10.255 dev eth0 label eth0:0');
    const eth0 = lines(
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
      '    inet 10.10.10.52/24 brd 10.10.10.255 scope global eth0',
      '       valid_lft forever preferred_lft forever',
      // seed 002's `ip addr sh eth0`: the second address of the subnet is a secondary labelled eth0:0.
      '    inet 10.10.10.53/24 brd 10.10.10.255 scope global secondary eth0:0',
      '       valid_lft forever preferred_lft forever',
    );
    expect(w.out(h, 'ip -4 addr show dev eth0')).toBe(eth0);
    expect(w.out(h, 'ip -4 a')).toBe(
      lines('1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000', '    inet 127.0.0.1/8 scope host lo', '       valid_lft forever preferred_lft forever') +
        eth0,
    );
    expect(w.out(h, 'ip addr sh eth0')).toContain('    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n');
    expect(w.out(h, 'ip addr show eth1')).toBe(
      lines('3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000', '    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff'),
    );
    expect(w.out(h, "ip addr show label 'eth0:*'")).toContain('secondary eth0:0');
    expect(w.out(h, "ip addr show label 'eth0:*'")).not.toContain('10.10.10.52');
    // `to PREFIX` keeps the addresses that lie in the prefix, whatever their own prefix length (ipaddr_filter).
    expect(w.out(h, 'ip -4 addr show to 10.10.10.53/32')).toContain('inet 10.10.10.53/24');
    expect(w.out(h, 'ip -4 addr show to 10.10.10.53/32')).not.toContain('10.10.10.52');
    expect(w.out(h, 'ip -4 addr show to 10.10.10.53')).toContain('inet 10.10.10.53/24');
    expect(w.out(h, 'ip -4 addr show to 10.10.0.0/16')).toContain('inet 10.10.10.52/24');
    expect(w.out(h, 'ip -4 addr show to 10.20.0.0/16')).toBe('');
  });

  it('adds a VIP on lo as /32 with global scope and only a local route (reference §2.3)', () => {
    const w = new TestWorld();
    const h = w.host('rs1');
    w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
    const mainBefore = routes(h, TABLE_MAIN);
    w.ok(h, 'ip addr add 192.168.1.110/32 dev lo');
    const vip = h.loopback.addresses.find((a) => formatIpv4(a.address) === '192.168.1.110')!;
    expect(vip).toMatchObject({ prefixLen: 32, scope: 0, label: 'lo', secondary: false });
    expect(routes(h, TABLE_MAIN)).toEqual(mainBefore);
    expect(routes(h, TABLE_LOCAL)).toContain('local 192.168.1.110/32 lo src 192.168.1.110');
  });

  it('an address without a prefix is /32, and a label names an alias (seed 004)', () => {
    const w = new TestWorld();
    const h = w.host('lvs', { eth0: '02:00:00:00:00:01', eth1: '02:00:00:00:00:02' });
    w.ok(h, 'ip addr add 192.168.10.11/24 dev eth1');
    w.ok(h, 'ip addr add 192.168.10.100 label eth1:100 dev eth1');
    expect(w.out(h, 'ip addr show eth1')).toContain('    inet 192.168.10.100/32 scope global eth1:100\n');
    expect(routes(h, TABLE_LOCAL)).toContain('local 192.168.10.100/32 eth1 src 192.168.10.100');
  });

  it('reports errors with iproute2 texts and statuses', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.1/24 dev eth0');
    expect(w.sh(h, 'ip addr add 192.168.1.1/24 dev eth0')).toEqual({ exit: 2, output: 'RTNETLINK answers: File exists\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.1/8')).toEqual({ exit: 1, output: 'Not enough information: "dev" argument is required.\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.1/8 dev eth9')).toEqual({ exit: 1, output: 'Cannot find device "eth9"\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.300/8 dev eth0')).toEqual({ exit: 1, output: 'Error: inet prefix is expected rather than "10.0.0.300/8".\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.1/33 dev eth0')).toEqual({ exit: 1, output: 'Error: inet prefix is expected rather than "10.0.0.1/33".\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.1/8 dev eth0 label eth1:0')).toEqual({
      exit: 1,
      output: '"label" (eth1:0) must match "dev" (eth0) or be prefixed by "dev" with a colon.\n',
    });
    expect(w.sh(h, 'ip addr del 10.9.9.9/24 dev eth0')).toEqual({ exit: 2, output: 'RTNETLINK answers: Cannot assign requested address\n' });
    // Same subnet, different scope: the kernel refuses (EINVAL).
    expect(w.sh(h, 'ip addr add 192.168.1.7/24 dev eth0 scope link')).toEqual({ exit: 2, output: 'RTNETLINK answers: Invalid argument\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.1/8 dev eth0 10.0.0.2/8')).toEqual({ exit: 255, output: 'Error: either "local" is duplicate, or "10.0.0.2/8" is a garbage.\n' });
    expect(w.sh(h, 'ip addr frobnicate')).toEqual({ exit: 255, output: 'Command "frobnicate" is unknown, try "ip address help".\n' });
    expect(w.sh(h, 'ip addr show dev eth9')).toEqual({ exit: 1, output: 'Device "eth9" does not exist.\n' });
    expect(w.sh(h, 'ip addr add 10.0.0.1/8 dev eth0 noprefixroute').output).toBe('ip: "noprefixroute" on addresses is not modelled by lvs-lab\n');
    expect(w.shell.check('ip addr add 10.0.0.1/8')).toBe('Not enough information: "dev" argument is required.\n');
    expect(w.shell.check('ip addr add 10.0.0.1/8 dev eth9')).toBeUndefined(); // devices exist only at run time
  });

  it('deletes a primary with its secondaries, and by label', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.1/24 dev eth0');
    w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
    w.ok(h, 'ip addr add 10.0.0.1/8 dev eth0 label eth0:1');
    w.ok(h, 'ip addr del 10.0.0.1/8 dev eth0 label eth0:1');
    expect(h.iface('eth0')!.addresses.map((a) => formatIpv4(a.address))).toEqual(['192.168.1.1', '192.168.1.2']);
    w.ok(h, 'ip addr del 192.168.1.1/24 dev eth0');
    expect(h.iface('eth0')!.addresses).toEqual([]);
    expect(routes(h, TABLE_MAIN)).toEqual([]);
    expect(routes(h, TABLE_LOCAL).filter((r) => r.includes('eth0'))).toEqual([]);
  });

  it('deletes without a prefix length whatever the length, and flushes a device', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.1/24 dev eth0');
    w.ok(h, 'ip addr add 10.1.1.1/16 dev eth0');
    w.ok(h, 'ip addr del 192.168.1.1 dev eth0');
    expect(h.iface('eth0')!.addresses.map((a) => formatIpv4(a.address))).toEqual(['10.1.1.1']);
    expect(w.sh(h, 'ip addr flush')).toEqual({ exit: 1, output: 'Flush requires arguments.\n' });
    w.ok(h, 'ip addr flush dev eth0');
    expect(h.iface('eth0')!.addresses).toEqual([]);
  });

  it('replace keeps an existing address and adds a missing one', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr replace 192.168.1.1/24 dev eth0');
    w.ok(h, 'ip addr replace 192.168.1.1/24 dev eth0');
    expect(h.iface('eth0')!.addresses).toHaveLength(1);
    expect(w.sh(h, 'ip addr change 192.168.9.9/24 dev eth0')).toEqual({ exit: 2, output: 'RTNETLINK answers: No such file or directory\n' });
  });
});

describe('ip link', () => {
  it('shows devices with mode DEFAULT and tunl0 after modprobe ipip', () => {
    const w = new TestWorld();
    const h = w.host('h1', { eth0: '02:00:00:00:00:0a' });
    w.ok(h, 'modprobe ipip');
    expect(w.out(h, 'ip link show')).toBe(
      lines(
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000',
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff',
        '3: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
        '    link/ipip 0.0.0.0 brd 0.0.0.0',
      ),
    );
    w.ok(h, 'ip link set tunl0 up');
    expect(w.out(h, 'ip link show tunl0')).toContain('3: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN mode DEFAULT');
  });

  it('a device without carrier is UP but NO-CARRIER, state DOWN', () => {
    const w = new TestWorld();
    const h = w.host('h1', { eth0: '02:00:00:00:00:0a' }, false);
    expect(w.out(h, 'ip link show dev eth0')).toContain('2: eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc fq_codel state DOWN mode DEFAULT');
  });

  it('set down removes the connected routes, set up restores them; mtu changes the device', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.1/24 dev eth0');
    w.ok(h, 'ip link set dev eth0 down');
    expect(w.out(h, 'ip link show eth0')).toContain('2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc fq_codel state DOWN');
    expect(w.out(h, 'ip route')).toBe('');
    w.ok(h, 'ip link set eth0 up mtu 1400');
    expect(w.out(h, 'ip route')).toBe(lines('192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1'));
    expect(h.iface('eth0')!.mtu).toBe(1400);
  });

  it('reports link errors', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, 'ip link set eth9 up')).toEqual({ exit: 1, output: 'Cannot find device "eth9"\n' });
    expect(w.sh(h, 'ip link show eth9')).toEqual({ exit: 1, output: 'Device "eth9" does not exist.\n' });
    expect(w.sh(h, 'ip link set eth0 eth1 up')).toEqual({ exit: 255, output: 'Error: either "dev" is duplicate, or "eth1" is a garbage.\n' });
    expect(w.sh(h, 'ip link set up')).toEqual({ exit: 255, output: 'Not enough information: "dev" argument is required.\n' });
    expect(w.sh(h, 'ip link set eth0 promisc on').output).toBe('ip: "ip link set ... promisc" is not modelled by lvs-lab\n');
    expect(w.sh(h, 'ip link add tunl1 type ipip').output).toContain('"ip link add" (devices come from the scenario; "modprobe ipip" creates tunl0)');
    expect(w.sh(h, 'ip link set eth0 mtu 20')).toEqual({ exit: 2, output: 'Error: mtu less than device minimum.\n' });
  });
});

describe('ip global syntax', () => {
  it('objects and commands are chosen by prefix in iproute2 order', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.out(h, 'ip ru')).toBe(w.out(h, 'ip rule show'));
    expect(w.out(h, 'ip r')).toBe(w.out(h, 'ip route show'));
    expect(w.out(h, 'ip n')).toBe(w.out(h, 'ip neighbour show'));
    expect(w.out(h, 'ip l')).toBe(w.out(h, 'ip link show'));
  });

  it('reports unknown objects and options, and unmodelled ones by name', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, 'ip foo')).toEqual({ exit: 255, output: 'Object "foo" is unknown, try "ip help".\n' });
    expect(w.sh(h, 'ip -z addr')).toEqual({ exit: 255, output: 'Option "-z" is unknown, try "ip -help".\n' });
    expect(w.sh(h, 'ip -6 addr').output).toBe('ip: the "-6" address family (IPv4 only) is not modelled by lvs-lab\n');
    expect(w.sh(h, 'ip tunnel show').output).toBe('ip: "ip tunnel" (address, link, neighbour, route and rule are) is not modelled by lvs-lab\n');
    expect(w.sh(h, 'ip -s link').output).toBe('ip: option "-s" is not modelled by lvs-lab\n');
    expect(w.sh(h, 'ip').exit).toBe(255);
    expect(w.sh(h, 'ip addr add')).toEqual({ exit: 1, output: 'Not enough information: "dev" argument is required.\n' });
    expect(w.sh(h, 'ip addr add 1.2.3.4/32 dev')).toEqual({ exit: 255, output: 'Command line is not complete. Try option "help"\n' });
  });
});
