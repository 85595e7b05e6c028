import { describe, expect, it } from 'vitest';
import { VrrpInstance } from '../../../../src/apps/daemons/vrrp/VrrpInstance.ts';
import { VrrpSyncGroup } from '../../../../src/apps/daemons/vrrp/VrrpSyncGroup.ts';
import { vrrpInstanceConfig, type VrrpInstanceConfig } from '../../../../src/apps/daemons/vrrp/VrrpConfig.ts';
import { ipLocalOut, Scope, type Host } from '../../../../src/net/index.ts';
import { SECOND, MS } from '../../../../src/sim/index.ts';
import { encodeVrrp, parseIpv4, VRRP_GROUP, VrrpAuth } from '../../../../src/wire/index.ts';
import { SimWorld } from '../../simWorld.ts';

const VIP = parseIpv4('10.0.0.100')!;
const VIP2 = parseIpv4('10.0.0.101')!;

function addr(h: Host, dev: string, a: string): void {
  h.addAddress(h.iface(dev)!, { address: parseIpv4(a)!, prefixLen: 24, scope: Scope.global, label: dev });
}

/** Two directors and a router on one segment. */
function pair(cfgA: Partial<VrrpInstanceConfig>, cfgB: Partial<VrrpInstanceConfig>) {
  const w = new SimWorld();
  const a = w.newHost('lvs1');
  const b = w.newHost('lvs2');
  const r = w.newHost('router');
  w.plugNew(a, 'eth0', '02:00:00:00:00:0a', 'lan');
  w.plugNew(b, 'eth0', '02:00:00:00:00:0b', 'lan');
  w.plugNew(r, 'eth0', '02:00:00:00:00:01', 'lan');
  addr(a, 'eth0', '10.0.0.2');
  addr(b, 'eth0', '10.0.0.3');
  addr(r, 'eth0', '10.0.0.1');
  const base = { name: 'VI_1', interface: 'eth0', vrid: 51, virtualAddresses: [{ address: VIP, prefixLen: 24 }] };
  const ia = new VrrpInstance(a, vrrpInstanceConfig({ ...base, ...cfgA }));
  const ib = new VrrpInstance(b, vrrpInstanceConfig({ ...base, ...cfgB }));
  return { w, a, b, r, ia, ib };
}

