import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkerSettings,
  describeKeepalived,
  KEEPALIVED_REPORTED_CODES,
  keepalivedFromIpvsTable,
  parseKeepalivedConf,
  printKeepalivedConf,
  vrrpSettings,
  masterDownInterval,
  type HttpChecker,
  type KeepalivedConfig,
} from '../../../src/admin/importers/index.ts';
import { keepalivedConfigTest, recordedConfigTest } from './keepalivedTool.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const SEEDS = join(FIXTURES, 'seeds');
const BROKEN = join(FIXTURES, 'keepalived-broken');
const GOOD = join(FIXTURES, 'keepalived');
const seedConfs = readdirSync(SEEDS).filter((f) => f.endsWith('.conf')).map((f) => join(SEEDS, f));
const goodConfs = readdirSync(GOOD).filter((f) => f.endsWith('.conf')).map((f) => join(GOOD, f));
const brokenConfs = readdirSync(BROKEN).filter((f) => f.endsWith('.conf')).map((f) => join(BROKEN, f));

function parseFile(abs: string) {
  return parseKeepalivedConf(readFileSync(abs, 'utf8'), abs);
}

/** The lines of our diagnostics in the classes keepalived reports (unknown, deprecated, bad value). */
function ourLines(abs: string): number[] {
  const r = parseFile(abs);
  return [...new Set(r.diagnostics.filter((d) => KEEPALIVED_REPORTED_CODES.has(d.code)).map((d) => d.line))].sort((a, b) => a - b);
}

describe('keepalived.conf: the real keepalived --config-test is the yardstick', () => {
  it('has the three keepalived.conf files of seed 004 and a set of broken files', () => {
    expect(seedConfs.length).toBe(3);
    expect(brokenConfs.length).toBeGreaterThanOrEqual(6);
  });

  for (const abs of [...seedConfs, ...goodConfs, ...brokenConfs]) {
    const name = abs.slice(FIXTURES.length);
    it(`${name}: keepalived prints what is recorded, and we report keyword problems on the same lines`, () => {
      const live = keepalivedConfigTest(abs);
      expect(live.output).toBe(recordedConfigTest(abs, live));
      expect(ourLines(abs)).toEqual(live.lines);
    });
  }

  it('broken files really are broken on many lines (the comparison is not vacuous)', () => {
    for (const abs of brokenConfs) expect(ourLines(abs).length, abs).toBeGreaterThanOrEqual(2);
    expect(brokenConfs.map(ourLines).flat().length).toBeGreaterThanOrEqual(60);
  });
});

describe('keepalived.conf: lvs_timeouts', () => {
  it('bad options get keepalived 2.2.7\'s own messages on its lines (the recorded --config-test output, word for word)', () => {
    const abs = join(BROKEN, 'lvs-timeouts.conf');
    const ours = parseFile(abs).diagnostics.map((d) => `(Line ${d.line}) ${d.message}`).sort();
    expect(ours).toEqual(readFileSync(`${abs}.keepalived-config-test.txt`, 'utf8').split('\n').filter((l) => l !== '').sort());
  });

  it('is read per option, the last value of each winning, and printed back', () => {
    const r = parseKeepalivedConf(['global_defs {', '    lvs_timeouts tcp 7200 udp 300', '    lvs_timeouts tcpfin 120 tcp 900', '}', ''].join('\n'), 't.conf');
    expect(r.diagnostics).toEqual([]);
    const m = r.model as KeepalivedConfig;
    expect(m.globalDefs.lvsTimeouts).toEqual({ tcp: 900, udp: 300, tcpfin: 120 });
    expect(printKeepalivedConf(m)).toContain('    lvs_timeouts tcp 900 tcpfin 120 udp 300\n');
  });
});

