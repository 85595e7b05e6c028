import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

/**
 * A MASTER hearing a lower-priority advert (keepalived.conf(5): lower_prio_no_advert, garp_lower_prio_repeat,
 * garp_lower_prio_delay, higher_prio_send_advert), through real packets: a split brain and its healing.
 *
 * lvs1 (150) is MASTER from 3.414 s; the router pings the VIP at 5 s and so holds an entry for it at lvs1's MAC.
 * At 6 s lvs1's cable is pulled — `dont_track_primary` keeps it MASTER (no FAULT) while its adverts are lost —
 * so lvs2 (100) takes over at 9.023 s (the last advert it heard, 5.414 s, + 3.609 s) and its gratuitous ARPs move
 * the router's entry to lvs2's MAC. Two masters now, each advertising every second: lvs1 at x.414 s, lvs2 at
 * x.023 s. The cable goes back in at `heal`: 11.5 s lets lvs2's 12.023 s advert cross first, 11.2 s lets lvs1's
 * 11.414 s one.
 */
function scenario(heal: string, lvs1: string[] = [], lvs2: string[] = []): string {
  const director = (name: string, mac: string, addr: string, prio: number, extra: string[]) => [
    `  ${name}:`,
    '    interfaces:',
    `      eth0: { segment: a, mac: ${mac}, addresses: [${addr}] }`,
    '    keepalived:',
    '      vrrp_instances:',
    `        VI_1: { interface: eth0, virtual_router_id: 51, priority: ${prio}, virtual_ipaddress: [10.0.0.100/24]${extra.map((e) => `, ${e}`).join('')} }`,
  ];
  return [
    'name: split brain',
    'duration: 20s',
    'segments: { a: {} }',
    'hosts:',
    '  router:',
    '    interfaces:',
    '      eth0: { segment: a, mac: 02:00:00:00:00:fe, addresses: [10.0.0.254/24] }',
    ...director('lvs1', LVS1, '10.0.0.1/24', 150, ['dont_track_primary: yes', ...lvs1]),
    ...director('lvs2', LVS2, '10.0.0.2/24', 100, lvs2),
    'timeline:',
    '  - { at: 5s, host: router, run: ping -c 1 10.0.0.100 }',
    '  - { at: 6s, cable: lvs1/eth0, state: down }',
    `  - { at: ${heal}, cable: lvs1/eth0, state: up }`,
    '',
  ].join('\n');
}

const LVS1 = '02:00:00:00:00:01';
const LVS2 = '02:00:00:00:00:02';
const MS = 1_000_000;

function run(text: string): TraceEvent[] {
  const lab = Lab.fromText(text, { file: 'split.yaml' });
  const events: TraceEvent[] = [];
  lab.onEvent((e) => events.push(e));
  lab.run();
  return events;
}

type Tx = Extract<TraceEvent, { kind: 'tx' }>;
const ms = (t: number) => Math.floor(t / MS);
/** A host's adverts from `after` on, as `time(ms) priority`. */
const advertsOf = (ev: TraceEvent[], host: string, after: number) =>
  ev.filter((e): e is Tx => e.kind === 'tx' && e.host === host && e.pkt.vrrp !== undefined && e.t >= after).map((e) => `${ms(e.t)} ${e.pkt.vrrp!.prio}`);
/** Gratuitous ARPs a host sent for the VIP, as the millisecond they left. */
const garpsOf = (ev: TraceEvent[], host: string, after = 0) =>
  ev.filter((e): e is Tx => e.kind === 'tx' && e.host === host && e.pkt.arp?.spa === '10.0.0.100' && e.pkt.arp.tpa === '10.0.0.100' && e.t >= after).map((e) => ms(e.t));
/** The state changes, as `time(ms) host FROM>TO`. */
const moves = (ev: TraceEvent[]) => ev.filter((e) => e.kind === 'vrrp' && e.from !== 'INIT').map((e) => e.kind === 'vrrp' && `${ms(e.t)} ${e.host} ${e.from}>${e.to}`);
/** The router's entry for the VIP: each link-layer address it took, with the millisecond. */
const routerEntry = (ev: TraceEvent[]) => {
  const out: string[] = [];
  for (const e of ev) {
    if (e.kind !== 'neigh' || e.host !== 'router' || e.address !== '10.0.0.100' || e.lladdr === undefined) continue;
    if (out.length === 0 || !out[out.length - 1].endsWith(e.lladdr)) out.push(`${ms(e.t)} ${e.lladdr}`);
  }
  return out;
};

const SPLIT = ['3414 lvs1 BACKUP>MASTER', '9023 lvs2 BACKUP>MASTER'];

