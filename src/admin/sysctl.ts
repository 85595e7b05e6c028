import { defineCommand, fail, sync, type AdminCommand, type CommandResult } from './AdminCommand.ts';
import type { Host } from '../net/index.ts';
import { procSysNode } from './procSys.ts';

/**
 * procps-ng `sysctl` (sysctl/sysctl.c) over the host's sysctl tree: `sysctl KEY`, `sysctl [-w] KEY=VALUE`
 * (procps-ng writes any argument containing `=`, with or without -w), `-n`, `-q`, `-e`, `-N`, `-a`, and
 * `-p [FILE]`. Keys take `.` or `/` as separators. The lab has no file system: `-p` reads files through the
 * `readFile` hook given to makeSysctlCommand (the lab can serve a scenario's sysctl.conf), and without one
 * fails like a host without /etc/sysctl.conf.
 */
export type SysctlFileReader = (host: Host, path: string) => string | undefined;

const USAGE = [
  '',
  'Usage:',
  ' sysctl [options] [variable[=value] ...]',
  '',
  'Options:',
  '  -a, --all            display all variables',
  '  -e, --ignore         ignore unknown variables errors',
  '  -N, --names          print variable names without values',
  '  -n, --values         print only values of the given variable(s)',
  '  -p, --load[=<file>]  read values from file',
  '  -q, --quiet          do not echo variable set',
  '  -w, --write          enable writing a value to variable',
];

interface Flags {
  printName: boolean;
  nameOnly: boolean;
  quiet: boolean;
  ignore: boolean;
}

/** A key as typed → the dotted form procps prints (slashdot). */
function dotted(key: string): string {
  return key.includes('/') ? key.replace(/^\/+/, '').split('/').join('.') : key;
}

function procPath(key: string): string {
  return `/proc/sys/${dotted(key).split('.').join('/')}`;
}

export function makeSysctlCommand(readFile?: SysctlFileReader): AdminCommand {
  return defineCommand('sysctl', (args) => {
    const f: Flags = { printName: true, nameOnly: false, quiet: false, ignore: false };
    let write = false;
    let all = false;
    let load: { file?: string } | undefined;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        rest.push(...args.slice(i + 1));
        break;
      }
      if (a.startsWith('--')) {
        const long: Record<string, string> = { '--all': 'a', '--values': 'n', '--ignore': 'e', '--names': 'N', '--quiet': 'q', '--write': 'w', '--load': 'p' };
        const [name, val] = a.split('=', 2);
        const c = long[name];
        if (!c) throw fail(1, `sysctl: option "${a}" is not modelled by lvs-lab`);
        if (c === 'p') load = { file: val };
        else applyFlag(c);
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const c = a[j];
          if (c === 'p' || c === 'f') {
            // -p takes an optional argument attached to it (-pFILE), as getopt "p::" does.
            load = { file: a.length > j + 1 ? a.slice(j + 1) : undefined };
            break;
          }
          if (!applyFlag(c)) throw fail(1, `sysctl: invalid option -- '${c}'`, ...USAGE);
        }
        continue;
      }
      rest.push(a);
    }
    function applyFlag(c: string): boolean {
      if (c === 'a' || c === 'A' || c === 'X') all = true;
      else if (c === 'n') f.printName = false;
      else if (c === 'e') f.ignore = true;
      else if (c === 'N') f.nameOnly = true;
      else if (c === 'q') f.quiet = true;
      else if (c === 'w') write = true;
      else if (c === 'o' || c === 'x') {
        // "does nothing" in procps-ng
      } else return false;
      return true;
    }
    if (args.length === 0) throw fail(1, ...USAGE);
    if (all) return sync((host) => displayAll(host, f));
    if (load) {
      const files = load.file !== undefined ? [load.file, ...rest] : rest.length > 0 ? rest : ['/etc/sysctl.conf'];
      return sync((host) => preload(host, files, f, readFile));
    }
    if (rest.length === 0) throw fail(1, 'sysctl: no variables specified', "Try `sysctl --help' for more information.");
    if (f.nameOnly && f.quiet) throw fail(1, 'sysctl: options -N and -q cannot coexist', "Try `sysctl --help' for more information.");
    return sync((host) => {
      let out = '';
      let exit = 0;
      for (const a of rest) {
        const r = write || a.includes('=') ? writeArg(host, a, f) : readKey(host, a, f);
        out += r.output;
        if (r.exit !== 0) exit = 1;
      }
      return { exit, output: out };
    });
  });
}