describe('keepalived.conf: no keyword is accepted in silence', () => {
  // A keyword line either changes the parsed model or is said at its line (not modelled, left out, deprecated…):
  // removing it and parsing again must show one or the other. Lines with braces open or close blocks and are
  // left in place (their keyword's block is what the other lines fill).
  for (const abs of [...seedConfs, ...goodConfs]) {
    it(`${basename(abs)}: every keyword line has an effect on the model or a diagnostic at its line`, () => {
      const full = readFileSync(abs, 'utf8');
      // strict-mode.conf ends with an instance keepalived refuses (no model at all): checked without it.
      const text = basename(abs) === 'strict-mode.conf' ? full.slice(0, full.indexOf('vrrp_instance VI_5')) : full;
      const whole = parseKeepalivedConf(text, abs);
      expect(whole.model).toBeDefined();
      const lines = text.split('\n');
      const silent: string[] = [];
      let checked = 0;
      lines.forEach((l, i) => {
        const t = l.trim();
        if (t === '' || t.startsWith('#') || t.startsWith('!') || t.includes('{') || t.includes('}')) return;
        checked++;
        if (whole.diagnostics.some((d) => d.line === i + 1)) return;
        const same = (line: string) => {
          const other = parseKeepalivedConf([...lines.slice(0, i), line, ...lines.slice(i + 1)].join('\n'), abs);
          // No model without the line (a required keyword) is an effect too.
          return other.model !== undefined && JSON.stringify(normalised(other.model)) === JSON.stringify(normalised(whole.model as KeepalivedConfig));
        };
        // Without the line; and when that changes nothing (a value another line had already set, as
        // vrrp_min_garp sets vrrp_garp_master_repeat 1), with its number changed.
        if (same('') && (!/\d+\s*$/.test(l) || same(l.replace(/(\d+)\s*$/, (n) => String(Number(n) + 1))))) silent.push(`${i + 1}: ${t}`);
      });
      expect(checked).toBeGreaterThan(5);
      expect(silent).toEqual([]);
    });
  }
});

describe('keepalived.conf: seed 004', () => {
  const master = parseFile(join(SEEDS, 'seed004-keepalived-vrrp-master.conf'));
  const single = parseFile(join(SEEDS, 'seed004-keepalived-nat-sorry.conf'));

  it('every seed file imports, with warnings only: lvs_id and nat_mask (1.x) and nb_get_retry, each at its line', () => {
    for (const abs of seedConfs) {
      const r = parseFile(abs);
      expect(r.model, abs).toBeDefined();
      expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    }
    const file = join(SEEDS, 'seed004-keepalived-nat-sorry.conf');
    expect(single.diagnostics.map((d) => `${d.file === file ? 'F' : d.file}:${d.line}:${d.code}`)).toEqual(['F:8:KA_LEGACY', 'F:30:KA_LEGACY', 'F:45:KA_DEPRECATED', 'F:59:KA_DEPRECATED']);
  });

  it('reads global_defs, the VRRP instance and the virtual servers into the model', () => {
    const m = master.model as KeepalivedConfig;
    expect(m.globalDefs.routerId).toBe('LVS_DEVEL');
    expect(m.globalDefs.notificationEmail).toEqual(['sakai@aplogics.com']);
    expect(m.globalDefs.smtpServer).toEqual({ host: 'localhost' });
    const vi = m.vrrpInstances[0];
    expect(vi).toMatchObject({ name: 'VI_1', state: 'MASTER', interface: 'eth0', virtualRouterId: 51, priority: 101, advertInt: 1, authentication: { authType: 'PASS', authPass: '1111' } });
    expect(vi.virtualIpAddresses.map((a) => [a.address, a.prefix, a.dev, a.label])).toEqual([
      ['192.168.10.100', 24, 'eth1', 'eth1:100'],
      ['192.168.10.101', 24, 'eth1', 'eth1:101'],
      ['192.168.20.200', 24, 'eth0', undefined],
    ]);
    expect(m.virtualServers.map((v) => [v.key, v.lbAlgo, v.lbKind, v.protocol, v.delayLoop, v.virtualhost, v.realServers.length])).toEqual([
      [{ kind: 'address', address: '192.168.10.100', port: 80 }, 'lc', 'NAT', 'TCP', 3, 'test.com', 2],
      [{ kind: 'address', address: '192.168.10.101', port: 80 }, 'lc', 'NAT', 'TCP', 3, 'test.com', 1],
    ]);
    const rs = m.virtualServers[0].realServers[0];
    expect(rs).toMatchObject({ address: '192.168.20.110', port: 80, weight: 1, inhibitOnFailure: true });
    const c = rs.checkers[0] as HttpChecker;
    expect(c).toMatchObject({ kind: 'HTTP_GET', connectTimeout: 3, nbGetRetry: 3, delayBeforeRetry: 3 });
    expect(c.urls).toEqual([{ line: 42, path: '/index.html', statusCodes: [[200, 200]], regexNoMatch: false }]);
  });

  it('the single-director file has the sorry server; the priority annotation after 101 is ignored as keepalived ignores it', () => {
    const m = single.model as KeepalivedConfig;
    expect(m.virtualServers[0].sorryServer).toEqual({ line: 34, address: '192.168.20.113', port: 80 });
    expect(master.model?.vrrpInstances[0].priority).toBe(101);
  });

  it('effective settings apply keepalived defaults and inheritance (nb_get_retry is retry)', () => {
    const m = master.model as KeepalivedConfig;
    const vs = m.virtualServers[0];
    const rs = vs.realServers[0];
    expect(checkerSettings(vs, rs, rs.checkers[0])).toEqual({ delayLoop: 3, connectTimeout: 3, retry: 3, delayBeforeRetry: 3, warmup: 3, alpha: false, connectIp: '192.168.20.110', connectPort: 80 });
    const e = vrrpSettings(m.globalDefs, m.vrrpInstances[0]);
    expect(e).toMatchObject({ state: 'MASTER', priority: 101, advertInt: 1, preempt: true, version: 2, garpMasterRepeat: 5, garpMasterDelay: 5, authPass: '1111' });
    // RFC 3768 §6.1: 3 × 1 s + (256 − 101)/256 s.
    expect(masterDownInterval(1, 101)).toBeCloseTo(3.60546875, 9);
  });

  it('describes the director: the steady-state IPVS table and the VIPs on their interfaces', () => {
    const d = describeKeepalived(master.model as KeepalivedConfig);
    expect(d.table.services.map((s) => [s.key, s.scheduler, s.destinations.map((x) => `${x.address}:${x.port} ${x.fwd} ${x.weight}`)])).toEqual([
      [{ kind: 'address', protocol: 'tcp', address: '192.168.10.100', port: 80 }, 'lc', ['192.168.20.110:80 masq 1', '192.168.20.111:80 masq 1']],
      [{ kind: 'address', protocol: 'tcp', address: '192.168.10.101', port: 80 }, 'lc', ['192.168.20.112:80 masq 1']],
    ]);
    expect(d.addresses.map((a) => `${a.address}/${a.prefix} ${a.dev}`)).toEqual(['192.168.10.100/24 eth1', '192.168.10.101/24 eth1', '192.168.20.200/24 eth0']);
  });
});

