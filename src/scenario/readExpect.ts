import { isScalar, isSeq } from 'yaml';
import type { SimTime } from '../sim/index.ts';
import { parseIpv4, parseMac, isMulticastMac } from '../wire/index.ts';
import type { Field, Fields } from './fields.ts';
import { filterHostRef, readFilter, type ReadContext } from './readContext.ts';
import type {
  CountExpectSpec,
  ExpectSpec,
  NeighExpectSpec,
  OutputExpectSpec,
  OutputTest,
  ResponseTimeExpectSpec,
  ShareExpectSpec,
} from './schema.ts';
import { describeNode } from './yamlSource.ts';

/**
 * One `expect:` entry (and one `exercise.goal` entry). The form is chosen by its distinguishing key:
 * `count:` (the contract), `share:`, `neigh:`, `responseTime:` (extensions); without any of them it is the
 * contract's output form (`at`, `host`, `run`, `output`). A key of another form is refused at that key.
 */
const FORMS = {
  count: ['count', 'equals', 'atLeast', 'atMost', 'at'],
  share: ['share', 'between', 'about', 'within', 'at'],
  neigh: ['neigh', 'lladdr', 'state', 'absent', 'at'],
  responseTime: ['responseTime', 'percentile', 'atMost', 'atLeast', 'at'],
  output: ['at', 'host', 'run', 'output'],
} as const;
type Form = keyof typeof FORMS;
const MARKERS = ['count', 'share', 'neigh', 'responseTime'] as const;
const ALL_KEYS = [...new Set(Object.values(FORMS).flat())];
const OUTPUT_TEST_KEYS = ['contains', 'equals', 'matches', 'line'] as const;
const FORMS_TEXT =
  'an expectation: count: {filter} with equals, atLeast or atMost; share:, neigh: or responseTime: (extensions); or at, host, run and output';

/** The states `ip neigh` shows (the trace's `neigh` state field). */
const NEIGH_STATES = ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'PERMANENT', 'NOARP'] as const;

export function readExpectation(ctx: ReadContext, f: Field): ExpectSpec {
  const { r, source } = ctx;
  const e = r.fields(f, ALL_KEYS, FORMS_TEXT);
  const markers = MARKERS.filter((m) => e.has(m));
  if (markers.length > 1) {
    const [first, second] = [...e.entries.keys()].filter((k) => (MARKERS as readonly string[]).includes(k));
    const v = e.get(second)!;
    throw source.error(v.keyPos, v.path, `one form per expectation (this one is a ${first}: expectation)`, JSON.stringify(second));
  }
  const form = (markers[0] ?? 'output') as Form;
  for (const [key, v] of e.entries) {
    if ((FORMS[form] as readonly string[]).includes(key)) continue;
    let why: string;
    if (form === 'count') why = `a count expectation's keys: count, equals, atLeast, atMost, at (${key}: belongs to another form)`;
    else if (form === 'output') {
      const owner = MARKERS.find((m) => (FORMS[m] as readonly string[]).includes(key)) ?? 'count';
      why = `an output expectation's keys: at, host, run, output (${key}: belongs to a ${owner} expectation, which needs ${owner}:)`;
    } else why = `a ${form} expectation's keys: ${FORMS[form].join(', ')}`;
    throw source.error(v.keyPos, v.path, why, JSON.stringify(key));
  }
  switch (form) {
    case 'count':
      return count(ctx, e);
    case 'share':
      return share(ctx, e);
    case 'neigh':
      return neigh(ctx, e);
    case 'responseTime':
      return responseTime(ctx, e);
    case 'output':
      return output(ctx, e);
  }
}

function optionalAt(ctx: ReadContext, e: Fields): SimTime | undefined {
  const at = e.get('at');
  return at === undefined ? undefined : ctx.r.duration(at);
}

function count(ctx: ReadContext, e: Fields): CountExpectSpec {
  const { r } = ctx;
  const spec: CountExpectSpec = { kind: 'count', filter: Object.create(null) as Record<string, unknown>, pos: e.pos };
  const n = (v: Field): number => r.integer(v, 0, Number.MAX_SAFE_INTEGER, 'a count: a non-negative integer');
  e.read<(typeof FORMS.count)[number]>({
    count: (v) => {
      spec.filter = readFilter(ctx, v);
      filterHostRef(ctx, v, spec.filter);
    },
    equals: (v) => (spec.equals = n(v)),
    atLeast: (v) => (spec.atLeast = n(v)),
    atMost: (v) => (spec.atMost = n(v)),
    at: (v) => (spec.at = r.duration(v)),
  });
  if (spec.equals === undefined && spec.atLeast === undefined && spec.atMost === undefined) {
    e.require('equals', 'equals:, atLeast: or atMost: with the count: filter');
  }
  if (spec.atLeast !== undefined && spec.atMost !== undefined && spec.atLeast > spec.atMost) {
    r.fail(e.get('atMost')!, `atMost: no smaller than atLeast: (${spec.atLeast})`);
  }
  return spec;
}

