import type { Host } from '../net/index.ts';
import type { AdminCommand, CommandResult, CommandTable } from './AdminCommand.ts';
import { DEFAULT_COMMANDS } from './CommandTable.ts';
import { notModelledPath, procSysKey, procSysNode, writeProcSys } from './procSys.ts';
import { ShellSyntaxError, splitShellWords, type ShellLine } from './shellWords.ts';

/** sh's status for a syntax error, and for a command it cannot find. */
const EXIT_SYNTAX = 2;
const EXIT_NOT_FOUND = 127;

type Parsed =
  | { kind: 'empty' }
  | { kind: 'error'; result: CommandResult }
  | { kind: 'command'; command: AdminCommand; args: string[]; redirect?: { path: string; key: string } };

/**
 * What a person's typing goes through on a host: one line, split like sh (shellWords.ts), the program found in
 * the command table by its name without a path (`/sbin/ipvsadm` → `ipvsadm`), run, and a `command` trace event
 * {run, exit, output} emitted when it finishes (later in simulated time for ping and arping).
 */
export class Shell {
  constructor(private readonly commands: CommandTable = DEFAULT_COMMANDS) {}

  run(host: Host, line: string, done?: (r: CommandResult) => void): void {
    const finish = (r: CommandResult) => {
      const t = host.ctx.tracer;
      if (t.enabled) t.emit({ kind: 'command', host: host.name, run: line, exit: r.exit, output: r.output });
      done?.(r);
    };
    const p = this.parse(line);
    if (p.kind === 'empty') return done?.({ exit: 0, output: '' });
    if (p.kind === 'error') return finish(p.result);
    const { command, args, redirect } = p;
    if (!redirect) return command.run(host, args, finish);

    // The shell opens the file before the program runs (bash: open(O_WRONLY|O_CREAT|O_TRUNC)).
    const node = procSysNode(host, redirect.key);
    if (node !== 'file') {
      return finish({ exit: 1, output: `bash: ${redirect.path}: ${node === 'directory' ? 'Is a directory' : 'No such file or directory'}\n` });
    }
    command.run(host, args, (r) => {
      if (r.exit !== 0 || r.output === '') return finish(r);
      const err = writeProcSys(host, redirect.key, r.output);
      if (!err) return finish({ exit: 0, output: '' });
      const who = command.name === 'echo' ? 'bash: echo' : command.name;
      finish({ exit: 1, output: `${who}: write error: ${err === 'EINVAL' ? 'Invalid argument' : err === 'EISDIR' ? 'Is a directory' : 'No such file or directory'}\n` });
    });
  }

  /** Syntax-only check of a line (no host needed): undefined or the error text the shell or the tool prints. */
  check(line: string): string | undefined {
    const p = this.parse(line);
    if (p.kind === 'empty') return undefined;
    if (p.kind === 'error') return p.result.output;
    return p.command.check(p.args);
  }

  /** The programs this shell knows, in table order. */
  get programs(): string[] {
    return [...this.commands.keys()];
  }

  private parse(line: string): Parsed {
    let sl: ShellLine;
    try {
      sl = splitShellWords(line);
    } catch (e) {
      if (e instanceof ShellSyntaxError) return { kind: 'error', result: { exit: EXIT_SYNTAX, output: `${e.message}\n` } };
      throw e;
    }
    if (sl.words.length === 0) return { kind: 'empty' };
    const typed = sl.words[0];
    const name = typed.includes('/') ? typed.slice(typed.lastIndexOf('/') + 1) : typed;
    const command = this.commands.get(name);
    if (!command) {
      return {
        kind: 'error',
        result: { exit: EXIT_NOT_FOUND, output: `${name}: command not modelled by lvs-lab (supported: ${this.programs.join(', ')})\n` },
      };
    }
    const args = sl.words.slice(1);
    if (!sl.redirect) return { kind: 'command', command, args };
    const key = procSysKey(sl.redirect.path);
    if (key === undefined) return { kind: 'error', result: { exit: 1, output: `${notModelledPath(sl.redirect.path)}\n` } };
    return { kind: 'command', command, args, redirect: { path: sl.redirect.path, key } };
  }
}