/**
 * The model without source lines, with nb_get_retry moved to retry and an instance's lvs_sync_daemon_interface
 * to the global lvs_sync_daemon (the printer writes the current keywords).
 */
function normalised(m: KeepalivedConfig): unknown {
  const legacy = m.vrrpInstances.find((i) => i.lvsSyncDaemonInterface !== undefined);
  const modern: KeepalivedConfig = {
    ...m,
    globalDefs: { ...m.globalDefs, ...(m.globalDefs.lvsSyncDaemon ?? !legacy ? {} : { lvsSyncDaemon: { interface: legacy.lvsSyncDaemonInterface as string, instance: legacy.name } }) },
    vrrpInstances: m.vrrpInstances.map((i) => ({ ...i, lvsSyncDaemonInterface: undefined })),
  };
  return JSON.parse(
    JSON.stringify(modern, (k, v: unknown) => (k === 'line' ? undefined : v)),
    function (this: Record<string, unknown>, k, v: unknown) {
      if (k === 'nbGetRetry') {
        if (this.retry === undefined) this.retry = v;
        return undefined;
      }
      return v;
    },
  );
}

describe('keepalived.conf: the reference example (config-formats.md §1.6)', () => {
  it('imports without a diagnostic, checkers and all', () => {
    const r = parseFile(join(GOOD, 'reference-example.conf'));
    expect(r.diagnostics).toEqual([]);
    const vs = (r.model as KeepalivedConfig).virtualServers[0];
    expect(vs).toMatchObject({ lbAlgo: 'wrr', lbKind: 'DR', persistenceTimeout: 300, persistenceGranularity: '255.255.255.0', sorryServer: { address: '10.0.0.9', port: 80 } });
    const [web, tcp, misc] = vs.realServers;
    const http = web.checkers[0] as HttpChecker;
    expect(http.urls.map((u) => [u.path, u.statusCodes, u.digest])).toEqual([
      ['/health', [[200, 200]], undefined],
      ['/index.html', [], '0f343b0931126a20f133d67c2b018a3b'],
    ]);
    expect(checkerSettings(vs, web, http)).toMatchObject({ delayLoop: 5, connectTimeout: 3, retry: 2, delayBeforeRetry: 2 });
    expect(checkerSettings(vs, tcp, tcp.checkers[0])).toMatchObject({ connectPort: 80, connectTimeout: 3, retry: 1, delayBeforeRetry: 1 });
    expect(misc.checkers[0]).toMatchObject({ kind: 'MISC_CHECK', miscPath: '/usr/local/bin/check_app 10.0.0.23', miscTimeout: 4 });
    expect(checkerSettings(vs, misc, misc.checkers[0]).retry).toBe(0);
  });
});

