import { describe, expect, it } from 'vitest';
import { commandTable, DEFAULT_COMMANDS, makeSysctlCommand } from '../../../src/admin/index.ts';
import { lines, TestWorld } from './helpers.ts';

describe('sysctl (procps-ng)', () => {
  it('reads and writes keys with . or / separators', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.out(h, 'sysctl net.ipv4.ip_forward')).toBe('net.ipv4.ip_forward = 0\n');
    expect(w.out(h, 'sysctl -w net.ipv4.ip_forward=1')).toBe('net.ipv4.ip_forward = 1\n');
    expect(h.sysctls.get('net.ipv4.ip_forward')).toBe(1);
    // ip_forward sets every device's forwarding (inet_forward_change).
    expect(w.out(h, 'sysctl net/ipv4/conf/eth0/forwarding')).toBe('net.ipv4.conf.eth0.forwarding = 1\n');
    expect(w.out(h, 'sysctl -n net.ipv4.conf.eth0.forwarding')).toBe('1\n');
    expect(w.out(h, 'sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2')).toBe(
      lines('net.ipv4.conf.all.arp_ignore = 1', 'net.ipv4.conf.all.arp_announce = 2'),
    );
    expect(h.sysctls.confValue('eth0', 'arp_ignore')).toBe(1);
    expect(w.sh(h, 'sysctl -q -w net.ipv4.conf.eth0.rp_filter=2')).toEqual({ exit: 0, output: '' });
    expect(h.sysctls.get('net.ipv4.conf.eth0.rp_filter')).toBe(2);
  });

  it('writes KEY=VALUE without -w too, as procps-ng does', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.out(h, 'sysctl net.ipv4.conf.all.rp_filter=1')).toBe('net.ipv4.conf.all.rp_filter = 1\n');
    expect(h.sysctls.get('net.ipv4.conf.all.rp_filter')).toBe(1);
  });

  it('reports unknown keys, bad values and bad syntax with the procps texts', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, 'sysctl net.ipv4.foo')).toEqual({ exit: 1, output: 'sysctl: cannot stat /proc/sys/net/ipv4/foo: No such file or directory\n' });
    expect(w.sh(h, 'sysctl -w net.ipv4.conf.eth9.rp_filter=0')).toEqual({
      exit: 1,
      output: 'sysctl: cannot stat /proc/sys/net/ipv4/conf/eth9/rp_filter: No such file or directory\n',
    });
    expect(w.sh(h, 'sysctl -w net.ipv4.ip_forward=7')).toEqual({ exit: 1, output: 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n' });
    expect(w.sh(h, 'sysctl -w net.ipv4.ip_forward=yes')).toEqual({ exit: 1, output: 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n' });
    expect(h.sysctls.get('net.ipv4.ip_forward')).toBe(0);
    expect(w.sh(h, 'sysctl -w net.ipv4.ip_forward')).toEqual({ exit: 1, output: 'sysctl: command line(0): invalid syntax, continuing...\n' });
    expect(w.sh(h, 'sysctl -e net.ipv4.foo')).toEqual({ exit: 0, output: '' });
    expect(w.sh(h, 'sysctl -Z net.ipv4.ip_forward').output).toMatch(/^sysctl: invalid option -- 'Z'\n/);
    expect(w.sh(h, 'sysctl').exit).toBe(1);
    expect(w.sh(h, 'sysctl -n')).toEqual({ exit: 1, output: "sysctl: no variables specified\nTry `sysctl --help' for more information.\n" });
  });

  it('-a lists every key sorted; a directory key lists its subtree', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    const all = w.out(h, 'sysctl -a');
    expect(all).toContain('net.ipv4.conf.all.arp_ignore = 0\n');
    expect(all).toContain('net.ipv4.neigh.eth0.base_reachable_time_ms = 30000\n');
    const keys = all.trimEnd().split('\n').map((l) => l.split(' = ')[0]);
    expect(keys).toEqual([...keys].sort());
    expect(w.out(h, 'sysctl net.ipv4.conf.lo')).toBe(all.split('\n').filter((l) => l.startsWith('net.ipv4.conf.lo.')).map((l) => l + '\n').join(''));
  });

  it('-p without a file fails naming /etc/sysctl.conf; with a file source it applies the lines', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, 'sysctl -p')).toEqual({ exit: 1, output: 'sysctl: cannot open "/etc/sysctl.conf": No such file or directory\n' });
    expect(w.sh(h, 'sysctl -p /etc/lvs.conf')).toEqual({ exit: 1, output: 'sysctl: cannot open "/etc/lvs.conf": No such file or directory\n' });
    // seed 002's /etc/sysctl.conf for the real servers.
    const conf = [
      '# Kernel sysctl configuration',
      'net.ipv4.conf.all.arp_ignore = 1',
      'net.ipv4.conf.eth0.arp_ignore = 1',
      '; another comment',
      'net.ipv4.conf.all.arp_announce = 2',
      'net.ipv4.conf.eth0.arp_announce = 2',
      '-net.ipv4.conf.eth7.arp_announce = 2',
    ].join('\n');
    const withFile = makeSysctlCommand((_host, path) => (path === '/etc/sysctl.conf' ? conf : undefined));
    const w2 = new TestWorld(commandTable(...DEFAULT_COMMANDS.values(), withFile));
    const rs = w2.host('rs1');
    expect(w2.sh(rs, 'sysctl -p')).toEqual({
      exit: 0,
      output: lines(
        'net.ipv4.conf.all.arp_ignore = 1',
        'net.ipv4.conf.eth0.arp_ignore = 1',
        'net.ipv4.conf.all.arp_announce = 2',
        'net.ipv4.conf.eth0.arp_announce = 2',
        'sysctl: cannot stat /proc/sys/net/ipv4/conf/eth7/arp_announce: No such file or directory',
      ),
    });
    expect(rs.sysctls.confValue('eth0', 'arp_announce')).toBe(2);
  });
});

