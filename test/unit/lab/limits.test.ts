import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/commands/check.ts';
import { replayCommand } from '../../../src/cli/commands/replay.ts';
import { runCommand } from '../../../src/cli/commands/run.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../../src/cli/exitCodes.ts';
import { main } from '../../../src/cli/program.ts';
import { DEFAULT_LIMITS, Lab, LimitError, loadScenario, parseExperiment, replayExperiment, resolveLimits, ScenarioLimitError } from '../../../src/lab/index.ts';
import { canonicalLine } from '../../../src/trace/index.ts';

/**
 * Issue 8's resource limits: each a named error carrying the limit and the flag (and LabOptions field) that
 * raises it — hosts, interfaces per host and file size when a scenario is loaded (exit 2), events and trace
 * bytes while a run goes (it stops cleanly). Lowered limits keep the tests fast.
 */

const hosts = (n: number) => ['name: many', 'segments: { lan: {} }', 'hosts:', ...Array.from({ length: n }, (_, i) => `  h${i}: {}`)].join('\n') + '\n';
const ifaces = (n: number) => ['name: wide', 'segments: { lan: {} }', 'hosts:', '  h:', '    interfaces:', ...Array.from({ length: n }, (_, i) => `      eth${i}: { segment: lan }`)].join('\n') + '\n';

/** A client that opens a connection every microsecond for ever: a runaway. */
const RUNAWAY = `name: runaway
duration: 1000s
segments: { lan: {} }
hosts:
  c: { interfaces: { eth0: { segment: lan, addresses: [10.0.0.1/24] } } }
  s:
    interfaces: { eth0: { segment: lan, addresses: [10.0.0.2/24] } }
    services: [{ port: 80 }]
traffic:
  - { at: 0s, from: c, to: 10.0.0.2:80, count: 1000000, interval: 1us }
`;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

function cli(args: string[]): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { status, out, err };
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lvs-lab-limits-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('defaults', () => {
  it('are the issue\'s: 5000 hosts, 64 interfaces, 10 MiB, 10^8 events, 1 GiB of trace', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxHosts: 5000, maxInterfaces: 64, maxFileSize: 10 * 2 ** 20, maxEvents: 1e8, maxTraceBytes: 2 ** 30 });
    expect(resolveLimits({ maxEvents: 5 }).maxEvents).toBe(5);
    expect(() => resolveLimits({ maxHosts: 0 })).toThrow(RangeError);
    expect(() => resolveLimits({ maxEvents: 1.5 })).toThrow('LabOptions.maxEvents: expected a positive integer, got 1.5');
  });
});

describe('hosts', () => {
  it('5000 load; the 5001st host is a ScenarioLimitError at its key', () => {
    expect(loadScenario(hosts(5000), 'h.yaml').hosts).toHaveLength(5000);
    const e = thrown(() => loadScenario(hosts(5001), 'h.yaml')) as ScenarioLimitError;
    expect(e).toBeInstanceOf(ScenarioLimitError);
    expect([e.name, e.limit, e.max, e.flag, e.line, e.column, e.path]).toEqual(['ScenarioLimitError', 'maxHosts', 5000, '--max-hosts', 5004, 3, 'hosts.h5000']);
    expect(e.message).toBe('h.yaml:5004:3: hosts.h5000: expected at most 5000 hosts (the limit; raise it with --max-hosts or LabOptions.maxHosts), got 5001');
  });

  it('a lowered limit, through Lab and the CLI (exit 2), and the flag that raises it', () => {
    expect(thrown(() => Lab.fromText(hosts(4), { maxHosts: 3 }))).toBeInstanceOf(ScenarioLimitError);
    expect(Lab.fromText(hosts(3), { maxHosts: 3 }).hostNames()).toHaveLength(3);
    const p = file('h4.yaml', hosts(4));
    const low = cli(['check', p, '--max-hosts', '3']);
    expect(low.status).toBe(EXIT_BAD_INPUT);
    expect(low.err).toBe(`${p}:7:3: hosts.h3: expected at most 3 hosts (the limit; raise it with --max-hosts or LabOptions.maxHosts), got 4\n`);
    expect(cli(['check', p, '--max-hosts', '4']).status).toBe(EXIT_OK);
    expect(cli(['check', p, '--max-hosts', '0']).status).toBe(EXIT_BAD_INPUT);
  });
});

describe('interfaces per host', () => {
  it('64 load; the 65th is refused at its key; a lowered limit too', () => {
    expect(loadScenario(ifaces(64), 'i.yaml').hosts[0].interfaces).toHaveLength(64);
    const e = thrown(() => loadScenario(ifaces(65), 'i.yaml')) as ScenarioLimitError;
    expect([e.limit, e.flag, e.line, e.column, e.path]).toEqual(['maxInterfaces', '--max-interfaces', 70, 7, 'hosts.h.interfaces.eth64']);
    expect(e.expected).toBe('at most 64 interfaces on host h (the limit; raise it with --max-interfaces or LabOptions.maxInterfaces)');
    expect(thrown(() => Lab.check(ifaces(3), 'i.yaml', { maxInterfaces: 2 }))).toBeInstanceOf(ScenarioLimitError);
    expect(cli(['check', file('i3.yaml', ifaces(3)), '--max-interfaces', '2']).status).toBe(EXIT_BAD_INPUT);
  });
});