function readKey(host: Host, key: string, f: Flags): CommandResult {
  const name = dotted(key);
  const node = procSysNode(host, name);
  if (node === 'missing') {
    return f.ignore ? { exit: 0, output: '' } : { exit: 1, output: `sysctl: cannot stat ${procPath(key)}: No such file or directory\n` };
  }
  if (node === 'directory') return displayAll(host, f, `${name}.`);
  if (f.nameOnly) return { exit: 0, output: `${name}\n` };
  const v = host.sysctls.get(name);
  return { exit: 0, output: f.printName ? `${name} = ${v}\n` : `${v}\n` };
}

function writeArg(host: Host, arg: string, f: Flags): CommandResult {
  const eq = arg.indexOf('=');
  // parse_setting_line: a write without '=' is a syntax error of the "command line" file.
  if (eq < 0) {
    return arg.trim().length < 2 ? { exit: 1, output: '' } : { exit: 1, output: 'sysctl: command line(0): invalid syntax, continuing...\n' };
  }
  const key = arg.slice(0, eq).trim();
  const value = arg.slice(eq + 1).trim();
  return writeSetting(host, key, value, f);
}

function writeSetting(host: Host, key: string, value: string, f: Flags): CommandResult {
  const name = dotted(key);
  const node = procSysNode(host, name);
  if (node === 'missing') {
    return f.ignore ? { exit: 0, output: '' } : { exit: 1, output: `sysctl: cannot stat ${procPath(key)}: No such file or directory\n` };
  }
  if (node === 'directory') return { exit: 1, output: `sysctl: setting key "${name}": Is a directory\n` };
  if (host.sysctls.set(name, value)) return { exit: 1, output: `sysctl: setting key "${name}": Invalid argument\n` };
  if (f.quiet) return { exit: 0, output: '' };
  if (f.nameOnly) return { exit: 0, output: `${name}\n` };
  return { exit: 0, output: f.printName ? `${name} = ${value}\n` : `${value}\n` };
}

function displayAll(host: Host, f: Flags, prefix = ''): CommandResult {
  let out = '';
  for (const [k, v] of host.sysctls.list()) {
    if (!k.startsWith(prefix)) continue;
    out += f.nameOnly ? `${k}\n` : f.printName ? `${k} = ${v}\n` : `${v}\n`;
  }
  return { exit: 0, output: out };
}

/** Preload: `key = value` lines; `#` and `;` comments; a leading `-` ignores failures for that key. */
function preload(host: Host, files: string[], f: Flags, readFile: SysctlFileReader | undefined): CommandResult {
  let out = '';
  let exit = 0;
  for (const file of files) {
    const content = readFile?.(host, file);
    if (content === undefined) return { exit: 1, output: `${out}sysctl: cannot open "${file}": No such file or directory\n` };
    const lines = content.split('\n');
    for (let n = 0; n < lines.length; n++) {
      let line = lines[n].trim();
      if (line.length < 2 || line.startsWith('#') || line.startsWith(';')) continue;
      const eq = line.indexOf('=');
      if (eq < 0) {
        if (line.startsWith('-')) continue;
        out += `sysctl: ${file}(${n + 1}): invalid syntax, continuing...\n`;
        continue;
      }
      let ignoreFailure = false;
      if (line.startsWith('-')) {
        ignoreFailure = true;
        line = line.slice(1);
      }
      const r = writeSetting(host, line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim(), f);
      out += r.output;
      if (r.exit !== 0 && !ignoreFailure) exit = 1;
    }
  }
  return { exit, output: out };
}

export const sysctlCommand: AdminCommand = makeSysctlCommand();
