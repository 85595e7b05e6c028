import { describe, expect, it } from 'vitest';
import { TABLE_LOCAL, TABLE_MAIN, type Host } from '../../../src/net/index.ts';
import { formatIpv4 } from '../../../src/wire/index.ts';
import { lines, TestWorld } from './helpers.ts';

function addrs(h: Host, dev: string): string[] {
  return h.iface(dev)!.addresses.map(
    (a) => `${formatIpv4(a.address)}/${a.prefixLen}${a.broadcast !== undefined ? ' brd ' + formatIpv4(a.broadcast) : ''} scope ${a.scope} ${a.secondary ? 'secondary ' : ''}${a.label}`,
  );
}

function table(h: Host, id: number): string[] {
  return h.fib.table(id).map((r) => `${r.type} ${formatIpv4(r.dst)}/${r.prefixLen}${r.gateway !== undefined ? ' via ' + formatIpv4(r.gateway) : ''} ${r.dev}${r.prefsrc !== undefined ? ' src ' + formatIpv4(r.prefsrc) : ''}`);
}

describe('ifconfig', () => {
  it('seed 000: ifconfig eth0:110 VIP broadcast B netmask M makes a labelled secondary and its routes', () => {
    const w = new TestWorld();
    const h = w.host('director');
    w.ok(h, 'ifconfig eth0 81.57.54.2 netmask 255.255.255.0');
    w.ok(h, '/sbin/ifconfig eth0:110 81.57.54.100 broadcast 81.57.54.255 netmask 255.255.255.0');
    expect(addrs(h, 'eth0')).toEqual(['81.57.54.2/24 brd 81.57.54.255 scope 0 eth0', '81.57.54.100/24 brd 81.57.54.255 scope 0 secondary eth0:110']);
    // The intermediate classful /8 (81 is class A) left no trace: only the /24 routes remain.
    expect(table(h, TABLE_MAIN)).toEqual(['unicast 81.57.54.0/24 eth0 src 81.57.54.2']);
    expect(table(h, TABLE_LOCAL)).toContain('local 81.57.54.100/32 eth0 src 81.57.54.2');
    expect(table(h, TABLE_LOCAL).filter((r) => r.includes('81.255.255.255') || r.includes('81.0.0.0'))).toEqual([]);
    // The seed's next line works on top of it.
    w.ok(h, '/sbin/route add default gw 81.57.54.254 netmask 0.0.0.0 metric 1');
    expect(w.out(h, 'ip route')).toBe(lines('default via 81.57.54.254 dev eth0 metric 1', '81.57.54.0/24 dev eth0 proto kernel scope link src 81.57.54.2'));
  });

  it('gives a new address the classful mask and broadcast, and brings the device up', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip link set eth0 down');
    w.ok(h, 'ifconfig eth0 172.16.1.1');
    w.ok(h, 'ifconfig eth0:1 192.168.7.1');
    w.ok(h, 'ifconfig eth0:2 10.2.3.4');
    expect(addrs(h, 'eth0')).toEqual(['172.16.1.1/16 brd 172.16.255.255 scope 0 eth0', '192.168.7.1/24 brd 192.168.7.255 scope 0 eth0:1', '10.2.3.4/8 brd 10.255.255.255 scope 0 eth0:2']);
    expect(h.iface('eth0')!.up).toBe(true);
  });

  it('an alias on lo keeps global scope (ioctl path) and has no broadcast; 127/8 gets host scope', () => {
    const w = new TestWorld();
    const h = w.host('rs1');
    w.ok(h, 'ifconfig lo:0 10.10.10.53 netmask 255.255.255.255 up');
    w.ok(h, 'ifconfig lo:1 127.0.0.2');
    expect(addrs(h, 'lo')).toEqual(['127.0.0.1/8 scope 254 lo', '10.10.10.53/32 scope 0 lo:0', '127.0.0.2/8 scope 254 secondary lo:1']);
    expect(table(h, TABLE_LOCAL)).toContain('local 10.10.10.53/32 lo src 10.10.10.53');
    expect(table(h, TABLE_MAIN)).toEqual([]);
  });

  it('ifconfig ALIAS down removes the alias; a new address on a label replaces the old one', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ifconfig eth0 192.168.1.1 netmask 255.255.255.0 broadcast 192.168.1.255');
    w.ok(h, 'ifconfig eth0:0 192.168.1.110 netmask 255.255.255.0');
    w.ok(h, 'ifconfig eth0:0 192.168.1.111');
    expect(addrs(h, 'eth0')).toEqual(['192.168.1.1/24 brd 192.168.1.255 scope 0 eth0', '192.168.1.111/24 brd 192.168.1.255 scope 0 secondary eth0:0']);
    w.ok(h, 'ifconfig eth0:0 down');
    expect(addrs(h, 'eth0')).toEqual(['192.168.1.1/24 brd 192.168.1.255 scope 0 eth0']);
    expect(h.iface('eth0')!.up).toBe(true);
    expect(w.sh(h, 'ifconfig eth0:0 down')).toEqual({ exit: 1, output: 'eth0:0: ERROR while getting interface flags: Cannot assign requested address\n' });
    w.ok(h, 'ifconfig eth0 down');
    expect(h.iface('eth0')!.up).toBe(false);
  });

  it('lists UP devices and aliases in name order, in the net-tools 2.10 layout', () => {
    const w = new TestWorld();
    const h = w.host('h1', { eth0: '02:00:00:00:00:01', eth1: '02:00:00:00:00:02' });
    w.ok(h, 'ifconfig eth0 192.168.1.1 netmask 255.255.255.0');
    w.ok(h, 'ifconfig eth0:110 192.168.1.110 netmask 255.255.255.0');
    w.ok(h, 'ip link set eth1 down');
    const eth0 = lines(
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
      '        inet 192.168.1.1  netmask 255.255.255.0  broadcast 192.168.1.255',
      '        ether 02:00:00:00:00:01  txqueuelen 1000  (Ethernet)',
      '',
      'eth0:110: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
      '        inet 192.168.1.110  netmask 255.255.255.0  broadcast 192.168.1.255',
      '        ether 02:00:00:00:00:01  txqueuelen 1000  (Ethernet)',
      '',
    );
    const lo = lines('lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536', '        inet 127.0.0.1  netmask 255.0.0.0', '        loop  txqueuelen 1000  (Local Loopback)', '');
    expect(w.out(h, 'ifconfig')).toBe(eth0 + lo);
    const eth1 = lines('eth1: flags=4098<BROADCAST,MULTICAST>  mtu 1500', '        ether 02:00:00:00:00:02  txqueuelen 1000  (Ethernet)', '');
    expect(w.out(h, 'ifconfig -a')).toBe(eth0 + eth1 + lo);
    expect(w.out(h, 'ifconfig eth1')).toBe(eth1);
    // An address added by ip without brd still shows "broadcast 0.0.0.0" on a broadcast device.
    w.ok(h, 'ip addr add 10.0.0.1/8 dev eth1');
    expect(w.out(h, 'ifconfig eth1')).toContain('        inet 10.0.0.1  netmask 255.0.0.0  broadcast 0.0.0.0\n');
  });

  it('reports ifconfig errors', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, 'ifconfig eth9')).toEqual({ exit: 1, output: 'eth9: error fetching interface information: Device not found\n' });
    expect(w.sh(h, 'ifconfig eth0 foo')).toEqual({ exit: 1, output: "foo: Unknown host\nifconfig: `--help' gives usage information.\n" });
    expect(w.sh(h, 'ifconfig eth9:1 10.0.0.1')).toEqual({
      exit: 1,
      output: 'SIOCSIFADDR: No such device\neth9:1: ERROR while getting interface flags: No such device\n',
    });
    expect(w.sh(h, 'ifconfig eth0:5 netmask 255.255.255.0')).toEqual({ exit: 1, output: 'SIOCSIFNETMASK: Cannot assign requested address\n' });
    expect(w.sh(h, 'ifconfig eth0 hw ether 02:00:00:00:00:09')).toEqual({ exit: 1, output: 'ifconfig: "hw" is not modelled by lvs-lab\n' });
    expect(w.shell.check('ifconfig eth0 10.0.0.1 netmask')).toBe("ifconfig: `--help' gives usage information.\n");
  });
});