/** `share: { host: director, dest: 10.2.1.2:80 }` with `between: [0.3, 0.4]` or `about: 0.33` and `within: 0.05`. */
function share(ctx: ReadContext, e: Fields): ShareExpectSpec {
  const { r, source } = ctx;
  const sf = e.get('share')!;
  const filter = readFilter(ctx, sf);
  filterHostRef(ctx, sf, filter);
  const destField = r.mapEntries(sf, 'a filter').get('dest');
  if (destField === undefined) throw source.error(r.valuePos(sf), `${sf.path}.dest`, 'a dest: key with the real server A.B.C.D:PORT whose share is tested', 'no dest: key');
  const dest = r.text(destField, 'a real server A.B.C.D:PORT', { singleLine: true });
  const m = /^([0-9.]+):(\d{1,5})$/.exec(dest);
  if (m === null || parseIpv4(m[1]) === undefined || Number(m[2]) > 65535) r.fail(destField, 'a real server A.B.C.D:PORT');
  delete filter['dest'];
  const fraction = (v: Field, what: string): number => {
    const x = r.number(v, `${what}: a number from 0 to 1`);
    if (x < 0 || x > 1) r.fail(v, `${what}: a number from 0 to 1`);
    return x;
  };
  let min: number;
  let max: number;
  const between = e.get('between');
  const about = e.get('about');
  if (between !== undefined && about !== undefined) {
    throw source.error(about.keyPos, about.path, 'either between: [MIN, MAX] or about: with within:, not both', 'about:');
  }
  if (between !== undefined) {
    if (!isSeq(between.value) || between.value.items.length !== 2) r.fail(between, 'between: two shares [MIN, MAX], each from 0 to 1');
    [min, max] = r.items(between, 'two shares').map((item) => fraction(item, 'a share'));
    if (min > max) r.fail(between, 'between: [MIN, MAX] with MIN no larger than MAX');
    if (e.has('within')) throw source.error(e.get('within')!.keyPos, e.get('within')!.path, 'within: only with about:', 'within:');
  } else if (about !== undefined) {
    const centre = fraction(about, 'about');
    const within = e.require('within', 'a within: key with the tolerance around about: (e.g. 0.05)');
    const tol = fraction(within, 'within');
    min = Math.max(0, centre - tol);
    max = Math.min(1, centre + tol);
  } else {
    e.require('between', 'between: [MIN, MAX] (or about: with within:) with the share: filter');
    throw new Error('unreachable');
  }
  return { kind: 'share', filter, dest, min, max, at: optionalAt(ctx, e), pos: e.pos };
}

/** `neigh: { host: router, address: 192.168.1.110 }` with `lladdr:`, `state:` or `absent: true`. */
function neigh(ctx: ReadContext, e: Fields): NeighExpectSpec {
  const { r, source } = ctx;
  const nf = e.get('neigh')!;
  const keys = r.fields(nf, ['host', 'address', 'iface'], 'neigh: a mapping with host, address and optionally iface');
  const spec: NeighExpectSpec = { kind: 'neigh', host: '', address: '', pos: e.pos };
  keys.read<'host' | 'address' | 'iface'>({
    host: (v) => (spec.host = ctx.hostRef(v)),
    address: (v) => {
      const a = r.text(v, 'an IPv4 address A.B.C.D', { singleLine: true });
      if (parseIpv4(a) === undefined) r.fail(v, 'an IPv4 address A.B.C.D');
      spec.address = a;
    },
    iface: (v) => (spec.iface = r.text(v, 'an interface name', { singleLine: true })),
  });
  keys.require('host', 'a host: key naming the host whose neighbour table is tested');
  keys.require('address', 'an address: key with the neighbour\'s IPv4 address');
  e.read<'lladdr' | 'state' | 'absent'>({
    lladdr: (v) => {
      const mac = parseMac(r.text(v, 'a MAC address aa:bb:cc:dd:ee:ff', { singleLine: true }));
      if (mac === undefined || isMulticastMac(mac)) r.fail(v, 'a MAC address aa:bb:cc:dd:ee:ff');
      spec.lladdr = mac;
    },
    state: (v) => (spec.state = r.oneOf(v, NEIGH_STATES, `a state: one of ${NEIGH_STATES.join(', ')}`)),
    absent: (v) => {
      if (!(isScalar(v.value) && v.value.value === true)) r.fail(v, 'absent: true');
      spec.absent = true;
    },
  });
  if (spec.absent && (spec.lladdr !== undefined || spec.state !== undefined)) {
    const key = e.has('lladdr') ? 'lladdr' : 'state';
    const other = e.get(key)!;
    throw source.error(other.keyPos, other.path, 'absent: true alone (an absent entry has no address or state)', JSON.stringify(key));
  }
  if (!spec.absent && spec.lladdr === undefined && spec.state === undefined) e.require('lladdr', 'lladdr:, state: or absent: true with the neigh: entry');
  spec.at = optionalAt(ctx, e);
  return spec;
}

