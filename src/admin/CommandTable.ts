import type { AdminCommand, CommandTable } from './AdminCommand.ts';
import { arpCommand } from './arp.ts';
import { arpingCommand } from './arping.ts';
import { ifconfigCommand } from './ifconfig.ts';
import { ipCommand } from './ip/index.ts';
import { iptablesCommand } from './iptables.ts';
import { modprobeCommand, rmmodCommand } from './modprobe.ts';
import { pingCommand } from './ping.ts';
import { catCommand, echoCommand } from './procSys.ts';
import { routeCommand } from './route.ts';
import { sysctlCommand } from './sysctl.ts';

/** Builds a table keyed by program name; later entries replace earlier ones of the same name. */
export function commandTable(...commands: AdminCommand[]): CommandTable {
  return new Map(commands.map((c) => [c.name, c]));
}

/**
 * The programs a lab host has, in the order the "command not modelled" message lists them. Later issues add
 * their tools (ipvsadm) by building a table with `commandTable(...DEFAULT_COMMANDS.values(), ipvsadmCommand)`.
 */
export const DEFAULT_COMMANDS: CommandTable = commandTable(
  ipCommand,
  ifconfigCommand,
  routeCommand,
  arpCommand,
  sysctlCommand,
  echoCommand,
  catCommand,
  modprobeCommand,
  rmmodCommand,
  pingCommand,
  arpingCommand,
  iptablesCommand,
);
