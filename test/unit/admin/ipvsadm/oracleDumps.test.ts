import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConnectionView, ServiceKey } from '../../../../src/ipvs/IpvsControl.ts';
import { SECOND } from '../../../../src/sim/index.ts';
import type { Ipv4Address } from '../../../../src/wire/index.ts';
import { ip } from '../../ipvs/controlFakes.ts';
import { apply, ipvsadmLab, words } from './helpers.ts';

/**
 * Every `ipvsadm` output recorded in the oracle's golden runs (real Linux 6.1 + ipvsadm 1.31), reproduced byte
 * for byte: the table is built with the run's own setup commands and its weight / delete / add steps, the
 * counters the dump shows are put where the kernel keeps them (connection counters on the real servers; the
 * packet and byte counters as live counters that the 2 s estimator then copies), and the connection entries
 * are handed to the fake data plane. The formatters, the sort and the estimator's copy are what is tested.
 */
const GOLDEN = new URL('../../../../../shared/reference/oracle/golden/', import.meta.url).pathname;

interface Rec {
  type: string;
  [k: string]: unknown;
}

const files = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();

function numbers(text: string): number[] {
  return text.split(/\s+/).filter((x) => x !== '').map((x) => {
    if (!/^\d+$/.test(x)) throw new Error(`abbreviated or odd number ${x} in a dump`);
    return Number(x);
  });
}

function addrPort(s: string): { address: Ipv4Address; port: number } {
  const i = s.lastIndexOf(':');
  return { address: ip(s.slice(0, i)), port: Number(s.slice(i + 1)) };
}

describe('oracle dumps (golden/*.jsonl) reproduced by the formatters', () => {
  for (const file of files) {
    const recs = readFileSync(GOLDEN + file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
    const meta = recs.find((r) => r.type === 'meta')!;
    const setup = meta.setup as string[];
    const servers = meta.servers as Record<string, string>;
    const dumps = recs.filter((r) => r.type === 'dump');
    describe(file, () => {
      const lab = ipvsadmLab();
      apply(lab.run, setup);
      const svcArgs = words(setup[0]).slice(1, 3).join(' ');
      const addLine = (name: string) => setup.find((l) => l.includes(`-r ${servers[name]}:`))!;
      const key: ServiceKey = lab.control.services()[0].key;
      const svc = () => lab.control.table.lookup(key)!;
      const dest = (a: { address: Ipv4Address; port: number }) => {
        const d = svc().destinations.find((x) => x.address === a.address && x.port === a.port);
        if (!d) throw new Error(`no real server ${a.address}:${a.port}`);
        return d;
      };
      let step = -1;
      /** Replays the run's changes to the table up to (not including) step `upTo`. */
      const replayTo = (upTo: number) => {
        for (const r of recs) {
          const s = r.step as number | undefined;
          if (s === undefined || s <= step || s >= upTo) continue;
          if (r.type === 'weight') apply(lab.run, [addLine(r.server as string).replace(' -a ', ' -e ').replace(/ -w \d+/, ` -w ${r.weight as number}`)]);
          if (r.type === 'del_server') apply(lab.run, [`-d ${svcArgs} -r ${servers[r.server as string]}:80`]);
          if (r.type === 'add_server') apply(lab.run, [addLine(r.server as string).replace(/ -w \d+/, ` -w ${(r.weight as number | undefined) ?? 1}`)]);
        }
        step = upTo - 1;
      };
      for (const dump of dumps) {
        it(`${dump.cmd as string} (step ${dump.step as number})`, () => {
          replayTo(dump.step as number);
          const text = dump.text as string;
          const lines = text.split('\n');
          if (dump.what === 'list' || dump.what === 'persistent') {
            for (const l of lines) {
              const m = /^ {2}-> (\S+)\s+(.*)$/.exec(l);
              if (!m || m[1] === 'RemoteAddress:Port') continue;
              const n = numbers(m[2].replace(/^(Masq|Route|Tunnel)\s+/, ''));
              const d = dest(addrPort(m[1]));
              if (dump.what === 'list') {
                d.activeConns = n[1];
                d.totalConns = n[1] + n[2];
              } else {
                d.persistConns = n[1];
                d.activeConns = n[2];
                d.totalConns = n[2] + n[3];
              }
            }
          } else if (dump.what === 'stats') {
            for (const l of lines) {
              const m = /^ {2}-> (\S+)\s+(.*)$/.exec(l);
              const target = m ? dest(addrPort(m[1])).stats : /^(TCP|UDP|FWM) /.test(l) ? svc().stats : undefined;
              if (!target) continue;
              const [conns, inPkts, outPkts, inBytes, outBytes] = numbers(m ? m[2] : l.slice(33));
              Object.assign(target, { conns, inPkts, outPkts, inBytes, outBytes });
            }
            // What --stats shows is the estimator's copy, taken every 2 s.
            lab.sim.runUntil(lab.sim.now() + 2 * SECOND);
          } else if (dump.what === 'conns') {
            const conns: ConnectionView[] = [];
            for (const l of lines.slice(2)) {
              if (l === '') continue;
              const m = /^(\S+)\s+(\d+):(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/.exec(l);
              if (!m) throw new Error(`unexpected connection line ${l}`);
              const c = addrPort(m[5]);
              const v = addrPort(m[6]);
              const d = addrPort(m[7]);
              const seconds = Number(m[2]) * 60 + Number(m[3]);
              conns.push({ protocol: m[1], caddr: c.address, cport: c.port, vaddr: v.address, vport: v.port, daddr: d.address, dport: d.port, state: m[4], expiresIn: seconds * SECOND + 400_000_000, template: m[4] === 'ASSURED' || m[4] === 'NONE', fwd: 'masq' });
            }
            lab.dataPlane.conns = conns;
          }
          expect(lab.run(dump.cmd as string)).toEqual({ exit: 0, output: text });
        });
      }
    });
  }
});
