import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

/**
 * keepalived's vrrp_sync_group through real adverts: a NAT director pair, each director with an outside
 * instance (VI_OUT, eth0, VRID 51) and an inside one (VI_IN, eth1, VRID 52, the real servers' gateway). lvs1
 * has priority 150 on both, lvs2 100.
 */
function pair(opts: { group: boolean; timeline: string[]; duration?: string }): string {
  const director = (name: string, n: number, prio: number) => [
    `  ${name}:`,
    '    interfaces:',
    `      eth0: { segment: outside, mac: 02:00:00:00:00:0${n}, addresses: [10.0.0.${n}/24] }`,
    `      eth1: { segment: inside, mac: 02:00:00:00:01:0${n}, addresses: [192.168.1.${n}/24] }`,
    '    keepalived:',
    '      vrrp_instances:',
    '        VI_OUT: { interface: eth0, virtual_router_id: 51, priority: ' + prio + ', virtual_ipaddress: [10.0.0.100/24] }',
    '        VI_IN: { interface: eth1, virtual_router_id: 52, priority: ' + prio + ', virtual_ipaddress: [192.168.1.254/24] }',
    ...(opts.group ? ['      vrrp_sync_groups:', '        G: { group: [VI_OUT, VI_IN] }'] : []),
  ];
  return [
    'name: sync group',
    `duration: ${opts.duration ?? '30s'}`,
    'segments: { outside: {}, inside: {} }',
    'hosts:',
    ...director('lvs1', 1, 150),
    ...director('lvs2', 2, 100),
    'timeline:',
    ...opts.timeline.map((l) => `  - ${l}`),
    '',
  ].join('\n');
}

function run(text: string): TraceEvent[] {
  const lab = Lab.fromText(text, { file: 'sync.yaml' });
  const events: TraceEvent[] = [];
  lab.onEvent((e) => events.push(e));
  lab.run();
  return events;
}

type Vrrp = Extract<TraceEvent, { kind: 'vrrp' }>;
const vrrp = (ev: TraceEvent[]) => ev.filter((e): e is Vrrp => e.kind === 'vrrp');
const ms = (t: number) => Math.round(t / 1e6);
const moves = (ev: TraceEvent[], host: string) => vrrp(ev).filter((e) => e.host === host && e.from !== 'INIT').map((e) => `${ms(e.t)}ms ${e.instance} ${e.from}>${e.to} (${e.reason})`);
const holder = (ev: TraceEvent[], instance: string, at: number) => {
  const last = new Map<string, string>();
  for (const e of vrrp(ev)) if (e.instance === instance && e.t <= at) last.set(e.host!, e.to);
  return [...last].filter(([, s]) => s === 'MASTER').map(([h]) => h);
};

