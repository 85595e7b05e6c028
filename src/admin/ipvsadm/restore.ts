import { CommandError, type CommandResult } from '../AdminCommand.ts';
import type { IpvsControl } from '../../ipvs/IpvsControl.ts';
import { applyIpvsadm } from './applyIpvsadm.ts';
import { parseIpvsadm, tryHelp } from './parseIpvsadm.ts';

/**
 * `ipvsadm -R` (restore_table over config_stream_read, ipvsadm 1.31) applied to `text` as if it were stdin:
 * each line is split at spaces, tabs and carriage returns, every word that is exactly `ipvsadm` is dropped,
 * empty lines are skipped, and the rest runs as its own command line. A line that makes ipvsadm exit (a
 * syntax error: exit 2; a line that is not a command, `#` comments included, or a nested `-R`: exit 255;
 * `-h`: exit 0; a listing that fails: exit 1) ends the restore there, earlier lines staying applied; a kernel
 * refusal or a popt error prints its message and the restore goes on. The exit status is that of the last line.
 */
export function restoreIpvsadm(control: IpvsControl, text: string, argv0 = 'ipvsadm'): CommandResult {
  let output = '';
  let failed = false;
  for (const raw of text.split('\n')) {
    const words = raw.split(/[ \t\r]+/).filter((w) => w !== '' && w !== 'ipvsadm');
    if (words.length === 0) continue;
    let r: CommandResult;
    try {
      const outcome = parseIpvsadm(argv0, words);
      if (outcome.kind === 'popt-error') {
        output += outcome.text;
        failed = true;
        continue;
      }
      const line = outcome.line;
      if (line.cmd === 'restore') throw tryHelp(argv0);
      r = applyIpvsadm(control, line);
      if (line.cmd === 'help' || line.cmd === 'version' || r.exit === 1) return { exit: r.exit, output: output + r.output };
    } catch (e) {
      if (e instanceof CommandError) return { exit: e.exit, output: output + e.text };
      throw e;
    }
    output += r.output;
    failed = r.exit !== 0;
  }
  return { exit: failed ? 255 : 0, output };
}
