import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeLdirectord, effectiveRealPort, effectiveVirtual, parseLdirectordCf, type LdirectordConfig } from '../../../src/admin/importers/index.ts';

const SEED = fileURLToPath(new URL('../../fixtures/seeds/seed002-ldirectord.cf', import.meta.url));

function diags(text: string): string[] {
  return parseLdirectordCf(text, 'ld.cf').diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.code}: ${d.message}`);
}

describe('ldirectord.cf: seed 002', () => {
  const r = parseLdirectordCf(readFileSync(SEED, 'utf8'), SEED);
  const cfg = r.model as LdirectordConfig;

  it('imports without a diagnostic', () => {
    expect(r.diagnostics).toEqual([]);
    expect(cfg).toBeDefined();
  });

  it('reads the globals and the virtual section with its fallback, reals and check', () => {
    expect(cfg.globals).toMatchObject({ checkTimeout: 30, checkInterval: 2, autoreload: true, logfile: '/var/log/ldirectord.log', quiescent: false });
    const v = cfg.virtuals[0];
    expect(v.key).toEqual({ kind: 'address', address: '10.10.10.53', port: 80 });
    expect(v.fallback).toEqual({ line: 8, address: '127.0.0.1', port: 80, forward: 'gate' });
    expect(v.reals.map((x) => [x.address, x.port, x.forward, x.weight])).toEqual([
      ['192.168.200.102', 80, 'gate', 1],
      ['192.168.200.103', 80, 'gate', 1],
    ]);
    expect(v).toMatchObject({ service: 'http', request: '/check.txt', httpMethod: 'GET', receive: 'webserverisworking', persistent: 100, scheduler: 'lblc', protocol: 'tcp', checkType: 'negotiate' });
  });

  it('effective settings: globals inherited, ldirectord defaults for the rest', () => {
    const e = effectiveVirtual(cfg, cfg.virtuals[0]);
    expect(e).toMatchObject({ protocol: 'tcp', scheduler: 'lblc', checkType: 'negotiate', checkTimeout: 30, negotiateTimeout: 30, checkInterval: 2, failureCount: 1, quiescent: false });
    expect(e.fallback?.address).toBe('127.0.0.1');
  });

  it('describes the director: lblc, persistent 100, both servers DR, the fallback kept out of the steady-state table', () => {
    const d = describeLdirectord(cfg);
    expect(d.table.services).toHaveLength(1);
    const s = d.table.services[0];
    expect([s.scheduler, s.persistent, s.destinations.map((x) => `${x.address}:${x.port} ${x.fwd}`)]).toEqual(['lblc', 100, ['192.168.200.102:80 route', '192.168.200.103:80 route']]);
    expect(d.table.services[0].destinations.some((x) => x.address === '127.0.0.1')).toBe(false);
  });
});

describe('ldirectord.cf: the indentation rule', () => {
  it('a TAB or 4 spaces make a section line; the seed without its TABs (as the blog printed it) fails at every section line but fallback=, which is also a global', () => {
    const flat = readFileSync(SEED, 'utf8').replace(/^\t/gm, '');
    const d = parseLdirectordCf(flat, 'flat.cf').diagnostics;
    expect(d.map((x) => x.line)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(d.every((x) => x.code === 'LD_UNKNOWN_GLOBAL' && x.message.startsWith('Unknown command'))).toBe(true);
  });

  it('a blank line ends the section: the indented lines after it are unknown globals, and the blank line is named', () => {
    const text = 'virtual=10.0.0.1:80\n    real=10.0.0.2:80 gate\n\n    scheduler=rr\n';
    expect(diags(text)).toEqual([
      'ld.cf:4 error LD_UNKNOWN_GLOBAL: Unknown command scheduler=rr (an indented line outside a virtual section)',
      'ld.cf:3 warning LD_BLANK_IN_SECTION: this blank line ended the virtual section above; the indented lines after it are read as global directives',
    ]);
  });

  it('1 to 3 spaces are neither global nor section', () => {
    expect(diags('virtual=10.0.0.1:80\n   real=10.0.0.2:80 gate\n')[0]).toMatch(/^ld\.cf:2 error LD_INDENT: Unknown command real=10\.0\.0\.2:80 gate \(indentation/);
  });

  it('comment lines inside a section are skipped even unindented; a trailing # is cut in a section but not on a global line', () => {
    const text = 'quiescent=no # keep\nvirtual=10.0.0.1:80\n# a comment\n\treal=10.0.0.2:80 gate # first\n\tscheduler=wlc\n';
    const r = parseLdirectordCf(text, 'ld.cf');
    expect(r.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['1 LD_TRAILING_COMMENT', '1 LD_BAD_VALUE']);
    expect(r.diagnostics[1].message).toBe("quiescent must be 'yes' or 'no'");
    const ok = parseLdirectordCf(text.replace(' # keep', ''), 'ld.cf');
    expect(ok.model?.virtuals[0].reals).toHaveLength(1);
    expect(ok.model?.virtuals[0].scheduler).toBe('wlc');
  });
});

describe('ldirectord.cf: values, with ldirectord\'s messages', () => {
  it('real= lines: weight, per-real check, a range expanded, bad method, trailing junk', () => {
    const r = parseLdirectordCf('virtual=10.0.0.1:80\n\treal=10.0.0.2->10.0.0.4:8080 masq 3 "alive.html", "OK"\n', 'ld.cf');
    const v = r.model?.virtuals[0];
    expect(v?.reals.map((x) => `${x.address}:${x.port} ${x.forward} ${x.weight} ${x.request} ${x.receive}`)).toEqual([
      '10.0.0.2:8080 masq 3 /alive.html OK',
      '10.0.0.3:8080 masq 3 /alive.html OK',
      '10.0.0.4:8080 masq 3 /alive.html OK',
    ]);
    expect(diags('virtual=10.0.0.1:80\n\treal=10.0.0.2:80 nat\n\treal=10.0.0.3:80 gate 1 junk\n\treal=10.0.0.9->10.0.0.5:80 gate\n')).toEqual([
      'ld.cf:2 error LD_BAD_FORWARD: forward method must be gate, masq or ipip',
      'ld.cf:3 error LD_BAD_REAL: Invalid real server line, around " junk"',
      'ld.cf:4 error LD_BAD_RANGE: Invalid Range: 10.0.0.9-10.0.0.5: First value must be greater than or equal to the second value',
    ]);
  });

  it('gate forces the real port to the virtual port; masq keeps its own', () => {
    const cfg = parseLdirectordCf('virtual=10.0.0.1:80\n\treal=10.0.0.2:8080 gate\n\treal=10.0.0.3:8080 masq\n\treal=10.0.0.4 masq\n', 'ld.cf').model as LdirectordConfig;
    const v = cfg.virtuals[0];
    expect(v.reals.map((r) => effectiveRealPort(v, r))).toEqual([80, 8080, 80]);
  });

  it('bad values and the removed/deprecated directives', () => {
    const text = [
      'timeout=5',
      'checkcount=3',
      'virtual=10.0.0.1:80',
      '\tchecktype=sometimes',
      '\tprotocol=fwm',
      '\thttpmethod=POST',
      '\trequest=/x',
      '\tnetmask=24',
      '\tscheduler=RR',
      '\tbogus=1',
      'virtual=5',
      '\tprotocol=tcp',
      'virtual=10.0.0.1:80',
      '\treal=10.0.0.2:80 gate',
    ].join('\n');
    expect(diags(text).map((d) => d.replace(/: .*/, ''))).toEqual([
      'ld.cf:1 error LD_DEPRECATED',
      'ld.cf:2 warning LD_DEPRECATED',
      'ld.cf:4 error LD_BAD_VALUE',
      'ld.cf:5 error LD_PROTO_MISMATCH',
      'ld.cf:6 error LD_BAD_VALUE',
      'ld.cf:7 error LD_MISSING_QUOTES',
      'ld.cf:8 error LD_BAD_VALUE',
      'ld.cf:9 error LD_BAD_VALUE',
      'ld.cf:10 error LD_UNKNOWN_VIRTUAL',
      'ld.cf:12 error LD_PROTO_MISMATCH',
      'ld.cf:14 error LD_DUPLICATE',
    ]);
  });

  it('a fwmark virtual defaults to protocol fwm; port 53 to udp; the fallback default method is gate', () => {
    const cfg = parseLdirectordCf('fallback=127.0.0.1:80\nvirtual=7\n\treal=10.0.0.2 gate\nvirtual=10.0.0.1:53\n\treal=10.0.0.3:53 masq\n', 'ld.cf').model as LdirectordConfig;
    expect(effectiveVirtual(cfg, cfg.virtuals[0]).protocol).toBe('fwm');
    expect(effectiveVirtual(cfg, cfg.virtuals[1])).toMatchObject({ protocol: 'udp', service: 'dns' });
    expect(cfg.globals.fallback).toEqual({ line: 1, address: '127.0.0.1', port: 80, forward: 'gate' });
  });
});
