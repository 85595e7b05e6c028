import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/ScenarioError.ts';
import { FORMAT_EXAMPLE, yaml } from '../unit/scenario/helpers.ts';
import { applyMutation, mutation } from '../fuzz/mutate.ts';

/** The format page's example plus every extension and the loopback rules, so mutations reach all readers. */
const RICH = yaml(
  'name: rich',
  'seed: 7',
  'duration: 2.5s',
  'segments:',
  '  lan: { bandwidth: 100Mbit, latency: 5us, queue: 20 }',
  '  wan: {}',
  'hosts:',
  '  client:',
  '    role: client',
  '    position: [10, 20.5]',
  '    interfaces:',
  '      eth0: { segment: wan, addresses: [10.0.0.2/24], bandwidth: 10Mbit, latency: 1ms }',
  '  director:',
  '    role: director',
  '    interfaces:',
  '      eth0: { segment: wan, addresses: [10.0.0.1/24] }',
  '      eth1: { segment: lan, mac: 02:00:00:00:00:01, addresses: [192.168.1.1/24] }',
  '    sysctl: { net.ipv4.ip_forward: 1 }',
  '    commands:',
  '      - ipvsadm -A -t 10.0.0.1:80 -s rr',
  '      - ipvsadm -a -t 10.0.0.1:80 -r 192.168.1.2:80 -m',
  '  rs1:',
  '    role: real-server',
  '    interfaces:',
  '      eth0: { segment: lan, addresses: [192.168.1.2/24] }',
  '      lo: { addresses: [10.0.0.1/32] }',
  '    services:',
  '      - { port: 80, response: 1KiB }',
  '      - { port: 53, protocol: udp }',
  'timeline:',
  '  - { at: 500ms, host: client, run: ping -c 1 10.0.0.1 }',
  '  - { at: 1s, link: rs1/eth0, state: down }',
  '  - { at: 1s, cable: director/eth1, state: up }',
  '  - { when: { kind: drop, reason: link-down }, crash: rs1 }',
  '  - { at: 2s, restart: rs1 }',
  '  - { at: 1.5s, slow: rs1, factor: 2.5 }',
  '  - { at: 0s, loss: client/eth0, probability: 0.01 }',
  'traffic:',
  '  - { at: 1s, from: client, to: 10.0.0.1:80, request: 100B, count: 3, interval: 100ms }',
  'expect:',
  '  - { at: 2s, host: director, run: ipvsadm -Ln, output: { matches: "RoundRobin|rr" } }',
  '  - { count: { kind: rx, host: rs1, pkt: { tcp: { flags: S } } }, atLeast: 1, atMost: 3 }',
  '  - { share: { host: director, dest: "192.168.1.2:80" }, between: [0.5, 1], at: 2s }',
  '  - { neigh: { host: client, address: 10.0.0.1 }, lladdr: 02:00:00:00:00:01 }',
  '  - { responseTime: { host: client }, percentile: 99.9, atMost: 5ms }',
  '  - { at: 2s, host: director, run: ipvsadm -Ln, output: { line: "TCP  10.0.0.1:80 rr" } }',
  'narration:',
  '  - { at: 0s, text: "the `client` *starts*" }',
  '  - when: { kind: ipvs, event: conn }',
  '    text: a **connection**',
  'exercise:',
  '  task: fix it',
  '  goal:',
  '    - { count: { kind: drop }, equals: 0 }',
  '  hints: [look, "`ip route`"]',
);

/** Characters and fragments that mean something to YAML or to the loader. */
const SPECIALS = [':', '-', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ',', '?', ' ', '\n', '\t', '\r', '\\', '0', 'a', '.', '/', '\u0000', '\uFEFF', '\u00e9', '\uD83D'];
// The text mutations are the fuzzer's (test/fuzz/mutate.ts): one set for both.

/** Loads or throws a well-formed ScenarioError; anything else (TypeError, RangeError, ...) fails the property. */
function loadsOrScenarioError(text: string): void {
  try {
    const spec = loadScenario(text, 'mutant.yaml');
    // A spec that loads satisfies the rules every consumer relies on.
    expect(spec.name.trim()).not.toBe('');
    expect(spec.hosts.length).toBeGreaterThan(0);
    expect(Number.isSafeInteger(spec.duration) && spec.duration > 0).toBe(true);
    const segments = new Set(spec.segments.map((s) => s.name));
    const hosts = new Set(spec.hosts.map((h) => h.name));
    for (const h of spec.hosts) {
      for (const i of h.interfaces) expect(i.name === 'lo' ? i.segment === undefined : segments.has(i.segment!)).toBe(true);
    }
    for (const t of spec.timeline) expect(hosts.has(t.host)).toBe(true);
    for (const t of spec.timeline) {
      if ('iface' in t.action) expect(spec.hosts.find((h) => h.name === t.host)!.interfaces.some((i) => i.name === (t.action as { iface: string }).iface)).toBe(true);
    }
    for (const t of spec.traffic) expect(hosts.has(t.from)).toBe(true);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw new Error(`not a ScenarioError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    const lineCount = text.split('\n').length;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lineCount + 1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message).not.toMatch(/[\r\n]/);
    expect(e.message.startsWith(`mutant.yaml:${e.line}:${e.column}: `)).toBe(true);
  }
}

describe('loadScenario under mutation', () => {
  it('the base files load', () => {
    expect(loadScenario(FORMAT_EXAMPLE, 'a.yaml').hosts).toHaveLength(2);
    expect(loadScenario(RICH, 'b.yaml').hosts).toHaveLength(3);
  });

  it('a mutated file loads or throws a ScenarioError, never another error', () => {
    fc.assert(
      fc.property(fc.constantFrom(FORMAT_EXAMPLE, RICH), fc.array(mutation, { minLength: 1, maxLength: 6 }), (base, mutations) => {
        loadsOrScenarioError(mutations.reduce(applyMutation, base));
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary text loads or throws a ScenarioError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: fc.constantFrom(...SPECIALS, 'name', 'hosts', 'h', 'x') }), (text) => {
        loadsOrScenarioError(text);
      }),
      { numRuns: 1000 },
    );
  });
});