describe('file size', () => {
  it('a lowered limit: the API counts UTF-8 bytes, the CLI refuses from the size (exit 2) and the flag raises it', () => {
    const text = hosts(3);
    const bytes = Buffer.byteLength(text);
    const e = thrown(() => Lab.fromText(text, { maxFileSize: bytes - 1, file: 's.yaml' })) as ScenarioLimitError;
    expect([e.limit, e.flag, e.line, e.column]).toEqual(['maxFileSize', '--max-file-size', 1, 1]);
    expect(Lab.fromText(text, { maxFileSize: bytes }).hostNames()).toHaveLength(3);
    const p = file('s.yaml', text);
    const r = cli(['check', p, '--max-file-size', String(bytes - 1)]);
    expect(r.status).toBe(EXIT_BAD_INPUT);
    expect(r.err).toBe(`lvs-lab: ${p}: the file is ${bytes} bytes: the limit is ${bytes - 1} (raise it with --max-file-size or LabOptions.maxFileSize)\n`);
    expect(cli(['check', p, '--max-file-size', String(bytes)]).status).toBe(EXIT_OK);
    // Every input file of every command goes through the same reader, with the default limit.
    expect(checkCommand(p, { out: () => {}, err: () => {} }, { maxFileSize: 10 })).toBe(EXIT_BAD_INPUT);
  });
});

describe('events per run', () => {
  it('a runaway run stops at the limit with a LimitError; its state stays readable; it does not go on', () => {
    const lab = Lab.fromText(RUNAWAY, { file: 'runaway.yaml', maxEvents: 20_000 });
    const e = thrown(() => lab.run()) as LimitError;
    expect(e).toBeInstanceOf(LimitError);
    expect([e.name, e.limit, e.max, e.flag]).toEqual(['LimitError', 'maxEvents', 20_000, '--max-events']);
    expect(e.message).toMatch(/^runaway\.yaml: the run stopped at \d+ ns of simulated time after 20000 events: the limit is 20000 \(raise it with --max-events or LabOptions\.maxEvents\)$/);
    expect(lab.eventsDispatched).toBe(20_000);
    expect(lab.now()).toBeLessThan(lab.duration);
    expect(lab.events.length).toBeGreaterThan(0);
    expect(lab.summary()).toBeDefined();
    const now = lab.now();
    expect(thrown(() => lab.runUntil(lab.duration))).toBe(e);
    expect(thrown(() => lab.step())).toBe(e);
    expect(lab.stoppedBy).toBe(e);
    expect([lab.now(), lab.eventsDispatched]).toEqual([now, 20_000]);
  });

  it('a run that ends within the limit is not affected, to the event', () => {
    const lab = Lab.fromText(RUNAWAY, { maxEvents: 20_000 });
    lab.runUntil(200_000);
    const n = lab.eventsDispatched;
    expect(n).toBeLessThan(20_000);
    const exact = Lab.fromText(RUNAWAY, { maxEvents: n });
    exact.runUntil(200_000);
    expect(exact.digest()).toBe(lab.digest());
  });

  it('the CLI: exit 2 with the message, --max-events raises it', () => {
    const p = file('runaway.yaml', RUNAWAY);
    let err = '';
    expect(runCommand(p, { limits: { maxEvents: 5000 } }, { out: () => {}, err: (t) => (err += t) })).toBe(EXIT_BAD_INPUT);
    expect(err).toMatch(/the limit is 5000 \(raise it with --max-events or LabOptions\.maxEvents\)\n$/);
    const r = cli(['run', p, '--max-events', '5_000', '--until', '1ms']);
    expect(r.err).toMatch(/after 5000 events/);
    expect(cli(['run', p, '--max-events', '100000000', '--until', '100us']).status).toBe(EXIT_OK);
  });

  it('the replay of an experiment has the limit too', () => {
    const e = parseExperiment(JSON.stringify({ name: 'long', servers: [{ name: 'rs1' }], services: [{ vip: '10.0.0.100', port: 80, sched: 'rr' }], steps: [{ op: 'open', src: '10.1.1.10' }, { op: 'wait', seconds: 3600 }] }), 'long.json');
    const err = thrown(() => replayExperiment(e, { maxEvents: 50 })) as LimitError;
    expect([err.limit, err.max]).toEqual(['maxEvents', 50]);
    expect(err.message).toMatch(/^long: the replay stopped at \d+ ns/);
    expect(replayExperiment(e).at(-1)).toMatchObject({ type: 'end' });
    expect(replayCommand(file('long.json', '{"name": 1'), {}, { out: () => {}, err: () => {} })).toBe(EXIT_BAD_INPUT);
  });
});

