import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHaCf, parseHaresources, parseIpvsadmSave, parseIpvsadmScript, parseKeepalivedConf, parseLdirectordCf, type Diagnostic } from '../../src/admin/importers/index.ts';
import { importConfig, Lab } from '../../src/lab/index.ts';

/**
 * Importers meet whatever a user feeds them: on any text made of the formats' own words, braces, quotes,
 * comments, tabs and junk, they return diagnostics — never throw — and every diagnostic names a line of the file.
 */

const words = [
  'global_defs', 'vrrp_instance', 'VI_1', 'virtual_server', 'real_server', 'HTTP_GET', 'TCP_CHECK', 'url', 'path', '/', 'state', 'MASTER',
  'priority', '100', '300', '-1', 'abc', '10.0.0.1', '10.0.0.300', '80', '99999', '{', '}', '"', "'", '#', '!', 'lb_kind', 'NAT', 'DR',
  'virtual=10.0.0.1:80', 'real=10.0.0.2:80 gate', 'real=10.0.0.2->10.0.0.1 masq', 'checktype=negotiate', 'quiescent=yes', 'fallback=127.0.0.1:80',
  'ipvsadm', '-A', '-a', '-t', '-r', '-s', 'rr', '-m', '-g', '-p', '10.0.0.1:80', '10.0.0.2', 'ifconfig', 'eth0:1', 'route', 'add', 'default',
  'gw', 'ip', 'addr', 'dev', 'eth0', 'echo', '1', '>', '/proc/sys/net/ipv4/ip_forward', 'node', 'bcast', 'IPaddr2::10.0.0.1/24/eth0', '\\',
];
const line = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 8 }).chain((ws) =>
  fc.constantFrom('', '\t', '    ', '  ').map((indent) => indent + ws.join(' ')),
);
const text = fc.array(line, { maxLength: 25 }).map((ls) => ls.join('\n'));

function withinFile(ds: Diagnostic[], t: string): void {
  const n = t.split('\n').length;
  for (const d of ds) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(n);
    expect(d.message).not.toBe('');
  }
}

describe('importers never throw on odd input', () => {
  it('each parser returns diagnostics on lines of the file', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const parse of [parseKeepalivedConf, parseLdirectordCf, parseIpvsadmScript, parseIpvsadmSave, parseHaCf, parseHaresources]) {
          const r = parse(t, 'f');
          withinFile(r.diagnostics, t);
          if (r.diagnostics.some((d) => d.severity === 'error')) expect(r.model).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('importConfig either writes a scenario or reports an error, for every format', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(undefined, 'ipvsadm' as const, 'ipvsadm-save' as const, 'keepalived' as const, 'ldirectord' as const), (t, format) => {
        const r = importConfig(t, { file: 'f', ...(format ? { format } : {}) });
        expect(r.scenarioYaml !== undefined || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('a generated scenario always builds', () => {
  it('whatever script or table is imported, the scenario it produces passes lvs-lab check', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(undefined, 'ipvsadm' as const, 'ipvsadm-save' as const, 'keepalived' as const, 'ldirectord' as const), (t, format) => {
        const r = importConfig(t, { file: 'f', ...(format ? { format } : {}) });
        if (r.scenarioYaml !== undefined) expect(() => Lab.check(r.scenarioYaml as string, 'gen.yaml')).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
