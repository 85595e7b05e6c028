import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

/**
 * keepalived's interface tracking through real adverts: lvs1 (150) and lvs2 (100) on segment `lan` (eth0), each
 * with a second interface eth1 on `inside`; lvs1's instance has the extra lines given.
 */
function pair(lvs1Lines: string[], timeline: string[], duration = '25s'): string {
  const director = (name: string, n: number, prio: number, lines: string[]) => [
    `  ${name}:`,
    '    interfaces:',
    `      eth0: { segment: lan, mac: 02:00:00:00:00:0${n}, addresses: [10.0.0.${n}/24] }`,
    `      eth1: { segment: inside, mac: 02:00:00:00:01:0${n}, addresses: [192.168.1.${n}/24] }`,
    '    keepalived:',
    '      vrrp_instances:',
    '        VI_1:',
    '          interface: eth0',
    '          virtual_router_id: 51',
    `          priority: ${prio}`,
    '          virtual_ipaddress: [10.0.0.100/24]',
    ...lines.map((l) => `          ${l}`),
  ];
  return [
    'name: tracking',
    `duration: ${duration}`,
    'segments: { lan: {}, inside: {} }',
    'hosts:',
    ...director('lvs1', 1, 150, lvs1Lines),
    ...director('lvs2', 2, 100, []),
    'timeline:',
    ...timeline.map((l) => `  - ${l}`),
    '',
  ].join('\n');
}

function run(text: string): TraceEvent[] {
  const lab = Lab.fromText(text, { file: 'track.yaml' });
  const events: TraceEvent[] = [];
  lab.onEvent((e) => events.push(e));
  lab.run();
  return events;
}

