import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Shell, type CommandResult } from '../../src/admin/index.ts';
import { parseHaCf, parseHaresources, parseIpvsadmSave, parseIpvsadmScript, parseKeepalivedConf, parseLdirectordCf, type Diagnostic, type ImportResult } from '../../src/admin/importers/index.ts';
import { importConfig, Lab, parseExperiment, replayExperiment, ScenarioError } from '../../src/lab/index.ts';
import { LimitError } from '../../src/scenario/limits.ts';
import { LAB_COMMANDS } from '../../src/scenario/labCommands.ts';
import { corpus } from './corpus.ts';
import { commandLine, experimentJson, ipvsadmSave, ipvsadmScript, keepalivedConf, ldirectordCf, scenarioYaml } from './grammars.ts';
import { applyMutation, mutated, mutation } from './mutate.ts';

/**
 * What the fuzzer feeds and what it accepts back. A target's `run` returns normally for an input that ended in
 * success or in the project's structured error; anything it lets escape (a TypeError, a RangeError, a stack
 * overflow, a PropertyViolation for a malformed structured answer) is a failure.
 */
export interface Target<T> {
  readonly name: string;
  readonly input: fc.Arbitrary<T>;
  run(input: T): void;
  /** Inputs sharing state (the shell's lab) are run in batches from a fresh state; 1 = independent inputs. */
  readonly batch?: number;
  /** Called at the start of each batch. */
  reset?(): void;
  /** The input as a string to print with a failure. */
  show(input: T): string;
}

/** A structured answer that breaks its own contract (a diagnostic at line 0, a failing command with no message). */
export class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new PropertyViolation(what);
}

/** A ScenarioError must name the file, a line and column inside the text, and expected; its message is one line. */
function checkScenarioError(e: ScenarioError, text: string, file: string): void {
  const lines = text.split('\n').length;
  check(e.file === file, `ScenarioError names ${e.file}, not ${file}`);
  check(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines + 1, `ScenarioError line ${e.line} outside 1..${lines + 1}`);
  check(Number.isInteger(e.column) && e.column >= 1, `ScenarioError column ${e.column}`);
  check(e.expected !== '', 'ScenarioError without expected');
  check(!/[\r\n]/.test(e.message), 'ScenarioError message spans lines');
  check(e.message.startsWith(`${file}:${e.line}:${e.column}: `), 'ScenarioError message does not start with FILE:LINE:COLUMN');
}

/** Runs `fn`; a ScenarioError (checked against the text) or a LimitError is a structured end, anything else escapes. */
function structured(text: string, file: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return checkScenarioError(e, text, file);
    if (e instanceof LimitError) return check(e.message.includes(e.flag), 'LimitError without its flag');
    throw e;
  }
}

function checkDiagnostics(r: ImportResult<unknown>, text: string): void {
  const n = text.split('\n').length;
  for (const d of r.diagnostics) checkDiagnostic(d, n);
  if (r.diagnostics.some((d) => d.severity === 'error')) check(r.model === undefined, 'a model despite an error');
}

function checkDiagnostic(d: Diagnostic, lines: number): void {
  check(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines, `diagnostic line ${d.line} outside 1..${lines}`);
  check(d.column === undefined || (Number.isInteger(d.column) && d.column >= 1), `diagnostic column ${d.column}`);
  check(typeof d.message === 'string' && d.message !== '' && d.code !== '', 'diagnostic without message or code');
}

function checkResult(r: CommandResult, line: string): void {
  check(Number.isInteger(r.exit) && r.exit >= 0 && r.exit <= 255, `exit ${r.exit} for ${line}`);
  check(typeof r.output === 'string', `output not a string for ${line}`);
  check(r.output === '' || r.output.endsWith('\n'), `output not newline-terminated for ${line}`);
  check(!/\bat .*\.ts:\d+/.test(r.output) && !/TypeError|RangeError|undefined is not|Cannot read prop/.test(r.output), `a stack trace or JS error in the output of ${line}`);
}

const oneOf = <T>(...arbs: fc.Arbitrary<T>[]) => fc.oneof(...arbs);

// ---------------------------------------------------------------- scenario loader
const FILE = 'fuzz.yaml';
const scenarioInput = (): fc.Arbitrary<string> => oneOf(mutated(corpus().scenarios), scenarioYaml, scenarioYaml.chain((t) => fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce(applyMutation, t))));

export const scenarioTarget: Target<string> = {
  name: 'scenario',
  get input() {
    return scenarioInput();
  },
  run(text) {
    structured(text, FILE, () => Lab.check(text, FILE));
  },
  show: (t) => t,
};

/** Builds and runs a bounded slice of the scenario: the run may end in a LimitError, never in a crash. */
export const scenarioRunTarget: Target<string> = {
  name: 'scenario-run',
  get input() {
    return scenarioInput();
  },
  run(text) {
    structured(text, FILE, () => {
      const lab = Lab.fromText(text, { file: FILE, maxEvents: 20_000 });
      lab.run(Math.min(lab.duration, 2_000_000_000));
      lab.expectations();
      lab.summary();
      lab.narration();
    });
  },
  show: (t) => t,
};

// ---------------------------------------------------------------- shell
const SHELL_WORLD = readFileSync(new URL('../../scenarios/lessons/nat-basic.yaml', import.meta.url), 'utf8');
const SHELL_HOSTS = ['client', 'director', 'rs1', 'rs2', 'nohost'];
const checker = new Shell(LAB_COMMANDS);
let shellLab: Lab | undefined;