describe('keepalived.conf printer', () => {
  it('parse(print(model)) gives the model back for every seed file and the reference example', () => {
    // strict-mode.conf has no model: keepalived refuses its instance without a VIP, and so does the parser.
    const withModel = [...seedConfs, ...goodConfs].filter((abs) => parseFile(abs).model !== undefined);
    expect([...seedConfs, ...goodConfs].filter((abs) => !withModel.includes(abs)).map((abs) => basename(abs))).toEqual(['strict-mode.conf']);
    for (const abs of withModel) {
      const m = parseFile(abs).model as KeepalivedConfig;
      const again = parseKeepalivedConf(printKeepalivedConf(m), 'printed.conf');
      expect(again.diagnostics).toEqual([]);
      expect(normalised(again.model as KeepalivedConfig)).toEqual(normalised(m));
    }
  });

  // Not accepted-keywords.conf: it exists to check that keepalived's keywords are accepted, and the lab drops
  // the ones it does not model (its script_user among them), which changes what keepalived then says.
  it('a printed seed file, and the printed reference example, pass keepalived --config-test with nothing but missing-interface warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvs-lab-ka-'));
    try {
      for (const abs of [...seedConfs, join(GOOD, 'reference-example.conf')]) {
        const out = join(dir, 'printed.conf');
        writeFileSync(out, printKeepalivedConf(parseFile(abs).model as KeepalivedConfig));
        expect(keepalivedConfigTest(out).output, abs).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a table exported as keepalived.conf has a virtual_server per service and a checker per TCP real server', () => {
    const text = printKeepalivedConf(
      keepalivedFromIpvsTable(
        {
          services: [
            { key: { kind: 'address', protocol: 'tcp', address: '10.0.0.100', port: 80 }, scheduler: 'wrr', persistent: 300, netmask: '255.255.255.0', onePacket: false, line: 1, destinations: [{ address: '10.0.1.2', port: 8080, fwd: 'masq', weight: 3, line: 2 }, { address: '10.0.1.3', port: 80, fwd: 'route', weight: 0, line: 3 }] },
            { key: { kind: 'fwmark', mark: 7 }, scheduler: 'rr', onePacket: false, line: 4, destinations: [{ address: '10.0.1.2', port: 0, fwd: 'route', weight: 1, line: 5 }] },
          ],
        },
        [{ address: '10.0.0.100', prefix: 24, dev: 'eth0', label: 'eth0:vip' }],
        'lab',
      ),
    );
    const back = parseKeepalivedConf(text, 'x.conf');
    expect(back.diagnostics).toEqual([]);
    const m = back.model as KeepalivedConfig;
    expect(m.vrrpInstances[0].virtualIpAddresses[0]).toMatchObject({ address: '10.0.0.100', prefix: 24, dev: 'eth0', label: 'eth0:vip' });
    const [web, mark] = m.virtualServers;
    expect(web).toMatchObject({ lbAlgo: 'wrr', lbKind: 'NAT', persistenceTimeout: 300, persistenceGranularity: '255.255.255.0', protocol: 'TCP' });
    expect(web.realServers.map((r) => [r.address, r.port, r.weight, r.lvsMethod, r.checkers[0]?.kind])).toEqual([
      ['10.0.1.2', 8080, 3, undefined, 'TCP_CHECK'],
      ['10.0.1.3', 80, 0, 'DR', 'TCP_CHECK'],
    ]);
    expect(mark.key).toEqual({ kind: 'fwmark', mark: 7 });
    expect(mark.protocol).toBeUndefined();
    expect(mark.realServers[0].port).toBeUndefined();
  });
});

