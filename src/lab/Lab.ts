import type { CommandResult } from '../admin/index.ts';
import { ipvsOf } from '../ipvs/index.ts';
import { buildScenario, evaluateExpectations, loadScenario, type BuiltScenario, type ExpectationResult, type ScenarioSpec } from '../scenario/index.ts';
import { parseAnswer, type AnswerOutcome } from '../scenario/exercise.ts';
import { parseMarkup, type MarkupNode } from '../scenario/markup.ts';
import type { SimTime } from '../sim/index.ts';
import { CallbackSink, canonicalLine, sha256Hex, type TraceEvent } from '../trace/index.ts';
import { LimitError, resolveLimits, utf8Length, type ResourceLimits } from '../scenario/limits.ts';
import type { Frame } from '../wire/index.ts';
import { LabQueries } from './queries.ts';
import { summarize, type RunSummary } from './summary.ts';
import { LAB_COMMANDS } from '../scenario/labCommands.ts';

export interface LabOptions extends Partial<ResourceLimits> {
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** Replication number: selects independent random streams for the same seed. */
  run?: number;
  /** File name used in error messages. */
  file?: string;
  /**
   * Keep every trace event in memory (default true). With false the lab's memory sink is detached once the
   * scenario is built, so a run with no other listener builds no trace events at all (the tracer's fast path):
   * `events` stays empty (so do `summary()` and count expectations), while `onEvent` listeners and `onFrame`
   * taps still see everything. For benchmarks and long sweeps.
   */
  record?: boolean;
  /**
   * An exercise answer (`HOST: COMMAND` lines) and the file it came from: its commands run at time 0 after the
   * scenario's own. A malformed line or an unknown host is a ScenarioError naming that file.
   */
  answer?: { text: string; file: string };
  // Resource limits (src/scenario/limits.ts, docs/scenario-format.md "Limits"): maxHosts, maxInterfaces and
  // maxFileSize are checked when the text is loaded (a ScenarioLimitError), maxEvents and maxTraceBytes while
  // it runs and when its trace is written (a LimitError).
}

/** A line that needs counting character by character; most trace lines are ASCII, whose bytes are its length. */
const NON_ASCII = /[^\x00-\x7f]/;

/** Events run between two checks of the limits. */
const RUN_CHUNK = 1 << 12;
/** Recorded events from which the in-memory trace is counted against maxTraceBytes (see checkRecordedTrace). */
const TRACE_COUNT_FROM = 1 << 20;

/** V8's longest string is 2^29 - 24 UTF-16 units; a trace string is kept well inside it. */
const MAX_STRING_BYTES = 2 ** 29 - 24;

/** A narration step as shown during the run: when, which, its text and its markup tree. */
export interface NarrationShown {
  t: SimTime;
  step: number;
  text: string;
  markup: MarkupNode[];
}

/**
 * The one public handle on a simulation, used by the CLI, the browser and the tests alike: load a scenario
 * text, step or run it, read its trace, run commands on its hosts, check its expectations.
 */
export class Lab {
  readonly spec: ScenarioSpec;
  private readonly built: BuiltScenario;
  private queryView: LabQueries | undefined;
  /** The limits this lab was built with. */
  readonly limits: ResourceLimits;
  /** How many recorded events checkRecordedTrace has counted, and their bytes. */
  private counted = 0;
  private recordedBytes = 0;
  /** Set when the run reached a limit: every later run call throws it. */
  private stopped: LimitError | undefined;

  private constructor(spec: ScenarioSpec, built: BuiltScenario, limits: ResourceLimits) {
    this.spec = spec;
    this.built = built;
    this.limits = limits;
  }

  /** Parses and builds a scenario; throws ScenarioError for bad input. */
  static fromText(text: string, opts: LabOptions = {}): Lab {
    const limits = resolveLimits(opts);
    const spec = loadScenario(text, opts.file ?? 'scenario.yaml', limits);
    const answer = opts.answer !== undefined ? parseAnswer(opts.answer.text, opts.answer.file, spec) : undefined;
    const built = buildScenario(spec, { seed: opts.seed, run: opts.run, answer });
    if (opts.record === false) {
      // The builder attaches the memory sink before configuring (time-0 commands trace): detach it and forget
      // what the configuration traced, so `events` is empty rather than a misleading prefix.
      built.world.tracer.detach(built.world.memory);
      built.world.memory.events.length = 0;
    }
    return new Lab(spec, built, limits);
  }

  /** `lvs-lab check`: loads, builds and runs the time-0 configuration commands only. Throws ScenarioError. */
  static check(text: string, file = 'scenario.yaml', limits: Partial<ResourceLimits> = {}): ScenarioSpec {
    const spec = loadScenario(text, file, resolveLimits(limits));
    buildScenario(spec, { checkOnly: true });
    return spec;
  }

