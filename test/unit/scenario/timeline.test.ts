import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import { slowdownOf } from '../../../src/apps/slowdown.ts';
import { buildScenario, loadScenario } from '../../../src/scenario/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

/** Two hosts on one segment; h1 pings h2 once a second from 1s (ten pings), plus the given top-level lines. */
function twoHosts(...extra: string[]): string {
  return [
    'name: timeline',
    'duration: 12s',
    'segments: { lan: {} }',
    'hosts:',
    '  h1:',
    '    interfaces: { eth0: { segment: lan, mac: 02:00:00:00:00:01, addresses: [10.0.0.1/24] } }',
    '  h2:',
    '    interfaces: { eth0: { segment: lan, mac: 02:00:00:00:00:02, addresses: [10.0.0.2/24] } }',
    ...extra,
  ].join('\n');
}

const PINGS = '  - { at: 1s, host: h1, run: ping -c 10 -i 1 10.0.0.2 }';

function run(text: string, seed?: number): Lab {
  const lab = Lab.fromText(text, { file: 't.yaml', seed });
  lab.run();
  return lab;
}

const replies = (lab: Lab): TraceEvent[] => lab.events.filter((e) => e.kind === 'rx' && e.host === 'h1' && e.pkt.icmp?.type === 0);
const at = (s: number): number => s * 1_000_000_000;

