import { describe, expect, it } from 'vitest';
import { masterDownInterval, skewTime, intervalField, intervalFromField } from '../../../../src/apps/daemons/vrrp/vrrpTimers.ts';
import { vrrpNext, VRRP_TRANSITIONS } from '../../../../src/apps/daemons/vrrp/vrrpStateTable.ts';
import { MS, SECOND } from '../../../../src/sim/index.ts';

describe('VRRP timers (RFC 3768 §6.1, RFC 5798 §6.1)', () => {
  it('v2 skew is (256 - priority)/256 s whatever the advert interval', () => {
    expect(skewTime(2, 100, SECOND)).toBe(609_375_000);
    expect(skewTime(2, 100, 3 * SECOND)).toBe(609_375_000);
    expect(skewTime(2, 255, SECOND)).toBe(3_906_250);
    expect(skewTime(2, 1, SECOND)).toBe(996_093_750);
  });
  it('v2 master-down interval is 3 × advert + skew (reference examples 3.609, 3.605, 3.004 s)', () => {
    expect(masterDownInterval(2, 100, SECOND)).toBe(3_609_375_000);
    expect(masterDownInterval(2, 101, SECOND)).toBe(3_605_468_750);
    expect(masterDownInterval(2, 255, SECOND)).toBe(3_003_906_250);
    expect(masterDownInterval(2, 100, 2 * SECOND)).toBe(6_609_375_000);
  });
  it('v3 skew scales with the master advert interval', () => {
    expect(skewTime(3, 100, SECOND)).toBe(609_375_000);
    expect(skewTime(3, 100, 500 * MS)).toBe(304_687_500);
    expect(skewTime(3, 200, 2 * SECOND)).toBe(437_500_000);
    expect(masterDownInterval(3, 100, 500 * MS)).toBe(1_500_000_000 + 304_687_500);
  });
  it('a higher priority always has the shorter master-down interval (so it wins the election)', () => {
    for (const v of [2, 3] as const) {
      for (let p = 1; p < 255; p++) expect(masterDownInterval(v, p + 1, SECOND)).toBeLessThan(masterDownInterval(v, p, SECOND));
    }
  });
  it('interval fields: whole seconds in v2, centiseconds in v3', () => {
    expect(intervalField(2, SECOND)).toBe(1);
    expect(intervalField(3, SECOND)).toBe(100);
    expect(intervalField(3, 250 * MS)).toBe(25);
    expect(intervalFromField(3, 25)).toBe(250 * MS);
    expect(intervalFromField(2, 3)).toBe(3 * SECOND);
  });
});

describe('VRRP state table', () => {
  it('start-up: the owner goes MASTER, anyone else BACKUP', () => {
    expect(vrrpNext('INIT', 'startup-owner')).toBe('MASTER');
    expect(vrrpNext('INIT', 'startup')).toBe('BACKUP');
  });
  it('BACKUP → MASTER only on the master-down timer; MASTER → BACKUP only when preempted', () => {
    expect(vrrpNext('BACKUP', 'master-down')).toBe('MASTER');
    expect(vrrpNext('BACKUP', 'preempted')).toBeUndefined();
    expect(vrrpNext('MASTER', 'preempted')).toBe('BACKUP');
    expect(vrrpNext('MASTER', 'master-down')).toBeUndefined();
  });
  it('every state but INIT shuts down to INIT', () => {
    for (const s of ['BACKUP', 'MASTER', 'FAULT'] as const) expect(VRRP_TRANSITIONS[s].shutdown).toBe('INIT');
    expect(vrrpNext('INIT', 'shutdown')).toBeUndefined();
  });
});
