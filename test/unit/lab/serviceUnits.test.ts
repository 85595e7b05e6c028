import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import { ScenarioError } from '../../../src/scenario/index.ts';

/** A client and a web server on one LAN; the web server runs httpd (port 80 and 443) and vsftpd. */
function scenario(timeline: string, extraService = ''): string {
  return `name: units
duration: 6s
segments: { lan: {} }
hosts:
  client:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.1/24] }
  web:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.2/24] }
    services:
      - { port: 80 }
      - { port: 443 }
      - { port: 21, app: ftp }${extraService}
traffic:
  - { at: 500ms, from: client, to: 10.0.0.2:80, count: 5, interval: 1s }
  - { at: 600ms, from: client, to: 10.0.0.2:443, count: 5, interval: 1s }
timeline:
${timeline}
`;
}

function run(text: string): Lab {
  const lab = Lab.fromText(text, { file: 'units.yaml' });
  lab.run();
  return lab;
}

const commandOutputs = (lab: Lab) =>
  lab.events.filter((e) => e.kind === 'command').map((e) => (e.kind === 'command' ? `${Math.round(e.t / 1e6)}ms ${e.run} → ${e.exit} ${JSON.stringify(e.output)}` : ''));

describe('services as units: systemctl and service stop and start httpd', () => {
  it('a stopped httpd closes both its ports (a SYN gets a reset) and a started one listens again', () => {
    const lab = run(
      scenario(`  - { at: 1s, host: web, run: systemctl stop httpd }
  - { at: 1100ms, host: web, run: systemctl is-active httpd }
  - { at: 1100ms, host: web, run: systemctl is-active vsftpd }
  - { at: 3s, host: web, run: service httpd start }
  - { at: 3100ms, host: web, run: service httpd status }`),
    );
    expect(commandOutputs(lab)).toEqual([
      '1000ms systemctl stop httpd → 0 ""',
      '1100ms systemctl is-active httpd → 3 "inactive\\n"',
      '1100ms systemctl is-active vsftpd → 0 "active\\n"',
      '3000ms service httpd start → 0 ""',
      '3100ms service httpd status → 0 "● httpd.service\\n     Active: active (running)\\n"',
    ]);
    const outcomes = lab.events
      .filter((e) => e.kind === 'app' && e.host === 'client' && (e.event === 'response' || e.event === 'error'))
      .map((e) => (e.kind === 'app' ? `${Math.round(e.t / 1e8) / 10}s ${e.event}` : ''));
    // 0.5 s and 0.6 s answered; 1.5/1.6 and 2.5/2.6 refused; 3.5 s on answered again.
    expect(outcomes.filter((o) => o.endsWith('error')).length).toBe(4);
    expect(outcomes.filter((o) => o.endsWith('response')).length).toBe(6);
    const resets = lab.events.filter((e) => e.kind === 'tx' && e.host === 'web' && e.pkt.tcp?.flags === 'RA');
    expect(resets.length).toBe(4);
    expect(lab.events.filter((e) => e.kind === 'app' && e.host === 'web' && e.app === 'httpd').map((e) => (e.kind === 'app' ? e.event : ''))).toEqual(['stopped', 'started']);
  });

  it("httpd's graceful stop: a kept-alive connection gets the answer to the request it is on, then is closed", () => {
    // One keep-alive session of 5 requests, 300 ms of work each, from 0.5 s: the stop at 1 s falls in the second.
    const text = (timeline: string) => `name: graceful
duration: 4s
segments: { lan: {} }
hosts:
  client:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.1/24] }
  web:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.2/24] }
    services:
      - { port: 80, service_time: 300ms }
workload:
  - { name: users, from: client, to: 10.0.0.2:80, arrivals: { every: 10s }, start: 500ms, requests_per_connection: 5 }
${timeline}
`;
    const outcomes = (lab: Lab) =>
      lab.events.filter((e) => e.kind === 'app' && e.host === 'client' && e.app === 'users' && (e.event === 'response' || e.event === 'error')).map((e) => (e.kind === 'app' ? `${e.event} ${e.detail}` : ''));
    const serverFins = (lab: Lab) => lab.events.filter((e) => e.kind === 'tx' && e.host === 'web' && (e.pkt.tcp?.flags ?? '').includes('F'));
    const running = run(text(''));
    expect(outcomes(running).filter((o) => o.startsWith('response')).length).toBe(5);
    const stopped = run(text('timeline:\n  - { at: 1s, host: web, run: systemctl stop httpd }'));
    const seen = outcomes(stopped);
    // The first answer (0.8 s) and the one in progress at the stop (1.1 s); the third request, sent on that
    // answer, meets the server's close.
    expect(seen.filter((o) => o.startsWith('response')).length).toBe(2);
    expect(seen.filter((o) => o.startsWith('error'))).toEqual([expect.stringContaining('connection closed by the server')]);
    const fin = serverFins(stopped)[0];
    expect(fin).toBeDefined();
    expect(fin.t).toBeGreaterThan(1_100_000_000);
    expect(fin.t).toBeLessThan(1_200_000_000);
  });

  it("httpd's graceful stop closes an idle kept-alive connection at once, and a crash sends nothing", () => {
    // 100 ms per cable (200 ms each way through the switch): the first request reaches the server at 1.5 s, its
    // answer leaves at 1.6 s, and the second request, sent when the answer arrives, reaches it at 2.0 s. In
    // between the connection is idle. A stop before the first request arrives still answers that one.
    const text = (timeline: string) => `name: idle
duration: 4s
segments: { lan: { latency: 100ms } }
hosts:
  client:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.1/24] }
  web:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.2/24] }
    services:
      - { port: 80, service_time: 100ms }
workload:
  - { name: users, from: client, to: 10.0.0.2:80, arrivals: { every: 10s }, start: 500ms, requests_per_connection: 2 }
timeline:
${timeline}
`;
    const outcomes = (lab: Lab) =>
      lab.events.filter((e) => e.kind === 'app' && e.host === 'client' && e.app === 'users' && (e.event === 'response' || e.event === 'error')).map((e) => (e.kind === 'app' ? e.event : ''));
    expect(outcomes(run(text('  - { at: 3s, host: web, run: systemctl stop httpd }')))).toEqual(['response', 'response']);
    const finAt = (lab: Lab) => lab.events.find((e) => e.kind === 'tx' && e.host === 'web' && (e.pkt.tcp?.flags ?? '').includes('F'))?.t;
    const idle = run(text('  - { at: 1900ms, host: web, run: systemctl stop httpd }'));
    expect(outcomes(idle)).toEqual(['response', 'error']);
    expect(finAt(idle)).toBe(1_900_000_000);
    const beforeFirst = run(text('  - { at: 1300ms, host: web, run: systemctl stop httpd }'));
    expect(outcomes(beforeFirst)).toEqual(['response', 'error']);
    expect(finAt(beforeFirst)).toBeGreaterThan(1_600_000_000);
    expect(finAt(beforeFirst)).toBeLessThan(1_601_000_000);
    // A crash while idle: nothing leaves the server (its connections die with it).
    const crashed = run(text('  - { at: 1900ms, crash: web }'));
    expect(crashed.events.filter((e) => e.kind === 'tx' && e.host === 'web' && e.t >= 1_900_000_000)).toEqual([]);
  });

  it('an unknown unit fails as systemd says, and service wants an action', () => {
    const lab = run(
      scenario(`  - { at: 1s, host: web, run: systemctl stop apache2 }
  - { at: 1s, host: web, run: service httpd, fails: true }
  - { at: 1s, host: web, run: service httpd reload, fails: true }`),
    );
    expect(commandOutputs(lab)).toEqual([
      '1000ms systemctl stop apache2 → 5 "Failed to stop apache2.service: Unit apache2.service not found.\\n"',
      '1000ms service httpd → 1 "service: httpd: an action (start, stop, restart, status) is needed\\n"',
      '1000ms service httpd reload → 1 "service: action \\"reload\\" is not modelled by lvs-lab (start, stop, restart, status)\\n"',
    ]);
  });

  it('unit: names the unit; a crashed host that restarts runs its stopped units again (enabled at boot)', () => {
    const lab = run(
      scenario(
        `  - { at: 1s, host: web, run: systemctl stop nginx }
  - { at: 2s, crash: web }
  - { at: 2500ms, restart: web }
  - { at: 2600ms, host: web, run: systemctl is-active nginx }`,
        '\n      - { port: 8080, unit: nginx }',
      ),
    );
    expect(commandOutputs(lab)).toEqual(['1000ms systemctl stop nginx → 0 ""', '2600ms systemctl is-active nginx → 0 "active\\n"']);
  });

  it('a unit name systemd would refuse is a scenario error at its line', () => {
    expect(() => Lab.fromText(scenario('  - { at: 1s, host: web, run: true }', '\n      - { port: 8080, unit: "ng inx" }'), { file: 'units.yaml' })).toThrow(ScenarioError);
    let message = '';
    try {
      Lab.fromText(scenario('  - { at: 1s, host: web, run: true }', '\n      - { port: 8080, unit: nginx.service }'), { file: 'units.yaml' });
    } catch (e) {
      message = e instanceof ScenarioError ? e.message : String(e);
    }
    expect(message).toMatch(/^units\.yaml:15:\d+: hosts\.web\.services\[3\]\.unit: expected a unit name/);
  });
});