describe('vrrp_sync_group: the outside VIP and the inside gateway VIP move together', () => {
  it('start-up: both of lvs1\'s instances become MASTER at the same moment', () => {
    const ev = run(pair({ group: true, timeline: [], duration: '8s' }));
    // VI_OUT's timer runs out first but the group holds it back until VI_IN's does, an instant later.
    expect(moves(ev, 'lvs1')).toEqual(['3414ms VI_IN BACKUP>MASTER (master down timer expired)', '3414ms VI_OUT BACKUP>MASTER (sync group G: VI_IN is MASTER)']);
    expect(moves(ev, 'lvs2')).toEqual([]);
  });

  it('lvs1\'s inside cable fails: VI_IN is FAULT, the group takes VI_OUT to FAULT, and lvs2 takes both', () => {
    const ev = run(pair({ group: true, timeline: ['{ at: 6s, cable: lvs1/eth1, state: down }'] }));
    expect(moves(ev, 'lvs1').slice(2)).toEqual(['6000ms VI_IN MASTER>FAULT (interface eth1 down)', '6000ms VI_OUT MASTER>FAULT (sync group G: VI_IN is FAULT)']);
    // VI_OUT resigned on eth0, which is still up: one priority-0 advert (vrrp_sync_fault: leave_master without advF).
    const zero = ev.filter((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.vrrp?.prio === 0);
    expect(zero.map((e) => [ms(e.t), e.kind === 'tx' && e.iface])).toEqual([[6000, 'eth0']]);
    // lvs2's VI_OUT would take over after its skew (0.609 s) but waits for VI_IN, whose master-down timer runs from
    // lvs1's last inside advert (5.414 s); then the group goes MASTER together.
    const l2 = vrrp(ev).filter((e) => e.host === 'lvs2' && e.to === 'MASTER');
    expect(l2.map((e) => `${ms(e.t)}ms ${e.instance} ${e.reason}`)).toEqual(['9023ms VI_IN master down timer expired', '9023ms VI_OUT sync group G: VI_IN is MASTER']);
    expect(holder(ev, 'VI_OUT', 10e9)).toEqual(['lvs2']);
    expect(holder(ev, 'VI_IN', 10e9)).toEqual(['lvs2']);
  });

  it('without the group the pair splits: lvs1 keeps the outside VIP while lvs2 takes the inside one', () => {
    const ev = run(pair({ group: false, timeline: ['{ at: 6s, cable: lvs1/eth1, state: down }'] }));
    expect(holder(ev, 'VI_OUT', 20e9)).toEqual(['lvs1']);
    expect(holder(ev, 'VI_IN', 20e9)).toEqual(['lvs2']);
    // lvs1's own fault on a down interface: its two priority-0 adverts cannot leave.
    expect(ev.filter((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.vrrp?.prio === 0)).toEqual([]);
  });

  it('the cable is back: lvs1 leaves FAULT with the whole group, preempts, and lvs2 goes BACKUP with both', () => {
    const ev = run(pair({ group: true, timeline: ['{ at: 6s, cable: lvs1/eth1, state: down }', '{ at: 15s, cable: lvs1/eth1, state: up }'] }));
    expect(moves(ev, 'lvs1').slice(4)).toEqual([
      '15000ms VI_IN FAULT>BACKUP (interface eth1 up)',
      '15000ms VI_OUT FAULT>BACKUP (sync group G: VI_IN is BACKUP)',
      // lvs2's adverts (100) are lower: both timers run out (3 s + 106/256 s; VI_IN's first, held back by the
      // group until VI_OUT's), and the group goes MASTER...
      '18414ms VI_OUT BACKUP>MASTER (master down timer expired)',
      '18414ms VI_IN BACKUP>MASTER (sync group G: VI_OUT is MASTER)',
    ]);
    // ...and the first of lvs2's instances to hear lvs1's better advert takes the other to BACKUP with it.
    const back = moves(ev, 'lvs2').filter((m) => m.includes('MASTER>BACKUP'));
    expect(back).toHaveLength(2);
    expect(back.filter((m) => m.includes('(sync group G:'))).toHaveLength(1);
    expect(back.every((m) => m.startsWith('18414ms'))).toBe(true);
  });

  it('a fault on the backup takes its whole group to FAULT; the master is not disturbed', () => {
    const ev = run(pair({ group: true, timeline: ['{ at: 6s, link: lvs2/eth0, state: down }', '{ at: 8s, link: lvs2/eth0, state: up }'], duration: '20s' }));
    expect(moves(ev, 'lvs2')).toEqual([
      '6000ms VI_OUT BACKUP>FAULT (interface eth0 down)',
      '6000ms VI_IN BACKUP>FAULT (sync group G: VI_OUT is FAULT)',
      '8000ms VI_OUT FAULT>BACKUP (interface eth0 up)',
      '8000ms VI_IN FAULT>BACKUP (sync group G: VI_OUT is BACKUP)',
    ]);
    expect(moves(ev, 'lvs1').slice(2)).toEqual([]);
  });

  it('the group leaves FAULT only when no member has a fault of its own', () => {
    const ev = run(
      pair({
        group: true,
        duration: '20s',
        timeline: ['{ at: 6s, cable: lvs2/eth0, state: down }', '{ at: 7s, cable: lvs2/eth1, state: down }', '{ at: 9s, cable: lvs2/eth0, state: up }', '{ at: 11s, cable: lvs2/eth1, state: up }'],
      }),
    );
    expect(moves(ev, 'lvs2')).toEqual([
      '6000ms VI_OUT BACKUP>FAULT (interface eth0 down)',
      '6000ms VI_IN BACKUP>FAULT (sync group G: VI_OUT is FAULT)',
      // eth0 is back at 9 s, but VI_IN's own eth1 is still down: VI_OUT stays in FAULT until 11 s.
      '11000ms VI_IN FAULT>BACKUP (interface eth1 up)',
      '11000ms VI_OUT FAULT>BACKUP (sync group G: VI_IN is BACKUP)',
    ]);
  });

  it('the group is checked where it is written', () => {
    const bad = (group: string) => {
      try {
        Lab.fromText(pair({ group: false, timeline: ['{ at: 1s, crash: lvs2 }'] }).replace("        VI_IN: { interface: eth1, virtual_router_id: 52, priority: 150, virtual_ipaddress: [192.168.1.254/24] }\n", (l) => `${l}${group}`), { file: 's.yaml' });
      } catch (e) {
        return (e as Error).message.split('\n')[0];
      }
      return 'accepted';
    };
    expect(bad('      vrrp_sync_groups: { G: { group: [VI_OUT, VI_IN] } }\n')).toBe('accepted');
    expect(bad('      vrrp_sync_groups: { G: { group: [VI_OUT, VI_X] } }\n')).toMatch(/vrrp_sync_groups\.G\.group\[1\]: expected one of the vrrp_instances \(VI_OUT, VI_IN\)/);
    expect(bad('      vrrp_sync_groups: { G: { group: [VI_OUT] } }\n')).toMatch(/vrrp_sync_groups\.G\.group: expected a list of at least two vrrp instance names/);
    expect(bad('      vrrp_sync_groups: { G: { group: [VI_OUT, VI_IN] }, H: { group: [VI_IN, VI_OUT] } }\n')).toMatch(/vrrp_sync_groups\.H\.group\[0\]: expected an instance not yet in a sync group \(VI_IN is in G\)/);
    expect(bad('      vrrp_sync_groups: { G: { members: [VI_OUT, VI_IN] } }\n')).toMatch(/vrrp_sync_groups\.G/);
  });
});