describe('trace bytes', () => {
  const SMALL = readFileSync(new URL('../../../scenarios/examples/two-hosts-ping.yaml', import.meta.url), 'utf8');

  it('writeTrace counts the canonical JSON lines exactly, and stops before the line that would pass the limit', () => {
    const lab = Lab.fromText(SMALL);
    lab.run();
    const jsonl = lab.traceJsonl();
    expect(lab.writeTrace(() => {})).toBe(Buffer.byteLength(jsonl));
    expect(jsonl).toBe(lab.events.map((e) => `${canonicalLine(e)}\n`).join(''));
    const lines: string[] = [];
    const max = Buffer.byteLength(jsonl) - 1;
    const e = thrown(() => lab.writeTrace((l) => lines.push(l), max)) as LimitError;
    expect([e.limit, e.max, e.flag]).toEqual(['maxTraceBytes', max, '--max-trace-bytes']);
    expect(lines).toHaveLength(lab.events.length - 1);
    expect(Buffer.byteLength(lines.join(''))).toBeLessThanOrEqual(max);
  });

  it('non-ASCII text in the trace counts its UTF-8 bytes', () => {
    const lab = Lab.fromText('name: t\nduration: 1s\nhosts: { h: {} }\nnarration: [{ at: 0s, text: "caf\u00e9 \u20ac \U0001F600" }]\n');
    lab.run();
    const jsonl = lab.traceJsonl();
    expect(jsonl).toContain('caf\u00e9');
    expect(lab.writeTrace(() => {})).toBe(Buffer.byteLength(jsonl));
    expect(Buffer.byteLength(jsonl)).toBeGreaterThan(jsonl.length);
  });

  it('traceJsonl and digest obey LabOptions.maxTraceBytes', () => {
    const lab = Lab.fromText(SMALL, { maxTraceBytes: 1000 });
    expect(() => lab.run()).toThrow(LimitError);
    expect(() => lab.traceJsonl()).toThrow(LimitError);
    expect(() => lab.digest()).toThrow(/raise it with --max-trace-bytes or LabOptions\.maxTraceBytes/);
  });

  it('a recorded run stops once its trace in memory passes the limit', () => {
    const lab = Lab.fromText(RUNAWAY, { file: 'runaway.yaml', maxTraceBytes: 100_000 });
    const e = thrown(() => lab.run()) as LimitError;
    expect([e.limit, e.max]).toEqual(['maxTraceBytes', 100_000]);
    const events = lab.eventsDispatched;
    expect(thrown(() => lab.run())).toBe(e);
    expect(lab.eventsDispatched).toBe(events);
    expect(e.message).toMatch(/^runaway\.yaml: the run stopped at \d+ ns of simulated time: its trace of \d+ events is \d+ bytes of canonical JSON lines: the limit is 100000/);
    // Checked every 2^12 events: it stops within one chunk of the limit.
    expect(lab.eventsDispatched).toBeLessThanOrEqual(2 ** 13);
    // Unrecorded runs hold no trace to count.
    const quiet = Lab.fromText(RUNAWAY, { maxTraceBytes: 100_000, record: false });
    quiet.runUntil(2_000_000);
    expect(quiet.events).toHaveLength(0);
  });

  it('lvs-lab run --trace streams the file within --max-trace-bytes, and exits 2 past it', () => {
    const p = file('small.yaml', SMALL);
    const out = join(dir, 'small.jsonl');
    expect(cli(['run', p, '--trace', out]).status).toBe(EXIT_OK);
    const size = statSync(out).size;
    const lab = Lab.fromText(SMALL);
    lab.run();
    expect(readFileSync(out, 'utf8')).toBe(lab.traceJsonl());
    const over = cli(['run', p, '--trace', out, '--max-trace-bytes', String(size - 1)]);
    expect(over.status).toBe(EXIT_BAD_INPUT);
    expect(over.err).toMatch(/: the limit is \d+ \(raise it with --max-trace-bytes or LabOptions\.maxTraceBytes\)\n$/);
    expect(cli(['run', p, '--trace', out, '--max-trace-bytes', String(size)]).status).toBe(EXIT_OK);
  });

  it('--help lists every limit flag and its default', () => {
    const help = cli(['run', '--help']).out;
    for (const flag of ['--max-events <n>', '--max-trace-bytes <n>', '--max-hosts <n>', '--max-interfaces <n>', '--max-file-size <n>']) expect(help).toContain(flag);
    expect(help).toContain('events per run 100000000');
    expect(cli(['check', '--help']).out).toContain('--max-hosts <n>');
  });
});
