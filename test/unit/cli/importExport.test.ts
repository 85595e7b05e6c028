import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ipvsTableRules, parseIpvsadmSave, parseIpvsadmScript, parseKeepalivedConf, vrrpSettings, type Diagnostic, type IpvsTable, type KeepalivedConfig } from '../../../src/admin/importers/index.ts';
import { main } from '../../../src/cli/program.ts';
import { importConfig, Lab } from '../../../src/lab/index.ts';
import { parseDocument, type YAMLSeq } from 'yaml';
import { keepalivedConfigTest } from '../importers/keepalivedTool.ts';
import { lvsLab, REPO, useTempDir } from './helpers.ts';

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
  const tmp = useTempDir();

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

  it('a keepalived scenario says what its daemon does', () => {
    const yaml = join(tmp.dir, 'ka.yaml');
    expect(cli(importArgs('seed004-keepalived-nat-sorry.conf', yaml)).status).toBe(0);
    const text = readFileSync(yaml, 'utf8').replace(/\s+/g, ' ');
    expect(text).toContain('VRRP instance VI_1 (VRID 51, priority 100, advert_int 1s) runs on eth0: with no peer it becomes MASTER after 3.609375 s');
    expect(text).toContain('The sorry server 192.168.20.113:80 of TCP 192.168.10.100:80 has a host of its own');
    expect(text).not.toContain('is not run');
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

/** Imports a file (through the library, as the CLI does) and builds the scenario in a Lab. */
function imported(file: string, text = readFileSync(join(SEEDS, file), 'utf8'), haresources?: string): { yaml: string; diagnostics: Diagnostic[]; lab: Lab } {
  const r = importConfig(text, { file, ...(haresources ? { haresources: { text: readFileSync(join(SEEDS, haresources), 'utf8'), file: haresources } } : {}) });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const yaml = r.scenarioYaml as string;
  return { yaml, diagnostics: r.diagnostics, lab: Lab.fromText(yaml, { file: `${file}.yaml` }) };
}

type Ev = Record<string, unknown>;
const evs = (lab: Lab, filter: Ev): Ev[] => (lab.events as unknown as Ev[]).filter((e) => Object.entries(filter).every(([k, v]) => e[k] === v));
const failed = (lab: Lab) => lab.expectations().filter((e) => !e.pass).map((e) => JSON.stringify(e));
const ipvsList = (lab: Lab): string => {
  let out = '';
  lab.runCommand('director', 'ipvsadm -L -n', (r) => (out = r.output));
  lab.runUntil(lab.now() + 1_000_000);
  return out;
};

describe('lvs-lab import: keepalived\'s lvs_timeouts', () => {
  const tmp = useTempDir();
  it('becomes the director\'s ipvsadm --set at start-up (0 leaves a timeout as it is), and ipvsadm -L --timeout shows it', () => {
    const text = readFileSync(join(SEEDS, 'seed004-keepalived-nat-sorry.conf'), 'utf8').replace(/global_defs \{/, 'global_defs {\n    lvs_timeouts tcp 7200 udp 60');
    const { yaml, diagnostics, lab } = imported('timeouts.conf', text);
    expect(diagnostics.filter((d) => d.message.includes('lvs_timeouts'))).toEqual([]);
    expect(yaml).toContain('"ipvsadm --set 7200 0 60"');
    lab.run(2_000_000_000);
    let out = '';
    lab.runCommand('director', 'ipvsadm -L --timeout', (r) => (out = r.output));
    lab.runUntil(lab.now() + 1_000_000);
    // tcpfin keeps the kernel's 120 s.
    expect(out).toBe('Timeout (tcp tcpfin udp): 7200 120 60\n');
  });

  it('a director whose timeouts were changed exports them as lvs_timeouts, which keepalived accepts; unchanged ones export nothing', () => {
    const yaml = join(tmp.dir, 'timeouts.yaml');
    const conf = join(tmp.dir, 'timeouts.conf');
    writeFileSync(yaml, imported('timeouts.conf', readFileSync(join(SEEDS, 'seed004-keepalived-nat-sorry.conf'), 'utf8').replace(/global_defs \{/, 'global_defs {\n    lvs_timeouts tcp 7200 udp 60')).yaml);
    expect(cli(['export', yaml, '--format', 'keepalived', '--out', conf]).status).toBe(0);
    const text = readFileSync(conf, 'utf8');
    expect(text).toContain('    lvs_timeouts tcp 7200 tcpfin 120 udp 60\n');
    expect(keepalivedConfigTest(conf).output).toBe('');
    const plain = join(tmp.dir, 'plain.yaml');
    writeFileSync(plain, imported('seed004-keepalived-nat-sorry.conf').yaml);
    expect(cli(['export', plain, '--format', 'keepalived', '--out', conf]).status).toBe(0);
    expect(readFileSync(conf, 'utf8')).not.toContain('lvs_timeouts');
  });
});

describe('lvs-lab import: a virtual server\'s ops and scheduler flags', () => {
  const tmp = useTempDir();
  const abs = fileURLToPath(new URL('../../fixtures/keepalived/ops-flags.conf', import.meta.url));

  it('keepalived\'s words: ops on a TCP service is reset (at its line, as recorded from --config-test); hashed changes nothing', () => {
    const r = parseKeepalivedConf(readFileSync(abs, 'utf8'), abs);
    const reset = r.diagnostics.filter((d) => d.code === 'KA_RESET');
    expect(reset.map((d) => `${d.line} ${d.message}`)).toEqual(['17 Virtual server [10.0.0.1]:tcp:80: one packet scheduling requires UDP - resetting']);
    expect(readFileSync(`${abs}.keepalived-config-test.txt`, 'utf8')).toContain(`${reset[0].message}\n`);
    expect(r.diagnostics.filter((d) => d.code === 'KA_NOT_MODELLED').map((d) => d.line)).toEqual([7]);
    const [udp, tcp] = (r.model as KeepalivedConfig).virtualServers;
    expect([udp.ops, udp.schedFlags]).toEqual([true, ['sh-port']]);
    expect([tcp.ops, tcp.schedFlags]).toEqual([undefined, ['mh-fallback', 'mh-port']]);
  });

  it('run as the director\'s services (ipvsadm -L -n shows them) and exported back for keepalived --config-test', () => {
    const { yaml, lab } = imported('ops-flags.conf', readFileSync(abs, 'utf8'));
    expect(yaml).toContain('          ops: yes');
    expect(yaml).toContain('          sched_flags: [sh-port]');
    expect(yaml).toContain('          sched_flags: [mh-fallback, mh-port]');
    lab.run(2_000_000_000);
    const list = ipvsList(lab);
    expect(list).toContain('UDP  10.0.0.1:53 sh (sh-port) ops');
    expect(list).toContain('TCP  10.0.0.1:80 mh (mh-fallback,mh-port)');
    const file = join(tmp.dir, 'ops.yaml');
    const conf = join(tmp.dir, 'ops.conf');
    writeFileSync(file, yaml);
    expect(cli(['export', file, '--format', 'keepalived', '--out', conf]).status).toBe(0);
    const text = readFileSync(conf, 'utf8');
    expect(text).toMatch(/lb_algo sh\n\s+sh-port\n\s+ops\n/);
    expect(text).toMatch(/lb_algo mh\n\s+mh-fallback\n\s+mh-port\n/);
    expect(keepalivedConfigTest(conf).output).toBe('');
  });
});

describe('lvs-lab import: an imported keepalived.conf or ldirectord.cf runs its daemon', () => {
  const keepalivedSeeds: [string, string[], number][] = [
    ['seed004-keepalived-nat-sorry.conf', ['192.168.20.110:80', '192.168.20.111:80'], 100],
    ['seed004-keepalived-vrrp-master.conf', ['192.168.20.110:80', '192.168.20.111:80', '192.168.20.112:80'], 101],
    ['seed004-keepalived-vrrp-backup.conf', ['192.168.20.110:80', '192.168.20.111:80', '192.168.20.112:80'], 100],
  ];
  for (const [f, servers, priority] of keepalivedSeeds) {
    it(`${f}: keepalived builds the table (no ipvsadm lines), VRRP becomes MASTER and adds the VIPs, every real server's HTTP_GET passes`, () => {
      const { yaml, lab } = imported(f);
      expect(yaml).toContain('    keepalived:\n');
      expect(yaml).not.toMatch(/ipvsadm -A|ipvsadm -a|ip addr add 192\.168\.10\.10[01]/);
      lab.run();
      expect(failed(lab)).toEqual([]);
      // VRRP: alone, the instance is MASTER after 3 × advert_int + (256 − priority)/256 s (RFC 3768 §6.1).
      const master = evs(lab, { kind: 'vrrp', host: 'director', instance: 'VI_1', to: 'MASTER' });
      expect(master).toHaveLength(1);
      expect(Number(master[0].t) / 1e9).toBeCloseTo(3 + (256 - priority) / 256, 3);
      // Health checks: every real server up at start-up, none ever down or failing, each asked for /index.html.
      for (const s of servers) {
        expect(evs(lab, { kind: 'health', host: 'director', server: s }).map((e) => e.event)).toEqual(['up']);
      }
      expect(evs(lab, { kind: 'health', event: 'down' }).length + evs(lab, { kind: 'health', event: 'failure' }).length).toBe(0);
      const list = ipvsList(lab);
      for (const s of servers) expect(list).toContain(`  -> ${s}`);
      expect(list).not.toContain('192.168.20.113');
    });
  }

  it('seed004-keepalived-nat-sorry.conf: when both real servers die, the checks take them out (inhibit_on_failure) and the sorry server, on its own host, answers', () => {
    const { yaml } = imported('seed004-keepalived-nat-sorry.conf');
    const doc = parseDocument(yaml);
    doc.set('timeline', doc.createNode([{ at: '6s', crash: 'rs1' }, { at: '6s', crash: 'rs2' }]));
    (doc.get('traffic') as YAMLSeq).add(doc.createNode({ at: '40s', from: 'client', to: '192.168.10.100:80', request: '100B' }));
    doc.set('duration', '42s');
    const lab = Lab.fromText(doc.toString(), { file: 'sorry.yaml' });
    lab.run();
    for (const s of ['192.168.20.110:80', '192.168.20.111:80']) {
      expect(evs(lab, { kind: 'health', server: s, event: 'down' }).map((e) => e.action)).toEqual(['weight 0']);
    }
    expect(evs(lab, { kind: 'health', event: 'sorry-on', server: '192.168.20.113:80' })).toHaveLength(1);
    const answers = evs(lab, { kind: 'app', host: 'client', event: 'response' });
    expect(answers).toHaveLength(5);
    expect(String(answers[4].detail)).toContain('from sorry');
  });

  it('seed002-ldirectord.cf with its haresources: ldirectord checks /check.txt, the fallback leaves, LVSSyncDaemonSwap::master starts the sync daemon', () => {
    const { yaml, lab } = imported('seed002-ldirectord.cf', undefined, 'seed002-haresources');
    expect(yaml).toContain('    ldirectord:\n');
    expect(yaml).not.toMatch(/ipvsadm -A|ipvsadm -a/);
    expect(yaml).toContain('- "ip addr add 10.10.10.53/24 dev eth0"\n');
    expect(yaml).toContain('- "ipvsadm --start-daemon master"\n');
    // The real servers serve the check file with a body that matches receive="webserverisworking".
    expect(yaml.match(/check: \{ path: "\/check\.txt", body: "webserverisworking\\n" \}/g)).toHaveLength(2);
    lab.run();
    expect(failed(lab)).toEqual([]);
    for (const s of ['192.168.200.102:80', '192.168.200.103:80']) {
      expect(evs(lab, { kind: 'health', host: 'director', server: s }).map((e) => [e.event, e.check])).toEqual([['up', 'negotiate']]);
    }
    expect(evs(lab, { kind: 'health', server: '127.0.0.1:80' }).map((e) => e.event)).toEqual(['fallback-on', 'fallback-off']);
    const list = ipvsList(lab);
    expect(list).toContain('TCP  10.10.10.53:80 lblc persistent 100');
    expect(list).not.toContain('127.0.0.1');
  });

  it('ldirectord: the check file matches a receive pattern; quiescent=yes starts real servers at weight 0; what the block cannot hold is warned about', () => {
    const cf = ['checktimeout=3', 'quiescent=yes', 'virtual=10.2.0.100:80', '\treal=10.2.1.11:80 gate 2 "alive.html", "yes"', '\treal=10.2.1.12:80 gate', '\tscheduler=wrr',
      '\trequest="status"', '\treceive="^All (is )?well\\.$"', '\tcheckinterval=3', 'virtual=10.2.0.100:25', '\treal=10.2.1.13:25 gate', '\tchecktype=external', ''].join('\n');
    const { yaml, diagnostics, lab } = imported('ld.cf', cf);
    expect(diagnostics.filter((d) => d.code === 'LD_LEFT_OUT').map((d) => `${d.line} ${d.message.split(':')[0]}`)).toEqual([
      '4 the real server\'s "request", "receive"',
      '9 checkinterval',
      '12 checktype=external',
    ]);
    expect(yaml).toContain('receive: "^All (is )?well\\\\.$"');
    expect(yaml.match(/check: \{ path: "\/status", body: "All well\." \}/g)).toHaveLength(2);
    // Both timeouts: ld_setup makes each the other's default.
    expect(yaml).toContain('      checktimeout: 3\n      negotiatetimeout: 3\n');
    lab.run();
    expect(failed(lab)).toEqual([]);
    expect(evs(lab, { kind: 'health', server: '10.2.1.11:80' }).map((e) => [e.event, e.action])).toEqual([['down', 'added weight 0'], ['up', 'weight 2']]);
    // checktype=external left out: the default negotiate (service smtp: a connect) brings the SMTP server up.
    expect(evs(lab, { kind: 'health', server: '10.2.1.13:25' }).map((e) => [e.event, e.check])).toEqual([['down', undefined], ['up', 'negotiate']]);
  });

  it('keywords the scenario cannot run are warned about at their line and left out', () => {
    const ka = imported('seed004-keepalived-nat-sorry.conf').diagnostics.filter((d) => d.code === 'KA_LEFT_OUT');
    expect(ka.map((d) => [d.line, d.message.split(':')[0]])).toEqual([
      [2, 'notification_email'],
      [5, 'notification_email_from'],
      [6, 'smtp_server'],
      [7, 'smtp_connect_timeout'],
    ]);
    const ld = imported('seed002-ldirectord.cf', undefined, 'seed002-haresources').diagnostics.filter((d) => d.code === 'LD_LEFT_OUT');
    expect(ld.map((d) => [d.line, d.message.split(':')[0]])).toEqual([
      [4, 'autoreload'],
      [5, 'logfile'],
    ]);
  });

  const conf = (check: string, vrrp = true) =>
    [
      ...(vrrp ? ['vrrp_instance VI_1 {', '  state MASTER', '  interface eth0', '  virtual_router_id 7', '  priority 150', '  virtual_ipaddress {', '    10.1.0.100/24', '  }', '}'] : []),
      'virtual_server 10.1.0.100 80 {',
      '  delay_loop 2',
      '  lb_algo rr',
      '  lb_kind DR',
      '  real_server 10.1.0.11 80 {',
      ...check.split('\n').map((l) => `    ${l}`),
      '  }',
      '  real_server 10.1.0.12 80 {',
      '    TCP_CHECK {',
      '      connect_port 8080',
      '      connect_timeout 1',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');

  it('an HTTP_GET digest: the real server serves a check file with that MD5 when one can be found; otherwise a warning and the digest is left out', () => {
    // md5("OK\n")
    const http = (url: string) => `HTTP_GET {\n  url {\n    path /health\n${url}  }\n}`;
    const ok = imported('d.conf', conf(http('    digest d36f8f9425c4a8000ad9c4a97185aca5\n')));
    expect(ok.yaml).toContain('url: [{ path: "/health", digest: d36f8f9425c4a8000ad9c4a97185aca5 }]');
    expect(ok.yaml).toContain('- { port: 80, response: 1KB, check: { path: "/health", body: "OK\\n" } }');
    // The TCP_CHECK's connect_port makes rs2 listen on 8080 too.
    expect(ok.yaml).toContain('- { port: 8080, response: 1KB }');
    ok.lab.run();
    expect(failed(ok.lab)).toEqual([]);
    expect(evs(ok.lab, { kind: 'health', event: 'down' })).toEqual([]);
    // md5 of 1 KB of zeros would match the default body of another path; this one matches nothing the lab serves.
    const bad = imported('d.conf', conf(http('    digest 00112233445566778899aabbccddeeff\n    status_code 404\n')));
    expect(bad.diagnostics.filter((d) => d.code === 'KA_LEFT_OUT').map((d) => `${d.line}: ${d.message}`)).toEqual([
      '19: status_code 404: the lab\'s web servers answer 200, so the check could never pass; left out of the scenario\'s keepalived block',
      '18: digest 00112233445566778899aabbccddeeff: no check file the generated server can serve at /health has that MD5 (the page it was taken from is not in the file); left out of the scenario\'s keepalived block',
    ]);
    expect(bad.yaml).toContain('url: [{ path: "/health" }]');
    bad.lab.run();
    expect(failed(bad.lab)).toEqual([]);
  });

  it('alpha, a sorry server, SSL_GET, PING_CHECK, a fwmark service, track_interface and lvs_sync_daemon: all run; MISC_CHECK is warned about', () => {
    const text = readFileSync(new URL('../../fixtures/import/keepalived-daemons.conf', import.meta.url), 'utf8');
    const { yaml, diagnostics, lab } = imported('keepalived-daemons.conf', text);
    expect(diagnostics.filter((d) => d.code === 'KA_LEFT_OUT' || d.code === 'KA_CHECK_PORT').map((d) => `${d.line} ${d.code} ${d.message.split(':')[0]}`)).toEqual([
      '43 KA_LEFT_OUT MISC_CHECK',
      '54 KA_CHECK_PORT TCP_CHECK of 172.16.1.13 has no port (the real server has none)',
    ]);
    expect(yaml).toContain('lvs_sync_daemon: { interface: eth0, instance: "VI_1", id: 5 }');
    // Its own interface, listed: carried as written (keepalived ignores it, "since own interface").
    expect(yaml).toContain('track_interface: ["eth0"]');
    lab.run();
    expect(failed(lab)).toEqual([]);
    // alpha: no real server is alive before its first check, so the sorry server is in at start-up and leaves
    // once the checks have passed (update_quorum_state); the traffic starts after that and reaches real servers.
    expect(evs(lab, { kind: 'health', server: '172.16.1.50:443' }).map((e) => e.event)).toEqual(['sorry-on', 'sorry-off']);
    expect(evs(lab, { kind: 'health', server: '172.16.1.11:443' }).map((e) => [e.event, e.check])).toEqual([['up', 'SSL_GET']]);
    expect(evs(lab, { kind: 'health', server: '172.16.1.12:443' }).map((e) => [e.event, e.check])).toEqual([['up', 'PING_CHECK']]);
    // The sync daemon follows VI_1: master once the instance is MASTER.
    let daemon = '';
    lab.runCommand('director', 'ipvsadm -L --daemon', (r) => (daemon = r.output));
    lab.runUntil(lab.now() + 1_000_000);
    expect(daemon).toBe('master sync daemon (mcast=eth0, syncid=5)\n');
  });

  it('virtual_servers without a vrrp_instance: the VIP is added by a command, keepalived still builds the table', () => {
    const { yaml, lab } = imported('novrrp.conf', conf('TCP_CHECK { connect_timeout 1 }', false));
    expect(yaml).toContain('- "ip addr add 10.1.0.100/32 dev eth0"');
    expect(yaml).not.toContain('vrrp_instances');
    lab.run();
    expect(failed(lab)).toEqual([]);
    expect(evs(lab, { kind: 'health', event: 'up' })).toHaveLength(2);
  });
});

describe('lvs-lab export', () => {
  const tmp = useTempDir();

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
    // The director's own vrrp_instance, with all of its addresses: the real servers' gateway on eth0 too.
    expect(m?.vrrpInstances[0].virtualIpAddresses.map((a) => `${a.address}/${a.prefix} ${a.dev} ${a.label}`)).toEqual(['192.168.10.100/24 eth1 eth1:100', '192.168.10.101/24 eth1 eth1:101', '192.168.20.200/24 eth0 undefined']);
    expect(m?.vrrpInstances[0]).toMatchObject({ name: 'VI_1', state: 'MASTER', virtualRouterId: 51, priority: 101, authentication: { authType: 'PASS', authPass: '1111' } });
  });

  it('unicast peers, tracked interfaces and a sync group: imported into the keepalived block, run, and exported back for keepalived --config-test', () => {
    const conf = fileURLToPath(new URL('../../fixtures/keepalived/vrrp-sync-unicast.conf', import.meta.url));
    const yaml = join(tmp.dir, 'sync.yaml');
    const imp = cli(['import', conf, '--out', yaml]);
    expect(imp.status).toBe(0);
    // Left out: the tracked interfaces the generated director lacks (it has eth0 and eth1). A unicast_src_ip it
    // does not have is kept: keepalived's raw socket sends from any address.
    expect(imp.err.split('\n').filter((l) => l.includes('KA_LEFT_OUT'))).toEqual([
      `${conf}:45: warning: track_interface eth2: the director has no interface eth2; left out of the scenario's keepalived block [KA_LEFT_OUT]`,
      `${conf}:46: warning: track_interface eth3: the director has no interface eth3; left out of the scenario's keepalived block [KA_LEFT_OUT]`,
    ]);
    const text = readFileSync(yaml, 'utf8');
    for (const line of ['unicast_peer: [10.0.0.3]', 'unicast_ttl: 64', 'check_unicast_src: yes', 'track_interface: ["eth1"]', 'dont_track_primary: yes', '"NAT_PAIR": { group: ["VI_OUT", "VI_IN"], sync_group_tracking_weight: yes }']) {
      expect(text).toContain(line);
    }
    const run = cli(['run', yaml]);
    expect(run.out).toMatch(/expectations: \d+ passed, 0 failed/);
    expect(run.status).toBe(0);
    const out = join(tmp.dir, 'sync.conf');
    expect(cli(['export', yaml, '--format', 'keepalived', '--out', out]).status).toBe(0);
    const live = keepalivedConfigTest(out);
    expect(live.output).toBe('');
    const m = parseKeepalivedConf(readFileSync(out, 'utf8'), out).model!;
    expect(m.vrrpSyncGroups.map((g) => [g.name, g.group, g.syncGroupTrackingWeight])).toEqual([['NAT_PAIR', ['VI_OUT', 'VI_IN'], true]]);
    const [vo, vi] = m.vrrpInstances;
    expect([vo.unicastPeers, vo.unicastTtl, vo.checkUnicastSrc, vo.trackInterfaces.map((t) => t.name)]).toEqual([['10.0.0.3'], 64, true, ['eth1']]);
    expect([vi.name, vi.dontTrackPrimary, vi.virtualIpAddresses.map((a) => `${a.address}/${a.prefix} ${a.dev}`)]).toEqual(['VI_IN', true, ['192.168.1.254/24 eth1']]);
  });

  it('a MASTER\'s answer to lower-priority adverts: imported with keepalived\'s effective values, run, and exported to a file that means the same to keepalived', () => {
    const conf = fileURLToPath(new URL('../../fixtures/keepalived/lower-prio.conf', import.meta.url));
    const yaml = join(tmp.dir, 'lower.yaml');
    const imp = cli(['import', conf, '--out', yaml]);
    expect(imp.status).toBe(0);
    expect(imp.err).toBe('');
    const text = readFileSync(yaml, 'utf8');
    // VI_1: its own repeat, the global delay, its own no-advert, the global send-advert. VI_2: the global
    // vrrp_garp_master_repeat as its repeat (keepalived's default for vrrp_garp_lower_prio_repeat), its own rest.
    const keys = (name: string) => {
      const block = text.slice(text.indexOf(`"${name}":`)).split('\n').slice(1);
      const end = block.findIndex((l) => !l.startsWith('          '));
      return block.slice(0, end).filter((l) => /garp_lower|lower_prio|higher_prio/.test(l)).map((l) => l.trim());
    };
    expect(keys('VI_1')).toEqual(['garp_lower_prio_repeat: 2', 'garp_lower_prio_delay: 7', 'lower_prio_no_advert: yes', 'higher_prio_send_advert: yes']);
    expect(keys('VI_2')).toEqual(['garp_lower_prio_repeat: 3', 'garp_lower_prio_delay: 0', 'lower_prio_no_advert: no', 'higher_prio_send_advert: no']);
    const run = cli(['run', yaml]);
    expect(run.status).toBe(0);
    const out = join(tmp.dir, 'lower.conf');
    expect(cli(['export', yaml, '--format', 'keepalived', '--out', out]).status).toBe(0);
    expect(keepalivedConfigTest(out).output).toBe('');
    const settings = (file: string) => {
      const m = parseKeepalivedConf(readFileSync(file, 'utf8'), file).model!;
      return m.vrrpInstances.map((i) => {
        const e = vrrpSettings(m.globalDefs, i);
        return [i.name, e.garpLowerPrioRepeat, e.garpLowerPrioDelay, e.lowerPrioNoAdvert, e.higherPrioSendAdvert];
      });
    };
    expect(settings(conf)).toEqual([['VI_1', 2, 7, true, true], ['VI_2', 3, 0, false, false]]);
    expect(settings(out)).toEqual(settings(conf));
  });

  it('vrrp_strict: imported as the RFC behaviour it forces, and an instance\'s own contrary value is warned about at its line', () => {
    const conf = join(tmp.dir, 'strict.conf');
    writeFileSync(conf, ['global_defs {', '    vrrp_strict', '}', 'vrrp_instance VI_1 {', '    interface eth0', '    virtual_router_id 51', '    priority 150', '    higher_prio_send_advert', '    virtual_ipaddress {', '        10.0.0.100/24', '    }', '}', ''].join('\n'));
    const yaml = join(tmp.dir, 'strict.yaml');
    const imp = cli(['import', conf, '--out', yaml]);
    expect(imp.status).toBe(0);
    expect(imp.err.split('\n').filter((l) => l !== '')).toEqual([
      `${conf}:2: warning: vrrp_strict: its rules on the configuration are applied to each instance, but not its default of no accept mode (keepalived's firewall rules dropping traffic to the virtual addresses of a MASTER that does not own them, virtual services included); left out of the scenario's keepalived block [KA_LEFT_OUT]`,
      `${conf}:8: warning: higher_prio_send_advert: vrrp_strict makes it off, as keepalived does ("(VI_1) strict mode requires higher_prio_send_advert to be clear. resetting") [KA_STRICT]`,
    ]);
    const text = readFileSync(yaml, 'utf8');
    for (const line of ['garp_lower_prio_repeat: 0', 'garp_lower_prio_delay: 0', 'lower_prio_no_advert: yes', 'higher_prio_send_advert: no']) expect(text).toContain(line);
    expect(cli(['run', yaml]).status).toBe(0);
  });

  // test/fixtures/keepalived/strict-mode.conf: per-instance strict_mode (on, yes, true, off, bare), a global
  // vrrp_min_garp, and every rule of strict mode the lab applies; keepalived 2.2.7's --config-test output is
  // recorded next to it. keepalived stops at VI_5 (no VIP, refused in strict mode): it is last in the file.
  it('strict_mode and vrrp_min_garp: keepalived\'s resets, in its words, and nothing it does not say', () => {
    const abs = join(SEEDS, '../keepalived/strict-mode.conf');
    const text = readFileSync(abs, 'utf8');
    const said = readFileSync(`${abs}.keepalived-config-test.txt`, 'utf8').split('\n').filter((l) => l !== '');
    // The whole file: the instance without a VIP is refused, as keepalived refuses it.
    const whole = parseKeepalivedConf(text, abs);
    expect(whole.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line} ${d.message}`)).toEqual(['121 (VI_5) No VIP specified; at least one is required']);
    // Without it, the import goes through; each reset is reported at its line in keepalived's words.
    const r = importConfig(text.slice(0, text.indexOf('vrrp_instance VI_5')), { file: 'strict-mode.conf' });
    const resets = r.diagnostics.filter((d) => d.code === 'KA_STRICT' || d.code === 'KA_RESET');
    const words = (m: string) => /\("(\(.*)"\)$/.exec(m)?.[1] ?? m;
    expect(resets.map((d) => words(d.message)).sort()).toEqual(said.filter((l) => !l.startsWith('(VI_5)')).sort());
    expect(resets.map((d) => `${d.line} ${d.code}`)).toEqual(['6 KA_STRICT', '23 KA_STRICT', '53 KA_STRICT', '56 KA_STRICT', '57 KA_STRICT', '93 KA_RESET', '100 KA_STRICT', '115 KA_RESET']);
    const yaml = r.scenarioYaml as string;
    const block = (name: string) => {
      const b = yaml.slice(yaml.indexOf(`"${name}":`)).split('\n').slice(1);
      return b.slice(0, b.findIndex((l) => !l.startsWith('          '))).map((l) => l.trim());
    };
    // VI_1: strict, state MASTER at priority 150 runs as BACKUP; VI_9: BACKUP at 255 runs as MASTER; VI_10:
    // MASTER without priority is the owner (255) and its preempt_delay is cleared; VI_2: no authentication.
    expect(block('VI_1')).toContain('state: BACKUP');
    expect(block('VI_9')).toContain('state: MASTER');
    expect(block('VI_10')).toEqual(expect.arrayContaining(['state: MASTER', 'priority: 255']));
    expect(block('VI_10').some((l) => l.startsWith('preempt_delay'))).toBe(false);
    expect(block('VI_2').some((l) => l.startsWith('auth_pass'))).toBe(false);
    expect(block('VI_4').some((l) => l.startsWith('preempt_delay'))).toBe(false);
    // VI_6 is strict_mode off under no vrrp_strict: its MASTER state and preempt stay; vrrp_min_garp: one GARP,
    // no second burst, in every instance that does not set its own.
    expect(block('VI_6')).toEqual(expect.arrayContaining(['state: MASTER', 'priority: 100', 'garp_master_repeat: 3', 'garp_master_delay: 0']));
    expect(block('VI_1')).toEqual(expect.arrayContaining(['garp_master_repeat: 1', 'garp_master_delay: 0']));
    // The per-instance strict_mode is said once per instance that turns it on: the firewall of no accept mode.
    expect(r.diagnostics.filter((d) => d.code === 'KA_LEFT_OUT' && d.message.startsWith('strict_mode')).map((d) => d.line)).toEqual([10, 22, 37, 52, 80, 104, 114]);
    // And the scenario runs: every instance alone on its network becomes MASTER.
    const lab = Lab.fromText(yaml, { file: 'strict-mode.yaml' });
    lab.run();
    expect(failed(lab)).toEqual([]);
  });

  it('a scenario\'s keepalived block with every new keyword exports to a file keepalived --config-test accepts, word for word', () => {
    const yaml = join(tmp.dir, 'block.yaml');
    writeFileSync(
      yaml,
      [
        'name: block',
        'segments: { a: {}, b: {} }',
        'hosts:',
        '  d:',
        '    interfaces:',
        '      eth0: { segment: a, addresses: [10.0.0.1/24] }',
        '      eth1: { segment: b, addresses: [192.168.1.1/24] }',
        '    commands: [ip addr add 10.0.0.11/24 dev eth0]',
        '    keepalived:',
        '      vrrp_instances:',
        '        VI_1: { state: MASTER, interface: eth0, virtual_router_id: 51, priority: 150, advert_int: 2, nopreempt: no, virtual_ipaddress: [10.0.0.100/24], unicast_peer: [10.0.0.2, 10.0.0.3], unicast_src_ip: 10.0.0.11, unicast_ttl: 32, check_unicast_src: yes, track_interface: [eth1, "eth0 weight 10"] }',
        '        VI_2: { interface: eth1, virtual_router_id: 52, priority: 140, virtual_ipaddress: [192.168.1.254/24 label eth1:gw], track_interface: ["eth0 weight -30 reverse"], dont_track_primary: yes }',
        '      vrrp_sync_groups: { G: { group: [VI_1, VI_2], sync_group_tracking_weight: yes } }',
        '      virtual_servers:',
        '        - { virtual: 10.0.0.100:80, lb_kind: NAT, real_servers: [{ address: 192.168.1.11:80 }] }',
        '',
      ].join('\n'),
    );
    const out = join(tmp.dir, 'block.conf');
    const r = cli(['export', yaml, '--format', 'keepalived', '--out', out]);
    expect(r.err).toBe('');
    expect(keepalivedConfigTest(out).output).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(['    unicast_src_ip 10.0.0.11', '    unicast_peer {', '        10.0.0.2', '        10.0.0.3', '    }', '    unicast_ttl 32', '    check_unicast_src'].join('\n'));
    const m = parseKeepalivedConf(text, out).model!;
    expect(m.vrrpSyncGroups.map((g) => [g.name, g.group, g.syncGroupTrackingWeight])).toEqual([['G', ['VI_1', 'VI_2'], true]]);
    expect(m.vrrpInstances.map((i) => [i.name, i.advertInt, i.trackInterfaces.map((t) => [t.name, t.weight, t.reverse]), i.dontTrackPrimary])).toEqual([
      ['VI_1', 2, [['eth1', undefined, undefined], ['eth0', 10, undefined]], undefined],
      ['VI_2', 1, [['eth0', -30, true]], true],
    ]);
    expect(m.vrrpInstances[1].virtualIpAddresses[0]).toMatchObject({ address: '192.168.1.254', prefix: 24, dev: 'eth1', label: 'eth1:gw' });
  });

  it('a lesson\'s NAT pair exported per director keeps its sync group and both instances', () => {
    const lesson = join(REPO, 'scenarios/lessons/keepalived-nat-sync-group.yaml');
    for (const [host, state, prio] of [['lvs1', 'MASTER', 150], ['lvs2', 'BACKUP', 100]] as const) {
      const out = join(tmp.dir, `${host}.conf`);
      const r = cli(['export', lesson, '--format', 'keepalived', '--host', host, '--out', out]);
      expect(r.err).toBe('');
      expect(keepalivedConfigTest(out).output).toBe('');
      const m = parseKeepalivedConf(readFileSync(out, 'utf8'), out).model!;
      expect(m.vrrpSyncGroups[0].group).toEqual(['VI_OUT', 'VI_IN']);
      expect(m.vrrpInstances.map((i) => [i.name, i.state, i.priority, i.interface, i.virtualIpAddresses[0].label])).toEqual([
        ['VI_OUT', state, prio, 'eth0', 'eth0:vip'],
        ['VI_IN', state, prio, 'eth1', 'eth1:gw'],
      ]);
    }
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