describe('route (net-tools)', () => {
  it('route -n prints table main in the net-tools layout', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
    w.ok(h, 'route add default gw 192.168.1.1');
    w.ok(h, 'route add -net 10.0.0.0 netmask 255.0.0.0 gw 192.168.1.254 metric 5');
    w.ok(h, 'route add -host 192.168.10.100 gw 192.168.1.10');
    w.ok(h, 'route add -net 172.16.0.0/12 dev eth0');
    expect(w.out(h, 'route -n')).toBe(
      lines(
        'Kernel IP routing table',
        'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
        '0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 eth0',
        '10.0.0.0        192.168.1.254   255.0.0.0       UG    5      0        0 eth0',
        '172.16.0.0      0.0.0.0         255.240.0.0     U     0      0        0 eth0',
        '192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0',
        '192.168.10.100  192.168.1.10    255.255.255.255 UGH   0      0        0 eth0',
      ),
    );
    expect(w.out(h, 'route')).toContain('\ndefault         192.168.1.1     0.0.0.0         UG    0      0        0 eth0\n');
    // Routes from `route` are proto boot (SIOCADDRT): `ip route` shows no proto.
    expect(w.out(h, 'ip route')).toContain('192.168.10.100 via 192.168.1.10 dev eth0\n');
    expect(w.out(h, 'ip route')).toContain('172.16.0.0/12 dev eth0 scope link\n');
  });

  it('route del removes what it names', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
    w.ok(h, 'route add default gw 192.168.1.1');
    w.ok(h, 'route add -host 192.168.10.100 gw 192.168.1.10');
    w.ok(h, 'route del -host 192.168.10.100');
    w.ok(h, 'route del default');
    expect(w.out(h, 'ip route')).toBe(lines('192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.2'));
    expect(w.sh(h, 'route del default')).toEqual({ exit: 7, output: 'SIOCDELRT: No such process\n' });
  });

  it('reports net-tools errors', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.ok(h, 'ip addr add 192.168.1.2/24 dev eth0');
    expect(w.sh(h, 'route add default gw 10.0.0.1')).toEqual({ exit: 7, output: 'SIOCADDRT: Network is unreachable\n' });
    w.ok(h, 'route add -host 192.168.10.100 gw 192.168.1.10');
    expect(w.sh(h, 'route add -host 192.168.10.100 gw 192.168.1.200')).toEqual({ exit: 7, output: 'SIOCADDRT: File exists\n' });
    expect(w.sh(h, 'route add -net 10.0.0.0 netmask 255.0.0.0 dev eth9')).toEqual({ exit: 7, output: 'SIOCADDRT: No such device\n' });
    expect(w.sh(h, 'route add 10.0.0.0 netmask 255.0.0.0 dev eth0')).toEqual({ exit: 3, output: "route: netmask 00ffffff doesn't make sense with host route\n" });
    expect(w.sh(h, 'route add -net 10.0.0.0 netmask 255.0.255.0 dev eth0')).toEqual({ exit: 3, output: 'route: bogus netmask 255.0.255.0\n' });
    expect(w.sh(h, 'route add -net 10.0.0.1 netmask 255.0.0.0 dev eth0')).toEqual({ exit: 3, output: "route: netmask doesn't match route address\n" });
    expect(w.sh(h, 'route add -host foo gw 192.168.1.1')).toEqual({ exit: 6, output: 'foo: Unknown host\n' });
    expect(w.sh(h, 'route frob').exit).toBe(4);
  });
});
