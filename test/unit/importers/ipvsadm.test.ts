import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat, ipvsTableRules, parseIpvsadmSave, parseIpvsadmScript, type IpvsTable, type IpvsadmScript } from '../../../src/admin/importers/index.ts';

const SEEDS = fileURLToPath(new URL('../../fixtures/seeds/', import.meta.url));
const read = (name: string) => readFileSync(join(SEEDS, name), 'utf8');

describe('ipvsadm scripts', () => {
  it('seed 000 rc script: every command kept verbatim in order, comments attached, the table and the addresses read', () => {
    const r = parseIpvsadmScript(read('seed000-rc.lvs_nat-director.sh'), 'rc.lvs');
    expect(r.diagnostics).toEqual([]);
    const s = r.model as IpvsadmScript;
    expect(s.commands.map((c) => c.program)).toEqual(['cat', 'echo', 'echo', 'cat', 'echo', 'cat', 'echo', 'cat', 'ifconfig', 'route', 'ipvsadm', 'ipvsadm', 'ipvsadm', 'ping', 'ipvsadm', 'ping', 'ipvsadm']);
    expect(s.commands[8]).toEqual({ line: 15, text: '/sbin/ifconfig eth0:110 81.57.54.100 broadcast 81.57.54.255 netmask 255.255.255.0', program: 'ifconfig', comments: ['setup VIP'] });
    expect(s.commands[0].comments).toEqual(['-----mini-HOWTO-setup-LVS-NAT-director----------', 'set ip_forward ON for vs-nat director (1 on, 0 off).']);
    expect(s.addresses).toEqual([{ line: 15, dev: 'eth0', label: 'eth0:110', address: '81.57.54.100', prefix: 24 }]);
    expect(s.defaultGateway).toEqual({ line: 17, via: '81.57.54.254' });
    expect(s.ipForward).toBe(true);
    expect(ipvsTableRules(s.table)).toEqual(['-A -t 81.57.54.100:23 -s rr', '-a -t 81.57.54.100:23 -r 192.168.0.1:23 -m -w 1', '-a -t 81.57.54.100:23 -r 192.168.0.2:23 -m -w 1']);
  });

  it('programs the lab does not have are skipped with a warning at their line; variables are not expanded', () => {
    const r = parseIpvsadmScript('service iptables start\nipvsadm -A -t $VIP:80\n/sbin/ipchains -L\nipvsadm -C # flush\n', 's.sh');
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(['s.sh:1:1 warning SH_UNSUPPORTED', 's.sh:2:1 warning SH_VARIABLE', 's.sh:3:1 warning SH_UNSUPPORTED']);
    expect(r.diagnostics[0].message).toBe('service iptables: the generated director runs no such unit; line skipped');
    expect(r.diagnostics[2].message).toBe('ipchains: not a program the lab models; line skipped');
    expect(r.model?.commands.map((c) => c.text)).toEqual(['ipvsadm -C']);
  });

  it('ipvsadm lines are checked against the table they build, as the kernel would refuse them', () => {
    const r = parseIpvsadmScript('ipvsadm -a -t 10.0.0.1:80 -r 10.0.1.1\nipvsadm -A -t 10.0.0.1:80 -s rr\nipvsadm -A -t 10.0.0.1:80 -s wlc\nipvsadm -A -t 10.0.0.2:0 -s rr\nipvsadm -A -t 10.0.0.3:http -s bogus-name\n', 's.sh');
    expect(r.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['1 SH_IPVSADM_NO_SUCH_SERVICE', '3 SH_IPVSADM_DUP_SERVICE', '4 SH_IPVSADM_ZERO_PORT', '5 SH_IPVSADM_BAD_VALUE']);
    expect(r.model).toBeUndefined();
  });

  it('ifconfig on an alias that has an address replaces it, as SIOCSIFADDR does', () => {
    const s = parseIpvsadmScript('ifconfig eth0:1 10.0.0.5 netmask 255.255.255.0\nifconfig eth0:2 10.0.0.6\nifconfig eth0:1 10.0.0.7\n', 's').model as IpvsadmScript;
    expect(s.addresses.map((a) => `${a.label} ${a.address}`)).toEqual(['eth0:2 10.0.0.6', 'eth0:1 10.0.0.7']);
  });

  it('seed 003: the persistent port-0 service with its DR server (port taken from the service)', () => {
    const s = parseIpvsadmScript(read('seed003-persistent-all-ports.sh'), 'x').model as IpvsadmScript;
    expect(ipvsTableRules(s.table)).toEqual(['-A -t 192.168.1.110:0 -s wrr -p 1800', '-a -t 192.168.1.110:0 -r 192.168.1.1:0 -g -w 1']);
  });

  it('-C clears, -e edits, -d and -D delete, listings change nothing', () => {
    const s = parseIpvsadmScript(
      'ipvsadm -A -t 1.1.1.1:80 -s rr\nipvsadm -a -t 1.1.1.1:80 -r 2.2.2.2 -m\nipvsadm -a -t 1.1.1.1:80 -r 2.2.2.3 -m\nipvsadm -e -t 1.1.1.1:80 -r 2.2.2.3 -m -w 0\nipvsadm -d -t 1.1.1.1:80 -r 2.2.2.2\nipvsadm -Ln\nipvsadm -A -u 1.1.1.1:53\nipvsadm -D -u 1.1.1.1:53\n',
      's.sh',
    ).model as IpvsadmScript;
    expect(ipvsTableRules(s.table)).toEqual(['-A -t 1.1.1.1:80 -s rr', '-a -t 1.1.1.1:80 -r 2.2.2.3:80 -m -w 0']);
    expect(parseIpvsadmScript('ipvsadm -A -t 1.1.1.1:80\nipvsadm -C\n', 's').model?.table.services).toEqual([]);
  });
});

