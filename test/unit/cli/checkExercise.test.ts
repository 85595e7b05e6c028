import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, lvsLab, REPO, tempDir } from './helpers.ts';

const read = (p: string): string => readFileSync(join(REPO, p), 'utf8');

describe('lvs-lab check-exercise', () => {
  const exercise = read('scenarios/exercises/nat-wrong-gateway-exercise.yaml');
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir({
      'ex.yaml': exercise,
      'right.txt': read('scenarios/exercises/answers/nat-wrong-gateway-exercise.txt'),
      // A plausible wrong answer: the route is right, but on the wrong host.
      'wrong.txt': '# on the director, not rs1\ndirector: ip route add 10.9.0.0/16 via 10.0.0.254\n',
      'typo.txt': 'rs1: ip route replace default via 192.168.1.254\nrs1 ip route show\n',
      'nohost.txt': 'rs9: ip route show\n',
      'empty.txt': '# nothing\n\n',
      'broken.txt': 'rs1: ip route replace default via 192.168.1.254\nrs1: ip bogus show\n',
      'lesson.yaml': read('scenarios/examples/two-hosts-ping.yaml'),
      'h1.txt': 'h1: ip route show\n',
    });
  });
  afterAll(() => tmp.cleanup());

  it('exits 0 and says PASS, the answer\'s commands and the goal met, with the model answer', () => {
    const r = lvsLab(['check-exercise', 'ex.yaml', '--answer', 'right.txt'], tmp.dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ex\.yaml: PASS: Exercise: the NAT real server's gateway\n/);
    expect(r.stdout).toContain('  right.txt:2  rs1: ip route replace default via 192.168.1.254  → exit 0\n');
    expect(r.stdout).toContain('\ngoal: met\n');
    expect(r.stdout).not.toContain('FAIL');
  });

  it('exits 1 and says what was expected and what happened, with a wrong answer', () => {
    const r = lvsLab(['check-exercise', 'ex.yaml', '--answer', 'wrong.txt'], tmp.dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ex\.yaml: FAIL: /);
    expect(r.stdout).toContain('goal: not met (3 of 3 expectations failed)');
    expect(r.stdout).toMatch(/FAIL {2}ex\.yaml:\d+\n {8}expected: count of \{"kind":"app","host":"client","event":"response"\} = 3\n {8}actual: {3}0\n/);
  });

  it('a command of the answer that fails is shown with its error, and the goal still decides', () => {
    const r = lvsLab(['check-exercise', 'ex.yaml', '--answer', 'broken.txt'], tmp.dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/broken\.txt:2 {2}rs1: ip bogus show {2}→ exit [1-9]\d*: \S/);
  });

  it('exits 2 for a malformed answer line, an unknown host or an empty answer, naming the answer file and line', () => {
    const typo = lvsLab(['check-exercise', 'ex.yaml', '--answer', 'typo.txt'], tmp.dir);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('typo.txt:2:1: answer[2]: expected a line HOST: COMMAND (e.g. rs1: sysctl -w net.ipv4.conf.all.arp_ignore=1), got "rs1 ip route show"\n');
    const nohost = lvsLab(['check-exercise', 'ex.yaml', '--answer', 'nohost.txt'], tmp.dir);
    expect(nohost.status).toBe(2);
    expect(nohost.stderr).toBe('nohost.txt:1:1: answer[1]: expected a host of the scenario: client, director, router, rs1, got "rs9"\n');
    const empty = lvsLab(['check-exercise', 'ex.yaml', '--answer', 'empty.txt'], tmp.dir);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/^empty\.txt:1:1: answer: expected at least one line HOST: COMMAND/);
    for (const r of [typo, nohost, empty]) expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 2 for a scenario that is not an exercise, a missing file or a missing --answer', () => {
    const lesson = lvsLab(['check-exercise', 'lesson.yaml', '--answer', 'right.txt'], tmp.dir);
    // The answer names rs1, which the lesson does not have: the answer is checked against the scenario first.
    expect(lesson.status).toBe(2);
    const notExercise = lvsLab(['check-exercise', 'lesson.yaml', '--answer', 'h1.txt'], tmp.dir);
    expect(notExercise.status).toBe(2);
    expect(notExercise.stderr).toBe('lvs-lab: lesson.yaml is not an exercise (it has no exercise: key)\n');
    const missing = lvsLab(['check-exercise', 'nope.yaml', '--answer', 'right.txt'], tmp.dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^lvs-lab: cannot read nope\.yaml: ENOENT/);
    const noAnswer = lvsLab(['check-exercise', 'ex.yaml'], tmp.dir);
    expect(noAnswer.status).toBe(2);
    expect(noAnswer.stderr).toContain("required option '--answer <answer.txt>' not specified");
  });

  it('lvs-lab check says it is an exercise', () => {
    const r = lvsLab(['check', 'ex.yaml'], tmp.dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/; an exercise with 3 goal expectations and 3 hints\n$/);
  });

  it('lvs-lab run prints the narration steps shown, with their times, as plain text', () => {
    const arp = tempDir({ 'arp.yaml': read('scenarios/exercises/arp-problem-exercise.yaml') });
    try {
      const r = lvsLab(['run', 'arp.yaml'], arp.dir);
      const section = r.stdout.slice(r.stdout.indexOf('\nnarration:\n'), r.stdout.indexOf('\nexpectations:'));
      expect(section.split('\n').filter((l) => l.startsWith('  '))).toEqual([
        '  1.000000000  The client opens its first connection to the VIP `192.168.1.110`; the router must find its MAC address.',
        expect.stringMatching(/^ {2}1\.\d{9} {2}rs1 answers the router's ARP request for the VIP\. The VIP is on its lo, and Linux answers ARP for any local address\.$/),
      ]);
    } finally {
      arp.cleanup();
    }
  });

  it('lvs-lab run on the unchanged exercise exits 1: its goal fails', () => {
    const r = lvsLab(['run', 'ex.yaml'], tmp.dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('(exercise goal)');
  });
});