interface ShellInput {
  host: string;
  lines: string[];
}

const shellLine = (): fc.Arbitrary<string> =>
  oneOf(commandLine, fc.constantFrom(...corpus().commandLines), fc.tuple(fc.constantFrom(...corpus().commandLines), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([l, ms]) => ms.reduce(applyMutation, l).split('\n')[0]));

export const shellTarget: Target<ShellInput> = {
  name: 'shell',
  batch: 32,
  get input() {
    return fc.record({ host: fc.constantFrom(...SHELL_HOSTS), lines: fc.array(shellLine(), { minLength: 1, maxLength: 3 }) });
  },
  reset() {
    shellLab = Lab.fromText(SHELL_WORLD, { file: 'nat-basic.yaml', maxEvents: 1_000_000, record: false });
  },
  run({ host, lines }) {
    const lab = shellLab ?? (this.reset!(), shellLab!);
    for (const line of lines) {
      const err = checker.check(line);
      check(err === undefined || (typeof err === 'string' && err !== ''), `check gave an empty error for ${line}`);
      let calls = 0;
      lab.runCommand(host, line, (r) => {
        calls++;
        checkResult(r, line);
      });
      // ping and arping finish later in simulated time: run a little, within the lab's event limit.
      try {
        lab.runUntil(lab.now() + 3_000_000_000);
      } catch (e) {
        if (!(e instanceof LimitError)) throw e;
        shellLab = undefined;
        return;
      }
      check(calls <= 1, `done called ${calls} times for ${line}`);
      if (err !== undefined && host !== 'nohost') check(calls === 1, `a line that fails its check did not finish at once: ${line}`);
    }
  },
  show: (i) => `${i.host}: ${i.lines.join('\n')}`,
};

// ---------------------------------------------------------------- importers
type Format = 'keepalived' | 'ldirectord' | 'ipvsadm' | 'ipvsadm-save';
interface ImportInput {
  format: Format | undefined;
  text: string;
  haresources?: string;
}

const importText = (): fc.Arbitrary<{ format: Format; text: string }> => {
  const c = corpus();
  return oneOf(
    oneOf(keepalivedConf, mutated(c.keepalived)).map((text) => ({ format: 'keepalived' as Format, text })),
    oneOf(ldirectordCf, mutated(c.ldirectord)).map((text) => ({ format: 'ldirectord' as Format, text })),
    oneOf(ipvsadmScript, mutated(c.scripts)).map((text) => ({ format: 'ipvsadm' as Format, text })),
    oneOf(ipvsadmSave, mutated(c.saves)).map((text) => ({ format: 'ipvsadm-save' as Format, text })),
  );
};

export const importTarget: Target<ImportInput> = {
  name: 'import',
  get input() {
    return fc.tuple(importText(), fc.boolean(), fc.option(mutated([...corpus().haresources, ...corpus().haCf], 3), { nil: undefined })).map(([{ format, text }, guess, haresources]) => ({ format: guess ? undefined : format, text, ...(haresources !== undefined ? { haresources } : {}) }));
  },
  run({ format, text, haresources }) {
    const file = 'fuzz.conf';
    const parsers = { keepalived: parseKeepalivedConf, ldirectord: parseLdirectordCf, ipvsadm: parseIpvsadmScript, 'ipvsadm-save': parseIpvsadmSave };
    for (const parse of format ? [parsers[format]] : Object.values(parsers)) checkDiagnostics(parse(text, file), text);
    if (haresources !== undefined) {
      checkDiagnostics(parseHaresources(haresources, 'haresources'), haresources);
      checkDiagnostics(parseHaCf(haresources, 'ha.cf'), haresources);
    }
    const r = importConfig(text, { file, ...(format ? { format } : {}), ...(haresources !== undefined ? { haresources: { text: haresources, file: 'haresources' } } : {}) });
    check(r.scenarioYaml !== undefined || r.diagnostics.some((d) => d.severity === 'error'), 'import gave neither a scenario nor an error');
    for (const d of r.diagnostics) check(d.message !== '' && d.line >= 1, 'import diagnostic without message or line');
    if (r.scenarioYaml !== undefined) {
      try {
        Lab.check(r.scenarioYaml, 'imported.yaml');
      } catch (e) {
        throw new PropertyViolation(`the imported scenario does not pass check: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  },
  show: (i) => `# format: ${i.format ?? '(guessed)'}\n${i.text}${i.haresources !== undefined ? `\n# haresources:\n${i.haresources}` : ''}`,
};

// ---------------------------------------------------------------- replay
export const replayTarget: Target<string> = {
  name: 'replay',
  get input() {
    return oneOf(mutated(corpus().experiments, 4), experimentJson);
  },
  run(text) {
    const file = 'fuzz.json';
    structured(text, file, () => {
      const e = parseExperiment(text, file);
      replayExperiment(e, { maxEvents: 2_000_000, file });
    });
  },
  show: (t) => t,
};

export const TARGETS: readonly Target<never>[] = [scenarioTarget, scenarioRunTarget, shellTarget, importTarget, replayTarget] as unknown as Target<never>[];

export function targetNamed(name: string): Target<unknown> | undefined {
  return (TARGETS as readonly Target<unknown>[]).find((t) => t.name === name);
}
