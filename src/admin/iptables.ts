import { defineCommand, sync, type AdminCommand } from './AdminCommand.ts';
import { applyIptables } from './iptables/applyIptables.ts';
import { parseIptables } from './iptables/parseIptables.ts';

/**
 * `iptables` (iptables-legacy 1.8.9): the filter, nat and mangle tables of the host's netfilter engine, with the
 * real tool's syntax, listings and error messages. Parsing is pure, so `check` finds every syntax error without a
 * host; whether chains and rules exist is decided when it runs.
 */
export const iptablesCommand: AdminCommand = defineCommand('iptables', (args) => {
  const call = parseIptables(args);
  return sync((host) => applyIptables(host, call));
});