describe('a MASTER hears a lower-priority advert (keepalived after a split brain)', () => {
  it('by default it answers at once: the lower master is BACKUP within the millisecond, and the GARP bursts (5, then 5 more 5 s later) take the router back', () => {
    const ev = run(scenario('11500ms'));
    expect(moves(ev)).toEqual([...SPLIT, '12023 lvs2 MASTER>BACKUP']);
    // lvs2's 12.023 s advert is the first across: lvs1 answers it at once, and its advert timer starts again from
    // there (keepalived's dispatcher re-arms it after sending), so its next periodic advert is at 13.023 s.
    expect(advertsOf(ev, 'lvs1', 11_500 * MS).slice(0, 3)).toEqual(['12023 150', '13023 150', '14023 150']);
    expect(garpsOf(ev, 'lvs1', 11_500 * MS)).toEqual([12023, 12023, 12023, 12023, 12023, 17023, 17023, 17023, 17023, 17023]);
    expect(routerEntry(ev)).toEqual([`5000 ${LVS1}`, `9023 ${LVS2}`, `12023 ${LVS1}`]);
    // lvs2 left MASTER before its second burst (garp_master_delay after 9.023 s) was due: it never went out.
    expect(garpsOf(ev, 'lvs2')).toEqual([9023, 9023, 9023, 9023, 9023]);
  });

  it('lower_prio_no_advert: no answer, the lower master yields only at the next periodic advert; the GARPs still go', () => {
    const ev = run(scenario('11500ms', ['lower_prio_no_advert: yes']));
    expect(moves(ev)).toEqual([...SPLIT, '12414 lvs2 MASTER>BACKUP']);
    // No advert at 12.023 s, and the periodic ones keep their phase (x.414 s).
    expect(advertsOf(ev, 'lvs1', 11_500 * MS).slice(0, 2)).toEqual(['12414 150', '13414 150']);
    expect(garpsOf(ev, 'lvs1', 11_500 * MS)).toEqual([12023, 12023, 12023, 12023, 12023, 17023, 17023, 17023, 17023, 17023]);
    expect(routerEntry(ev)).toEqual([`5000 ${LVS1}`, `9023 ${LVS2}`, `12023 ${LVS1}`]);
  });

  it('lower_prio_no_advert and garp_lower_prio_repeat 0 (what vrrp_strict sets): the RFC behaviour, and the router is left at the backup', () => {
    const ev = run(scenario('11500ms', ['lower_prio_no_advert: yes', 'garp_lower_prio_repeat: 0']));
    expect(moves(ev)).toEqual([...SPLIT, '12414 lvs2 MASTER>BACKUP']);
    expect(garpsOf(ev, 'lvs1', 11_500 * MS)).toEqual([]);
    // lvs2 no longer holds the VIP, but the router's entry still says lvs2's MAC.
    expect(routerEntry(ev)).toEqual([`5000 ${LVS1}`, `9023 ${LVS2}`]);
  });

  it('garp_lower_prio_repeat 2 with garp_lower_prio_delay 0: two GARPs, no second set; garp_lower_prio_delay 2: the second set 2 s later', () => {
    const once = run(scenario('11500ms', ['garp_lower_prio_repeat: 2', 'garp_lower_prio_delay: 0']));
    expect(garpsOf(once, 'lvs1', 11_500 * MS)).toEqual([12023, 12023]);
    const twice = run(scenario('11500ms', ['garp_lower_prio_repeat: 1', 'garp_lower_prio_delay: 2']));
    expect(garpsOf(twice, 'lvs1', 11_500 * MS)).toEqual([12023, 14023]);
    // garp_master_repeat is not their default (keepalived's is the global vrrp_garp_master_repeat): 5 as ever.
    const masterRepeat = run(scenario('11500ms', ['garp_master_repeat: 1']));
    expect(garpsOf(masterRepeat, 'lvs1', 11_500 * MS)).toHaveLength(10);
  });

  it('when the higher master advertises first, the lower one yields silently and no GARP follows; with higher_prio_send_advert it speaks first and gets them', () => {
    const silent = run(scenario('11200ms'));
    expect(moves(silent)).toEqual([...SPLIT, '11414 lvs2 MASTER>BACKUP']);
    expect(garpsOf(silent, 'lvs1', 11_200 * MS)).toEqual([]);
    expect(routerEntry(silent)).toEqual([`5000 ${LVS1}`, `9023 ${LVS2}`]);

    const loud = run(scenario('11200ms', [], ['higher_prio_send_advert: yes']));
    expect(moves(loud)).toEqual([...SPLIT, '11414 lvs2 MASTER>BACKUP']);
    // lvs2 sends one advert with its own priority as it leaves; lvs1 hears a lower advert and answers it.
    expect(advertsOf(loud, 'lvs2', 11_200 * MS)).toEqual(['11414 100']);
    expect(advertsOf(loud, 'lvs1', 11_200 * MS).slice(0, 2)).toEqual(['11414 150', '11414 150']);
    expect(garpsOf(loud, 'lvs1', 11_200 * MS)).toEqual([11414, 11414, 11414, 11414, 11414, 16414, 16414, 16414, 16414, 16414]);
    expect(routerEntry(loud)).toEqual([`5000 ${LVS1}`, `9023 ${LVS2}`, `11414 ${LVS1}`]);
  });

  it('the keys are checked where they are written', () => {
    const bad = (line: string) => {
      try {
        Lab.fromText(scenario('11500ms', [line]), { file: 'split.yaml' });
      } catch (e) {
        return (e as Error).message.split('\n')[0];
      }
      return 'accepted';
    };
    expect(bad('garp_lower_prio_repeat: 256')).toMatch(/^split\.yaml:\d+:\d+: hosts\.lvs1\.keepalived\.vrrp_instances\.VI_1\.garp_lower_prio_repeat: expected a garp_lower_prio_repeat 0\.\.255/);
    expect(bad('garp_lower_prio_repeat: -1')).toMatch(/garp_lower_prio_repeat: expected a garp_lower_prio_repeat 0\.\.255/);
    expect(bad('garp_lower_prio_delay: 1.5')).toMatch(/garp_lower_prio_delay: expected a garp_lower_prio_delay in whole seconds, 0\.\.4294/);
    expect(bad('garp_lower_prio_delay: 5000')).toMatch(/garp_lower_prio_delay: expected a garp_lower_prio_delay in whole seconds/);
    expect(bad('lower_prio_no_advert: maybe')).toMatch(/lower_prio_no_advert: expected lower_prio_no_advert: yes\/no/);
    expect(bad('higher_prio_send_advert: 2')).toMatch(/higher_prio_send_advert: expected higher_prio_send_advert: yes\/no/);
    expect(bad('garp_lower_prio_delay: 3s')).toBe('accepted');
  });
});