describe('VrrpInstance through real adverts', () => {
  it('both start BACKUP; the higher priority wins when its master-down timer expires first', () => {
    const { w, a, b, ia, ib } = pair({ priority: 150, state: 'MASTER' }, { priority: 100 });
    ia.start();
    ib.start();
    expect(ia.state).toBe('BACKUP');
    expect(ib.state).toBe('BACKUP');
    w.run(3_414_062_499);
    expect(ia.state).toBe('BACKUP');
    w.run(2);
    expect(ia.state).toBe('MASTER');
    w.run(5 * SECOND);
    expect(ib.state).toBe('BACKUP');
    expect(a.iface('eth0')!.hasAddress(VIP)).toBe(true);
    expect(b.iface('eth0')!.hasAddress(VIP)).toBe(false);
    const v = w.events('vrrp');
    expect(v.map((e) => `${e.host} ${e.from}>${e.to}`)).toEqual(['lvs1 INIT>BACKUP', 'lvs2 INIT>BACKUP', 'lvs1 BACKUP>MASTER']);
    // Adverts: protocol 112 to 224.0.0.18 with TTL 255 and the group's multicast MAC.
    const tx = w.events('tx', 'lvs1').find((e) => e.pkt.ip?.proto === 'vrrp')!;
    expect(tx.pkt.eth!.dst).toBe('01:00:5e:00:00:12');
    expect(tx.pkt.ip).toMatchObject({ dst: '224.0.0.18', ttl: 255, src: '10.0.0.2' });
    expect(tx.pkt.vrrp).toEqual({ v: 2, vrid: 51, prio: 150, int: 1, addrs: 1 });
    // The router joined no group: it drops them as not for it, without ICMP.
    expect(w.events('drop', 'router').some((e) => e.reason === 'not-for-us' && e.pkt?.ip?.proto === 'vrrp')).toBe(true);
    expect(w.events('icmp').length).toBe(0);
  });

  it('the owner (255, MASTER) takes over at once, with gratuitous ARPs, and a second burst 5 s later', () => {
    const { w, ia } = pair({ priority: 255, state: 'MASTER', garpMasterRepeat: 3, virtualAddresses: [{ address: VIP, prefixLen: 24 }, { address: VIP2, prefixLen: 24, label: 'eth0:vip2' }] }, {});
    ia.start();
    expect(ia.state).toBe('MASTER');
    w.run(1 * MS);
    const garps = () => w.events('tx', 'lvs1').filter((e) => e.pkt.arp && e.pkt.arp.spa === e.pkt.arp.tpa);
    expect(garps().length).toBe(6);
    expect(garps()[0].pkt.arp).toMatchObject({ op: 'request', spa: '10.0.0.100', tha: 'ff:ff:ff:ff:ff:ff' });
    expect(garps()[0].pkt.eth!.dst).toBe('ff:ff:ff:ff:ff:ff');
    w.run(5 * SECOND);
    expect(garps().length).toBe(12);
  });

  it('the master crashes: the backup takes over after the master-down interval and the router ARP cache moves', () => {
    const { w, a, r, ia, ib } = pair({ priority: 150 }, { priority: 100 });
    ia.start();
    ib.start();
    w.run(5 * SECOND);
    // The router learns the VIP at lvs1's MAC.
    r.neigh.create(VIP, r.iface('eth0')!);
    w.run(SECOND);
    a.alive = false;
    const crashAt = w.sim.now();
    w.run(10 * SECOND);
    expect(ib.state).toBe('MASTER');
    const took = w.events('vrrp', 'lvs2').find((e) => e.to === 'MASTER')!;
    // The last advert came at most one interval before the crash; takeover 3.609 s after it.
    expect(took.t - crashAt).toBeLessThanOrEqual(3_609_375_000);
    expect(took.t - crashAt).toBeGreaterThan(2_609_375_000);
    expect(r.neigh.lookup(VIP, r.iface('eth0')!)?.mac).toBe('02:00:00:00:00:0b');
    void ia;
  });

  it('preemption: a higher priority that starts later takes over; with nopreempt it does not', () => {
    for (const preempt of [true, false]) {
      const { w, ia, ib } = pair({ priority: 100 }, { priority: 200, preempt });
      ia.start();
      w.run(10 * SECOND);
      expect(ia.state).toBe('MASTER');
      ib.start();
      w.run(10 * SECOND);
      expect(ib.state).toBe(preempt ? 'MASTER' : 'BACKUP');
      expect(ia.state).toBe(preempt ? 'BACKUP' : 'MASTER');
    }
  });

  it('preempt_delay holds a higher-priority backup back for that long after the first lower advert', () => {
    const { w, ia, ib } = pair({ priority: 100 }, { priority: 200, preemptDelay: 10 * SECOND });
    ia.start();
    w.run(10 * SECOND);
    ib.start();
    w.run(12 * SECOND);
    expect(ib.state).toBe('BACKUP');
    w.run(5 * SECOND);
    expect(ib.state).toBe('MASTER');
    const t = w.events('vrrp', 'lvs2').find((e) => e.to === 'MASTER')!.t;
    // The first lower advert comes within 1 s of the start; adverts before it + 10 s still re-arm the timer, so
    // the takeover is the master-down interval (3.2 s at 200) after the last of them: 12.2–14.2 s after the start.
    expect(t - 10 * SECOND).toBeGreaterThan(12_200 * MS);
    expect(t - 10 * SECOND).toBeLessThan(14_300 * MS);
  });

  it('a clean stop resigns with priority 0: the backup takes over after only the skew time', () => {
    const { w, ia, ib } = pair({ priority: 150 }, { priority: 100 });
    ia.start();
    ib.start();
    w.run(10 * SECOND);
    ia.stop();
    const stopAt = w.sim.now();
    w.run(2 * SECOND);
    const took = w.events('vrrp', 'lvs2').find((e) => e.to === 'MASTER')!;
    expect(took.t - stopAt).toBeGreaterThanOrEqual(609_375_000);
    expect(took.t - stopAt).toBeLessThan(610 * MS);
  });

  it('FAULT while its interface is down: the VIP goes, the backup takes over; back up, it preempts again', () => {
    const { w, a, b, ia, ib } = pair({ priority: 150 }, { priority: 100 });
    ia.start();
    ib.start();
    w.run(5 * SECOND);
    a.setLinkUp(a.iface('eth0')!, false);
    w.run(5 * SECOND);
    expect(ia.state).toBe('FAULT');
    expect(ib.state).toBe('MASTER');
    expect(a.iface('eth0')!.hasAddress(VIP)).toBe(false);
    expect(b.iface('eth0')!.hasAddress(VIP)).toBe(true);
    a.setLinkUp(a.iface('eth0')!, true);
    w.run(6 * SECOND);
    expect(ia.state).toBe('MASTER');
    expect(ib.state).toBe('BACKUP');
    expect(w.events('vrrp', 'lvs1').map((e) => `${e.from}>${e.to} ${e.reason}`)).toEqual([
      'INIT>BACKUP start-up',
      'BACKUP>MASTER master down timer expired',
      'MASTER>FAULT interface eth0 down',
      'FAULT>BACKUP interface eth0 up',
      'BACKUP>MASTER master down timer expired',
    ]);
  });

  it('equal priorities: the higher primary address wins', () => {
    const { w, ia, ib } = pair({ priority: 100 }, { priority: 100 });
    ia.start();
    ib.start();
    w.run(10 * SECOND);
    expect(ib.state).toBe('MASTER');
    expect(ia.state).toBe('BACKUP');
  });

  it('adverts with another password or interval are discarded as vrrp-invalid', () => {
    const { w, ia, ib } = pair({ priority: 150, authPass: 'abcdefgh-long' }, { priority: 100, authPass: 'other' });
    ia.start();
    ib.start();
    w.run(10 * SECOND);
    expect(ia.state).toBe('MASTER');
    expect(ib.state).toBe('MASTER');
    expect(w.events('drop', 'lvs2').some((e) => e.reason === 'vrrp-invalid' && e.detail === 'VI_1: authentication mismatch')).toBe(true);
  });

  it('discards adverts with TTL ≠ 255 or (v2) another interval; answers a priority-0 advert at once as MASTER', () => {
    const { w, r, ia } = pair({ priority: 150 }, {});
    ia.start();
    w.run(5 * SECOND);
    const forge = (priority: number, interval: number, ttl: number) => {
      const src = parseIpv4('10.0.0.1')!;
      const payload = encodeVrrp({ version: 2, vrid: 51, priority, interval, addresses: [VIP], authType: VrrpAuth.none }, src, VRRP_GROUP);
      ipLocalOut(r, { dst: VRRP_GROUP, src, protocol: 112, l4: { proto: 'raw', payload }, ttl, oif: 'eth0', df: false });
    };
    forge(200, 1, 64);
    forge(200, 2, 255);
    w.run(100 * MS);
    expect(ia.state).toBe('MASTER');
    expect(w.events('drop', 'lvs1').filter((e) => e.reason === 'vrrp-invalid').map((e) => e.detail)).toEqual(['VI_1: TTL 64, not 255', 'VI_1: advert interval 2s, ours 1s']);
    const before = ia.advertsSent;
    forge(0, 1, 255);
    w.run(MS);
    expect(ia.advertsSent).toBe(before + 1);
    // A valid higher-priority advert wins over it.
    forge(200, 1, 255);
    w.run(MS);
    expect(ia.state).toBe('BACKUP');
  });

  it('v3: the backup learns the master advert interval and uses it for its timers', () => {
    const { w, ia, ib } = pair({ priority: 150, version: 3, advertInt: 500 * MS }, { priority: 100, version: 3, advertInt: 2 * SECOND });
    ia.start();
    ib.start();
    w.run(10 * SECOND);
    expect(ia.state).toBe('MASTER');
    expect(ib.state).toBe('BACKUP');
    expect(ib.masterDown).toBe(1_500_000_000 + 304_687_500);
  });
});

