import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/commands/check.ts';
import { firstInvalidUtf8, readScenarioFile, UserInputError } from '../../../src/cli/userInput.ts';
import { EXIT_BAD_INPUT } from '../../../src/cli/exitCodes.ts';
import { Lab, LimitError, ScenarioLimitError, parseExperiment } from '../../../src/lab/index.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { ScenarioError } from '../../../src/scenario/ScenarioError.ts';
import { MAX_NESTING } from '../../../src/scenario/yamlSource.ts';
import { errorOf, withHosts, yaml } from './helpers.ts';

/**
 * Issue 8, "Hostile YAML": what a stranger's file can try against the loader, each refused with a clear,
 * positioned error — alias bombs, nesting 10^5 deep, prototype keys (and Object.prototype untouched),
 * numbers beyond every range, bytes that are not UTF-8, a 50 MB file — and quickly.
 */

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

function assertPrototypesUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
  const probe: Record<string, unknown> = {};
  for (const k of ['polluted', 'x', 'role', 'isAdmin']) expect(probe[k]).toBeUndefined();
  expect(({} as { constructor: unknown }).constructor).toBe(Object);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(Array.prototype.hasOwnProperty('polluted')).toBe(false);
}

afterEach(assertPrototypesUntouched);

/** Loads and expects a ScenarioError, in well under a second. */
function refused(text: string): ScenarioError {
  const t0 = performance.now();
  const e = errorOf(text);
  expect(performance.now() - t0).toBeLessThan(1500);
  expect(e.message).toMatch(/^test\.yaml:\d+:\d+: /);
  return e;
}

describe('alias and anchor expansion bombs', () => {
  it('billion laughs with 10 levels of 10 is refused at the first anchor, before any expansion', () => {
    const names = 'abcdefghij';
    const lines = ['name: t', 'hosts: { h: {} }', 'description: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) lines.push(`x${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(', ')}]`);
    const e = refused(yaml(...lines));
    expect([e.line, e.column, e.path]).toEqual([3, 17, 'description']);
    expect(e.got).toBe('&a');
  });

  it('an alias of a mapping used as a whole host, and a merge key, are refused', () => {
    expect(refused(yaml('name: t', 'hosts:', '  a: &h { role: client }', '  b: *h')).got).toBe('&h');
    expect(refused(withHosts('  h: { <<: { role: client } }')).path).toBe('hosts.h.<<');
  });

  it('an alias bomb in a replay experiment (JSON is YAML) is refused the same way', () => {
    const e = (() => {
      try {
        parseExperiment('{"name": &a "x", "servers": [*a, *a]}', 'e.json');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).message).toMatch(/^e\.json:1:\d+: .*anchor/);
  });
});

describe('nesting 10^5 levels deep', () => {
  const N = 100_000;
  it('flow sequences', () => {
    const e = refused(`name: t\nhosts: { h: {} }\ndescription: ${'['.repeat(N)}${']'.repeat(N)}\n`);
    expect(e.expected).toBe(`collections nested at most ${MAX_NESTING} deep`);
    expect([e.line, e.column]).toEqual([3, 14 + MAX_NESTING]);
  });

  it('flow mappings', () => {
    const e = refused(`name: t\nhosts: { h: {} }\ndescription: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\n`);
    expect(e.expected).toContain('nested at most');
  });

  it('block mappings, one level per line (4000 levels: 10^5 would need 5 GB of indentation)', () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `${' '.repeat(i)}k:`);
    const e = refused(lines.join('\n'));
    expect(e.expected).toContain('columns');
  });

  it('block sequences, one level per line, and explicit keys', () => {
    expect(refused(Array.from({ length: 1500 }, (_, i) => `${' '.repeat(2 * i)}-`).join('\n')).expected).toContain('columns');
    expect(refused(`description: ${'? '.repeat(N)}x\n`).line).toBe(1);
  });

  it('block sequences on one line', () => {
    expect(refused(`description: ${'- '.repeat(N)}x\n`).expected).toContain('columns');
  });

  it('nesting inside a count filter', () => {
    const e = refused(withHosts('  h: {}', `expect: [{ count: ${'{ a: '.repeat(N)}1${' }'.repeat(N)}, equals: 0 }]`));
    expect(e.expected).toContain('nested at most');
  });
});

