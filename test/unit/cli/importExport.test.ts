import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipvsTableRules, parseIpvsadmSave, parseIpvsadmScript, parseKeepalivedConf, type IpvsTable } from '../../../src/admin/importers/index.ts';
import { main } from '../../../src/cli/program.ts';
import { keepalivedConfigTest } from '../importers/keepalivedTool.ts';
import { lvsLab, REPO, tempDir } from './helpers.ts';

const SEEDS = fileURLToPath(new URL('../../fixtures/seeds/', import.meta.url));
const BROKEN = fileURLToPath(new URL('../../fixtures/keepalived-broken/', import.meta.url));
const importable = readdirSync(SEEDS)
  .filter((f) => !f.endsWith('.keepalived-config-test.txt') && !f.includes('ha.cf') && !f.includes('haresources'))
  .sort();

/** The CLI in-process (same code as bin/lvs-lab.js, without a process per call). */
function cli(args: string[]): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { status, out, err };
}

function importArgs(f: string, out: string): string[] {
  const args = ['import', join(SEEDS, f), '--out', out];
  if (f === 'seed002-ldirectord.cf') args.push('--haresources', join(SEEDS, 'seed002-haresources'));
  return args;
}

describe('lvs-lab import: every configuration in the seeds becomes a scenario that runs green', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  it('there are 11 importable seed configurations', () => {
    expect(importable).toHaveLength(11);
  });

  for (const f of importable) {
    it(`${f}: import exits 0, and lvs-lab run of the scenario exits 0`, () => {
      const yaml = join(tmp.dir, `${f}.yaml`);
      const imp = cli(importArgs(f, yaml));
      expect(imp.err.split('\n').filter((l) => / error: /.test(l))).toEqual([]);
      expect(imp.status).toBe(0);
      expect(imp.out).toMatch(/imported as (ipvsadm|ipvsadm-save|keepalived|ldirectord); scenario written to/);
      const run = cli(['run', yaml]);
      expect(run.err).toBe('');
      expect(run.out).toMatch(/expectations: \d+ passed, 0 failed/);
      expect(run.status).toBe(0);
    });
  }

  it('the scenario of the seed 000 rc script runs the script verbatim on the director, comments and all', () => {
    const yaml = join(tmp.dir, 'rc.yaml');
    expect(cli(importArgs('seed000-rc.lvs_nat-director.sh', yaml)).status).toBe(0);
    const text = readFileSync(yaml, 'utf8');
    expect(text).toContain('      # setup VIP\n      - "/sbin/ifconfig eth0:110 81.57.54.100 broadcast 81.57.54.255 netmask 255.255.255.0"\n');
    expect(text).toContain('      - "ping -c 1 192.168.0.1"\n');
    // The script's gateway is the router's address; real servers route through the director (NAT).
    expect(text).toMatch(/router:[\s\S]*addresses: \[81\.57\.54\.254\/24\]/);
    expect(text).toMatch(/rs1:[\s\S]*ip route add default via 192\.168\.0\.254/);
  });

  it('a keepalived scenario says which daemon behaviour it does not run', () => {
    const yaml = join(tmp.dir, 'ka.yaml');
    expect(cli(importArgs('seed004-keepalived-nat-sorry.conf', yaml)).status).toBe(0);
    const text = readFileSync(yaml, 'utf8');
    expect(text.replace(/\s+/g, ' ')).toMatch(/VRRP instance VI_1 \(VRID 51, priority 100[^)]*\) is not run/);
    expect(text.replace(/\s+/g, ' ')).toContain('HTTP_GET on 192.168.20.110 (every 3s, timeout 3s, retry 3, delay_before_retry 3s) is not run');
    expect(text).toMatch(/sorry_server 192\.168\.20\.113/);
  });

  it('a NAT script that never turns ip_forward on: the scenario shows the breakage and says so', () => {
    const script = readFileSync(join(SEEDS, 'seed004-lvs-nat.sh'), 'utf8').replace(/^echo .*ip_forward\n/m, '');
    const f = join(tmp.dir, 'no-forward.sh');
    writeFileSync(f, script);
    const yaml = join(tmp.dir, 'no-forward.yaml');
    expect(cli(['import', f, '--out', yaml]).status).toBe(0);
    const text = readFileSync(yaml, 'utf8');
    expect(text.replace(/\s+/g, ' ')).toContain('The script never sets net.ipv4.ip_forward to 1');
    expect(text).toContain('  - count: { kind: app, host: client, event: response }\n    equals: 0\n');
    const run = cli(['run', yaml]);
    expect(run.out).toMatch(/not-forwarding +\d+/);
    expect(run.status).toBe(0);
  });

  it('warnings go to stderr as FILE:LINE:COL: warning: ... [CODE]; the scenario is still written', () => {
    const f = join(SEEDS, 'seed004-keepalived-nat-sorry.conf');
    const r = cli(['import', f, '--out', join(tmp.dir, 'w.yaml')]);
    expect(r.status).toBe(0);
    expect(r.err.split('\n')[0]).toBe(`${f}:8:1: warning: Unknown keyword 'lvs_id' (keepalived 1.x; imported as router_id) [KA_LEGACY]`);
  });

  it('errors name file:line, no scenario is written, exit 2', () => {
    const f = join(BROKEN, 'vrrp-instance.conf');
    const out = join(tmp.dir, 'never.yaml');
    const r = cli(['import', f, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.err).toContain(`${f}:3:11: error: (VI_1) unknown state 'master', defaulting to BACKUP [KA_BAD_ENUM]\n`);
    expect(r.err).toMatch(/not imported \(\d+ error\(s\)\)/);
    expect(() => readFileSync(out)).toThrow();
  });

  it('--format overrides the guess; an unknown format is a usage error', () => {
    const f = join(SEEDS, 'seed002-ipvsadm-save-from-listing.txt');
    const asScript = cli(['import', f, '--format', 'ipvsadm']);
    // -A/-a alone are not programs: every line is skipped with a warning, and the director has no service.
    expect(asScript.err).toContain(':2:1: warning: -A: not a program the lab models; line skipped [SH_UNSUPPORTED]');
    expect(cli(['import', f, '--format', 'nginx']).status).toBe(2);
  });

  it('--topology replaces the generated topology: seed 004 on the blog\'s own network', () => {
    const topo = [
      'name: seed 004, the blog topology',
      'duration: 3s',
      'segments: { ext: {}, int: {} }',
      'hosts:',
      '  client:',
      '    interfaces: { eth0: { segment: ext, addresses: [192.168.10.24/24] } }',
      '  lvs:',
      '    interfaces:',
      '      eth1: { segment: ext, addresses: [192.168.10.11/24] }',
      '      eth0: { segment: int, addresses: [192.168.20.108/24] }',
      '    commands: [ "sysctl -w net.ipv4.conf.all.send_redirects=0" ]',
      '  web1:',
      '    interfaces: { eth0: { segment: int, addresses: [192.168.20.110/24] } }',
      '    commands: [ "ip route add default via 192.168.20.108" ]',
      '    services: [ { port: 80 } ]',
      '  web2:',
      '    interfaces: { eth0: { segment: int, addresses: [192.168.20.111/24] } }',
      '    commands: [ "ip route add default via 192.168.20.108" ]',
      '    services: [ { port: 80 } ]',
      'traffic:',
      '  - { at: 1s, from: client, to: 192.168.10.100:80, count: 4, interval: 100ms }',
      '',
    ].join('\n');
    const topoFile = join(tmp.dir, 'topo.yaml');
    writeFileSync(topoFile, topo);
    const out = join(tmp.dir, 'topo-imported.yaml');
    const r = cli(['import', join(SEEDS, 'seed004-lvs-nat.sh'), '--topology', topoFile, '--director', 'lvs', '--out', out]);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('ip addr add 192.168.10.100 label eth1:100 dev eth1');
    expect(text).toContain('sysctl -w net.ipv4.conf.all.send_redirects=0');
    const run = cli(['run', out]);
    expect(run.out).toMatch(/responses: 4 answered, 0 refused, 0 failed/);
    expect(run.status).toBe(0);
    const missing = cli(['import', join(SEEDS, 'seed004-lvs-nat.sh'), '--topology', topoFile]);
    expect(missing.status).toBe(2);
    expect(missing.err).toContain('the topology has no host named director');
  });

  it('through the real bin/lvs-lab.js too (stdout when no --out)', () => {
    const r = lvsLab(['import', join(SEEDS, 'seed004-lvs-nat.sh')], REPO);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^name: "Imported: seed004-lvs-nat.sh"\n/);
    expect(r.stdout).toContain('- "ipvsadm -A -t 192.168.10.100:80 -s lc"');
  });
});

