import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CONFIG_FORMATS, EXPORT_FORMATS, parseDuration, type ConfigFormat, type ExportFormat, type SimTime } from '../lab/index.ts';
import type { CliIo } from './CliIo.ts';
import { checkCommand } from './commands/check.ts';
import { checkExerciseCommand } from './commands/checkExercise.ts';
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
  2   bad input: a scenario error (printed as FILE:LINE:COLUMN: path: expected ...), an unreadable or
      unwritable file, or a bad option
  70  an internal error in lvs-lab`;

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

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
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

  program
    .command('run')
    .description('run a scenario, print a summary and check its expectations')
    .argument('<file>', 'scenario file (YAML)')
    .option('--seed <n>', "random seed (overrides the scenario's seed)", parseSeedOption)
    .option('--until <duration>', "simulated time to run, e.g. 2s or 500ms (overrides the scenario's duration)", parseUntilOption)
    .option('--trace <out.jsonl>', 'write the trace as canonical JSON lines')
    .option('--pcap <dir>', 'write one pcap file per segment: <dir>/<segment>.pcap')
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((file: string, opts: { seed?: number; until?: SimTime; trace?: string; pcap?: string }) => {
      setExit(runCommand(file, opts, io));
    });

  program
    .command('check')
    .description('validate a scenario: build it, apply its time-0 configuration, check every command')
    .argument('<file>', 'scenario file (YAML)')
    .addHelpText('after', EXIT_STATUS_HELP)
    .action((file: string) => {
      setExit(checkCommand(file, io));
    });

  program
    .command('check-exercise')
    .description("run an exercise with an answer applied and say whether the exercise's goal is met")
    .argument('<file>', 'exercise scenario file (YAML, with an exercise: key)')
    .requiredOption('--answer <answer.txt>', 'the answer: lines of HOST: COMMAND, run at time 0 after the scenario\'s own commands')
    .option('--seed <n>', "random seed (overrides the scenario's seed)", parseSeedOption)
    .addHelpText('after', EXIT_STATUS_HELP.replace('an expectation failed', "the exercise's goal is not met").replace('every expectation held', 'the goal is met'))
    .action((file: string, opts: { answer: string; seed?: number }) => {
      setExit(checkExerciseCommand(file, opts, io));
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

  return program;
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