describe('__proto__, constructor and prototype keys', () => {
  const places: Array<[string, string]> = [
    ['top level', yaml('name: t', 'hosts: { h: {} }', 'KEY: { polluted: 1 }')],
    ['a host name', yaml('name: t', 'hosts:', '  KEY: { role: client }')],
    ['a host key', withHosts('  h: { KEY: { polluted: 1 } }')],
    ['an interface name', withHosts('  h: { interfaces: { KEY: { segment: lan } } }')],
    ['a segment name', yaml('name: t', 'segments: { KEY: {} }', 'hosts: { h: {} }')],
    ['a sysctl name', withHosts('  h: { sysctl: { KEY: 1 } }')],
    ['a count filter', withHosts('  h: {}', 'expect: [{ count: { pkt: { KEY: { polluted: 1 } } }, equals: 0 }]')],
    ['a quoted key', yaml('name: t', 'hosts: { h: {} }', '"KEY": { polluted: 1 }')],
  ];
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    for (const [where, text] of places) {
      it(`${key} as ${where}`, () => {
        const e = refused(text.replace('KEY', key));
        expect(e.expected).toBe('a key other than __proto__, constructor or prototype');
        expect(e.got).toBe(JSON.stringify(key));
        expect(e.path.endsWith(key)).toBe(true);
      });
    }
  }

  it('a replay experiment with __proto__ keys', () => {
    expect(() => parseExperiment('{"__proto__": {"polluted": 1}, "name": "x"}', 'e.json')).toThrow(ScenarioError);
  });
});

describe('huge numbers', () => {
  it.each([
    ['a port of 1e400', withHosts('  h: { services: [{ port: 1e400 }] }'), 'hosts.h.services[0].port'],
    ['a port of 2^64', withHosts('  h: { services: [{ port: 18446744073709551616 }] }'), 'hosts.h.services[0].port'],
    ['a port of 2^53 + 1', withHosts('  h: { services: [{ port: 9007199254740993 }] }'), 'hosts.h.services[0].port'],
    ['a seed of 1e400', yaml('name: t', 'seed: 1e400', 'hosts: { h: {} }'), 'seed'],
    ['a seed of 2^64', yaml('name: t', 'seed: 18446744073709551616', 'hosts: { h: {} }'), 'seed'],
    ['a duration of 1e400s', yaml('name: t', 'duration: 1e400s', 'hosts: { h: {} }'), 'duration'],
    ['a duration past 2^53 ns', yaml('name: t', 'duration: 9999999999h', 'hosts: { h: {} }'), 'duration'],
    ['a position of 1e400', withHosts('  h: { position: [1e400, 0] }'), 'hosts.h.position[0]'],
    ['a queue of 2^64', yaml('name: t', 'segments: { lan: { queue: 18446744073709551616 } }', 'hosts: { h: {} }'), 'segments.lan.queue'],
    ['a traffic count of 1e400', withHosts('  h: {}', 'traffic: [{ at: 0s, from: h, to: 10.0.0.1:80, count: 1e400 }]'), 'traffic[0].count'],
  ])('%s', (_what, text, path) => {
    expect(refused(text).path).toBe(path);
  });

  it('a port of 2^64 in a command line is the tool\'s own error', () => {
    let e: unknown;
    try {
      Lab.check(withHosts('  h: { commands: ["ipvsadm -A -t 10.0.0.1:18446744073709551616 -s rr"] }'), 'test.yaml');
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).path).toBe('hosts.h.commands[0]');
    expect((e as ScenarioError).expected).toBe('a command that succeeds (exit 2: illegal virtual server address[:port] specified)');
  });
});