describe('lvs-lab export', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  const scenarios = ['scenarios/lessons/nat-basic.yaml', 'scenarios/lessons/dr-basic.yaml', 'scenarios/lessons/tun-basic.yaml'];

  for (const s of scenarios) {
    it(`${s}: the exported keepalived.conf passes keepalived --config-test with nothing but missing-interface warnings`, () => {
      const out = join(tmp.dir, 'keepalived.conf');
      const r = cli(['export', join(REPO, s), '--format', 'keepalived', '--out', out]);
      expect(r.err).toBe('');
      expect(r.status).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(parseKeepalivedConf(text, out).diagnostics).toEqual([]);
      expect(keepalivedConfigTest(out).output).toBe('');
      expect(text).toMatch(/virtual_server \d+\.\d+\.\d+\.\d+ 80 \{/);
    });
  }

  it('an imported seed exported as keepalived.conf passes --config-test and keeps its services and servers', () => {
    const yaml = join(tmp.dir, 'm.yaml');
    expect(cli(importArgs('seed004-keepalived-vrrp-master.conf', yaml)).status).toBe(0);
    const out = join(tmp.dir, 'm.conf');
    expect(cli(['export', yaml, '--format', 'keepalived', '--out', out]).status).toBe(0);
    expect(keepalivedConfigTest(out).output).toBe('');
    const m = parseKeepalivedConf(readFileSync(out, 'utf8'), out).model;
    expect(m?.virtualServers.map((v) => [v.key, v.lbAlgo, v.lbKind, v.realServers.map((r) => r.address)])).toEqual([
      [{ kind: 'address', address: '192.168.10.100', port: 80 }, 'lc', 'NAT', ['192.168.20.110', '192.168.20.111']],
      [{ kind: 'address', address: '192.168.10.101', port: 80 }, 'lc', 'NAT', ['192.168.20.112']],
    ]);
    expect(m?.vrrpInstances[0].virtualIpAddresses.map((a) => `${a.address}/${a.prefix} ${a.dev} ${a.label}`)).toEqual(['192.168.10.100/24 eth1 eth1:100', '192.168.10.101/24 eth1 eth1:101']);
  });

  const sorted = (t: IpvsTable) => ipvsTableRules(t).sort();

  for (const f of ['seed000-howto-director-commands.sh', 'seed003-persistent-all-ports.sh', 'seed004-lvs-nat.sh']) {
    it(`${f}: ipvsadm -S export, then import, gives the same table`, () => {
      const original = parseIpvsadmScript(readFileSync(join(SEEDS, f), 'utf8'), f).model?.table as IpvsTable;
      const yaml = join(tmp.dir, `${f}.yaml`);
      expect(cli(importArgs(f, yaml)).status).toBe(0);
      const save = join(tmp.dir, `${f}.save`);
      expect(cli(['export', yaml, '--format', 'ipvsadm-save', '--out', save]).status).toBe(0);
      const saved = readFileSync(save, 'utf8');
      expect(sorted(parseIpvsadmSave(saved, save).model as IpvsTable)).toEqual(sorted(original));
      // And once more through a scenario: import the saved rules, export them again, byte for byte.
      const yaml2 = join(tmp.dir, `${f}.2.yaml`);
      expect(cli(['import', save, '--out', yaml2]).status).toBe(0);
      expect(cli(['run', yaml2]).status).toBe(0);
      const save2 = join(tmp.dir, `${f}.2.save`);
      expect(cli(['export', yaml2, '--format', 'ipvsadm-save', '--out', save2]).status).toBe(0);
      expect(readFileSync(save2, 'utf8')).toBe(saved);
    });
  }

  it('--host picks the director; a host without services or an unknown host is an error', () => {
    const lesson = join(REPO, 'scenarios/lessons/nat-basic.yaml');
    const ok = cli(['export', lesson, '--format', 'ipvsadm-save', '--host', 'director']);
    expect(ok.out).toBe('-A -t 10.0.0.100:80 -s rr\n-a -t 10.0.0.100:80 -r 192.168.1.2:8080 -m -w 1\n-a -t 10.0.0.100:80 -r 192.168.1.3:8080 -m -w 1\n');
    const none = cli(['export', lesson, '--format', 'ipvsadm-save', '--host', 'nobody']);
    expect(none.status).toBe(2);
    expect(none.err).toMatch(/no host named nobody/);
    writeFileSync(join(tmp.dir, 'empty.yaml'), 'name: x\nhosts:\n  h: {}\n');
    const empty = cli(['export', join(tmp.dir, 'empty.yaml'), '--format', 'keepalived']);
    expect(empty.status).toBe(2);
    expect(empty.err).toMatch(/no host .* has IPVS services/);
  });
});
