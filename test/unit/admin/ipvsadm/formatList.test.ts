import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceKeyText, type ConnectionView } from '../../../../src/ipvs/IpvsControl.ts';
import { formatIpv4 } from '../../../../src/wire/index.ts';
import type { IpvsStats } from '../../../../src/ipvs/Stats.ts';
import { largenum } from '../../../../src/admin/ipvsadm/formatList.ts';
import { compareDests, msort } from '../../../../src/admin/ipvsadm/sortEntries.ts';
import { apply, ipvsadmLab } from './helpers.ts';

interface ListingFixture {
  setup: string[];
  counters: Record<string, { stats: number[]; rates: number[]; conns?: number[] }>;
  connections: ConnectionView[];
  outputs: { args: string[]; exit: number; output: string }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/listings.json', import.meta.url).pathname, 'utf8')) as ListingFixture;

/** Puts the recorded counters where the kernel keeps them: the estimator's copy and its scaled averages. */
function setShown(s: IpvsStats, c: { stats: number[]; rates: number[] }): void {
  const [conns, inPkts, outPkts, inBytes, outBytes] = c.stats;
  s.kstats.copyFrom({ conns, inPkts, outPkts, inBytes, outBytes });
  const [cps, inPps, outPps, inBps, outBps] = c.rates;
  Object.assign(s.est, { cps: cps * 1024, inPps: inPps * 1024, outPps: outPps * 1024, inBps: inBps * 32, outBps: outBps * 32 });
}

describe('ipvsadm listings compared with the real ipvsadm 1.31 on the same table', () => {
  const lab = ipvsadmLab();
  apply(lab.run, fixture.setup);
  for (const svc of lab.control.table.services()) {
    const sk = serviceKeyText(svc.key);
    setShown(svc.stats, fixture.counters[sk]);
    for (const d of svc.destinations) {
      const c = fixture.counters[`${sk}|${formatIpv4(d.address)}:${d.port}`];
      setShown(d.stats, c);
      const [active, inactive, persist] = c.conns!;
      d.activeConns = active;
      d.totalConns = active + inactive;
      d.persistConns = persist;
    }
  }
  lab.dataPlane.conns = fixture.connections;

  for (const o of fixture.outputs) {
    it(`ipvsadm ${o.args.join(' ')}`, () => {
      expect(lab.run(o.args)).toEqual({ exit: o.exit, output: o.output });
    });
  }
});

describe('ipvsadm listing details', () => {
  it('abbreviates large numbers as print_largenum does, or prints them whole with --exact', () => {
    const plain = { exact: false };
    expect(largenum(99_999_999, plain)).toBe(' 99999999');
    expect(largenum(100_000_000, plain)).toBe('  100000K');
    expect(largenum(999_999_999, plain)).toBe('  999999K');
    expect(largenum(1_000_000_000, plain)).toBe('    1000M');
    expect(largenum(99_999_999_999, plain)).toBe('   99999M');
    expect(largenum(100_000_000_000, plain)).toBe('     100G');
    expect(largenum(100_000_000_000_000, plain)).toBe('     100T');
    expect(largenum(123_456_789_012, { exact: true })).toBe(' 123456789012');
    expect(largenum(7, { exact: true })).toBe('        7');
  });

  it('sorts like glibc qsort with the C int comparisons, wrap-around included', () => {
    // Recorded from ipvsadm 1.31 for real servers given in this kernel order.
    const d = (a: string, port: number) => ({ address: a.split('.').reduce((x, y) => x * 256 + Number(y), 0), port }) as Parameters<typeof compareDests>[0];
    const given = [d('200.0.0.1', 80), d('10.0.0.1', 80), d('100.0.0.1', 80), d('100.0.0.1', 79)];
    expect(msort(given, compareDests).map((x) => `${formatIpv4(x.address)}:${x.port}`)).toEqual(['100.0.0.1:79', '100.0.0.1:80', '200.0.0.1:80', '10.0.0.1:80']);
  });

  it('lists a service and its real servers in kernel order with --nosort (newest real server first)', () => {
    const lab = ipvsadmLab();
    apply(lab.run, ['-A -t 10.0.0.100:80 -s rr', '-a -t 10.0.0.100:80 -r 10.2.1.2 -m', '-a -t 10.0.0.100:80 -r 10.2.3.2 -m', '-a -t 10.0.0.100:80 -r 10.2.2.2 -m']);
    const lines = lab.run('-L -n --nosort').output.split('\n').filter((l) => l.startsWith('  -> 10.'));
    expect(lines.map((l) => l.slice(5, 13))).toEqual(['10.2.2.2', '10.2.3.2', '10.2.1.2']);
    const sorted = lab.run('-L -n').output.split('\n').filter((l) => l.startsWith('  -> 10.'));
    expect(sorted.map((l) => l.slice(5, 13))).toEqual(['10.2.1.2', '10.2.2.2', '10.2.3.2']);
  });

  it('prints a service with no real servers as its line alone, and nothing but the titles without services', () => {
    const lab = ipvsadmLab();
    expect(lab.run('-L -n').output).toBe(
      'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n',
    );
    apply(lab.run, ['-A -u 10.0.0.100:53 -s sh -b sh-fallback']);
    expect(lab.run('-L -n').output.split('\n').slice(3)).toEqual(['UDP  10.0.0.100:53 sh (sh-fallback)', '']);
  });
});
