import { daemonsOf } from '../apps/daemons/index.ts';
import { defineCommand, fail, sync, type AdminCommand } from './AdminCommand.ts';

/**
 * `systemctl start|stop|restart|status UNIT` for the daemons a scenario installs on a host (keepalived,
 * ldirectord; `.service` may follow the name). Output and exit codes follow systemd's: `status` exits 0 when
 * the unit is active and 3 when it is not; an unknown unit fails with exit 5 ("Unit X.service not found." /
 * "could not be found"). Other verbs are not modelled.
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
  const unit = words[1].replace(/\.service$/, '');
  return sync((host) => {
    const d = daemonsOf(host).get(unit);
    if (!d) {
      if (verb === 'status') return { exit: 4, output: `Unit ${unit}.service could not be found.\n` };
      if (verb === 'is-active') return { exit: 4, output: quiet ? '' : 'inactive\n' };
      return { exit: 5, output: `Failed to ${verb} ${unit}.service: Unit ${unit}.service not found.\n` };
    }
    switch (verb as Verb) {
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
  });
});
