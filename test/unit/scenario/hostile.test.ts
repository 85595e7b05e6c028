import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import type { CountExpectSpec } from '../../../src/scenario/schema.ts';
import { MAX_BLOCK_COLUMN, MAX_NESTING, MAX_SCENARIO_CHARS } from '../../../src/scenario/yamlSource.ts';
import { errorOf, FORMAT_EXAMPLE, withHosts, yaml } from './helpers.ts';

function assertNoPollution(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
}

afterEach(assertNoPollution);

describe('anchors and aliases are refused', () => {
  it('an alias to an anchor: the anchor is reported first', () => {
    const e = errorOf(yaml('name: t', 'segments:', '  lan: &fast { latency: 1us }', '  wan: *fast', 'hosts: { h: {} }'));
    expect([e.line, e.column, e.path]).toEqual([3, 14, 'segments.lan']);
    expect(e.expected).toContain('anchors and aliases are not part of the scenario format');
    expect(e.got).toBe('&fast');
  });

  it('an alias whose anchor is missing is still a ScenarioError', () => {
    const e = errorOf(yaml('name: t', 'hosts: { h: {} }', 'description: *nothing'));
    expect(e.line).toBe(3);
  });

  it('an alias used as a key', () => {
    const e = errorOf(yaml('name: &n t', 'hosts: { h: {} }'));
    expect(e.got).toBe('&n');
  });

  it('a billion-laughs document is refused before anything expands', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(', ')}]`);
    const e = errorOf(yaml(...lines));
    expect([e.line, e.column]).toEqual([1, 7]);
  });

  it('merge keys are ordinary (unknown) keys', () => {
    const e = errorOf(withHosts('  h: { <<: { role: client } }'));
    expect([e.line, e.column, e.path]).toEqual([5, 8, 'hosts.h.<<']);
  });
});

describe('prototype names as keys', () => {
  it('__proto__ at the top level', () => {
    const e = errorOf(yaml('name: t', 'hosts: { h: {} }', '__proto__: { polluted: yes }'));
    expect(e.message).toBe('test.yaml:3:1: __proto__: expected a key other than __proto__, constructor or prototype, got "__proto__"');
  });

  it('__proto__ as a host name and inside a count filter', () => {
    expect(errorOf(yaml('name: t', 'hosts:', '  __proto__: { role: client }')).path).toBe('hosts.__proto__');
    const e = errorOf(withHosts('  h: {}', 'expect: [{ count: { pkt: { __proto__: { polluted: 1 } } }, equals: 0 }]'));
    expect([e.line, e.column, e.path]).toEqual([6, 28, 'expect[0].count.pkt.__proto__']);
  });

  it('constructor and prototype', () => {
    expect(errorOf(withHosts('  constructor: {}')).path).toBe('hosts.constructor');
    expect(errorOf(withHosts('  h: { sysctl: { prototype: 1 } }')).path).toBe('hosts.h.sysctl.prototype');
    expect(errorOf(withHosts('  h: {}', 'expect: [{ count: { "constructor": { polluted: 1 } }, atLeast: 0 }]')).path).toBe('expect[0].count.constructor');
  });

  it('ordinary filter keys land on a null-prototype object', () => {
    const spec = loadScenario(withHosts('  h: {}', 'expect: [{ count: { toString: x, hasOwnProperty: y }, atLeast: 0 }]'), 't.yaml');
    const filter = (spec.expect[0] as CountExpectSpec).filter;
    expect(Object.getPrototypeOf(filter)).toBeNull();
    expect(Object.keys(filter)).toEqual(['toString', 'hasOwnProperty']);
    expect(filter.toString).toBe('x');
  });
});

describe('nesting and size caps', () => {
  it('deep flow nesting stops at the cap, at the bracket that passes it', () => {
    const e = errorOf(`name: t\nhosts: { h: {} }\ndescription: ${'['.repeat(5000)}`);
    expect([e.line, e.column, e.path]).toEqual([3, 14 + MAX_NESTING, '']);
    expect(e.expected).toBe(`collections nested at most ${MAX_NESTING} deep`);
  });

  it('deep block nesting stops before the parser recurses', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    const e = errorOf(lines.join('\n'));
    expect([e.line, e.column]).toEqual([MAX_BLOCK_COLUMN + 2, MAX_BLOCK_COLUMN + 2]);
    expect(e.expected).toContain(`${MAX_BLOCK_COLUMN} columns`);
  });

  it('compact nested sequences on one line are capped too', () => {
    const e = errorOf(`${'- '.repeat(20000)}x\n`);
    expect(e.line).toBe(1);
    expect(e.expected).toContain('columns');
  });

  it('nesting within the column cap but beyond the depth cap is refused with its path', () => {
    const depth = MAX_NESTING + 6;
    const lines = ['name: t', 'hosts: { h: {} }', 'expect:', '  - equals: 0', '    count:'];
    for (let i = 0; i < depth; i++) lines.push(`${'  '.repeat(i + 3)}k:`);
    const e = errorOf(yaml(...lines));
    expect(e.expected).toBe(`collections nested at most ${MAX_NESTING} deep`);
    expect(e.path.startsWith('expect[0].count.k.k.')).toBe(true);
    // Depth 1 is the top mapping, 2 the list, 3 the entry; the mapping at depth d holds the k of line
    // 5 + (d - 3), and the first mapping too deep is at depth MAX_NESTING + 1.
    expect(e.line).toBe(5 + (MAX_NESTING + 1 - 3));
  });

  it('a filter nested a few levels is fine', () => {
    const spec = loadScenario(withHosts('  h: {}', 'expect: [{ count: { pkt: { inner: { ip: { src: 10.0.0.1 } } } }, equals: 1 }]'), 't.yaml');
    const f = (spec.expect[0] as CountExpectSpec).filter as { pkt: { inner: { ip: { src: string } } } };
    expect(f.pkt.inner.ip.src).toBe('10.0.0.1');
  });

  it('a file over 10 MiB is refused before parsing', () => {
    const big = `name: t\nhosts: { h: {} }\ndescription: "${'x'.repeat(MAX_SCENARIO_CHARS)}"\n`;
    const e = errorOf(big);
    expect([e.line, e.column, e.path]).toEqual([1, 1, '']);
    expect(e.expected).toContain('10 MiB');
    expect(e.got).toBe(`${big.length} characters`);
  });

  it('a long file under the cap loads', () => {
    const hosts = Array.from({ length: 2000 }, (_, i) => `  h${i}: { interfaces: { eth0: { segment: lan, addresses: [10.${i >> 8}.${i & 255}.1/16] } } }`);
    const spec = loadScenario(withHosts(...hosts), 'big.yaml');
    expect(spec.hosts).toHaveLength(2000);
    expect(spec.hosts[1999].pos).toEqual({ line: 2004, column: 3 });
  });
});

describe('YAML features outside the format', () => {
  it('directives are refused', () => {
    const e = errorOf(yaml('%YAML 1.1', '---', 'name: t', 'hosts: { h: {} }'));
    expect([e.line, e.column, e.path]).toEqual([1, 1, '']);
    expect(errorOf(yaml('%TAG !e! tag:example.com,2000:', '---', 'name: t')).line).toBe(1);
  });

  it('unknown tags are refused; core tags are fine', () => {
    expect(errorOf(yaml('name: !secret t', 'hosts: { h: {} }')).expected).toBe('valid YAML');
    expect(errorOf(yaml('name: t', 'hosts: { h: { role: !!binary Y2xpZW50 } }')).expected).toBe('valid YAML');
    expect(errorOf(yaml('name: t', 'hosts: !!set { h }')).expected).toBe('valid YAML');
    expect(errorOf(yaml('name: t', 'hosts: { h: {} }', 'description: !!timestamp 2001-12-14')).expected).toBe('valid YAML');
    expect(loadScenario(yaml('name: !!str 1', 'hosts: { h: {} }'), 't.yaml').name).toBe('1');
  });

  it('keys that are collections or missing', () => {
    expect(errorOf(yaml('name: t', 'hosts: { h: {} }', '? [a, b]', ': 1')).expected).toBe('a key that is plain text');
    expect(errorOf(yaml('name: t', 'hosts: { h: {} }', ': 1')).line).toBe(3);
  });

  it('numbers outside the safe range and non-finite numbers', () => {
    expect(errorOf(yaml('name: t', 'seed: 99999999999999999999', 'hosts: { h: {} }')).path).toBe('seed');
    expect(errorOf(withHosts('  h: { position: [.nan, 1] }')).path).toBe('hosts.h.position[0]');
    expect(errorOf(withHosts('  h: { position: [1, .inf] }')).path).toBe('hosts.h.position[1]');
  });

  it('a key longer than YAML allows', () => {
    expect(errorOf(yaml('name: t', 'hosts: { h: {} }', `${'k'.repeat(2000)}: 1`)).expected).toBe('valid YAML');
  });

  it('a non-string text from an untyped caller', () => {
    const e = errorOf(undefined as unknown as string);
    expect([e.line, e.column, e.got]).toEqual([1, 1, 'undefined']);
  });

  it('CRLF line endings and a byte-order mark load like the plain file', () => {
    const crlf = loadScenario(FORMAT_EXAMPLE.replace(/\n/g, '\r\n'), 'x.yaml');
    const plain = loadScenario(FORMAT_EXAMPLE, 'x.yaml');
    expect({ ...crlf, description: '' }).toEqual({ ...plain, description: '' });
    expect(loadScenario(`\uFEFF${FORMAT_EXAMPLE}`, 'x.yaml').hosts.map((h) => h.name)).toEqual(['router', 'rs1']);
    const e = errorOf('name: t\r\nhosts: { h: {} }\r\nbogus: 1\r\n');
    expect([e.line, e.column]).toEqual([3, 1]);
  });
});
