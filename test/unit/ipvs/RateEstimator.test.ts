import { describe, expect, it } from 'vitest';
import { SECOND, Simulator, ms } from '../../../src/sim/index.ts';
import { ESTIMATOR_PERIOD, RateEstimator, estimate, readStats, zeroStats } from '../../../src/ipvs/RateEstimator.ts';
import { IpvsStats } from '../../../src/ipvs/Stats.ts';

function estimator(sim: Simulator, run = () => true) {
  const total = new IpvsStats();
  return { total, est: new RateEstimator(sim, { total, runEstimation: run }) };
}

describe('RateEstimator', () => {
  it('reproduces the EWMA of ip_vs_est.c: 100 new connections every 2 s give 12, 22, 29, 34 cps ... towards 50', () => {
    const s = new IpvsStats();
    const seen: number[] = [];
    for (let tick = 1; tick <= 40; tick++) {
      s.conns += 100;
      estimate(s);
      seen.push(readStats(s).cps);
    }
    expect(seen.slice(0, 4)).toEqual([12, 22, 29, 34]);
    expect(seen[39]).toBe(50);
    // The internal average is the kernel's fixed point: 2^10 per conn/s.
    expect(s.est.cps).toBeLessThanOrEqual(50 * 1024);
  });

  it('scales bytes by 2^5 and rounds as ip_vs_read_estimator does', () => {
    const s = new IpvsStats();
    s.inBytes = 1000;
    s.outBytes = 3;
    s.inPkts = 1;
    estimate(s);
    // 1000 bytes over 2 s = 500 B/s; first tick is a quarter of it: 125 (scaled 4000, (4000+15)>>5 = 125).
    expect(readStats(s).inBps).toBe(125);
    // 3 bytes: rate 24 scaled, average 6, decoded (6+15)>>5 = 0.
    expect(readStats(s).outBps).toBe(0);
    // One packet: 512 scaled, average 128, decoded (128+511)>>10 = 0.
    expect(readStats(s).inPps).toBe(0);
    s.inPkts += 8;
    estimate(s);
    // rate 8*512=4096; avg = 128 + floor((4096-128)/4) = 1120; (1120+511)>>10 = 1.
    expect(s.est.inPps).toBe(1120);
    expect(readStats(s).inPps).toBe(1);
  });

  it('decays with an arithmetic (floor) shift down to exactly 0', () => {
    const s = new IpvsStats();
    s.conns = 3;
    estimate(s);
    expect(s.est.cps).toBe(384);
    const avgs: number[] = [];
    for (let i = 0; i < 30; i++) {
      estimate(s);
      avgs.push(s.est.cps);
    }
    // 384 -> 288 -> 216 -> 162 -> 121 (floor of -40.5 is -41) ...
    expect(avgs.slice(0, 4)).toEqual([288, 216, 162, 121]);
    expect(avgs[avgs.length - 1]).toBe(0);
  });

  it('shows counters only as copied on the 2 s grid of the instance, not of the service', () => {
    const sim = new Simulator();
    sim.runUntil(ms(700));
    const { est } = estimator(sim);
    sim.runUntil(ms(5300));
    const s = new IpvsStats();
    est.start(s);
    // The instance started at 0.7 s: ticks at 2.7, 4.7, 6.7 ... so the first one for `s` is at 6.7 s.
    expect(est.nextTick).toBe(ms(6700));
    s.conns = 5;
    sim.runUntil(ms(6699));
    expect(readStats(s).conns).toBe(0);
    sim.runUntil(ms(6700));
    expect(readStats(s).conns).toBe(5);
    s.conns = 9;
    sim.runUntil(ms(8699));
    expect(readStats(s).conns).toBe(5);
    sim.runUntil(ms(8700));
    expect(readStats(s).conns).toBe(9);
  });

  it('zeroing makes the current copy the zero point and restarts the averages', () => {
    const s = new IpvsStats();
    s.conns = 10;
    s.inBytes = 500;
    estimate(s);
    expect(readStats(s).conns).toBe(10);
    zeroStats(s);
    expect(readStats(s)).toEqual({ conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0, cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 });
    // The live counters are not touched; the next tick counts from the zero point.
    expect(s.conns).toBe(10);
    s.conns = 14;
    estimate(s);
    expect(readStats(s).conns).toBe(4);
    // The rate sees only the 4 new connections: 4*512/4 = 512 -> (512+511)>>10 = 0 cps, 512 scaled.
    expect(s.est.cps).toBe(512);
  });

  it('with run_estimation = 0 the ticks neither copy nor estimate, and the timer keeps the grid', () => {
    const sim = new Simulator();
    let run = false;
    const { est } = estimator(sim, () => run);
    const s = new IpvsStats();
    est.start(s);
    s.conns = 7;
    sim.runUntil(4 * SECOND);
    expect(readStats(s).conns).toBe(0);
    run = true;
    sim.runUntil(6 * SECOND);
    expect(readStats(s).conns).toBe(7);
  });

  it('a stopped estimator freezes what is shown', () => {
    const sim = new Simulator();
    const { est } = estimator(sim);
    const s = new IpvsStats();
    est.start(s);
    s.conns = 3;
    sim.runUntil(2 * SECOND);
    est.stop(s);
    s.conns = 30;
    sim.runUntil(10 * SECOND);
    expect(readStats(s).conns).toBe(3);
    expect(est.running(s)).toBe(false);
  });

  it('rests once only the settled total is left, so the simulation can drain, and resumes on the grid', () => {
    const sim = new Simulator();
    const { est, total } = estimator(sim);
    expect(est.nextTick).toBeUndefined();
    const s = new IpvsStats();
    est.start(s);
    total.conns = 4;
    sim.runUntil(3 * SECOND);
    est.stop(s);
    // The total still moves: ticks go on until its average has decayed to 0.
    expect(sim.run(1000)).toBe(true);
    expect(est.nextTick).toBeUndefined();
    expect(readStats(total).conns).toBe(4);
    expect(readStats(total).cps).toBe(0);
    const restAt = sim.now();
    expect(restAt % ESTIMATOR_PERIOD).toBe(0);
    sim.runUntil(restAt + ms(2500));
    est.start(s);
    expect(est.nextTick).toBe(restAt + 2 * ESTIMATOR_PERIOD);
  });
});