describe('bytes that are not UTF-8 (the CLI reads bytes)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lvs-lab-hostile-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('an invalid byte is named with the file, its value, its byte offset and its line', () => {
    const text = Buffer.from('name: t\nhosts: { h: {} }\ndescription: caf');
    const p = write('latin1.yaml', Buffer.concat([text, Buffer.from([0xe9, 0x0a])]));
    expect(() => readScenarioFile(p)).toThrow(UserInputError);
    expect(() => readScenarioFile(p)).toThrow(`lvs-lab: ${p}: not UTF-8 text: byte 0xe9 at byte offset ${text.length} (line 3) is not valid UTF-8; save the file as UTF-8`);
  });

  it('lvs-lab check prints that one line and exits 2', () => {
    const p = write('bad.yaml', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    const err: string[] = [];
    expect(checkCommand(p, { out: () => {}, err: (t) => err.push(t) })).toBe(EXIT_BAD_INPUT);
    expect(err.join('')).toBe(`lvs-lab: ${p}: not UTF-8 text: byte 0xff at byte offset 6 (line 1) is not valid UTF-8; save the file as UTF-8\n`);
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong encoding of "/"', [0x61, 0xc0, 0xaf], 1],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate encoded as UTF-8', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut short by the end of the file', [0x61, 0xe2, 0x82], 1],
    ['a sequence cut short by ASCII', [0x41, 0xe2, 0x82, 0x41], 1],
    ['0xfe and 0xff', [0xfe], 0],
  ])('%s', (_what, bytes, offset) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(offset);
    expect(() => readScenarioFile(write('x.yaml', Uint8Array.from(bytes)))).toThrow(`at byte offset ${offset} `);
  });

  it('valid UTF-8 of every length, a byte-order mark and NUL-free text read as before', () => {
    const text = '\uFEFFname: "caf\u00e9 \u20ac \u{1F600}"\nhosts: { h: {} }\n';
    const p = write('ok.yaml', Buffer.from(text, 'utf8'));
    expect(firstInvalidUtf8(Buffer.from(text, 'utf8'))).toBe(-1);
    expect(readScenarioFile(p)).toBe(text);
    expect(loadScenario(readScenarioFile(p), p).name).toBe('caf\u00e9 \u20ac \u{1F600}');
  });

  it('a NUL byte is valid UTF-8; in a host name the loader refuses it with its position', () => {
    const p = write('nul.yaml', Buffer.from('name: t\nhosts:\n  "h\u0000": {}\n'));
    const e = errorOf(readScenarioFile(p));
    expect([e.line, e.column, e.path]).toEqual([3, 3, 'hosts.h\u0000']);
  });
});

describe('a 50 MB file', () => {
  let dir: string;
  let big: string;
  const SIZE = 50 * 1024 * 1024;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvs-lab-big-'));
    big = join(dir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(SIZE, 0x61));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the CLI refuses it from its size, before reading it, naming the limit and the flag; exit 2', () => {
    const err: string[] = [];
    const t0 = performance.now();
    expect(checkCommand(big, { out: () => {}, err: (t) => err.push(t) })).toBe(EXIT_BAD_INPUT);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(err.join('')).toBe(`lvs-lab: ${big}: the file is ${SIZE} bytes: the limit is ${10 * 1024 * 1024} (raise it with --max-file-size or LabOptions.maxFileSize)\n`);
    expect(() => readScenarioFile(big)).toThrow(LimitError);
  });

  it('the API refuses 50 MB of text quickly with a ScenarioLimitError', () => {
    const text = `name: t\nhosts: { h: {} }\ndescription: "${'x'.repeat(SIZE)}"\n`;
    const t0 = performance.now();
    let e: unknown;
    try {
      Lab.fromText(text, { file: 'big.yaml' });
    } catch (err) {
      e = err;
    }
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(e).toBeInstanceOf(ScenarioLimitError);
    const le = e as ScenarioLimitError;
    expect([le.line, le.column, le.limit, le.flag, le.max]).toEqual([1, 1, 'maxFileSize', '--max-file-size', 10 * 1024 * 1024]);
    expect(le.message).toBe(`big.yaml:1:1: (document): expected a file of at most 10485760 bytes (10 MiB) (the limit; raise it with --max-file-size or LabOptions.maxFileSize), got ${text.length} characters`);
  });

  it('the limit counts UTF-8 bytes, not characters', () => {
    const text = `name: t\nhosts: { h: {} }\ndescription: "${'\u20ac'.repeat(400)}"\n`;
    expect(() => Lab.fromText(text, { maxFileSize: 1000 })).toThrow(/at most 1000 bytes/);
    expect(Lab.fromText(text, { maxFileSize: 2000 }).name).toBe('t');
  });
});
