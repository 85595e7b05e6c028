import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CONFIG_FORMATS, DEFAULT_LIMITS, EXPORT_FORMATS, LIMIT_FLAGS, parseDuration, type ConfigFormat, type ExportFormat, type LimitName, type ResourceLimits, type SimTime } from '../lab/index.ts';
import type { CliIo } from './CliIo.ts';
import { checkCommand } from './commands/check.ts';
import { checkExerciseCommand } from './commands/checkExercise.ts';
import { natCommand } from './commands/bench/natCommand.ts';
import { fairnessCommand, mergeCommand, publishedCommand, workloadsCommand, type FairnessOptions, type ProgressSink } from './commands/bench/benchCommands.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { replayCommand } from './commands/replay.ts';
import { runCommand } from './commands/run.ts';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK } from './exitCodes.ts';

/**
 * The `lvs-lab` program, the command-line face of the lab: it parses options, reads files and writes outputs;
 * everything it knows about a simulation comes through `src/lab`. Exit status: 0 ok, 1 an expectation failed,
 * 2 bad input (including a bad option), 70 an internal error.
 */

const EXIT_STATUS_HELP = `
Exit status:
  0   the run completed and every expectation held (check: the scenario is valid)
  1   an expectation failed
  2   bad input: a scenario error (printed as FILE:LINE:COLUMN: path: expected ...), an unreadable,
      unwritable or non-UTF-8 file, a bad option, or a resource limit reached
  70  an internal error in lvs-lab`;

const LIMITS_HELP = `
Limits (a scenario or run past one stops with an error naming the limit and its flag; exit 2):
  hosts ${DEFAULT_LIMITS.maxHosts}, interfaces per host ${DEFAULT_LIMITS.maxInterfaces}, file size ${DEFAULT_LIMITS.maxFileSize} bytes (10 MiB),
  events per run ${DEFAULT_LIMITS.maxEvents}, trace ${DEFAULT_LIMITS.maxTraceBytes} bytes (1 GiB) of canonical JSON lines.
  Raise them with the --max-* flags above.`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `--seed`: the file's own rule, a non-negative integer. */
export function parseSeedOption(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a seed: a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}

/** `--until`: a duration as scenario files write them (`250ms`, `1.5s`). */
export function parseUntilOption(text: string): SimTime {
  const r = parseDuration(text);
  if (!r.ok) throw new InvalidArgumentError(`expected ${r.expected}, got ${JSON.stringify(text)}`);
  return r.value;
}

/** `--format` of import. */
export function parseConfigFormat(text: string): ConfigFormat {
  const f = CONFIG_FORMATS.find((x) => x === text);
  if (!f) throw new InvalidArgumentError(`expected one of ${CONFIG_FORMATS.join(', ')}, got ${JSON.stringify(text)}`);
  return f;
}

