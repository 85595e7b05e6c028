import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, lvsLab, parseTrace, positionOf, routedScenario, tempDir, type CliResult, type TraceLine } from './helpers.ts';

/** An expectation that cannot hold: the server does receive the echo requests. */
const FAILING = `  - count: { kind: rx, host: server, pkt: { icmp: { type: 8 } } }
    equals: 0
`;

describe('lvs-lab run', () => {
  const passing = routedScenario();
  const failing = routedScenario(FAILING);
  let tmp: ReturnType<typeof tempDir>;
  let ok: CliResult;
  let okTrace: TraceLine[];
  let bad: CliResult;

  beforeAll(() => {
    tmp = tempDir({ 'ok.yaml': passing, 'fail.yaml': failing });
    ok = lvsLab(['run', 'ok.yaml', '--trace', 'ok.jsonl'], tmp.dir);
    okTrace = parseTrace(readFileSync(join(tmp.dir, 'ok.jsonl'), 'utf8'));
    bad = lvsLab(['run', 'fail.yaml'], tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  it('exits 0 when every expectation holds, with nothing on stderr', () => {
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
  });

  it('prints the totals the trace holds: frames sent, delivered, dropped', () => {
    const count = (kind: string): number => okTrace.filter((e) => e.kind === kind).length;
    expect(count('tx')).toBeGreaterThan(0);
    expect(ok.stdout).toContain(`frames: ${count('tx')} sent, ${count('rx')} delivered, ${count('drop')} dropped\n`);
    expect(ok.stdout).toContain(`${okTrace.length} trace events`);
    expect(ok.stdout.startsWith('cli test, routed ping (seed 1, simulated 1s,')).toBe(true);
  });

  it('prints drops by reason when there are any, with the trace counts', () => {
    const reasons = new Map<string, number>();
    for (const e of okTrace) if (e.kind === 'drop') reasons.set(e.reason!, (reasons.get(e.reason!) ?? 0) + 1);
    if (reasons.size === 0) {
      expect(ok.stdout).not.toContain('dropped by reason');
    } else {
      for (const [reason, n] of reasons) expect(ok.stdout).toMatch(new RegExp(`^  ${reason}\\s+${n}$`, 'm'));
    }
  });

  it('prints a per-host tx/rx/dropped table in file order, matching the trace', () => {
    expect(ok.stdout).toMatch(/^per host:\n  host\s+tx\s+rx\s+dropped$/m);
    const rows = [...ok.stdout.matchAll(/^ {2}(client|router|server)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)];
    expect(rows.map((m) => m[1])).toEqual(['client', 'router', 'server']);
    for (const m of rows) {
      const of = (kind: string): number => okTrace.filter((e) => e.kind === kind && e.host === m[1]).length;
      expect([Number(m[2]), Number(m[3]), Number(m[4])]).toEqual([of('tx'), of('rx'), of('drop')]);
    }
  });

  it('lists each expectation as PASS with its file:line, expected and actual', () => {
    const line = positionOf(passing, '- count:').line;
    const received = okTrace.filter((e) => e.kind === 'rx' && e.host === 'server' && e.pkt?.icmp?.type === 8).length;
    expect(received).toBeGreaterThanOrEqual(1);
    expect(ok.stdout).toContain('expectations: 1 passed, 0 failed\n');
    expect(ok.stdout).toContain(`  PASS  ok.yaml:${line}\n        expected: count of `);
    expect(ok.stdout).toMatch(/expected: count of .*>= 1\n {8}actual: {3}(\d+)\n/);
    expect(ok.stdout).toContain(`actual:   ${received}\n`);
  });

  it('exits 1 when an expectation fails, and says which one, where, and what happened', () => {
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('');
    const second = failing.slice(0, failing.lastIndexOf('- count:')).split('\n').length;
    expect(second).toBeGreaterThan(positionOf(failing, '- count:').line);
    expect(bad.stdout).toContain('expectations: 1 passed, 1 failed\n');
    expect(bad.stdout).toContain(`  PASS  fail.yaml:${positionOf(failing, '- count:').line}\n`);
    const block = bad.stdout.slice(bad.stdout.indexOf(`  FAIL  fail.yaml:${second}\n`));
    expect(block.startsWith(`  FAIL  fail.yaml:${second}\n`)).toBe(true);
    expect(block).toMatch(/^ {2}FAIL .*\n {8}expected: count of .*= 0\n {8}actual: {3}[1-9]\d*\n/);
  });

  it('--seed and --until override the file: the run stops at --until', () => {
    const r = lvsLab(['run', 'ok.yaml', '--seed', '7', '--until', '5ms', '--trace', 'short.jsonl'], tmp.dir);
    expect(r.stdout.startsWith('cli test, routed ping (seed 7, simulated 5ms,')).toBe(true);
    const trace = parseTrace(readFileSync(join(tmp.dir, 'short.jsonl'), 'utf8'));
    expect(trace.every((e) => e.t <= 5_000_000)).toBe(true);
    // The ping starts at 10 ms, so the server never sees it and the expectation fails.
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}ok\.yaml:\d+\n/);
  });

  it('exits 2 for a scenario error, printing FILE:LINE:COLUMN: path: expected ... and no stack trace', () => {
    const text = passing.replace('segment: lan2, addresses: [10.0.2.10/24]', 'segment: lan3, addresses: [10.0.2.10/24]');
    const t = tempDir({ 'typo.yaml': text });
    try {
      const r = lvsLab(['run', 'typo.yaml'], t.dir);
      const at = positionOf(text, 'lan3');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`typo.yaml:${at.line}:${at.column}: hosts.server.interfaces.eth0.segment: expected a segment declared under segments: lan1, lan2, got "lan3"\n`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('exits 2 when a configuration command at time 0 fails, naming the command line', () => {
    const text = passing.replace('ip route add default via 10.0.1.1', 'ip route add default via 10.9.9.9');
    const t = tempDir({ 'cmd.yaml': text });
    try {
      const r = lvsLab(['run', 'cmd.yaml'], t.dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^cmd\\.yaml:${positionOf(text, 'ip route add default via 10.9.9.9').line}:\\d+: hosts\\.client\\.commands\\[0\\]: expected `));
      expect(hasStackTrace(r.stderr)).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('exits 2 for a file it cannot read', () => {
    const r = lvsLab(['run', 'missing.yaml'], tmp.dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lvs-lab: cannot read missing\.yaml: ENOENT/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 2 for an output path it cannot write, before running', () => {
    const r = lvsLab(['run', 'ok.yaml', '--trace', 'ok.yaml/trace.jsonl'], tmp.dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^lvs-lab: cannot write ok\.yaml\/trace\.jsonl: /);
  });
});
