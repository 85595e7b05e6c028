import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, lvsLab, REPO, routedScenario, tempDir } from './helpers.ts';

describe('lvs-lab options', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir({ 's.yaml': routedScenario() });
  });
  afterAll(() => tmp.cleanup());

  it('--version prints the package version', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    const r = lvsLab(['--version'], tmp.dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('--help works on the program and on every command, and documents the exit codes', () => {
    const top = lvsLab(['--help'], tmp.dir);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^Usage: lvs-lab /);
    expect(top.stdout).toMatch(/^\s+run \[options\] <file>/m);
    expect(top.stdout).toMatch(/^\s+check \[options\] <file>/m);
    const run = lvsLab(['run', '--help'], tmp.dir);
    expect(run.status).toBe(0);
    for (const opt of ['--seed <n>', '--until <duration>', '--trace <out.jsonl>', '--pcap <dir>']) expect(run.stdout).toContain(opt);
    expect(run.stdout).toContain('Exit status:');
    const check = lvsLab(['check', '--help'], tmp.dir);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/^Usage: lvs-lab check \[options\] <file>/);
  });

  it.each([
    [['run', 's.yaml', '--seed', 'abc'], /--seed <n>.*expected a seed: a non-negative integer, got "abc"/],
    [['run', 's.yaml', '--seed', '-3'], /--seed|expected a seed/],
    [['run', 's.yaml', '--seed', '1.5'], /expected a seed: a non-negative integer, got "1\.5"/],
    [['run', 's.yaml', '--until', '10'], /--until <duration>.*expected a duration: .*, got "10"/],
    [['run', 's.yaml', '--until', 'soon'], /expected a duration/],
    [['run'], /missing required argument 'file'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run', 's.yaml', '--colour'], /unknown option '--colour'/],
  ])('exits 2 on bad usage: %j', (args, message) => {
    const r = lvsLab(args, tmp.dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