  get name(): string {
    return this.spec.name;
  }

  get duration(): SimTime {
    return this.spec.duration;
  }

  get seed(): number {
    return this.built.world.streams.seed;
  }

  now(): SimTime {
    return this.built.world.sim.now();
  }

  /** Simulator events run so far (every timer, frame and callback): the engine's measure of work. */
  get eventsDispatched(): number {
    return this.built.world.sim.eventsDispatched;
  }

  /** Events scheduled and neither run nor cancelled (timers, frames on the wire, callbacks). */
  get pendingEvents(): number {
    return this.built.world.sim.pending;
  }

  /**
   * Entries of the event queue: the pending events plus cancelled ones it has not yet discarded (it deletes
   * lazily, when they reach the front), so what the queue holds in memory.
   */
  get queuedEvents(): number {
    return this.built.world.sim.queued;
  }

  /** Time of the next pending event, if any. */
  nextEventTime(): SimTime | undefined {
    return this.built.world.sim.peek();
  }

  /** Runs one event; false when none is pending. Throws LimitError once the run has used maxEvents. */
  step(): boolean {
    const sim = this.built.world.sim;
    if (this.stopped) throw this.stopped;
    if (sim.eventsDispatched >= this.limits.maxEvents && sim.peek() !== undefined) throw this.stop(this.eventLimit());
    const ran = sim.step();
    if ((sim.eventsDispatched & (RUN_CHUNK - 1)) === 0) this.checkRecordedTrace();
    return ran;
  }

  /**
   * Runs every event up to `t`. A runaway run stops cleanly with a LimitError at maxEvents, or once the trace
   * recorded in memory passes maxTraceBytes: the clock stays at the last event run, the trace so far can be
   * read, and every later call throws the same error. (The limits are checked every RUN_CHUNK events.)
   */
  runUntil(t: SimTime): void {
    const sim = this.built.world.sim;
    if (this.stopped) throw this.stopped;
    const until = Math.max(t, this.now());
    for (;;) {
      const left = this.limits.maxEvents - sim.eventsDispatched;
      const reached = sim.runUntil(until, Math.max(0, Math.min(RUN_CHUNK, left)));
      this.checkRecordedTrace();
      if (reached) return;
      if (left <= RUN_CHUNK) throw this.stop(this.eventLimit());
    }
  }

  /** The limit this run stopped at, if it did: it cannot go on. */
  get stoppedBy(): LimitError | undefined {
    return this.stopped;
  }

  private stop(e: LimitError): LimitError {
    this.stopped = e;
    return e;
  }

  /**
   * The in-memory trace against maxTraceBytes, counted exactly (canonical JSON lines, UTF-8) but only once it is
   * long enough to matter — from 2^20 events, or earlier for a lowered limit — so ordinary runs pay nothing.
   */
  private checkRecordedTrace(): void {
    const events = this.built.world.memory.events;
    if (events.length < Math.min(TRACE_COUNT_FROM, Math.ceil(this.limits.maxTraceBytes / 1024))) return;
    // A run recorded without memory (record: false) or reset: nothing to count.
    if (this.counted > events.length) this.counted = this.recordedBytes = 0;
    for (; this.counted < events.length; this.counted++) {
      const line = canonicalLine(events[this.counted]);
      this.recordedBytes += (NON_ASCII.test(line) ? utf8Length(line) : line.length) + 1;
    }
    if (this.recordedBytes > this.limits.maxTraceBytes) {
      throw this.stop(new LimitError('maxTraceBytes', this.limits.maxTraceBytes, `${this.spec.file}: the run stopped at ${this.now()} ns of simulated time: its trace of ${events.length} events is ${this.recordedBytes} bytes of canonical JSON lines`));
    }
  }

  private eventLimit(): LimitError {
    return new LimitError('maxEvents', this.limits.maxEvents, `${this.spec.file}: the run stopped at ${this.now()} ns of simulated time after ${this.eventsDispatched} events`);
  }

  /** Runs to the scenario's duration (or `until`). */
  run(until: SimTime = this.spec.duration): void {
    this.runUntil(until);
  }

  get events(): readonly TraceEvent[] {
    return this.built.world.memory.events;
  }

  /**
   * Subscribes to events as they happen; returns the unsubscribe function. With `kinds`, only events of those
   * kinds arrive, and when no other listener reads `tx`, `rx` or `route` the model skips building them: an
   * untraced run (`record: false`) that listens to a few kinds runs at nearly the untraced speed.
   */
  onEvent(fn: (e: TraceEvent) => void, kinds?: Iterable<TraceEvent['kind']>): () => void {
    const sink = new CallbackSink(fn, kinds === undefined ? undefined : new Set(kinds));
    this.built.world.tracer.attach(sink);
    return () => this.built.world.tracer.detach(sink);
  }