/** `responseTime: { host: client }` with `percentile: 95` and `atMost: 20ms` and/or `atLeast:`. */
function responseTime(ctx: ReadContext, e: Fields): ResponseTimeExpectSpec {
  const { r } = ctx;
  const ff = e.get('responseTime')!;
  const filter = readFilter(ctx, ff);
  filterHostRef(ctx, ff, filter);
  const pf = e.require('percentile', 'a percentile: key (e.g. 50, 95, 99; 100 is the slowest)');
  const percentile = r.number(pf, 'a percentile: a number above 0, at most 100');
  if (!(percentile > 0 && percentile <= 100)) r.fail(pf, 'a percentile: a number above 0, at most 100');
  const spec: ResponseTimeExpectSpec = { kind: 'responseTime', filter, percentile, pos: e.pos };
  e.read<'atMost' | 'atLeast'>({
    atMost: (v) => (spec.atMost = r.duration(v)),
    atLeast: (v) => (spec.atLeast = r.duration(v)),
  });
  if (spec.atMost === undefined && spec.atLeast === undefined) e.require('atMost', 'atMost: or atLeast: with a duration (e.g. 20ms)');
  if (spec.atLeast !== undefined && spec.atMost !== undefined && spec.atLeast > spec.atMost) {
    r.fail(e.get('atMost')!, 'atMost: no shorter than atLeast:');
  }
  spec.at = optionalAt(ctx, e);
  return spec;
}

function output(ctx: ReadContext, e: Fields): OutputExpectSpec {
  const { r, source } = ctx;
  if (e.entries.size === 0) throw source.error(e.pos, e.path, FORMS_TEXT, 'an empty mapping');
  const spec: OutputExpectSpec = { kind: 'output', at: 0, host: '', run: '', output: {}, pos: e.pos, runPos: e.pos };
  e.read<(typeof FORMS.output)[number]>({
    at: (v) => (spec.at = r.duration(v)),
    host: (v) => (spec.host = ctx.hostRef(v)),
    run: (v) => {
      spec.run = r.text(v, 'a command line as text (quote it if it contains ": " or " #")', { singleLine: true });
      spec.runPos = r.valuePos(v);
    },
    output: (v) => (spec.output = outputTest(ctx, v)),
  });
  e.require('at', 'an at: key with the time to run the command (or count: for a count expectation)');
  e.require('host', 'a host: key naming the host to run the command on');
  e.require('run', 'a run: key with the command line whose output is tested');
  e.require('output', 'an output: key with one of contains, equals, matches, line');
  return spec;
}

function outputTest(ctx: ReadContext, f: Field): OutputTest {
  const { r, source } = ctx;
  const expected = 'an output test: a mapping with exactly one of contains, equals, matches, line';
  const o = r.fields(f, OUTPUT_TEST_KEYS, expected);
  const out: OutputTest = {};
  for (const [key, v] of o.entries) {
    if (Object.keys(out).length > 0) throw source.error(v.keyPos, v.path, 'exactly one of contains, equals, matches, line', `a second test, ${key}:`);
    const text = r.text(v, 'the text to compare the output with', { allowEmpty: true });
    switch (key as (typeof OUTPUT_TEST_KEYS)[number]) {
      case 'contains':
        out.contains = text;
        break;
      case 'equals':
        out.equals = text;
        break;
      case 'line':
        if (/[\r\n]/.test(text)) r.fail(v, 'one line of output (no line breaks)', 'text of several lines');
        out.line = text;
        break;
      case 'matches':
        try {
          new RegExp(text);
        } catch (err) {
          r.fail(v, 'a JavaScript regular expression', `${describeNode(v.value)} (${err instanceof Error ? err.message : String(err)})`);
        }
        out.matches = text;
        break;
    }
  }
  if (Object.keys(out).length === 0) throw source.error(o.pos, f.path, expected, 'none');
  return out;
}
