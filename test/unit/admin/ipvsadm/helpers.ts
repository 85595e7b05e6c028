import { ipvsadmCommand } from '../../../../src/admin/ipvsadm/ipvsadm.ts';
import type { CommandResult } from '../../../../src/admin/AdminCommand.ts';
import type { Host } from '../../../../src/net/index.ts';
import type { IpvsControl } from '../../../../src/ipvs/IpvsControl.ts';
import { makeControl } from '../../ipvs/controlFakes.ts';

/** An IpvsControl with a fake data plane and recording schedulers, and `ipvsadm` bound to it. */
export function ipvsadmLab() {
  const f = makeControl();
  const command = ipvsadmCommand(() => f.control);
  const run = (line: string | string[]): CommandResult => runOn(command, Array.isArray(line) ? line : words(line));
  return { ...f, command, run };
}

export function runOn(command: ReturnType<typeof ipvsadmCommand>, args: string[]): CommandResult {
  let out: CommandResult | undefined;
  // ipvsadm does not look at the host; the resolver gives the instance.
  command.run({} as Host, args, (r) => (out = r));
  if (!out) throw new Error('ipvsadm did not finish synchronously');
  return out;
}

/** A command line as the lab's shell would split it (no quoting needed in these tests); a leading `ipvsadm` is dropped. */
export function words(line: string): string[] {
  const w = line.trim().split(/\s+/).filter((x) => x !== '');
  return w[0] === 'ipvsadm' ? w.slice(1) : w;
}

/** Runs setup lines, failing loudly on any refusal. */
export function apply(run: (l: string) => CommandResult, lines: readonly string[]): void {
  for (const l of lines) {
    const r = run(l);
    if (r.exit !== 0) throw new Error(`${l}: exit ${r.exit}: ${r.output}`);
  }
}

export type { IpvsControl };