describe('VrrpInstance: a MASTER hears a lower-priority advert (keepalived, not the RFC)', () => {
  /**
   * lvs1 alone as MASTER (its peer never starts), 10 s on (past the second burst of becoming MASTER); adverts
   * forged on the router from `src` (the router's own address by default).
   */
  function master(cfg: Partial<VrrpInstanceConfig>) {
    const p = pair({ priority: 150, ...cfg }, {});
    p.ia.start();
    p.w.run(10 * SECOND);
    expect(p.ia.state).toBe('MASTER');
    const forge = (priority: number, src = '10.0.0.1', vrid = 51) => {
      const s = parseIpv4(src)!;
      const payload = encodeVrrp({ version: 2, vrid, priority, interval: 1, addresses: [VIP], authType: VrrpAuth.none }, s, VRRP_GROUP);
      ipLocalOut(p.r, { dst: VRRP_GROUP, src: s, protocol: 112, l4: { proto: 'raw', payload }, ttl: 255, oif: 'eth0', df: false });
    };
    const garps = (vip = '10.0.0.100') => p.w.events('tx', 'lvs1').filter((e) => e.pkt.arp?.spa === vip && e.pkt.arp.tpa === vip).length;
    const adverts = () => p.w.events('tx', 'lvs1').filter((e) => e.pkt.ip?.proto === 'vrrp').map((e) => e.t);
    return { ...p, forge, garps, adverts };
  }

  it('answers each lower advert with an advert and a GARP burst at once, and the burst again 5 s later — every time, with no rate limit', () => {
    const { w, ia, forge, garps, adverts } = master({});
    const g0 = garps();
    const sent = ia.advertsSent;
    forge(100);
    w.run(MS);
    expect(ia.advertsSent).toBe(sent + 1);
    expect(garps()).toBe(g0 + 5);
    forge(100);
    w.run(MS);
    expect(ia.advertsSent).toBe(sent + 2);
    expect(garps()).toBe(g0 + 10);
    w.run(5 * SECOND);
    expect(garps()).toBe(g0 + 20);
    expect(ia.state).toBe('MASTER');
    // The advert timer starts again from each answer: the periodic adverts follow the last one by 1 s.
    const t = adverts();
    const answer = t.findIndex((x) => x > 10 * SECOND);
    expect(t[answer + 2] - t[answer + 1]).toBe(SECOND);
  });

  it('equal priority counts as lower from a lower address, as neither from our own; an address owner answers too', () => {
    const eq = master({ priority: 100 });
    const s0 = eq.ia.advertsSent;
    eq.forge(100, '10.0.0.2'); // lvs1's own primary address: keepalived only warns
    eq.w.run(MS);
    expect([eq.ia.advertsSent, eq.garps()]).toEqual([s0, 10]);
    eq.forge(100, '10.0.0.1'); // 10.0.0.1 < 10.0.0.2: lower
    eq.w.run(MS);
    expect([eq.ia.advertsSent, eq.garps(), eq.ia.state]).toEqual([s0 + 1, 15, 'MASTER']);
    const owner = master({ priority: 255, state: 'MASTER' });
    const o0 = owner.ia.advertsSent;
    owner.forge(254);
    owner.w.run(MS);
    expect([owner.ia.advertsSent, owner.garps()]).toEqual([o0 + 1, 15]);
  });

  it('lower_prio_no_advert: no answer to a lower advert (the GARPs go), and even a priority-0 answer leaves the advert timer as it was', () => {
    const { w, ia, forge, garps, adverts } = master({ lowerPrioNoAdvert: true, garpLowerPrioRepeat: 2, garpLowerPrioDelay: 0 });
    const before = adverts();
    const g0 = garps();
    forge(100);
    w.run(MS);
    expect(adverts()).toEqual(before);
    expect(garps()).toBe(g0 + 2);
    forge(0);
    w.run(3 * SECOND);
    const t = adverts().slice(before.length);
    // The answer to the priority 0, then the periodic adverts on their old phase (3.414 s + n).
    expect(t.length).toBe(4);
    expect(t.slice(1).map((x) => (x - 3_414_062_500) % SECOND)).toEqual([0, 0, 0]);
    expect(garps()).toBe(g0 + 2);
  });

  it('higher_prio_send_advert: one advert of its own before it yields to a better one', () => {
    for (const send of [false, true]) {
      const { w, ia, forge } = master({ higherPrioSendAdvert: send });
      const s0 = ia.advertsSent;
      forge(200);
      w.run(MS);
      expect(ia.state).toBe('BACKUP');
      expect(ia.advertsSent).toBe(s0 + (send ? 1 : 0));
    }
  });

  it('in a sync group, the other MASTER members send their lower-priority GARPs too, if theirs is not 0', () => {
    for (const repeat2 of [3, 0]) {
      const { w, a, r } = pair({}, {});
      const base = { interface: 'eth0', priority: 150 };
      const i1 = new VrrpInstance(a, vrrpInstanceConfig({ ...base, name: 'VI_1', vrid: 51, virtualAddresses: [{ address: VIP, prefixLen: 24 }] }));
      const i2 = new VrrpInstance(a, vrrpInstanceConfig({ ...base, name: 'VI_2', vrid: 52, virtualAddresses: [{ address: VIP2, prefixLen: 24 }], garpLowerPrioRepeat: repeat2 }));
      const g = new VrrpSyncGroup({ name: 'G', instances: ['VI_1', 'VI_2'], trackingWeight: false });
      i1.joinGroup(g);
      i2.joinGroup(g);
      i1.start();
      i2.start();
      w.run(10 * SECOND);
      expect([i1.state, i2.state]).toEqual(['MASTER', 'MASTER']);
      const count = (vip: string) => w.events('tx', 'lvs1').filter((e) => e.pkt.arp?.spa === vip && e.pkt.arp.tpa === vip && e.t > 10 * SECOND).length;
      const src = parseIpv4('10.0.0.1')!;
      const payload = encodeVrrp({ version: 2, vrid: 51, priority: 100, interval: 1, addresses: [VIP], authType: VrrpAuth.none }, src, VRRP_GROUP);
      ipLocalOut(r, { dst: VRRP_GROUP, src, protocol: 112, l4: { proto: 'raw', payload }, ttl: 255, oif: 'eth0', df: false });
      w.run(MS);
      expect([count('10.0.0.100'), count('10.0.0.101')]).toEqual([5, repeat2]);
      w.run(5 * SECOND);
      expect([count('10.0.0.100'), count('10.0.0.101')]).toEqual([10, 2 * repeat2]);
    }
  });
});
