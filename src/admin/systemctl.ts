import { daemonsOf } from '../apps/daemons/index.ts';
import type { Host } from '../net/index.ts';
import { defineCommand, fail, sync, type AdminCommand, type CommandResult } from './AdminCommand.ts';

/**
 * `systemctl start|stop|restart|status UNIT` for the daemons a scenario installs on a host (keepalived,
 * ldirectord; `.service` may follow the name). Output and exit codes follow systemd's: `status` exits 0 when
 * the unit is active and 3 when it is not; an unknown unit fails with exit 5 ("Unit X.service not found." /
 * "could not be found"). Other verbs are not modelled. The units are the daemons a scenario installs and its
 * services' units (`httpd`, `vsftpd`, `named`: apps/servers/ServiceUnit.ts).
 */
const VERBS = ['start', 'stop', 'restart', 'status', 'is-active'] as const;
type Verb = (typeof VERBS)[number];

export const systemctlCommand: AdminCommand = defineCommand('systemctl', (args) => {
  const words = args.filter((a) => a !== '--no-pager' && a !== '-q' && a !== '--quiet');
  const quiet = args.includes('-q') || args.includes('--quiet');
  const verb = words[0];
  if (verb === undefined) throw fail(1, 'systemctl: a verb (start, stop, restart, status) is needed; listing units is not modelled by lvs-lab');
  if (!(VERBS as readonly string[]).includes(verb)) throw fail(1, `systemctl: verb "${verb}" is not modelled by lvs-lab (start, stop, restart, status, is-active)`);
  if (words.length !== 2) throw fail(1, `systemctl: ${verb} takes one unit name here`);
  return sync((host) => unitVerb(host, verb as Verb, words[1].replace(/\.service$/, ''), quiet));
});

/**
 * `service NAME start|stop|restart|status`: the SysV-style wrapper the seeds type (`service httpd start`,
 * `service ldirectord start`); on a systemd machine it hands over to `systemctl VERB NAME.service`, so it
 * behaves and answers as systemctl does. `service --status-all` and init scripts' other actions are not
 * modelled.
 */
export const serviceCommand: AdminCommand = defineCommand('service', (args) => {
  if (args.length === 0) throw fail(1, 'Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]');
  if (args[0].startsWith('-')) throw fail(1, `service: option "${args[0]}" is not modelled by lvs-lab`);
  const verb = args[1];
  if (verb === undefined) throw fail(1, `service: ${args[0]}: an action (start, stop, restart, status) is needed`);
  if (args.length !== 2) throw fail(1, `service: ${args[0]} ${verb} takes no further arguments here`);
  if (!(['start', 'stop', 'restart', 'status'] as readonly string[]).includes(verb)) throw fail(1, `service: action "${verb}" is not modelled by lvs-lab (start, stop, restart, status)`);
  return sync((host) => unitVerb(host, verb as Verb, args[0], false));
});

function unitVerb(host: Host, verb: Verb, unit: string, quiet: boolean): CommandResult {
  const d = daemonsOf(host).get(unit);
  if (!d) {
    if (verb === 'status') return { exit: 4, output: `Unit ${unit}.service could not be found.\n` };
    if (verb === 'is-active') return { exit: 4, output: quiet ? '' : 'inactive\n' };
    return { exit: 5, output: `Failed to ${verb} ${unit}.service: Unit ${unit}.service not found.\n` };
  }
  switch (verb) {
    case 'start':
      d.start();
      return { exit: 0, output: '' };
    case 'stop':
      d.stop();
      return { exit: 0, output: '' };
    case 'restart':
      d.stop();
      d.start();
      return { exit: 0, output: '' };
    case 'is-active':
      return { exit: d.isRunning ? 0 : 3, output: quiet ? '' : d.isRunning ? 'active\n' : 'inactive\n' };
    case 'status': {
      const state = d.isRunning ? 'active (running)' : 'inactive (dead)';
      return { exit: d.isRunning ? 0 : 3, output: `● ${unit}.service\n     Active: ${state}\n` };
    }
  }
}
