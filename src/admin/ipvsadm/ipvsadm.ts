import { CommandError, defineCommand, type AdminCommand } from '../AdminCommand.ts';
import type { Host } from '../../net/index.ts';
import type { IpvsControl } from '../../ipvs/IpvsControl.ts';
import { applyIpvsadm } from './applyIpvsadm.ts';
import { DEFAULT_FORMAT, formatListAll } from './formatList.ts';
import { parseIpvsadm } from './parseIpvsadm.ts';

/** The program name in ipvsadm's own messages (`Try \`ipvsadm -h' ...`, the usage lines). */
const ARGV0 = 'ipvsadm';

/**
 * `ipvsadm` 1.31 on a host, over the IPVS instance `resolve` finds for it. Without arguments it lists the
 * table with names (`ipvsadm -L`). Output is byte for byte the real tool's, trailing blanks of its padded
 * columns included. A host without an IPVS instance answers as a kernel without the module does.
 * `-R` reads stdin, which a lab shell does not have: it restores nothing (use restoreIpvsadm for a text).
 */
export function ipvsadmCommand(resolve: (host: Host) => IpvsControl | undefined): AdminCommand {
  return defineCommand('ipvsadm', (args) => {
    let run: (c: IpvsControl) => { exit: number; output: string };
    if (args.length === 0) {
      run = (c) => ({ exit: 0, output: formatListAll(c.info(), c.services(), DEFAULT_FORMAT) });
    } else {
      const outcome = parseIpvsadm(ARGV0, args);
      if (outcome.kind === 'popt-error') throw new CommandError(outcome.text, 255);
      const line = outcome.line;
      run = (c) => applyIpvsadm(c, line);
    }
    return (host, done) => {
      const control = resolve(host);
      if (!control) {
        done({ exit: 2, output: "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n" });
        return;
      }
      done(run(control));
    };
  });
}