describe('timeline actions', () => {
  it('link: the interface goes down and up as `ip link set` does, traced as link events', () => {
    const lab = run(twoHosts('timeline:', PINGS, '  - { at: 3500ms, link: h2/eth0, state: down }', '  - { at: 6500ms, link: h2/eth0, state: up }'));
    const links = lab.events.filter((e) => e.kind === 'link');
    expect(links.map((e) => [e.t, e.host, e.iface, e.kind === 'link' ? e.state : '', e.kind === 'link' ? e.cable : 'x'])).toEqual([
      [at(3.5), 'h2', 'eth0', 'down', undefined],
      [at(6.5), 'h2', 'eth0', 'up', undefined],
    ]);
    // Pings at 4, 5 and 6 s go unanswered (h2 drops them: its interface is down); the others are answered.
    const answered = replies(lab).map((e) => Math.floor(e.t / at(1)));
    expect(answered).toEqual([1, 2, 3, 7, 8, 9, 10]);
    expect(lab.events.some((e) => e.kind === 'drop' && e.host === 'h2' && e.reason === 'link-down')).toBe(true);
  });

  it('cable: unplugging drops frames as link-down, traced as a link event with cable: true', () => {
    const lab = run(twoHosts('timeline:', PINGS, '  - { at: 3500ms, cable: h2/eth0, state: down }', '  - { at: 6500ms, cable: h2/eth0, state: up }'));
    const links = lab.events.filter((e) => e.kind === 'link');
    expect(links.map((e) => (e.kind === 'link' ? `${e.state} ${e.cable}` : ''))).toEqual(['down true', 'up true']);
    expect(replies(lab).map((e) => Math.floor(e.t / at(1)))).toEqual([1, 2, 3, 7, 8, 9, 10]);
    // Unlike `link`, the interface stays administratively up: the drops happen on the cable or at the switch.
    const downDrops = lab.events.filter((e) => e.kind === 'drop' && e.reason === 'link-down');
    expect(downDrops.length).toBeGreaterThan(0);
  });

  it('crash and restart: a crashed host neither sends nor receives; after restart it answers with its configuration kept', () => {
    const lab = run(twoHosts('timeline:', PINGS, '  - { at: 3500ms, crash: h2 }', '  - { at: 6500ms, restart: h2 }'));
    const faults = lab.events.filter((e) => e.kind === 'fault');
    expect(faults.map((e) => [e.t, e.host, e.kind === 'fault' ? e.fault : ''])).toEqual([
      [at(3.5), 'h2', 'crash'],
      [at(6.5), 'h2', 'restart'],
    ]);
    expect(replies(lab).map((e) => Math.floor(e.t / at(1)))).toEqual([1, 2, 3, 7, 8, 9, 10]);
    const hostDown = lab.events.filter((e) => e.kind === 'drop' && e.reason === 'host-down');
    expect(hostDown.length).toBeGreaterThanOrEqual(3);
    expect(hostDown.every((e) => e.host === 'h2' && e.t > at(3.5) && e.t < at(6.5))).toBe(true);
  });

  it('a restarted host has forgotten what it learned: it resolves its neighbour again', () => {
    const lab = run(twoHosts('timeline:', '  - { at: 1s, host: h2, run: ping -c 1 10.0.0.1 }', '  - { at: 2s, crash: h2 }', '  - { at: 3s, restart: h2 }', '  - { at: 4s, host: h2, run: ping -c 1 10.0.0.1 }'));
    const requests = lab.events.filter((e) => e.kind === 'tx' && e.host === 'h2' && e.pkt.arp?.op === 'request');
    expect(requests.map((e) => Math.floor(e.t / at(1)))).toEqual([1, 4]);
  });

  it('a crash ends the host\'s TCP connections at once, without a packet leaving it', () => {
    const text = [
      'name: crash tcp',
      'duration: 3s',
      'segments: { lan: {} }',
      'hosts:',
      '  c: { interfaces: { eth0: { segment: lan, addresses: [10.0.0.1/24] } } }',
      '  s:',
      '    interfaces: { eth0: { segment: lan, addresses: [10.0.0.2/24] } }',
      '    services: [{ port: 80, response: 100KB }]',
      'traffic:',
      '  - { at: 1s, from: c, to: 10.0.0.2:80 }',
      'timeline:',
      '  - when: { kind: tcp, host: c, to: ESTABLISHED }',
      '    crash: c',
    ].join('\n');
    const lab = run(text);
    const crash = lab.events.find((e) => e.kind === 'fault')!;
    const before = lab.events.filter((e) => e.seq < crash.seq);
    const after = lab.events.filter((e) => e.seq > crash.seq);
    // A frame already queued on the cable before the crash still leaves (it was on its way out of the NIC);
    // nothing made after the crash does: the RST that aborting the connection makes is dropped as host-down.
    const routedBefore = new Set(before.filter((e) => e.kind === 'route' && e.host === 'c').map((e) => (e.kind === 'route' ? e.pkt.pid : -1)));
    const sentAfter = after.filter((e) => e.kind === 'tx' && e.host === 'c');
    expect(sentAfter.every((e) => e.kind === 'tx' && routedBefore.has(e.pkt.pid))).toBe(true);
    const rst = after.find((e) => e.kind === 'drop' && e.host === 'c' && e.pkt?.tcp?.flags === 'RA');
    expect(rst).toMatchObject({ reason: 'host-down' });
    expect(after.some((e) => e.kind === 'tcp' && e.host === 'c' && e.to === 'CLOSED')).toBe(true);
    expect(lab.events.some((e) => e.kind === 'app' && e.host === 'c' && e.event === 'error')).toBe(true);
  });

  it('loss: frames are lost with the probability, from a seeded stream, traced as link-loss', () => {
    const text = twoHosts('timeline:', '  - { at: 1s, host: h1, run: ping -c 200 -i 0.01 10.0.0.2 }', '  - { at: 0s, loss: h2/eth0, probability: 0.3 }');
    const a = run(text);
    const lost = a.events.filter((e) => e.kind === 'drop' && e.reason === 'link-loss');
    // Each echo crosses h2's cable twice (request in, reply out): P(answered) = 0.7² ≈ 0.49.
    const answered = replies(a).length;
    expect(answered).toBeGreaterThan(70);
    expect(answered).toBeLessThan(130);
    expect(lost.length).toBeGreaterThan(80);
    expect(a.events.find((e) => e.kind === 'fault')).toMatchObject({ fault: 'loss', host: 'h2', iface: 'eth0', detail: '30% of frames' });
    // The same seed loses the same frames; another seed loses others.
    expect(run(text).digest()).toBe(a.digest());
    expect(run(text, 7).digest()).not.toBe(a.digest());
  });

  it('loss 0 turns it off again', () => {
    const lab = run(twoHosts('timeline:', PINGS, '  - { at: 0s, loss: h2/eth0, probability: 1 }', '  - { at: 5500ms, loss: h2/eth0, probability: 0 }'));
    // Nothing gets through before 5.5 s; every ping from 7 s on is answered (some of the earlier ones, queued
    // while h1 could not resolve h2, are answered once it can).
    const answered = replies(lab).map((e) => Math.floor(e.t / at(1)));
    expect(answered.every((s) => s >= 5)).toBe(true);
    expect(answered.filter((s) => s >= 7)).toEqual([7, 8, 9, 10]);
    expect(lab.events.filter((e) => e.kind === 'drop' && e.reason === 'link-loss').every((e) => e.t < at(5.5))).toBe(true);
  });

  it('slow: sets the host\'s slow-down factor the servers read, traced as a fault', () => {
    const spec = loadScenario(twoHosts('timeline:', '  - { at: 1s, slow: h2, factor: 4 }', '  - { at: 2s, slow: h2, factor: 1 }'), 't.yaml');
    const { world } = buildScenario(spec);
    const h2 = world.host('h2');
    expect(slowdownOf(h2)).toBe(1);
    world.sim.runUntil(at(1.5));
    expect(slowdownOf(h2)).toBe(4);
    expect(slowdownOf(world.host('h1'))).toBe(1);
    world.sim.runUntil(at(3));
    expect(slowdownOf(h2)).toBe(1);
    expect(world.memory.events.filter((e) => e.kind === 'fault').map((e) => (e.kind === 'fault' ? e.detail : ''))).toEqual(['4× slower', 'normal speed']);
  });

  it('when: an action runs at the instant its condition first matches, once', () => {
    const lab = run(twoHosts('timeline:', PINGS, '  - when: { kind: rx, host: h2, pkt: { icmp: { type: 8 } } }', '    link: h2/eth0', '    state: down'));
    const firstEcho = lab.events.find((e) => e.kind === 'rx' && e.host === 'h2' && e.pkt.icmp?.type === 8)!;
    const links = lab.events.filter((e) => e.kind === 'link');
    expect(links).toHaveLength(1);
    expect(links[0].t).toBe(firstEcho.t);
    expect(links[0].seq).toBeGreaterThan(firstEcho.seq);
  });

  it('when: a condition that never matches never runs its action', () => {
    const lab = run(twoHosts('timeline:', PINGS, '  - { when: { kind: drop, reason: ttl-exceeded }, crash: h2 }'));
    expect(lab.events.some((e) => e.kind === 'fault')).toBe(false);
    expect(replies(lab)).toHaveLength(10);
  });
});
