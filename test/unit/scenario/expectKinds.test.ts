import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Lab, type ExpectationResult } from '../../../src/lab/index.ts';
import { percentile, responseTimes } from '../../../src/scenario/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

/** nat-basic.yaml's cluster (4 connections, rr over two real servers) with the given expectations instead of its own. */
const NAT = readFileSync(new URL('../../../scenarios/lessons/nat-basic.yaml', import.meta.url), 'utf8').split('\nexpect:\n')[0];

function results(...expectLines: string[]): ExpectationResult[] {
  const lab = Lab.fromText(`${NAT}\nexpect:\n${expectLines.join('\n')}\n`, { file: 'nat.yaml' });
  lab.run();
  return lab.expectations();
}

describe('share: connections per real server', () => {
  it('passes within the bounds and says the share, the counts and every real server', () => {
    const [r] = results('  - share: { host: director, dest: "192.168.1.2:8080" }', '    between: [0.4, 0.6]');
    expect(r).toMatchObject({
      pass: true,
      expected: 'share of new IPVS connections to 192.168.1.2:8080 among {"host":"director"} between 0.4 and 0.6',
      actual: '0.5 (2 of 4; 192.168.1.2:8080 2, 192.168.1.3:8080 2)',
    });
  });

  it('fails outside them, with about/within as the other way to write bounds', () => {
    const [r] = results('  - share: { host: director, dest: "192.168.1.2:8080" }', '    about: 0.25', '    within: 0.1');
    expect(r.pass).toBe(false);
    expect(r.expected).toContain('between 0.15 and 0.35');
  });

  it('counts only up to at:, and fails when no connection matched', () => {
    // The first connection starts at 1 s, the second at 1.2 s: by 1.1 s only rr's first choice, rs2, has one.
    const [by, none] = results(
      '  - share: { host: director, dest: "192.168.1.3:8080" }',
      '    between: [1, 1]',
      '    at: 1100ms',
      '  - share: { host: director, service: "TCP 10.9.9.9:80", dest: "192.168.1.3:8080" }',
      '    between: [0, 1]',
    );
    expect(by).toMatchObject({ pass: true, actual: '1 (1 of 1; 192.168.1.3:8080 1)' });
    expect(none).toMatchObject({ pass: false, actual: 'no new IPVS connection matched' });
  });
});

describe('neigh: an ARP cache entry at a time', () => {
  it('matches the entry the trace last described, and says what it was', () => {
    const [ok, wrong, absent] = results(
      '  - neigh: { host: director, address: 192.168.1.2 }',
      '    lladdr: 02:00:00:00:01:02',
      '    at: 2s',
      '  - neigh: { host: director, address: 192.168.1.2, iface: eth1 }',
      '    lladdr: 02:00:00:00:01:03',
      '  - neigh: { host: client, address: 192.168.1.2 }',
      '    absent: true',
    );
    expect(ok).toMatchObject({ pass: true, expected: "director's neighbour entry for 192.168.1.2 at 2s: lladdr 02:00:00:00:01:02" });
    expect(ok.actual).toMatch(/^eth1: lladdr 02:00:00:00:01:02 (REACHABLE|STALE|DELAY)$/);
    expect(wrong.pass).toBe(false);
    expect(wrong.expected).toBe("director's neighbour entry for 192.168.1.2 on eth1 at the end: lladdr 02:00:00:00:01:03");
    expect(absent).toMatchObject({ pass: true, actual: 'no entry' });
  });

  it('before the first exchange there is no entry', () => {
    const [r] = results('  - neigh: { host: director, address: 192.168.1.2 }', '    state: REACHABLE', '    at: 500ms');
    expect(r).toMatchObject({ pass: false, actual: 'no entry' });
  });
});

describe('responseTime: percentiles of the app response times', () => {
  it('checks the nearest-rank percentile and reports it with min and max', () => {
    const [fast, slow] = results(
      '  - responseTime: { host: client }',
      '    percentile: 95',
      '    atMost: 10ms',
      '  - responseTime: { host: client }',
      '    percentile: 50',
      '    atLeast: 1s',
    );
    expect(fast.pass).toBe(true);
    expect(fast.expected).toBe('p95 response time of {"host":"client"} <= 10ms');
    expect(fast.actual).toMatch(/^\d+(ns|us|ms) \(over 4 responses; min \S+, max \S+\)$/);
    expect(slow.pass).toBe(false);
  });

  it('reads the latency field of workload outcomes, else the time in the detail', () => {
    const ev = (seq: number, extra: object): TraceEvent => ({ t: seq, seq, kind: 'app', host: 'c', app: 'w', event: 'response', ...extra }) as TraceEvent;
    const events = [
      ev(0, { detail: '#1 from rs1 in 3000ns' }),
      ev(1, { detail: '#2 from rs2 100B in 9ns', latency: 5000 }),
      ev(2, { detail: 'no time here' }),
      ev(3, { event: 'error', detail: '#4 reset in 1ns' }),
    ];
    expect(responseTimes(events, {})).toEqual([3000, 5000]);
    expect(responseTimes(events, { app: 'other' })).toEqual([]);
  });

  it('nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 100)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 1)).toBe(1);
    expect(percentile([10, 20, 30, 40], 75)).toBe(30);
    expect(percentile([10, 20, 30, 40], 76)).toBe(40);
  });
});

describe('count at a time, output line', () => {
  it('a count with at: counts only events up to that time', () => {
    const [early, late] = results(
      '  - count: { kind: app, host: client, event: response }',
      '    equals: 0',
      '    at: 999ms',
      '  - count: { kind: app, host: client, event: response }',
      '    equals: 4',
      '    at: 3s',
    );
    expect(early).toMatchObject({ pass: true, expected: 'count of {"kind":"app","host":"client","event":"response"} by 999ms = 0' });
    expect(late.pass).toBe(true);
  });

  it('line: one line of the output equals the text (trailing spaces ignored); a substring is not enough', () => {
    const [whole, part] = results(
      '  - at: 3s',
      '    host: director',
      '    run: ipvsadm -L -n',
      '    output: { line: "TCP  10.0.0.100:80 rr" }',
      '  - at: 3s',
      '    host: director',
      '    run: ipvsadm -L -n',
      '    output: { line: "TCP  10.0.0.100:80" }',
    );
    expect(whole).toMatchObject({ pass: true, expected: '`ipvsadm -L -n` on director at 3s: output has the line "TCP  10.0.0.100:80 rr"' });
    expect(part.pass).toBe(false);
  });
});
