import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importConfig, Lab, parseExperiment, replayExperiment, ScenarioError, type CommandResult } from '../../src/lab/index.ts';

/** Inputs the fuzzer (npm run fuzz) found failing, each reduced to the line or file that reproduces it. */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8');
const NAT_BASIC = readFileSync(new URL('../../scenarios/lessons/nat-basic.yaml', import.meta.url), 'utf8');

function sh(line: string, host = 'client'): CommandResult {
  const lab = Lab.fromText(NAT_BASIC, { file: 'nat-basic.yaml' });
  let r: CommandResult | undefined;
  lab.runCommand(host, line, (x) => (r = x));
  lab.runUntil(lab.now() + 20_000_000_000);
  return r!;
}

function experimentError(json: object): ScenarioError {
  try {
    replayExperiment(parseExperiment(JSON.stringify(json, null, 1), 'e.json'), { file: 'e.json' });
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('the experiment replayed');
}

const EXPERIMENT = { name: 'x', servers: [{ name: 'rs1' }], services: [{ vip: '10.0.0.100', port: 80, sched: 'rr' }], steps: [{ op: 'open', src: '10.1.1.10' }] };

describe('fuzz regressions', () => {
  // shell #82641 (seed 1000): RangeError "cannot schedule with delay 2147483648000000000" out of the simulator.
  it('ping and arping timers past iputils\' range or the lab clock are the tool\'s errors, not a RangeError', () => {
    expect(sh('ping -c 1 -W 2147483648 10.0.2.2')).toEqual({ exit: 2, output: 'ping: bad linger time: 2147483648\n' });
    expect(sh('ping -c 1 -i 2147484 10.0.2.2')).toEqual({ exit: 2, output: 'ping: bad timing interval: 2147484\n' });
    expect(sh('ping -c 1 -w 2147483647 10.0.2.2')).toEqual({ exit: 2, output: 'ping: wait time 2147483647: lvs-lab simulates at most 1000000 s\n' });
    expect(sh('arping -c 1 -w 99999999999 -I eth0 10.0.0.1')).toEqual({ exit: 2, output: 'arping: -w 99999999999: lvs-lab simulates at most 1000000 s\n' });
    expect(sh('ping -c 1 -W 1 10.0.0.1').exit).toBe(0);
  });

  // replay #199 (seed 1): Error "client address 0.5.1.12 is outside 10.1.0.0/16" from experimentScenario.
  it('an open step from outside the clients\' /16 is an error at its src', () => {
    const text = JSON.stringify({ ...EXPERIMENT, steps: [{ op: 'open', src: '0.5.1.12' }] }, null, 1);
    const e = (() => {
      try {
        parseExperiment(text, 'e.json');
      } catch (err) {
        return err as ScenarioError;
      }
      throw new Error('parsed');
    })();
    expect(e).toBeInstanceOf(ScenarioError);
    expect([e.path, e.expected, e.got]).toEqual(['steps[0].src', 'a client address in 10.1.0.0/16', '"0.5.1.12"']);
  });

  // replay #2649 (seed 2): a ScenarioError naming the generated "true.scenario.yaml", not the experiment.
  it('a setup the lab refuses is an error of the experiment file', () => {
    const e = experimentError({ ...EXPERIMENT, services: [{ vip: '10.2.1.1', port: 16157, sched: 'dh', sched_flags: 'mh-fallback,mh-port' }] });
    expect(e.file).toBe('e.json');
    expect(e.message).toBe("e.json:1:1: (document): expected an experiment whose setup the lab can build: a command that succeeds (exit 2: incompatible scheduler flag `mh-fallback'), got ipvsadm -A -t 10.2.1.1:16157 -s dh -b mh-fallback,mh-port");
  });

  it('server numbers past the 10.2.K.0/24 plan, repeated servers and sysctl lines that are not KEY=VALUE', () => {
    expect(() => parseExperiment(JSON.stringify({ ...EXPERIMENT, servers: [{ name: 'rs300' }] }), 'e.json')).toThrow(/rs1, rs2, \.\.\. rs254/);
    expect(() => parseExperiment(JSON.stringify({ ...EXPERIMENT, servers: [{ name: 'rs1' }, { name: 'rs1' }] }), 'e.json')).toThrow(/each server once/);
    expect(() => parseExperiment(JSON.stringify({ ...EXPERIMENT, director_sysctl: ['a=b: c'] }), 'e.json')).toThrow(/KEY=VALUE: a sysctl name and a plain value/);
  });

  // import #69856 (seed 1000): SyntaxError "Invalid regular expression: /[[[[webserverisworking/" escaped.
  it('an ldirectord receive= that is no regular expression is left out with a warning', () => {
    const text = fixture('seed002-ldirectord.cf').replace('receive="webserverisworking"', 'receive="[[[[webserverisworking"');
    const r = importConfig(text, { file: 'ldirectord.cf' });
    expect(r.scenarioYaml).toBeDefined();
    expect(r.diagnostics.find((d) => d.message.includes('[[[[webserverisworking'))).toMatchObject({ line: 14, severity: 'warning' });
    expect(() => Lab.check(r.scenarioYaml!, 'imported.yaml')).not.toThrow();
  });

  // import #576 (seed 1000): a script whose line repeats 50 times took 3 s, one whole build per failing line.
  it('a script with many failing lines is refused after 16 of them, quickly', () => {
    const script = fixture('seed004-lvs-nat.sh');
    const line = 'ip addr add 192.168.10.100 label eth1:100 dev eth1\n';
    const t0 = performance.now();
    const many = importConfig(script.replace(line, line.repeat(60)), { file: 'lvs.sh', format: 'ipvsadm' });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(many.scenarioYaml).toBeUndefined();
    expect(many.diagnostics.filter((d) => d.code === 'SH_COMMAND_FAILS')).toHaveLength(16);
    expect(many.diagnostics.at(-1)).toMatchObject({ severity: 'error', code: 'SH_TOO_MANY_FAILING' });
    const few = importConfig(script.replace(line, line.repeat(3)), { file: 'lvs.sh', format: 'ipvsadm' });
    expect(few.scenarioYaml).toBeDefined();
    expect(few.diagnostics.filter((d) => d.code === 'SH_COMMAND_FAILS')).toHaveLength(2);
  });

  // scenario-run #5858 (seed 2000): `request: 2147483648B` made the client build a 2 GiB string (RangeError:
  // Invalid string length) when the connection opened. Requests are now at most 16 MiB, checked on load.
  it('a request too large to write out is a scenario error at its size', () => {
    const text = (request: string) => `name: r
segments: { lan: {} }
hosts:
  c: { interfaces: { eth0: { segment: lan, addresses: [10.0.0.1/24] } } }
traffic:
  - { at: 1s, from: c, to: 10.0.0.2:80, request: ${request} }
workload:
  - { from: c, to: 10.0.0.2:80, arrivals: { every: 1s }, request: { pareto: 1MB } }
`;
    const e = (() => {
      try {
        Lab.check(text('2147483648B'), 'r.yaml');
      } catch (err) {
        return err as ScenarioError;
      }
      throw new Error('loaded');
    })();
    expect(e).toBeInstanceOf(ScenarioError);
    expect([e.line, e.path, e.expected]).toEqual([6, 'traffic[0].request', 'a size of at most 16777216 bytes (a request is written out byte for byte)']);
    expect(() => Lab.check(text('16MiB'), 'r.yaml')).toThrow(/workload\[0\]\.request\.pareto: expected a minimum of at most 167772 bytes/);
  });

  // Found by the limits tests: a client opening connections faster than they end ran out of ephemeral ports
  // and threw Error('ephemeral ports exhausted') out of the run. connect(2) fails with EADDRNOTAVAIL instead.
  it('ephemeral ports running out is an EADDRNOTAVAIL for the client, not a crash', () => {
    const text = `name: ports
duration: 1s
segments: { lan: {} }
hosts:
  c: { interfaces: { eth0: { segment: lan, addresses: [10.0.0.1/24] } } }
traffic:
  - { at: 0s, from: c, to: 10.0.0.3:80, count: 28300, interval: 1us }
`;
    const lab = Lab.fromText(text, { record: false });
    const errors: string[] = [];
    lab.onEvent((e) => {
      if (e.kind === 'app' && e.event === 'error') errors.push(e.detail ?? '');
    }, ['app']);
    lab.runUntil(28_400_000);
    // Nobody answers at 10.0.0.3: every connection waits in SYN_SENT, holding its port. 32768..60999 is 28232
    // ports; every connect after them fails.
    expect(errors.length).toBeGreaterThanOrEqual(68);
    expect(errors[0]).toMatch(/^#\d+ EADDRNOTAVAIL$/);
  });

  // Found while checking the CLI's error paths: `lvs-lab --help | head -1` died on EPIPE with a stack trace.
  it('a closed pipe on stdout ends the CLI quietly', () => {
    const bin = new URL('../../bin/lvs-lab.js', import.meta.url).pathname;
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" --help | head -c 5`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toBe('Usage');
    expect(r.stderr).toBe('');
  });
});
