import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate, parseSize, type UnitResult } from '../../../src/scenario/units.ts';
import { errorOf, withHosts, yaml } from './helpers.ts';
import { loadScenario } from '../../../src/scenario/load.ts';

function value(r: UnitResult): number {
  if (!r.ok) throw new Error(`refused: ${r.expected}`);
  return r.value;
}

function refusal(r: UnitResult): string {
  if (r.ok) throw new Error(`accepted as ${r.value}`);
  return r.expected;
}

describe('parseDuration', () => {
  it.each([
    ['7ns', 7],
    ['40us', 40_000],
    ['250ms', 250_000_000],
    ['10s', 10_000_000_000],
    ['2m', 120_000_000_000],
    ['1.5s', 1_500_000_000],
    ['0.25ms', 250_000],
    ['1.000000001s', 1_000_000_001],
    ['0.5m', 30_000_000_000],
    ['0s', 0],
    ['007ms', 7_000_000],
  ])('%s is %d ns', (text, ns) => {
    expect(value(parseDuration(text))).toBe(ns);
  });

  it('is exact where a float product is not (1.005s)', () => {
    expect(1.005 * 1e9).not.toBe(1_005_000_000);
    expect(value(parseDuration('1.005s'))).toBe(1_005_000_000);
    expect(value(parseDuration('1.005ms'))).toBe(1_005_000);
  });

  it.each(['10', '1.5', '', 's', '10 s', '10sec', '10S', '-1s', '+1s', '.5s', '5.s', '1e3ms', '1,5s', 'ms10', '10ms '])(
    'refuses %j with the units listed',
    (text) => {
      expect(refusal(parseDuration(text))).toContain('ns, us, ms, s or m');
    },
  );

  it('refuses a value that is not a whole number of nanoseconds', () => {
    expect(refusal(parseDuration('0.5ns'))).toContain('whole number of nanoseconds');
    expect(refusal(parseDuration('1.0000000001s'))).toContain('whole number of nanoseconds');
  });

  it('refuses values beyond exact integer time and absurdly long digit strings', () => {
    expect(value(parseDuration('9007199254740991ns'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(refusal(parseDuration('9007199254740992ns'))).toContain('below');
    expect(refusal(parseDuration(`${'9'.repeat(40)}s`))).toContain('digits');
  });
});

describe('parseRate', () => {
  it.each([
    ['9600bit', 9600],
    ['64Kbit', 64_000],
    ['100Mbit', 100_000_000],
    ['1Gbit', 1_000_000_000],
    ['1.5Mbit', 1_500_000],
    ['2.5Gbit', 2_500_000_000],
  ])('%s is %d bit/s', (text, bps) => {
    expect(value(parseRate(text))).toBe(bps);
  });

  it.each(['1G', '1gbit', '1Gbps', '100', '1 Gbit', '1KBit'])('refuses %j', (text) => {
    expect(refusal(parseRate(text))).toContain('bit, Kbit, Mbit or Gbit');
  });

  it('refuses a fraction of a bit/s', () => {
    expect(refusal(parseRate('0.5bit'))).toContain('whole number of bit/s');
  });
});

describe('parseSize', () => {
  it.each([
    ['64B', 64],
    ['1KB', 1000],
    ['1KiB', 1024],
    ['1MB', 1_000_000],
    ['1MiB', 1_048_576],
    ['1.5KB', 1500],
    ['0.5KiB', 512],
  ])('%s is %d bytes', (text, bytes) => {
    expect(value(parseSize(text))).toBe(bytes);
  });

  it.each(['1kB', '1kb', '1K', '1GB', '512', 'B'])('refuses %j', (text) => {
    expect(refusal(parseSize(text))).toContain('B, KB, KiB, MB or MiB');
  });

  it('refuses a fraction of a byte', () => {
    expect(refusal(parseSize('1.5B'))).toContain('whole number of bytes');
    expect(refusal(parseSize('0.1KiB'))).toContain('whole number of bytes');
  });
});

describe('units in a scenario file', () => {
  it('reads every duration unit where durations go', () => {
    const spec = loadScenario(
      withHosts('  h: {}', 'timeline:', ...['3ns', '3us', '3ms', '3s', '3m', '0.5us'].map((t) => `  - { at: ${t}, host: h, run: x }`)),
      't.yaml',
    );
    expect(spec.timeline.map((t) => t.at)).toEqual([3, 3_000, 3_000_000, 3_000_000_000, 180_000_000_000, 500]);
  });

  it('a bare number is an error naming the units, at the value', () => {
    const e = errorOf(yaml('name: t', 'duration: 10', 'hosts: { h: {} }'));
    expect(e.message).toBe(
      'test.yaml:2:11: duration: expected a duration: an integer or decimal with a unit ns, us, ms, s or m (e.g. 250ms, 1.5s), got 10',
    );
  });

  it('a duration of a fraction of a nanosecond is an error', () => {
    const e = errorOf(yaml('name: t', 'segments:', '  lan: { latency: 1.5ns }', 'hosts: { h: {} }'));
    expect([e.line, e.column, e.path]).toEqual([3, 19, 'segments.lan.latency']);
    expect(e.expected).toContain('whole number of nanoseconds');
    expect(e.got).toBe('"1.5ns"');
  });

  it('a bad rate and a bad size are errors at their values', () => {
    const rate = errorOf(yaml('name: t', 'segments:', '  lan:', '    bandwidth: 1Gbps', 'hosts: { h: {} }'));
    expect([rate.line, rate.column, rate.path, rate.got]).toEqual([4, 16, 'segments.lan.bandwidth', '"1Gbps"']);
    const size = errorOf(withHosts('  h:', '    services:', '      - { port: 80, response: 1kb }'));
    expect([size.line, size.column, size.path]).toEqual([7, 31, 'hosts.h.services[0].response']);
    expect(size.expected).toContain('B, KB, KiB, MB or MiB');
  });

  it('zero is refused for rates and sizes and the scenario duration, allowed for latency and times', () => {
    expect(errorOf(yaml('name: t', 'segments: { lan: { bandwidth: 0Gbit } }', 'hosts: { h: {} }')).expected).toBe('a rate above zero');
    expect(errorOf(withHosts('  h: { services: [{ port: 1, response: 0B }] }')).expected).toBe('a size above zero');
    expect(errorOf(yaml('name: t', 'duration: 0s', 'hosts: { h: {} }')).expected).toBe('a duration above zero');
    const spec = loadScenario(yaml('name: t', 'segments: { lan: { latency: 0ns } }', 'hosts: { h: {} }', 'timeline: [{ at: 0s, host: h, run: x }]'), 't.yaml');
    expect(spec.segments[0].latency).toBe(0);
    expect(spec.timeline[0].at).toBe(0);
  });

  it('a quoted quantity reads like a plain one', () => {
    expect(loadScenario(yaml('name: t', 'duration: "2s"', 'hosts: { h: {} }'), 't.yaml').duration).toBe(2_000_000_000);
  });
});
