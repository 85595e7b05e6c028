import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandTable, DEFAULT_COMMANDS, makeSysctlCommand, Shell, type CommandResult } from '../../../src/admin/index.ts';
import type { Host } from '../../../src/net/index.ts';
import { lines, TestWorld } from './helpers.ts';

/** test/fixtures/seed-commands.txt: `== seed NNN` sections of command lines. */
function loadSeeds(): Map<string, string[]> {
  const text = readFileSync(new URL('../../fixtures/seed-commands.txt', import.meta.url), 'utf8');
  const seeds = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^== seed (\d+)$/.exec(line);
    if (m) {
      current = [];
      seeds.set(m[1], current);
    } else {
      current!.push(line);
    }
  }
  return seeds;
}

const SEEDS = loadSeeds();

/** The /etc/sysctl.conf each seed writes before `sysctl -p` (seed 002 real server; seed 004 director). */
const SYSCTL_CONF: Record<string, string> = {
  '002': 'net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.eth0.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\nnet.ipv4.conf.eth0.arp_announce = 2\n',
  '004': 'net.ipv4.ip_forward = 1\nnet.ipv4.conf.default.rp_filter = 0\n',
};

/** Lines whose result differs from a silent success, with why. */
const EXPECTED: Record<string, Record<string, Partial<CommandResult> | ((r: CommandResult) => void)>> = {
  '000': {
    'cat /proc/sys/net/ipv4/ip_forward': { exit: 0, output: '1\n' },
    'cat /proc/sys/net/ipv4/conf/all/send_redirects': { exit: 0, output: '0\n' },
    'cat /proc/sys/net/ipv4/conf/default/send_redirects': { exit: 0, output: '0\n' },
    'cat /proc/sys/net/ipv4/conf/eth0/send_redirects': { exit: 0, output: '0\n' },
    'ping -c 1 192.168.0.1': (r) => expect(r).toMatchObject({ exit: 0, output: expect.stringContaining('1 packets transmitted, 1 received, 0% packet loss') }),
    'ping -c 1 192.168.0.2': (r) => expect(r).toMatchObject({ exit: 0, output: expect.stringContaining('64 bytes from 192.168.0.2: icmp_seq=1 ttl=64') }),
  },
  '002': {
    'sysctl -p': { exit: 0, output: lines('net.ipv4.conf.all.arp_ignore = 1', 'net.ipv4.conf.eth0.arp_ignore = 1', 'net.ipv4.conf.all.arp_announce = 2', 'net.ipv4.conf.eth0.arp_announce = 2') },
    'ip addr sh eth0': (r) => expect(r.output).toContain('    inet 10.10.10.53/24 brd 10.10.10.255 scope global secondary eth0:0\n'),
  },
  '003': {
    // arp_invisible was a Linux 2.2 patch (Julian Anastasov's); no modern kernel has the file.
    'echo 1 > /proc/sys/net/ipv4/conf/eth0/arp_invisible': { exit: 1, output: 'bash: /proc/sys/net/ipv4/conf/eth0/arp_invisible: No such file or directory\n' },
  },
  '004': {
    'sysctl -p': { exit: 0, output: lines('net.ipv4.ip_forward = 1', 'net.ipv4.conf.default.rp_filter = 0') },
    'ip addr show eth1': (r) => expect(r.output).toContain('    inet 192.168.10.100/32 scope global eth1:100\n'),
    // The seed gives the two host routes as alternatives for two setups; typed in a row, the second collides.
    'route add -host 192.168.10.100 gw 192.168.10.200': { exit: 7, output: 'SIOCADDRT: File exists\n' },
    'ip rule': {
      exit: 0,
      output: lines('0:\tfrom all lookup local', '100:\tfrom all fwmark 0x1 lookup 100', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default'),
    },
    'ip route list table 100': { exit: 0, output: lines('local default dev lo scope host') },
  },
};

/** A host shaped like the seed's machine. */
function seedHost(seed: string, w: TestWorld): Host {
  switch (seed) {
    case '000': {
      const d = w.host('director', { eth0: '02:00:00:00:00:01', eth1: '02:00:00:00:00:02' });
      w.ok(d, 'ip addr add 81.57.54.2/24 brd + dev eth0');
      w.ok(d, 'ip addr add 192.168.0.254/24 brd + dev eth1');
      for (const [i, name] of ['rs1', 'rs2'].entries()) {
        const rs = w.host(name, { eth0: `02:00:00:00:01:0${i + 1}` });
        w.ok(rs, `ip addr add 192.168.0.${i + 1}/24 dev eth0`);
        w.ok(rs, 'ip route add default via 192.168.0.254');
      }
      return d;
    }
    case '002': {
      const d = w.host('ld', { eth0: '3a:5d:71:ad:67:47' });
      w.ok(d, 'ip addr add 10.10.10.52/24 brd + dev eth0');
      w.ok(d, 'ip addr add 10.10.10.53/24 brd + dev eth0 label eth0:0');
      return d;
    }
    case '003':
      return w.host('lb', { eth0: '02:00:00:00:00:01' });
    default: {
      const d = w.host('lvs', { eth0: '02:00:00:00:00:01', eth1: '02:00:00:00:00:02' });
      w.ok(d, 'ip addr add 192.168.20.108/24 brd + dev eth0');
      w.ok(d, 'ip addr add 192.168.10.11/24 brd + dev eth1');
      return d;
    }
  }
}

describe('seed command lines (test/fixtures/seed-commands.txt)', () => {
  it('the fixture holds the four seeds with host commands', () => {
    expect([...SEEDS.keys()]).toEqual(['000', '002', '003', '004']);
    expect([...SEEDS.values()].flat()).toHaveLength(33);
  });

  it('every line passes the syntax check', () => {
    const shell = new Shell();
    for (const line of [...SEEDS.values()].flat()) expect(shell.check(line), line).toBeUndefined();
  });

  it("seed 003's line with its <interface_name> placeholder is refused as shell syntax, not run", () => {
    expect(new Shell().check('echo 1 > /proc/sys/net/ipv4/conf/<interface_name>/arp_invisible')).toContain('"<" input redirection');
  });

  for (const [seed, cmds] of SEEDS) {
    it(`seed ${seed} runs line by line with the real tools' results`, () => {
      const conf = SYSCTL_CONF[seed];
      const sysctl = makeSysctlCommand((_h, path) => (path === '/etc/sysctl.conf' ? conf : undefined));
      const w = new TestWorld(commandTable(...DEFAULT_COMMANDS.values(), sysctl));
      const host = seedHost(seed, w);
      for (const line of cmds) {
        const r = line.startsWith('ping') ? w.runTimed(host, line).result : w.sh(host, line);
        const want = EXPECTED[seed]?.[line];
        if (typeof want === 'function') want(r);
        else expect(r, line).toEqual(want ?? { exit: 0, output: '' });
      }
    });
  }

  it('seed 000 leaves the director as its script meant', () => {
    const w = new TestWorld();
    const d = seedHost('000', w);
    for (const line of SEEDS.get('000')!) if (!line.startsWith('ping')) w.sh(d, line);
    expect(d.sysctls.get('net.ipv4.ip_forward')).toBe(1);
    expect(d.sysctls.confValue('eth0', 'send_redirects')).toBe(0);
    expect(w.out(d, 'ip -4 addr show eth0')).toContain('    inet 81.57.54.100/24 brd 81.57.54.255 scope global secondary eth0:110\n');
    expect(w.out(d, 'route -n')).toContain('0.0.0.0         81.57.54.254    0.0.0.0         UG    1      0        0 eth0\n');
  });
});