  /** Every frame as an interface starts sending it, with its segment: for pcap capture. */
  onFrame(fn: (segment: string, time: SimTime, frame: Frame) => void): void {
    this.built.world.taps.push(fn);
  }

  segmentNames(): string[] {
    return [...this.built.world.segments.keys()];
  }

  hostNames(): string[] {
    return [...this.built.world.hosts.keys()];
  }

  /** Runs a command on a host as a student would type it; `done` gets the tool's output. */
  runCommand(host: string, line: string, done?: (r: CommandResult) => void): void {
    const h = this.built.world.hosts.get(host);
    if (!h) {
      done?.({ exit: 1, output: `lvs-lab: no host named ${host}\n` });
      return;
    }
    this.built.shell.run(h, line, done);
  }

  /** The programs a host's shell knows, in table order (a console completes command names from them). */
  programs(): string[] {
    return this.built.shell.programs;
  }

  /**
   * Read-only snapshots for the faces' panels: listing commands' output and structured tables, with no trace
   * event and no state change (src/lab/queries.ts), so looking never changes the run.
   */
  get queries(): LabQueries {
    this.queryView ??= new LabQueries(this.built.world, LAB_COMMANDS);
    return this.queryView;
  }

  /** Every expectation of `expect:` and, for an exercise, of its goal (marked `goal`). */
  expectations(): ExpectationResult[] {
    return evaluateExpectations(this.spec, this.events, this.built.probes);
  }

  /** The answer's commands (LabOptions.answer) and what each did so far. */
  answerOutcomes(): readonly AnswerOutcome[] {
    return this.built.answer;
  }

  /** The narration steps shown so far, in order, with their markup parsed (read from the trace). */
  narration(): NarrationShown[] {
    const out: NarrationShown[] = [];
    for (const e of this.events) if (e.kind === 'narration') out.push({ t: e.t, step: e.step, text: e.text, markup: parseMarkup(e.text) });
    return out;
  }

  summary(): RunSummary {
    return summarize(this.events, this.hostNames());
  }

  /**
   * A host's IPVS counters as `/proc/net/ip_vs_stats` would count them now (live, not the 2 s snapshot) and its
   * CPU's work: for readers that run without a trace (benchmarks, long sweeps).
   */
  ipvsCounters(host: string): { conns: number; inPkts: number; outPkts: number; inBytes: number; outBytes: number; cpuProcessed: number; cpuRefused: number } | undefined {
    const h = this.built.world.hosts.get(host);
    if (!h) return undefined;
    const ipvs = ipvsOf(h);
    const s = ipvs.totals;
    return { conns: s.conns, inPkts: s.inPkts, outPkts: s.outPkts, inBytes: s.inBytes, outBytes: s.outBytes, cpuProcessed: ipvs.cpu.processed, cpuRefused: ipvs.cpu.refused };
  }

  /**
   * The trace as canonical JSON lines. Throws LimitError when it would pass maxTraceBytes (or the longest string
   * a JavaScript engine can hold; `writeTrace` streams a trace of any size within the limit).
   */
  traceJsonl(): string {
    const max = Math.min(this.limits.maxTraceBytes, MAX_STRING_BYTES);
    let out = '';
    this.writeTrace((line) => (out += line), max);
    return out;
  }

  /**
   * Hands the trace to `write` as canonical JSON lines (each ending in a newline), counting their UTF-8 bytes
   * exactly; throws LimitError before the line that would pass maxTraceBytes. Returns the bytes written.
   */
  writeTrace(write: (line: string) => void, max: number = this.limits.maxTraceBytes): number {
    let bytes = 0;
    for (const e of this.events) {
      const line = canonicalLine(e) + '\n';
      bytes += NON_ASCII.test(line) ? utf8Length(line) : line.length;
      if (bytes > max) throw this.traceLimit(max);
      write(line);
    }
    return bytes;
  }

  /** SHA-256 of the canonical JSONL trace (the golden tests' digest). */
  digest(): string {
    return sha256Hex(this.traceJsonl());
  }

  private traceLimit(max: number): LimitError {
    const what = `${this.spec.file}: the trace of ${this.events.length} events is longer than ${max} bytes of canonical JSON lines`;
    return max < this.limits.maxTraceBytes
      ? new LimitError('maxTraceBytes', max, `${what}, the most one string can hold: write it with writeTrace (the CLI's --trace does)`)
      : new LimitError('maxTraceBytes', max, what);
  }
}
