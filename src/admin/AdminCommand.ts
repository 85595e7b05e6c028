import type { Host } from '../net/index.ts';

/** What a command printed (stdout and stderr interleaved, as a terminal shows them) and its exit status. */
export interface CommandResult {
  exit: number;
  /** '\n'-terminated lines; '' when the command printed nothing. */
  output: string;
}

/**
 * One tool a person types on a host (`ip`, `ifconfig`, `ping`, ...), with the real tool's syntax, output layout
 * and error messages.
 */
export interface AdminCommand {
  /** The program name as typed, without a path: 'ip', 'ifconfig', 'route', 'sysctl', 'ping', ... */
  readonly name: string;
  /** Syntax check only (for `lvs-lab check`): undefined when the arguments parse, else the error text the tool prints. */
  check(args: string[]): string | undefined;
  /** Runs on `host`; calls `done` exactly once — synchronously for configuration commands, later in simulated time for ping/arping. */
  run(host: Host, args: string[], done: (r: CommandResult) => void): void;
}

export type CommandTable = ReadonlyMap<string, AdminCommand>;

/**
 * A failure the tool reports before or instead of doing its work: the text it prints and its exit status.
 * Parsers throw it; `defineCommand` turns it into a CommandResult (or into `check`'s answer).
 */
export class CommandError extends Error {
  constructor(
    readonly text: string,
    readonly exit: number,
  ) {
    super(text);
    this.name = 'CommandError';
  }
}

/** Work a parsed command line will do on a host; calls `done` exactly once. */
export type Execution = (host: Host, done: (r: CommandResult) => void) => void;

/**
 * Builds an AdminCommand from a parser: `parse` checks the whole syntax (throwing CommandError with the tool's
 * message) and returns the work to do, so `check` and `run` can never disagree about what parses.
 */
export function defineCommand(name: string, parse: (args: string[]) => Execution): AdminCommand {
  return {
    name,
    check(args) {
      try {
        parse(args);
        return undefined;
      } catch (e) {
        if (e instanceof CommandError) return e.text;
        throw e;
      }
    },
    run(host, args, done) {
      let exec: Execution;
      try {
        exec = parse(args);
      } catch (e) {
        if (e instanceof CommandError) return done({ exit: e.exit, output: e.text });
        throw e;
      }
      exec(host, done);
    },
  };
}

/** An Execution that finishes at once; a CommandError thrown while it runs becomes its result. */
export function sync(fn: (host: Host) => CommandResult): Execution {
  return (host, done) => {
    let r: CommandResult;
    try {
      r = fn(host);
    } catch (e) {
      if (e instanceof CommandError) r = { exit: e.exit, output: e.text };
      else throw e;
    }
    done(r);
  };
}

/**
 * Joins printed lines into command output: each line '\n'-terminated, trailing blanks removed (several tools
 * print a blank after their last field; the lab drops it so expectations can compare lines exactly).
 */
export function text(lines: readonly string[]): string {
  let out = '';
  for (const l of lines) out += l.replace(/[ \t]+$/, '') + '\n';
  return out;
}

export function ok(lines: readonly string[] = []): CommandResult {
  return { exit: 0, output: text(lines) };
}

export function fail(exit: number, ...lines: string[]): CommandError {
  return new CommandError(text(lines), exit);
}
