import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Destination } from '../../src/ipvs/Destination.ts';
import { SchedFlag } from '../../src/ipvs/VirtualService.ts';
import { connect, finish, Harness, ip, SECOND } from '../unit/ipvs/schedulers/harness.ts';

/**
 * Scheduler-level replay of the oracle recordings (/work/shared/reference/oracle): the service is built as the
 * golden `setup` commands built it, then every step is replayed on the scheduler alone. An open schedules and
 * counts an active connection on the pick; a close (graceful: FIN_WAIT/TIME_WAIT, or RST: CLOSE) moves one
 * connection from active to inactive, where it stays for the rest of these short runs; weight/add/del steps
 * go through the callbacks as the control plane calls them. Every decision and every `counts` snapshot
 * ([ActiveConn, InActConn, weight] in kernel list order) must match the kernel's.
 */

const ORACLE = '/work/shared/reference/oracle';

const EXPERIMENTS = [
  'rr-3', 'rr-weight0', 'wrr-432', 'wrr-511', 'lc-churn', 'wlc-hold', 'sed-hold', 'nq-churn', 'fo', 'ovf',
  'sh-4', 'sh-fallback', 'dh-vip', 'mh-4', 'lblc-fwmark', 'lblcr-hot',
];

type Counts = Record<string, [number, number, number]>;

interface GoldenRecord {
  type: string;
  t?: number;
  setup?: string[];
  servers?: Record<string, string>;
  conn?: number;
  src?: string;
  sport?: number;
  dst?: string;
  dport?: number;
  rs?: string | null;
  error?: string;
  server?: string;
  weight?: number;
  seconds?: number;
  counts?: Counts;
  lines?: string[];
}

function readGolden(name: string): GoldenRecord[] {
  return readFileSync(`${ORACLE}/golden/${name}.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as GoldenRecord);
}

const FLAG_BITS: Record<string, number> = { 'sh-fallback': SchedFlag.flag1, 'mh-fallback': SchedFlag.flag1, 'sh-port': SchedFlag.flag2, 'mh-port': SchedFlag.flag2 };

/** Builds the service from `ipvsadm -A` / `-a` lines (the forms the recordings use). */
function buildFromSetup(setup: string[], servers: Record<string, string>): Harness {
  let h: Harness | undefined;
  const nameOf = new Map(Object.entries(servers).map(([name, addr]) => [addr, name]));
  for (const line of setup) {
    const w = line.split(/\s+/);
    const arg = (flag: string): string | undefined => {
      const i = w.indexOf(flag);
      return i >= 0 ? w[i + 1] : undefined;
    };
    if (w[1] === '-A') {
      const fw = arg('-f');
      const tcp = arg('-t');
      const key = fw !== undefined ? { kind: 'fwmark' as const, mark: Number(fw) } : { kind: 'addr' as const, protocol: 'tcp' as const, address: ip(tcp!.split(':')[0]), port: Number(tcp!.split(':')[1]) };
      const flags = (arg('-b') ?? '').split(',').filter((f) => f !== '').reduce((acc, f) => acc | FLAG_BITS[f], 0);
      h = new Harness(key).bind(arg('-s')!, flags);
    } else if (w[1] === '-a') {
      const [addr, port] = arg('-r')!.split(':');
      const name = nameOf.get(addr)!;
      expect(servers[name]).toBe(addr);
      const d = h!.add(name, Number(arg('-w')), { port: Number(port) });
      expect(d.address).toBe(ip(addr));
    } else {
      throw new Error(`unexpected setup line ${line}`);
    }
  }
  return h!;
}

function countsOf(h: Harness): Counts {
  const out: Counts = {};
  for (const d of h.svc.destinations) out[h.nameOf(d)!] = [d.activeConns, d.inactConns, d.weight];
  return out;
}

function replay(name: string): { decisions: number; refusals: number } {
  const records = readGolden(name);
  const meta = records[0];
  expect(meta.type).toBe('meta');
  const h = buildFromSetup(meta.setup!, meta.servers!);
  const conns = new Map<number, Destination | null>();
  const open = new Set<number>();
  let decisions = 0;
  let refusals = 0;
  const close = (conn: number): void => {
    const d = conns.get(conn)!;
    finish(d);
    open.delete(conn);
  };
  const where = (r: GoldenRecord): string => `${name} ${r.type} conn ${r.conn ?? '-'} at t=${r.t}`;
  for (const r of records.slice(1)) {
    if (r.t !== undefined) h.now = Math.round(r.t * SECOND);
    switch (r.type) {
      case 'open': {
        const errorsBefore = h.errors.length;
        const d = h.pick({ protocol: 6, saddr: ip(r.src!), sport: r.sport!, daddr: ip(r.dst!), dport: r.dport! });
        expect(h.nameOf(d), where(r)).toBe(r.rs);
        decisions++;
        if (d !== null) {
          connect(d);
          open.add(r.conn!);
        } else {
          refusals++;
          expect(h.errors.length, `${where(r)}: a refusal is logged`).toBe(errorsBefore + 1);
        }
        conns.set(r.conn!, d);
        expect(countsOf(h), where(r)).toEqual(r.counts);
        break;
      }
      case 'close':
        if (r.error !== undefined) {
          expect(conns.get(r.conn!), where(r)).toBeNull();
          break;
        }
        expect(h.nameOf(conns.get(r.conn!) ?? null), where(r)).toBe(r.rs);
        close(r.conn!);
        break;
      case 'close_all':
        for (const c of [...open]) close(c);
        break;
      case 'weight':
        h.weight(r.server!, r.weight!);
        if (r.counts !== undefined) expect(countsOf(h), where(r)).toEqual(r.counts);
        break;
      case 'add_server':
        h.add(r.server!, r.weight!);
        break;
      case 'del_server':
        h.del(r.server!);
        break;
      case 'kernel_log': {
        // The kernel rate-limits these (net_ratelimit: a burst of 10), so its lines are the first of ours.
        const kernel = r.lines!.filter((l) => l.includes('IPVS:')).map((l) => l.replace(/^\[[^\]]*\]\s*/, ''));
        expect(kernel.length).toBeLessThanOrEqual(h.errors.length);
        expect(h.errors.slice(0, kernel.length)).toEqual(kernel);
        break;
      }
      case 'wait':
      case 'dump':
      case 'end':
        break;
      default:
        throw new Error(`${name}: unknown record ${r.type}`);
    }
  }
  expect(h.errors.length).toBe(refusals);
  return { decisions, refusals };
}

describe('schedulers replay the kernel oracle', () => {
  for (const name of EXPERIMENTS) {
    it(name, () => {
      const { decisions } = replay(name);
      expect(decisions).toBeGreaterThan(10);
    });
  }

  it('ovf refuses once every server holds weight + 1 active connections, and logs as the kernel does', () => {
    expect(replay('ovf').refusals).toBe(34);
  });
});