const ms = (t: number) => Math.round(t / 1e6);
const moves = (ev: TraceEvent[]) => ev.flatMap((e) => (e.kind === 'vrrp' && e.from !== 'INIT' ? [`${ms(e.t)}ms ${e.host} ${e.from}>${e.to} (${e.reason})`] : []));
const prio0 = (ev: TraceEvent[]) => ev.filter((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.vrrp?.prio === 0).map((e) => ms(e.t));

describe('track_interface', () => {
  it('an unweighted tracked interface down: FAULT at once, the master resigns on its own interface, the backup takes over after its skew', () => {
    const ev = run(pair(['track_interface: [eth1]'], ['{ at: 6s, cable: lvs1/eth1, state: down }', '{ at: 12s, cable: lvs1/eth1, state: up }']));
    expect(moves(ev)).toEqual([
      '3414ms lvs1 BACKUP>MASTER (master down timer expired)',
      '6000ms lvs1 MASTER>FAULT (interface eth1 down)',
      // Two priority-0 adverts left on eth0 (vrrp_state_leave_master, then vrrp_restore_interface): lvs2's timer
      // is cut to its skew time, (256 - 100)/256 s.
      '6609ms lvs2 BACKUP>MASTER (master down timer expired)',
      '12000ms lvs1 FAULT>BACKUP (interface eth1 up)',
      // Back in BACKUP, lvs1 ignores lvs2's lower adverts: its timer runs out and it preempts.
      '15414ms lvs1 BACKUP>MASTER (master down timer expired)',
      '15414ms lvs2 MASTER>BACKUP (advert from 10.0.0.1 with priority 150)',
    ]);
    expect(prio0(ev)).toEqual([6000, 6000]);
    // In FAULT lvs1 sends no advert and holds no VIP.
    expect(ev.filter((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.vrrp !== undefined && e.t > 6000e6 && e.t < 15000e6 && e.pkt.vrrp.prio !== 0)).toEqual([]);
  });

  it('its own interface is tracked without being listed; with dont_track_primary it is not', () => {
    const down = ['{ at: 6s, link: lvs1/eth0, state: down }'];
    const trackedEv = run(pair([], down, '12s'));
    const tracked = moves(trackedEv);
    expect(tracked).toContain('6000ms lvs1 MASTER>FAULT (interface eth0 down)');
    const resign = trackedEv.filter((e) => e.kind === 'drop' && e.host === 'lvs1' && e.pkt?.vrrp?.prio === 0);
    expect(resign.map((e) => [ms(e.t), e.kind === 'drop' && e.reason])).toEqual([[6000, 'link-down'], [6000, 'link-down']]);
    // Its priority-0 adverts could not leave a down interface: lvs2 waits its whole master-down interval after
    // lvs1's last advert (5.414 s).
    expect(tracked).toContain('9023ms lvs2 BACKUP>MASTER (master down timer expired)');
    const untracked = moves(run(pair(['dont_track_primary: yes'], down, '12s')));
    expect(untracked.filter((m) => m.includes('FAULT'))).toEqual([]);
    // lvs1 stays MASTER (its adverts cannot leave), and lvs2 becomes MASTER too.
    expect(untracked).toEqual(['3414ms lvs1 BACKUP>MASTER (master down timer expired)', '9023ms lvs2 BACKUP>MASTER (master down timer expired)']);
  });

  it('a weighted tracked interface changes the priority instead: the next adverts carry 90 and lvs2 (100) preempts', () => {
    const ev = run(pair(['track_interface: ["eth1 weight -60"]'], ['{ at: 6s, cable: lvs1/eth1, state: down }'], '15s'));
    expect(moves(ev)).toEqual([
      '3414ms lvs1 BACKUP>MASTER (master down timer expired)',
      // lvs1's last advert at 150 left at 5.414 s; lvs2 ignores the ones at 90, so its timer runs out 3.609 s later.
      '9023ms lvs2 BACKUP>MASTER (master down timer expired)',
      '9023ms lvs1 MASTER>BACKUP (advert from 10.0.0.2 with priority 100)',
    ]);
    const prios = ev.flatMap((e) => (e.kind === 'tx' && e.host === 'lvs1' && e.pkt.vrrp ? [`${ms(e.t)}:${e.pkt.vrrp.prio}`] : []));
    expect(prios).toEqual(['3414:150', '4414:150', '5414:150', '6414:90', '7414:90', '8414:90']);
    expect(ev.filter((e) => e.kind === 'vrrp' && e.to === 'FAULT')).toEqual([]);
  });

  it('reverse: an unweighted reverse line means FAULT while the interface is up', () => {
    const ev = run(pair(['track_interface: ["eth1 reverse"]'], ['{ at: 6s, cable: lvs1/eth1, state: down }'], '10s'));
    expect(moves(ev).filter((m) => m.includes('lvs1'))).toEqual(['6000ms lvs1 FAULT>BACKUP (interface eth1 down)', '9414ms lvs1 BACKUP>MASTER (master down timer expired)']);
    expect(ev.find((e) => e.kind === 'vrrp' && e.host === 'lvs1')).toMatchObject({ from: 'INIT', to: 'FAULT', reason: 'start-up with interface eth1 up' });
  });

  it('the lines are checked where they are written', () => {
    const bad = (line: string) => {
      try {
        Lab.fromText(pair([line], ['{ at: 1s, link: lvs1/eth1, state: down }']), { file: 't.yaml' });
      } catch (e) {
        return (e as Error).message.split('\n')[0];
      }
      return 'accepted';
    };
    expect(bad('track_interface: ["eth1 weight 300"]')).toMatch(/track_interface\[0\]: expected a track_interface line IF \[weight -253\.\.253\] \[reverse\]/);
    expect(bad('track_interface: [eth1, eth1]')).toMatch(/track_interface\[1\]: expected each interface once/);
    expect(bad('track_interface: [eth7]')).toMatch(/^t\.yaml:\d+:\d+: .*track_interface\[0\]: expected an Ethernet interface of lvs1 \(eth0, eth1\)/);
    expect(bad('dont_track_primary: maybe')).toMatch(/dont_track_primary: expected dont_track_primary: yes\/no/);
  });
});
