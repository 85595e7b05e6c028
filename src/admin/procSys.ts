import type { Host } from '../net/index.ts';
import { CommandError, defineCommand, fail, sync, type AdminCommand } from './AdminCommand.ts';

/**
 * The /proc/sys tree of a host, as `echo V > /proc/sys/...` and `cat /proc/sys/...` see it: one file per
 * sysctl, the same keys `sysctl` uses with `/` for `.` (fs/proc/proc_sysctl.c). Only /proc/sys exists in the
 * lab; any other path is refused by name.
 */
const PROC_SYS = '/proc/sys/';

/** The dotted sysctl key of a /proc/sys path, or undefined when the path is not under /proc/sys/. */
export function procSysKey(path: string): string | undefined {
  if (!path.startsWith(PROC_SYS)) return undefined;
  const rest = path.slice(PROC_SYS.length).replace(/\/+$/, '');
  return rest.split('/').filter((p) => p !== '').join('.');
}

export type ProcSysNode = 'file' | 'directory' | 'missing';

/** Whether a key names a sysctl (a file), a level of the tree (a directory) or nothing. */
export function procSysNode(host: Host, key: string): ProcSysNode {
  if (key === '') return 'directory';
  if (host.sysctls.get(key) !== undefined) return 'file';
  const prefix = key + '.';
  for (const [k] of host.sysctls.list()) if (k.startsWith(prefix)) return 'directory';
  return 'missing';
}

/** Writes text to a /proc/sys file as a shell redirection does; returns the errno the write fails with. */
export function writeProcSys(host: Host, key: string, value: string): 'ENOENT' | 'EISDIR' | 'EINVAL' | undefined {
  const node = procSysNode(host, key);
  if (node === 'missing') return 'ENOENT';
  if (node === 'directory') return 'EISDIR';
  return host.sysctls.set(key, value) ? 'EINVAL' : undefined;
}

export function notModelledPath(path: string): string {
  return `lvs-lab: ${path}: not modelled (only the files under /proc/sys/ exist in the lab)`;
}

/** bash's `echo` builtin: `-n` drops the newline; `-e`/`-E` are accepted (the lab's values need no escapes). */
export const echoCommand: AdminCommand = defineCommand('echo', (args) => {
  let i = 0;
  let newline = true;
  while (i < args.length && /^-[neE]+$/.test(args[i])) {
    if (args[i].includes('n')) newline = false;
    i++;
  }
  const out = args.slice(i).join(' ') + (newline ? '\n' : '');
  return sync(() => ({ exit: 0, output: out }));
});

/** `cat FILE...` for /proc/sys files: each value on its own line, as the kernel formats an integer sysctl. */
export const catCommand: AdminCommand = defineCommand('cat', (args) => {
  const paths = args.filter((a) => a !== '--');
  for (const a of paths) if (a.startsWith('-') && a !== '-') throw fail(1, `cat: option "${a}" is not modelled by lvs-lab`);
  if (paths.length === 0) throw fail(1, 'cat: reading standard input is not modelled by lvs-lab');
  for (const p of paths) if (procSysKey(p) === undefined) throw new CommandError(`${notModelledPath(p)}\n`, 1);
  return sync((host) => {
    let output = '';
    let exit = 0;
    for (const p of paths) {
      const key = procSysKey(p)!;
      const node = procSysNode(host, key);
      if (node === 'file') output += `${host.sysctls.get(key)}\n`;
      else {
        output += `cat: ${p}: ${node === 'directory' ? 'Is a directory' : 'No such file or directory'}\n`;
        exit = 1;
      }
    }
    return { exit, output };
  });
});