describe('/proc/sys with echo and cat', () => {
  it('runs the seed scripts: quoted values, no blank before the file', () => {
    const w = new TestWorld();
    const h = w.host('director');
    expect(w.out(h, 'cat /proc/sys/net/ipv4/ip_forward')).toBe('0\n');
    w.ok(h, 'echo "1" > /proc/sys/net/ipv4/ip_forward');
    expect(w.out(h, 'cat /proc/sys/net/ipv4/ip_forward')).toBe('1\n');
    w.ok(h, "echo '0' > /proc/sys/net/ipv4/ip_forward");
    w.ok(h, 'echo "1" >/proc/sys/net/ipv4/ip_forward');
    expect(h.sysctls.get('net.ipv4.ip_forward')).toBe(1);
    for (const lvl of ['all', 'default', 'eth0']) {
      w.ok(h, `echo "0" > /proc/sys/net/ipv4/conf/${lvl}/send_redirects`);
      expect(w.out(h, `cat /proc/sys/net/ipv4/conf/${lvl}/send_redirects`)).toBe('0\n');
    }
    expect(h.sysctls.confValue('eth0', 'send_redirects')).toBe(0);
  });

  it('plain echo prints; cat reports missing files and refuses other paths', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.out(h, 'echo "turning on masquerading "')).toBe('turning on masquerading \n');
    expect(w.out(h, 'echo -n hi')).toBe('hi');
    expect(w.sh(h, 'cat /proc/sys/net/ipv4/conf/eth0/arp_invisible')).toEqual({ exit: 1, output: 'cat: /proc/sys/net/ipv4/conf/eth0/arp_invisible: No such file or directory\n' });
    expect(w.sh(h, 'cat /proc/sys/net/ipv4')).toEqual({ exit: 1, output: 'cat: /proc/sys/net/ipv4: Is a directory\n' });
    expect(w.sh(h, 'cat /etc/keepalived/keepalived.conf')).toEqual({
      exit: 1,
      output: 'lvs-lab: /etc/keepalived/keepalived.conf: not modelled (only the files under /proc/sys/ exist in the lab)\n',
    });
    // seed 003: arp_invisible belonged to a 2.2-era patch; modern kernels have no such file.
    expect(w.sh(h, 'echo 1 > /proc/sys/net/ipv4/conf/eth0/arp_invisible')).toEqual({
      exit: 1,
      output: 'bash: /proc/sys/net/ipv4/conf/eth0/arp_invisible: No such file or directory\n',
    });
  });
});

describe('modprobe', () => {
  it('ipip creates tunl0 down; ip_vs modules load; others do not exist', () => {
    const w = new TestWorld();
    const h = w.host('rs1');
    w.ok(h, 'modprobe ipip');
    expect(h.iface('tunl0')).toMatchObject({ kind: 'ipip', up: false, mtu: 1480 });
    w.ok(h, 'modprobe ipip'); // loading twice is fine
    expect(h.interfaces.filter((d) => d.name === 'tunl0')).toHaveLength(1);
    w.ok(h, 'modprobe ip_vs');
    w.ok(h, 'modprobe ip_vs_wlc');
    expect(w.sh(h, 'modprobe nf_nat_ftp')).toEqual({ exit: 1, output: 'modprobe: FATAL: Module nf_nat_ftp not found in directory /lib/modules/6.1.0-lvs-lab\n' });
    expect(w.sh(h, 'modprobe')).toEqual({ exit: 1, output: 'modprobe: ERROR: missing parameters. See -h.\n' });
  });
});
