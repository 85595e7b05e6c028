import { describe, expect, it } from 'vitest';
import { vrrpInstanceConfig } from '../../../../src/apps/daemons/vrrp/VrrpConfig.ts';
import { advertProblem } from '../../../../src/apps/daemons/vrrp/vrrpAdvertCheck.ts';
import { effectivePriority, faultyLinks, trackedLinks } from '../../../../src/apps/daemons/vrrp/vrrpTracking.ts';
import { VRRP_TRANSITIONS, vrrpNext } from '../../../../src/apps/daemons/vrrp/vrrpStateTable.ts';
import { parseIpv4, VRRP_GROUP, VrrpAuth, type VrrpAdvert } from '../../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;
const base = { name: 'VI_1', interface: 'eth0', vrid: 51, virtualAddresses: [{ address: ip('10.0.0.100'), prefixLen: 24 }] };
const track = (name: string, weight = 0, reverse = false) => ({ name, weight, reverse });

describe('tracked interfaces in effect', () => {
  it('the own interface is tracked unweighted unless dont_track_primary; listing it again is ignored', () => {
    const c = vrrpInstanceConfig({ ...base, trackInterfaces: [track('eth0', -20), track('eth1')] });
    expect(trackedLinks(c, false).map((l) => `${l.name}:${l.weight}:${l.own}`)).toEqual(['eth0:0:true', 'eth1:0:false']);
    expect(trackedLinks(vrrpInstanceConfig({ ...c, dontTrackPrimary: true }), false).map((l) => l.name)).toEqual(['eth1']);
  });

  it('a sync group without sync_group_tracking_weight makes weights 0; an address owner drops weighted lines', () => {
    const c = vrrpInstanceConfig({ ...base, trackInterfaces: [track('eth1', -20), track('eth2')] });
    expect(trackedLinks(c, false).map((l) => l.weight)).toEqual([0, -20, 0]);
    expect(trackedLinks(c, true).map((l) => l.weight)).toEqual([0, 0, 0]);
    expect(trackedLinks(vrrpInstanceConfig({ ...c, priority: 255 }), false).map((l) => l.name)).toEqual(['eth0', 'eth2']);
  });

  it('faults: unweighted lines down, or up with reverse', () => {
    const links = trackedLinks(vrrpInstanceConfig({ ...base, trackInterfaces: [track('eth1'), track('eth2', 0, true), track('eth3', -10)] }), false);
    const up = (set: string[]) => (n: string) => set.includes(n);
    expect(faultyLinks(links, up(['eth0', 'eth1', 'eth3']))).toEqual([]);
    expect(faultyLinks(links, up(['eth0', 'eth2']))).toEqual(['eth1', 'eth2']);
  });

  it('the effective priority: + weight while up (positive) or down (negative), reversed with reverse, within 1..254', () => {
    const links = trackedLinks(vrrpInstanceConfig({ ...base, trackInterfaces: [track('eth1', 50), track('eth2', -30), track('eth3', 20, true)] }), false);
    const up = (set: string[]) => (n: string) => set.includes(n);
    expect(effectivePriority(100, links, up(['eth0', 'eth1', 'eth2']))).toBe(150);
    expect(effectivePriority(100, links, up(['eth0']))).toBe(70);
    expect(effectivePriority(100, links, up(['eth0', 'eth3']))).toBe(50);
    expect(effectivePriority(220, links, up(['eth1', 'eth2']))).toBe(254);
    expect(effectivePriority(20, links, up(['eth3']))).toBe(1);
    expect(effectivePriority(255, links, up([]))).toBe(255);
  });
});

describe('advert checks (vrrp_check_packet)', () => {
  const advert: VrrpAdvert = { version: 2, vrid: 51, priority: 100, interval: 1, addresses: [ip('10.0.0.100')], authType: VrrpAuth.none };
  const multicast = vrrpInstanceConfig(base);
  const unicast = vrrpInstanceConfig({ ...base, unicastPeers: [ip('10.0.0.2')] });
  const from = (src: string, dst: number, ttl: number) => ({ src: ip(src), dst, ttl });

  it('TTL 255 is required of multicast adverts only', () => {
    expect(advertProblem(multicast, from('10.0.0.2', VRRP_GROUP, 254), advert)).toBe('TTL 254, not 255');
    expect(advertProblem(unicast, from('10.0.0.2', ip('10.0.0.1'), 254), advert)).toBeUndefined();
  });

  it('a unicast instance takes only unicast adverts, a multicast one only multicast', () => {
    expect(advertProblem(unicast, from('10.0.0.2', VRRP_GROUP, 255), advert)).toBe('a multicast advert, but this instance has unicast peers');
    expect(advertProblem(multicast, from('10.0.0.2', ip('10.0.0.1'), 255), advert)).toBe('a unicast advert, but this instance has no unicast peers');
  });

  it('check_unicast_src: the source must be a peer', () => {
    const checked = vrrpInstanceConfig({ ...unicast, checkUnicastSrc: true });
    expect(advertProblem(checked, from('10.0.0.9', ip('10.0.0.1'), 255), advert)).toBe('unicast source 10.0.0.9 is not a unicast peer');
    expect(advertProblem(checked, from('10.0.0.2', ip('10.0.0.1'), 255), advert)).toBeUndefined();
    expect(advertProblem(unicast, from('10.0.0.9', ip('10.0.0.1'), 255), advert)).toBeUndefined();
  });
});

describe('the state table with FAULT and sync groups', () => {
  it('every state and input, cell by cell', () => {
    const cells = Object.entries(VRRP_TRANSITIONS).flatMap(([from, row]) => Object.entries(row).map(([input, to]) => `${from} --${input}--> ${to}`));
    expect(cells).toEqual([
      'INIT --startup-owner--> MASTER',
      'INIT --startup--> BACKUP',
      'INIT --startup-fault--> FAULT',
      'BACKUP --master-down--> MASTER',
      'BACKUP --fault--> FAULT',
      'BACKUP --sync-master--> MASTER',
      'BACKUP --sync-fault--> FAULT',
      'BACKUP --shutdown--> INIT',
      'MASTER --preempted--> BACKUP',
      'MASTER --fault--> FAULT',
      'MASTER --sync-backup--> BACKUP',
      'MASTER --sync-fault--> FAULT',
      'MASTER --shutdown--> INIT',
      'FAULT --fault-clear--> BACKUP',
      'FAULT --sync-backup--> BACKUP',
      'FAULT --shutdown--> INIT',
    ]);
    // FAULT is left only to BACKUP: never straight to MASTER, even when the group is MASTER.
    expect(vrrpNext('FAULT', 'sync-master')).toBeUndefined();
    expect(vrrpNext('FAULT', 'master-down')).toBeUndefined();
  });
});