describe('ipvsadm -S text', () => {
  it('reads the seed 002 table and prints it back identically', () => {
    const text = read('seed002-ipvsadm-save-from-listing.txt');
    const r = parseIpvsadmSave(text, 'save.txt');
    expect(r.diagnostics).toEqual([]);
    expect(ipvsTableRules(r.model as IpvsTable).join('\n') + '\n').toBe(text.replace(/^#.*\n/gm, ''));
  });

  it('long options, persistence with a mask, thresholds, fwmark and UDP services round-trip', () => {
    const text = ['-A -t 10.0.0.1:443 -s sh -p 600 -M 255.255.255.0', '-a -t 10.0.0.1:443 -r 10.0.1.1:443 -g -w 2 -x 100 -y 10', '-A -f 5 -s rr', '-a -f 5 -r 10.0.1.2:0 -i -w 1', '-A -u 10.0.0.1:53 -s rr -o', '-a -u 10.0.0.1:53 -r 10.0.1.3:5353 -m -w 1', ''].join('\n');
    const r = parseIpvsadmSave(text.replace('-A -f 5 -s rr', '--add-service --fwmark-service 5 --scheduler rr'), 'x');
    expect(r.diagnostics).toEqual([]);
    expect(ipvsTableRules(r.model as IpvsTable).join('\n') + '\n').toBe(text);
  });

  it('errors at file:line:column: a line that is not a rule, a bad address, a bad netmask', () => {
    const r = parseIpvsadmSave('-A -t 10.0.0.1:80 -s rr\nhello\n-a -t 10.0.0.1:80 -r 10.0.1.300 -m\n-A -t 10.0.0.2:80 -p 60 -M 255.0.255.0\n', 's.txt');
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['s.txt:2:1 SAVE_NOT_RULE', 's.txt:3:22 SAVE_BAD_VALUE', 's.txt:4:28 SAVE_BAD_VALUE']);
  });
});

describe('format detection', () => {
  const expected: Record<string, string> = {
    'seed000-rc.lvs_nat-director.sh': 'ipvsadm',
    'seed000-howto-director-commands.sh': 'ipvsadm',
    'seed002-ldirectord.cf': 'ldirectord',
    'seed002-ipvsadm-save-from-listing.txt': 'ipvsadm-save',
    'seed003-configure-masquerading.sh': 'ipvsadm',
    'seed003-persistent-all-ports.sh': 'ipvsadm',
    'seed004-keepalived-nat-sorry.conf': 'keepalived',
    'seed004-keepalived-vrrp-master.conf': 'keepalived',
    'seed004-keepalived-vrrp-backup.conf': 'keepalived',
    'seed004-lvs-nat.sh': 'ipvsadm',
    'seed004-same-subnet-ftp.sh': 'ipvsadm',
  };
  it('guesses every importable seed fixture right', () => {
    const files = readdirSync(SEEDS).filter((f) => !f.endsWith('.keepalived-config-test.txt') && !f.includes('ha.cf') && !f.includes('haresources'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
    for (const f of files) expect([f, detectFormat(read(f))]).toEqual([f, expected[f]]);
  });

  it('says nothing for text that is none of them', () => {
    expect(detectFormat('hello world\n')).toBeUndefined();
    expect(detectFormat('')).toBeUndefined();
  });
});
