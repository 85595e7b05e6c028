import { describe, expect, it } from 'vitest';
import { KeepalivedVirtualServer } from '../../../../src/apps/daemons/health/KeepalivedChecks.ts';
import { KA_CHECK_DEFAULTS, type KaChecker, type KaVirtualServer } from '../../../../src/apps/daemons/health/KeepalivedCheckConfig.ts';
import { md5Hex } from '../../../../src/apps/daemons/health/md5.ts';
import { MS, SECOND } from '../../../../src/sim/index.ts';
import { textPayload } from '../../../../src/wire/index.ts';
import { cluster, RS1, RS2, textServer, VIP } from './healthFixture.ts';

function vs(checker: KaChecker, v: Partial<KaVirtualServer> = {}): KaVirtualServer {
  return {
    ...KA_CHECK_DEFAULTS,
    key: { kind: 'addr', protocol: 'tcp', address: VIP, port: 80 },
    fwd: 'route',
    delayLoop: 6 * SECOND,
    warmup: 0,
    realServers: [
      { address: RS1, port: 80, weight: 3, checkers: [checker] },
      { address: RS2, port: 80, weight: 1, checkers: [checker] },
    ],
    ...v,
  };
}

describe('md5 (RFC 1321 test suite)', () => {
  it('matches the RFC vectors', () => {
    const h = (s: string) => md5Hex(textPayload(s).bytes ?? new Uint8Array(0));
    expect(h('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(h('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(h('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(h('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });
});

describe('keepalived checkers', () => {
  it('without alpha the real servers are added at start; TCP_CHECK keeps them', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK' }));
    k.start();
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    expect(c.ipvs.services()[0].scheduler).toBe('wlc');
    c.w.run(20 * SECOND);
    // Only the start-up additions: the checks that follow change nothing.
    expect(c.w.events('health').map((e) => `${e.event} ${e.server} ${e.action}`)).toEqual(['up 10.0.0.21:80 added weight 3', 'up 10.0.0.22:80 added weight 1']);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
  });

  it('alpha: nothing is added before the first successful check', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK' }, { alpha: true }));
    k.start();
    expect(c.dests()).toEqual([]);
    c.w.run(10 * MS);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    expect(c.w.events('health').map((e) => `${e.event} ${e.action}`)).toEqual(['up added weight 3', 'up added weight 1']);
  });

  it('alpha: a real server with no checker is added at start all the same (no checker failed: ipwrapper.c init_service_rs)', () => {
    const c = cluster();
    const base = vs({ type: 'TCP_CHECK' }, { alpha: true });
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, { ...base, realServers: [base.realServers[0], { ...base.realServers[1], checkers: [] }] });
    k.start();
    // rs2 has no checker: in at once; rs1 waits for its TCP_CHECK.
    expect(c.dests()).toEqual(['rs2:1']);
    c.w.run(10 * MS);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    expect(c.w.events('health').map((e) => `${e.event} ${e.server} ${e.detail}`)[0]).toBe('up 10.0.0.22:80 start-up: no checker, so alive');
  });

  it('retry and delay_before_retry: DOWN after retry+1 failed attempts, delay_before_retry apart', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK', retry: 3, delayBeforeRetry: 2 * SECOND }));
    k.start();
    c.w.run(SECOND);
    c.web1.stop();
    // The next run is at 6 s (delay_loop): refused at once, then retries at 8, 10, 12 s; DOWN at the 4th failure.
    c.w.run(11 * SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
    c.w.run(2 * SECOND);
    expect(c.dests()).toEqual(['rs2:1']);
    const h = c.w.events('health').filter((e) => e.server === '10.0.0.21:80' && e.t > 0);
    expect(h.map((e) => e.event)).toEqual(['failure', 'failure', 'failure', 'down']);
    expect(h.map((e) => Math.round(e.t / SECOND))).toEqual([6, 8, 10, 12]);
    expect(h[3].action).toBe('removed');
    expect(h[0].detail).toBe('connection refused (retry 1 of 3)');
    // Back: the next run after delay_loop adds it again.
    c.web1.start();
    c.w.run(7 * SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
  });

  it('connect_timeout bounds an attempt to a silent server', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK', retry: 0, connectTimeout: 3 * SECOND }));
    k.start();
    c.w.run(SECOND);
    c.rs1.alive = false;
    c.w.run(9 * SECOND);
    const down = c.w.events('health').find((e) => e.event === 'down')!;
    // The run starts delay_loop after the previous success finished (~0.1 ms after 0) and times out 3 s later.
    expect(down.t).toBeGreaterThanOrEqual(9 * SECOND);
    expect(down.t).toBeLessThan(9 * SECOND + MS);
    expect(down.detail).toBe('connect timeout');
  });

  it('inhibit_on_failure sets weight 0 and restores the configured weight', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK', retry: 0 }, { inhibitOnFailure: true }));
    k.start();
    c.w.run(SECOND);
    c.web1.stop();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['rs1:0', 'rs2:1']);
    c.web1.start();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
  });

  it('sorry_server: in when no real server is alive (reals out), out when one returns', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK', retry: 0 }, { sorryServer: { address: 0x0a000009, port: 80 } }));
    k.start();
    c.w.run(SECOND);
    c.web1.stop();
    c.web2.stop();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['167772169:1']);
    expect(k.sorryServerActive).toBe(true);
    c.web2.start();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['rs2:1']);
    expect(c.w.events('health').filter((e) => e.event.startsWith('sorry')).map((e) => `${e.event} ${e.action}`)).toEqual(['sorry-on added weight 1', 'sorry-off removed']);
  });

  it('sorry_server with inhibit_on_failure: the dead real servers stay listed at weight 0 (ipwrapper.c perform_quorum_state)', () => {
    // keepalived's perform_quorum_state only touches alive servers, and ipvs_cmd turns the DEL_DEST of an
    // inhibited server into an EDIT to weight 0; on regaining quorum ADD_DEST of a listed inhibited server is an EDIT.
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK', retry: 0 }, { inhibitOnFailure: true, sorryServer: { address: 0x0a000009, port: 80 } }));
    k.start();
    c.w.run(SECOND);
    c.web1.stop();
    c.web2.stop();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['167772169:1', 'rs1:0', 'rs2:0']);
    c.web2.start();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['rs1:0', 'rs2:1']);
    expect(c.w.events('health').filter((e) => e.event === 'down').map((e) => e.action)).toEqual(['weight 0', 'weight 0']);
  });

  it('quorum and hysteresis: the sorry server comes in below quorum - hysteresis and leaves at quorum + hysteresis', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK', retry: 0 }, { quorum: 3, hysteresis: 1, sorryServer: { address: 0x0a000009, port: 80 } }));
    k.start();
    // Live weight 4 (3 + 1) ≥ quorum: real servers in.
    c.w.run(SECOND);
    expect(k.sorryServerActive).toBe(false);
    // rs2 down: live 3, not below quorum − hysteresis (2): no change but rs2 leaves.
    c.web2.stop();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['rs1:3']);
    // rs1 down too: live 0: every real server out, the sorry server in.
    c.web1.stop();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['167772169:1']);
    // rs1 back: live 3 < quorum + hysteresis (4): the sorry server stays, rs1 is not added on its own.
    c.web1.start();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['167772169:1']);
    expect(k.isAlive(RS1, 80)).toBe(true);
    // rs2 back: live 4: the sorry server leaves and both return.
    c.web2.start();
    c.w.run(6 * SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
  });

  it('HTTP_GET: status_code and digest decide; several urls are all checked', () => {
    const c = cluster();
    c.web1.stop();
    c.web2.stop();
    textServer(c.rs1, 80, 200, 'hello');
    textServer(c.rs2, 80, 200, 'hullo');
    const url = { path: '/health', statusCodes: [[200, 200]] as const, digest: '5d41402abc4b2a76b9719d911017c592' };
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'HTTP_GET', retry: 0, urls: [{ path: '/' }, url] }));
    k.start();
    c.w.run(SECOND);
    expect(c.dests()).toEqual(['rs1:3']);
    const down = c.w.events('health').find((e) => e.event === 'down')!;
    expect(down.server).toBe('10.0.0.22:80');
    expect(down.detail).toBe(`/health: digest ${md5Hex(textPayload('hullo').bytes!)}`);
    // Two GETs per run to rs1 (one per url), each on its own connection.
    const syns = c.w.events('tx', 'lvs').filter((e) => e.pkt.tcp?.flags === 'S' && e.pkt.ip!.dst === '10.0.0.21');
    expect(syns.length).toBe(2);
  });

  it('HTTP_GET against the lab web server: the check file answers 200', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'HTTP_GET', retry: 0, urls: [{ path: '/check.txt', digest: md5Hex(textPayload('webserverisworking\n').bytes!) }] }, { alpha: true }));
    k.start();
    c.w.run(SECOND);
    expect(c.dests()).toEqual(['rs1:3', 'rs2:1']);
  });

  it('warmup spreads the first checks over [0, warmup) from a seeded stream', () => {
    const c = cluster();
    const k = new KeepalivedVirtualServer(c.lvs, c.ipvs, vs({ type: 'TCP_CHECK' }, { warmup: 5 * SECOND, alpha: true }));
    k.start();
    c.w.run(5 * SECOND);
    const ups = c.w.events('health').map((e) => e.t);
    expect(ups.length).toBe(2);
    expect(ups[0]).not.toBe(ups[1]);
    for (const t of ups) expect(t).toBeLessThan(5 * SECOND + 10 * MS);
  });
});
