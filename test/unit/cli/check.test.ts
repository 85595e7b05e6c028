import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, lvsLab, positionOf, routedScenario, tempDir } from './helpers.ts';

describe('lvs-lab check', () => {
  const good = routedScenario();
  const typo = good.replace('segment: lan1, addresses: [10.0.1.10/24]', 'segment: lam1, addresses: [10.0.1.10/24]');
  // Only `check` can find this one without running: the timeline command is parsed, not run.
  const badTimeline = good.replace('run: ping -c 2 10.0.2.10', 'run: ping -c two 10.0.2.10');
  // A lesson may replay a tutorial's mistake: `fails: true` says so, and check leaves that line alone.
  const meantToFail = good.replace('run: ping -c 2 10.0.2.10', 'run: ping -c two 10.0.2.10, fails: true');
  const failsNotBoolean = good.replace('run: ping -c 2 10.0.2.10', 'run: ping -c two 10.0.2.10, fails: "yes"');
  const badConfig = good.replace('ip route add default via 10.0.2.1', 'ip route add default via 10.9.9.9');
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir({ 'good.yaml': good, 'typo.yaml': typo, 'timeline.yaml': badTimeline, 'config.yaml': badConfig, 'meant.yaml': meantToFail, 'notbool.yaml': failsNotBoolean });
  });
  afterAll(() => tmp.cleanup());

  it('exits 0 and prints one line for a valid scenario', () => {
    const r = lvsLab(['check', 'good.yaml'], tmp.dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('good.yaml: ok: "cli test, routed ping", 3 hosts, 2 segments, 1 timeline entry, 1 expectation\n');
  });

  it('exits 2 with FILE:LINE:COLUMN: path: expected ... for a schema error', () => {
    const r = lvsLab(['check', 'typo.yaml'], tmp.dir);
    const at = positionOf(typo, 'lam1');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`typo.yaml:${at.line}:${at.column}: hosts.client.interfaces.eth0.segment: expected a segment declared under segments: lan1, lan2, got "lam1"\n`);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 2 for a later command with bad syntax, at the line of that command', () => {
    const r = lvsLab(['check', 'timeline.yaml'], tmp.dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^timeline\\.yaml:${positionOf(badTimeline, 'ping -c two').line}:\\d+: timeline\\[0\\]\\.run: expected `));
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('leaves a timeline command marked fails: true alone, and wants a YAML boolean there', () => {
    expect(meantToFail).not.toBe(good);
    const r = lvsLab(['check', 'meant.yaml'], tmp.dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const b = lvsLab(['check', 'notbool.yaml'], tmp.dir);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/^notbool\.yaml:\d+:\d+: timeline\[0\]\.fails: expected fails: true or false, got "yes"\n$/);
  });

  it('exits 2 for a time-0 configuration command that fails', () => {
    const r = lvsLab(['check', 'config.yaml'], tmp.dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^config\\.yaml:${positionOf(badConfig, 'via 10.9.9.9').line}:\\d+: hosts\\.server\\.commands\\[0\\]: expected `));
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 2 for a file that does not exist or is a directory', () => {
    const missing = lvsLab(['check', 'nope.yaml'], tmp.dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^lvs-lab: cannot read nope\.yaml: ENOENT/);
    const dir = lvsLab(['check', '.'], tmp.dir);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toMatch(/^lvs-lab: cannot read \.: EISDIR/);
    expect(hasStackTrace(missing.stderr + dir.stderr)).toBe(false);
  });
});