/** `--format` of export. */
export function parseExportFormat(text: string): ExportFormat {
  const f = EXPORT_FORMATS.find((x) => x === text);
  if (!f) throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(text)}`);
  return f;
}

/** `--jobs`: a non-negative integer (0: run in the main thread). */
export function parseJobsOption(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n > 1024) throw new InvalidArgumentError(`expected a number of worker threads, 0 to 1024, got ${JSON.stringify(text)}`);
  return n;
}

/** `--seconds`: simulated seconds of session starts per run, above 0 and at most 3600. */
export function parseSecondsOption(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= 3600)) throw new InvalidArgumentError(`expected simulated seconds above 0 and at most 3600, got ${JSON.stringify(text)}`);
  return n;
}

/** A limit flag's value: a positive integer (`_` allowed between digits: --max-events 1_000_000_000). */
export function parseLimitOption(text: string): number {
  const n = /^[1-9](_?\d)*$/.test(text) ? Number(text.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

const LIMIT_HELP: Record<LimitName, string> = {
  maxHosts: 'hosts in the scenario',
  maxInterfaces: 'interfaces of one host',
  maxFileSize: 'bytes of an input file',
  maxEvents: 'simulator events of the run',
  maxTraceBytes: 'bytes of the trace as canonical JSON lines',
};

/** Adds the resource-limit flags (docs/scenario-format.md, "Limits") to a command. */
function limitOptions(cmd: Command, names: readonly LimitName[]): Command {
  for (const name of names) cmd.option(`${LIMIT_FLAGS[name]} <n>`, `at most this many ${LIMIT_HELP[name]} (default ${DEFAULT_LIMITS[name]})`, parseLimitOption);
  return cmd;
}

/** The limits given on the command line, as LabOptions fields. */
export function limitsOf(opts: Partial<ResourceLimits>): Partial<ResourceLimits> {
  const out: Partial<ResourceLimits> = {};
  for (const name of Object.keys(LIMIT_FLAGS) as LimitName[]) if (opts[name] !== undefined) out[name] = opts[name];
  return out;
}

const RUN_LIMITS: readonly LimitName[] = ['maxEvents', 'maxTraceBytes', 'maxHosts', 'maxInterfaces', 'maxFileSize'];
const STATIC_LIMITS: readonly LimitName[] = ['maxHosts', 'maxInterfaces', 'maxFileSize'];

/** What the long-running commands need beyond text output: where progress goes, the environment, async work. */
export interface ProgramContext {
  progress: ProgressSink;
  env: Readonly<Record<string, string | undefined>>;
  /** An async command hands its completion here; main awaits it. */
  defer: (work: Promise<number>) => void;
}

export function buildProgram(io: CliIo, setExit: (code: number) => void, ctx?: ProgramContext): Command {
  const program = new Command('lvs-lab');
  // Before any subcommand is added, so they inherit it: commander throws instead of calling process.exit,
  // and main() maps its usage errors to exit status 2.
  program.exitOverride();
  program.configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .description('A deterministic packet-level simulator and teaching lab for Linux Virtual Server (IPVS).')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_STATUS_HELP);

  const run = program
    .command('run')
    .description('run a scenario, print a summary and check its expectations')
    .argument('<file>', 'scenario file (YAML)')
    .option('--seed <n>', "random seed (overrides the scenario's seed)", parseSeedOption)
    .option('--until <duration>', "simulated time to run, e.g. 2s or 500ms (overrides the scenario's duration)", parseUntilOption)
    .option('--trace <out.jsonl>', 'write the trace as canonical JSON lines')
    .option('--pcap <dir>', 'write one pcap file per segment: <dir>/<segment>.pcap');
  limitOptions(run, RUN_LIMITS)
    .addHelpText('after', LIMITS_HELP + EXIT_STATUS_HELP)
    .action((file: string, opts: { seed?: number; until?: SimTime; trace?: string; pcap?: string } & Partial<ResourceLimits>) => {
      setExit(runCommand(file, { ...opts, limits: limitsOf(opts) }, io));
    });

  const check = program
    .command('check')
    .description('validate a scenario: build it, apply its time-0 configuration, check every command')
    .argument('<file>', 'scenario file (YAML)');
  limitOptions(check, STATIC_LIMITS)
    .addHelpText('after', LIMITS_HELP + EXIT_STATUS_HELP)
    .action((file: string, opts: Partial<ResourceLimits>) => {
      setExit(checkCommand(file, io, limitsOf(opts)));
    });

  const checkExercise = program
    .command('check-exercise')
    .description("run an exercise with an answer applied and say whether the exercise's goal is met")
    .argument('<file>', 'exercise scenario file (YAML, with an exercise: key)')
    .requiredOption('--answer <answer.txt>', 'the answer: lines of HOST: COMMAND, run at time 0 after the scenario\'s own commands')
    .option('--seed <n>', "random seed (overrides the scenario's seed)", parseSeedOption);
  limitOptions(checkExercise, RUN_LIMITS.filter((l) => l !== 'maxTraceBytes'))
    .addHelpText('after', LIMITS_HELP + EXIT_STATUS_HELP.replace('an expectation failed', "the exercise's goal is not met").replace('every expectation held', 'the goal is met'))
    .action((file: string, opts: { answer: string; seed?: number } & Partial<ResourceLimits>) => {
      setExit(checkExerciseCommand(file, { ...opts, limits: limitsOf(opts) }, io));
    });

  program
    .command('replay')
    .description('replay an IPVS oracle experiment through the simulation; print its decisions as JSON lines')
    .argument('<experiment>', 'experiment file (JSON, reference/oracle/experiments format)')
    .option('--seed <n>', 'random seed', parseSeedOption)
    .option('--compare <golden.jsonl>', "compare with a real kernel's recording instead of printing; exit 1 on any difference")
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((file: string, opts: { seed?: number; compare?: string }) => {
      setExit(replayCommand(file, opts, io));
    });

  program
    .command('import')
    .description('turn a real configuration (ipvsadm script, ipvsadm -S output, keepalived.conf, ldirectord.cf) into a runnable scenario')
    .argument('<file>', 'configuration file')
    .option('--format <format>', 'ipvsadm, ipvsadm-save, keepalived or ldirectord (default: guessed from the content)', parseConfigFormat)
    .option('--haresources <file>', "ldirectord: heartbeat's haresources, for the VIP's prefix and interface")
    .option('--topology <scenario.yaml>', 'use this scenario instead of the generated topology; its director host gets the commands')
    .option('--director <host>', 'with --topology: the director host (default: director)')
    .option('--out <scenario.yaml>', 'where to write the scenario (default: stdout)')
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((file: string, opts: { format?: ConfigFormat; haresources?: string; topology?: string; director?: string; out?: string }) => {
      setExit(importCommand(file, opts, io));
    });

  program
    .command('export')
    .description("write a scenario's director (its IPVS table after the time-0 commands) as a configuration file")
    .argument('<file>', 'scenario file (YAML)')
    .requiredOption('--format <format>', 'keepalived or ipvsadm-save', parseExportFormat)
    .option('--host <name>', 'the director (default: the only host with IPVS services)')
    .option('--out <file>', 'where to write it (default: stdout)')
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((file: string, opts: { format: ExportFormat; host?: string; out?: string }) => {
      setExit(exportCommand(file, opts, io));
    });

  const bench = program.command('bench').description('scheduler fairness sweeps over a workload library, and published-result checks');
  bench
    .command('fairness')
    .description('run schedulers x workloads x seeds through the full simulation; write runs.csv, runs.json, summary.csv, summary.md, SVG plots and report.html to --out')
    .requiredOption('--schedulers <list>', 'comma-separated IPVS schedulers (rr,wrr,...), or all')
    .requiredOption('--workload <list>', 'comma-separated workload names (lvs-lab bench workloads), or all')
    .option('--seeds <list>', 'seeds: 1-30, 1,2,5 or a mix', '1-30')
    .requiredOption('--out <dir>', 'directory for the results (created if needed)')
    .option('--shard <I/N>', 'run slice I of N (0 <= I < N); default: JOB_COMPLETION_INDEX / JOB_COMPLETIONS from a Kubernetes Indexed Job, else everything')
    .option('--jobs <n>', 'worker threads (default: all cores; 0: in the main thread)', parseJobsOption)
    .option('--seconds <s>', 'simulated seconds during which sessions start, per run (default 10)', parseSecondsOption)
    .option('--workload-file <yaml>', 'more workload definitions (YAML), added to the library')
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((opts: FairnessOptions) => {
      if (!ctx) throw new Error('bench fairness needs the program context');
      ctx.defer(fairnessCommand(opts, io, ctx.progress, ctx.env));
    });
  bench
    .command('merge')
    .description('join the result directories of the slices of one sweep into the complete results')
    .argument('<dirs...>', 'result directories (each with a runs.json)')
    .requiredOption('--out <dir>', 'directory for the merged results')
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((dirs: string[], opts: { out: string }) => {
      setExit(mergeCommand(dirs, opts, io));
    });
  bench
    .command('workloads')
    .description('list the workload library')
    .option('--file <yaml>', 'also list (and check) the definitions in this file')
    .action((opts: { file?: string }) => {
      setExit(workloadsCommand(opts, io));
    });
  const positiveInt = (max: number) => (text: string) => {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`expected an integer from 1 to ${max}, got ${JSON.stringify(text)}`);
    return n;
  };
  bench
    .command('nat')
    .description("the simulator's own speed on the ns-3 peer's LVS-NAT workload (../shared/peers/ns3): prints one JSON line")
    .option('--clients <n>', 'closed-loop clients', positiveInt(65_536), 10)
    .option('--servers <n>', 'real servers', positiveInt(60_000), 3)
    .option('--seconds <s>', 'simulated seconds', parseSecondsOption, 10)
    .option('--seed <n>', 'random seed', parseSeedOption, 1)
    .option('--think <s>', 'mean exponential think time in seconds', parseSecondsOption, 0.1)
    .action((opts: { clients: number; servers: number; seconds: number; seed: number; think: number }) => {
      setExit(natCommand(opts, io, () => (ctx ? ctx.progress.now() : 0)));
    });
  bench
    .command('published')
    .description("check lvs-lab's mh against Maglev's table-fill and removal results and twos against the supermarket model")
    .option('--json', 'one JSON line per check')
    .option('--quick', 'smaller supermarket runs (a smoke test; less accurate)')
    .action((opts: { json?: boolean; quick?: boolean }) => {
      setExit(publishedCommand(opts, io));
    });

  return program;
}

/** Like main, for commands that finish asynchronously (bench fairness): resolves to the exit status. */
export async function mainAsync(argv: readonly string[], io: CliIo, progress: ProgressSink, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let status = EXIT_OK;
  let pending: Promise<number> | undefined;
  const program = buildProgram(io, (code) => (status = code), { progress, env, defer: (p) => (pending = p) });
  try {
    program.parse([...argv], { from: 'user' });
    return pending !== undefined ? await pending : status;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    io.err(`lvs-lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_INTERNAL;
  }
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit status. */
export function main(argv: readonly string[], io: CliIo): number {
  let status = EXIT_OK;
  const program = buildProgram(io, (code) => (status = code));
  try {
    program.parse([...argv], { from: 'user' });
    return status;
  } catch (err) {
    // --help and --version end by "failing" with exit code 0; usage errors were already printed by commander.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    io.err(`lvs-lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_INTERNAL;
  }
}