describe('keepalived.conf: unicast peers, interface tracking and sync groups', () => {
  const abs = join(GOOD, 'vrrp-sync-unicast.conf');

  it('reads them into the model', () => {
    const r = parseFile(abs);
    expect(r.diagnostics).toEqual([]);
    const m = r.model as KeepalivedConfig;
    expect(m.globalDefs.vrrpCheckUnicastSrc).toBe(true);
    expect(m.vrrpSyncGroups).toEqual([{ line: 9, name: 'NAT_PAIR', group: ['VI_OUT', 'VI_IN'], syncGroupTrackingWeight: true, trackInterfaces: [] }]);
    const [out, inside] = m.vrrpInstances;
    expect(out).toMatchObject({ unicastSrcIp: '10.0.0.2', unicastPeers: ['10.0.0.3'], unicastTtl: 64, checkUnicastSrc: true, trackInterfaces: [{ line: 30, name: 'eth1' }] });
    expect(out.dontTrackPrimary).toBeUndefined();
    expect(inside).toMatchObject({ dontTrackPrimary: true, trackInterfaces: [{ line: 45, name: 'eth2', weight: -60 }, { line: 46, name: 'eth3', weight: 10, reverse: true }] });
  });

  it('printed back, keepalived --config-test accepts them (only this machine\'s missing interfaces are named)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvs-lab-ka-'));
    try {
      const out = join(dir, 'printed.conf');
      const text = printKeepalivedConf(parseFile(abs).model as KeepalivedConfig);
      writeFileSync(out, text);
      const live = keepalivedConfigTest(out);
      expect(live.output).toBe('');
      expect(live.interfaceWarnings.some((l) => /tracked interface eth2 doesn't exist/.test(l))).toBe(true);
      expect(text).toContain('    track_interface {\n        eth2 weight -60\n        eth3 weight 10 reverse\n    }');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a peer\'s min_ttl/max_ttl is warned about (not modelled); the peer is kept', () => {
    const r = parseKeepalivedConf('vrrp_instance V {\n    interface eth0\n    virtual_router_id 1\n    virtual_ipaddress {\n        10.0.0.100\n    }\n    unicast_peer {\n        10.0.0.3 min_ttl 250\n    }\n}\n', 'p.conf');
    expect(r.diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([[8, 'KA_UNSUPPORTED', 'min_ttl is not modelled by lvs-lab (the peer is kept; use check_unicast_src)']]);
    expect(r.model?.vrrpInstances[0].unicastPeers).toEqual(['10.0.0.3']);
  });
});

describe('keepalived.conf diagnostics name file:line:column', () => {
  it('reports an unknown keyword at its word, and skips nothing after it', () => {
    const r = parseKeepalivedConf('global_defs {\n    router_id A\n    routr_id B\n}\nvrrp_instance V {\n  priority 300\n}\n', 'k.conf');
    expect(r.model).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.code !== 'KA_MISSING_VRID' && d.code !== 'KA_NO_VIP').map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      'k.conf:3:5 error KA_UNKNOWN_KEYWORD',
      'k.conf:6:12 error KA_RANGE',
    ]);
  });

  it('reports each block left open at end of file at its opening line', () => {
    const r = parseKeepalivedConf('virtual_server 10.0.0.1 80 {\n  real_server 10.0.0.2 80 {\n    weight 1\n', 'open.conf');
    expect(r.diagnostics.filter((d) => d.code === 'KA_MISSING_EOB').map((d) => d.line)).toEqual([2, 1]);
  });

  it('lab-only checks: duplicate VRID, duplicate real server, DR port mismatch, no port without persistence', () => {
    const text = [
      'vrrp_instance A {', ' interface eth0', ' virtual_router_id 5', ' virtual_ipaddress {', '  10.0.0.1', ' }', '}',
      'vrrp_instance B {', ' interface eth0', ' virtual_router_id 5', ' virtual_ipaddress {', '  10.0.0.2', ' }', '}',
      'virtual_server 10.0.0.1 80 {', ' lb_kind DR', ' real_server 10.0.0.5 8080 {', ' }', ' real_server 10.0.0.5 8080 {', ' }', '}',
      'virtual_server 10.0.0.9 {', '}',
    ].join('\n');
    const r = parseKeepalivedConf(text, 'lab.conf');
    expect(r.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['8 KA_DUP_VRID', '15 KA_NO_PROTOCOL', '17 KA_VS_MISMATCH', '19 KA_DUP_RS', '19 KA_VS_MISMATCH', '22 KA_NO_PROTOCOL', '22 KA_PORT_REQUIRED']);
  });

  it('a virtual server without protocol is UDP, with the warning keepalived --config-test prints for it', () => {
    const abs = join(FIXTURES, 'keepalived', 'accepted-keywords.conf');
    const r = parseFile(abs);
    const vs = r.model?.virtualServers.find((v) => v.key.kind === 'address' && v.key.address === '10.0.0.1' && v.key.port === 80);
    expect(vs?.protocol).toBe('UDP');
    const warning = r.diagnostics.find((d) => d.code === 'KA_NO_PROTOCOL');
    expect(warning?.severity).toBe('warning');
    // The recorded output of the real tool carries the same text (without a line number, so the line-set
    // comparison above cannot see it).
    expect(readFileSync(`${abs}.keepalived-config-test.txt`, 'utf8')).toContain(`${warning?.message}\n`);
  });
});

