/**
 * What a person types on a host: the shell, the command table and the tools, with the real tools' syntax,
 * output layouts and error messages. Scenario and lab code use Shell; tests and later issues use the table.
 */
export { CommandError, defineCommand, sync, ok, fail, text, type AdminCommand, type CommandResult, type CommandTable, type Execution } from './AdminCommand.ts';
export { Shell } from './Shell.ts';
export { DEFAULT_COMMANDS, commandTable } from './CommandTable.ts';
export { splitShellWords, ShellSyntaxError, type ShellLine } from './shellWords.ts';
export { ipCommand } from './ip/index.ts';
export { ifconfigCommand } from './ifconfig.ts';
export { routeCommand } from './route.ts';
export { arpCommand } from './arp.ts';
export { sysctlCommand, makeSysctlCommand, type SysctlFileReader } from './sysctl.ts';
export { echoCommand, catCommand, procSysKey } from './procSys.ts';
export { modprobeCommand, rmmodCommand } from './modprobe.ts';
export { pingCommand } from './ping.ts';
export { arpingCommand } from './arping.ts';
export { iptablesCommand } from './iptables.ts';
