import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

const LESSON = readFileSync(new URL('../../../scenarios/lessons/vrrp-failover.yaml', import.meta.url), 'utf8');

function run(text: string): TraceEvent[] {
  const lab = Lab.fromText(text, { file: 'vrrp.yaml' });
  const events: TraceEvent[] = [];
  lab.onEvent((e) => events.push(e));
  lab.run();
  return events;
}

const vrrp = (events: TraceEvent[]) => events.filter((e): e is Extract<TraceEvent, { kind: 'vrrp' }> => e.kind === 'vrrp').map((e) => `${Math.round(e.t / 1e6)}ms ${e.host} ${e.from}>${e.to}`);

describe('keepalived through Lab', () => {
  it('the crashed master comes back, keepalived starts at boot and preempts the VIP back', () => {
    const text = LESSON.replace('  - { at: 9s, crash: lvs1 }', '  - { at: 9s, crash: lvs1 }\n  - { at: 20s, restart: lvs1 }');
    const ev = run(text);
    expect(vrrp(ev)).toEqual([
      '0ms lvs1 INIT>BACKUP',
      '0ms lvs2 INIT>BACKUP',
      '3414ms lvs1 BACKUP>MASTER',
      '12023ms lvs2 BACKUP>MASTER',
      // Back at 20 s: BACKUP first, then lvs2's lower-priority adverts are ignored and the timer runs out.
      '20000ms lvs1 INIT>BACKUP',
      '23414ms lvs1 BACKUP>MASTER',
      '23414ms lvs2 MASTER>BACKUP',
    ]);
    // lvs1 came back without the VIP it held before the crash, and took it again as MASTER.
    const garps = ev.filter((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.arp?.spa === '192.168.1.110' && e.pkt.arp.tpa === '192.168.1.110');
    expect(garps.filter((e) => e.t > 20e9).length).toBeGreaterThanOrEqual(5);
  });

  it('systemctl stop on the master: it resigns with priority 0 and the backup takes over after its skew', () => {
    const text = LESSON.replace('  - { at: 9s, crash: lvs1 }', '  - { at: 9s, host: lvs1, run: systemctl stop keepalived }');
    const ev = run(text);
    const adv0 = ev.find((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.vrrp?.prio === 0);
    expect(adv0?.t).toBe(9e9);
    const took = ev.find((e) => e.kind === 'vrrp' && e.host === 'lvs2' && e.to === 'MASTER')!;
    // Skew_Time at priority 100: (256 - 100) / 256 s after the resignation arrives.
    expect(took.t - 9e9).toBeGreaterThanOrEqual(609_375_000);
    expect(took.t - 9e9).toBeLessThan(610_000_000);
    // With the sync daemon the download survives this failover too.
    expect(ev.filter((e) => e.kind === 'app' && e.host === 'client' && e.event === 'response').length).toBe(1);
  });
});