describe('keepalived.conf: a MASTER hearing a lower-priority advert (lower_prio_no_advert, garp_lower_prio_*, higher_prio_send_advert)', () => {
  const abs = join(GOOD, 'lower-prio.conf');

  it('reads the global and per-instance keywords (a bare BOOL keyword is true)', () => {
    const r = parseFile(abs);
    expect(r.diagnostics).toEqual([]);
    const m = r.model as KeepalivedConfig;
    expect(m.globalDefs).toMatchObject({ vrrpGarpMasterRepeat: 3, vrrpGarpLowerPrioDelay: 7, vrrpHigherPrioSendAdvert: true });
    expect(m.globalDefs.vrrpGarpLowerPrioRepeat).toBeUndefined();
    const [v1, v2] = m.vrrpInstances;
    expect([v1.garpLowerPrioRepeat, v1.garpLowerPrioDelay, v1.lowerPrioNoAdvert, v1.higherPrioSendAdvert]).toEqual([2, undefined, true, undefined]);
    expect([v2.garpLowerPrioRepeat, v2.garpLowerPrioDelay, v2.lowerPrioNoAdvert, v2.higherPrioSendAdvert]).toEqual([undefined, 0, false, false]);
  });

  it('effective settings: the instance, else the global keyword, else the global vrrp_garp_master_repeat/delay; vrrp_strict forces the RFC behaviour', () => {
    const m = parseFile(abs).model as KeepalivedConfig;
    const pick = (g: KeepalivedConfig['globalDefs'], i: number) => {
      const e = vrrpSettings(g, m.vrrpInstances[i]);
      return [e.garpLowerPrioRepeat, e.garpLowerPrioDelay, e.lowerPrioNoAdvert, e.higherPrioSendAdvert];
    };
    expect(pick(m.globalDefs, 0)).toEqual([2, 7, true, true]);
    expect(pick(m.globalDefs, 1)).toEqual([3, 0, false, false]);
    // Nothing global: keepalived's defaults, 5 and 5 s, advert answered, no advert before yielding.
    const bare = { notificationEmail: [], vrrpStrict: false, vrrpSkipCheckAdvAddr: false, vrrpCheckUnicastSrc: false, enableScriptSecurity: false };
    expect(pick(bare, 1)).toEqual([5, 0, false, false]);
    expect(vrrpSettings(bare, { ...m.vrrpInstances[1], garpLowerPrioDelay: undefined, lowerPrioNoAdvert: undefined })).toMatchObject({ garpLowerPrioRepeat: 5, garpLowerPrioDelay: 5, lowerPrioNoAdvert: false });
    // keepalived 2.2.7 --config-test on accepted-keywords.conf: "Strict mode requires no repeat garps. resetting".
    expect(pick({ ...m.globalDefs, vrrpStrict: true }, 0)).toEqual([0, 0, true, false]);
    expect(pick({ ...m.globalDefs, vrrpStrict: true }, 1)).toEqual([0, 0, true, false]);
  });

  // keepalived 2.2.7 --config-test on this text names lines 4, 5, 6 and 12 with these messages (and its own
  // "(VI_1): Invalid garp_lower_prio_repeat '-1'", "... invalid - ignoring").
  it('bad values get keepalived\'s range messages at their line', () => {
    const r = parseKeepalivedConf(
      ['vrrp_instance VI_1 {', '    interface eth0', '    virtual_router_id 51', '    garp_lower_prio_repeat -1', '    garp_lower_prio_delay 1.5', '    lower_prio_no_advert maybe', '    virtual_ipaddress {', '        10.0.0.100', '    }', '}', 'global_defs {', '    vrrp_garp_lower_prio_delay 5000', '}', ''].join('\n'),
      'bad.conf',
    );
    expect(r.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`)).toEqual([
      "4 KA_RANGE negative number '-1'",
      "5 KA_BAD_NUMBER invalid number '1.5'",
      "6 KA_BAD_VALUE invalid boolean 'maybe'",
      "12 KA_RANGE number '5000' outside range [0, 4294]",
    ]);
  });
});
