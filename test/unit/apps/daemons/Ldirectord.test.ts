import { describe, expect, it } from 'vitest';
import { Ldirectord } from '../../../../src/apps/daemons/health/Ldirectord.ts';
import { LDIRECTORD_DEFAULTS, LD_VIRTUAL_DEFAULTS, type LdirectordConfig, type LdVirtual } from '../../../../src/apps/daemons/health/LdirectordConfig.ts';
import { MS, SECOND } from '../../../../src/sim/index.ts';
import { cluster, LOCAL, RS1, RS2, textServer, VIP } from './healthFixture.ts';

function config(v: Partial<LdVirtual>, g: Partial<LdirectordConfig> = {}): LdirectordConfig {
  const virtual: LdVirtual = {
    ...LD_VIRTUAL_DEFAULTS,
    key: { kind: 'addr', protocol: 'tcp', address: VIP, port: 80 },
    reals: [
      { address: RS1, port: 80, fwd: 'route', weight: 3 },
      { address: RS2, port: 80, fwd: 'route', weight: 1 },
    ],
    ...v,
  };
  return { ...LDIRECTORD_DEFAULTS, checkInterval: 5 * SECOND, ...g, virtuals: [virtual] };
}

describe('ldirectord', () => {
  it('starts with the real servers down and the fallback in, then the first round brings them up', () => {
    const c = cluster();
    const ld = new Ldirectord(c.lvs, c.ipvs, config({}, { fallback: { address: LOCAL, port: 80, fwd: 'route' } }));
    ld.start();
    expect(c.dests()).toEqual(['local:1']);
    c.w.run(100 * MS);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    const h = c.w.events('health');
    expect(h.map((e) => `${e.event} ${e.server} ${e.action}`)).toEqual([
      'fallback-on 127.0.0.1:80 added weight 1',
      'up 10.0.0.21:80 added weight 3',
      'fallback-off 127.0.0.1:80 removed',
      'up 10.0.0.22:80 added weight 1',
    ]);
    expect(h[1].check).toBe('negotiate');
  });

  it('quiescent=no deletes a failed server; quiescent=yes sets its weight to 0; both restore it', () => {
    for (const quiescent of [false, true]) {
      const c = cluster();
      const ld = new Ldirectord(c.lvs, c.ipvs, config({}, { quiescent }));
      ld.start();
      c.w.run(SECOND);
      c.web1.stop();
      c.w.run(5 * SECOND);
      expect(c.dests()).toEqual(quiescent ? ['rs1:0', 'rs2:1'] : ['rs2:1']);
      // quiescent=yes: start-up put both in at weight 0 (a `down` event each) before the first round.
      expect(c.w.events('health').filter((e) => e.detail === 'start-up: not checked yet').map((e) => e.action)).toEqual(quiescent ? ['added weight 0', 'added weight 0'] : []);
      const down = c.w.events('health').find((e) => e.event === 'down' && e.detail !== 'start-up: not checked yet')!;
      expect(down.action).toBe(quiescent ? 'weight 0' : 'removed');
      expect(down.detail).toBe('connection refused');
      c.web1.start();
      c.w.run(5 * SECOND);
      expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    }
  });

  it('failurecount: soft failures first, down at the count, rounds checkinterval apart', () => {
    const c = cluster();
    const ld = new Ldirectord(c.lvs, c.ipvs, config({ checkType: 'connect' }, { failureCount: 3 }));
    ld.start();
    c.w.run(SECOND);
    c.web1.stop();
    c.w.run(20 * SECOND);
    const h = c.w.events('health').filter((e) => e.server === '10.0.0.21:80' && e.event !== 'up');
    expect(h.map((e) => e.event)).toEqual(['failure', 'failure', 'down']);
    expect(h[0].detail).toBe('connection refused (1 of 3)');
    // Rounds start about 5 s after the previous one finished (checks take well under a millisecond here).
    expect(h[1].t - h[0].t).toBeGreaterThanOrEqual(5 * SECOND);
    expect(h[1].t - h[0].t).toBeLessThan(5 * SECOND + MS);
    expect(c.dests()).toEqual(['rs2:1']);
  });

  it('the fallback comes in only when every real server is down and leaves when one returns', () => {
    const c = cluster();
    const ld = new Ldirectord(c.lvs, c.ipvs, config({ checkType: 'connect', fallback: { address: LOCAL, port: 80, fwd: 'route' } }));
    ld.start();
    c.w.run(SECOND);
    c.web1.stop();
    c.w.run(5 * SECOND);
    expect(c.dests()).toEqual(['rs2:1']);
    c.web2.stop();
    c.w.run(5 * SECOND);
    expect(c.dests()).toEqual(['local:1']);
    c.web2.start();
    c.w.run(5 * SECOND);
    expect(c.dests()).toEqual(['rs2:1']);
    expect(c.w.events('health').filter((e) => e.event.startsWith('fallback')).map((e) => e.event)).toEqual(['fallback-on', 'fallback-off', 'fallback-on', 'fallback-off']);
  });

  it('negotiate: the body must match receive, and the status must be 2xx', () => {
    const c = cluster();
    c.web1.stop();
    c.web2.stop();
    textServer(c.rs1, 80, 200, 'server is alive\n');
    textServer(c.rs2, 80, 503, 'alive but unavailable');
    const ld = new Ldirectord(c.lvs, c.ipvs, config({ request: 'check.txt', receive: 'is ali+ve' }, { quiescent: true }));
    ld.start();
    c.w.run(SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:0']);
    expect(ld.isUp(RS2, 80)).toBe(false);
    const req = c.w.events('tx', 'lvs').find((e) => e.pkt.tcp && e.pkt.tcp.len > 0)!;
    expect(req.pkt.ip!.dst).toBe('10.0.0.21');
  });

  it('ping: a crashed real server stops answering and is removed after checktimeout', () => {
    const c = cluster();
    const ld = new Ldirectord(c.lvs, c.ipvs, config({ checkType: 'ping' }, { checkTimeout: 2 * SECOND }));
    ld.start();
    c.w.run(SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    c.rs2.alive = false;
    c.w.run(10 * SECOND);
    expect(c.dests()).toEqual(['rs1:3']);
    expect(c.w.events('health').find((e) => e.event === 'down')!.detail).toBe('no echo reply');
  });

  it('checktype on keeps servers up without a packet; off never activates them; stop removes the service', () => {
    const c = cluster();
    const on = new Ldirectord(c.lvs, c.ipvs, config({ checkType: 'on' }));
    on.start();
    c.w.run(SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    expect(c.w.events('tx', 'lvs').length).toBe(0);
    on.stop();
    expect(c.ipvs.services().length).toBe(0);
    const off = new Ldirectord(c.lvs, c.ipvs, config({ checkType: 'off' }, { quiescent: true }));
    off.start();
    c.w.run(20 * SECOND);
    expect(c.dests()).toEqual(['rs1:0', 'rs2:0']);
  });
});
