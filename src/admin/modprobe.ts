import { defineCommand, fail, sync, type AdminCommand } from './AdminCommand.ts';

/**
 * `modprobe MODULE` (kmod) for the modules an LVS setup loads. `ipip` creates the fallback tunnel device tunl0
 * (net/ipv4/ipip.c ipip_init_net), down, as a freshly loaded module leaves it. IPVS (`ip_vs`, its schedulers
 * `ip_vs_rr`..., helpers like `ip_vs_ftp`) is built into every lab host, so loading it succeeds and changes
 * nothing. Any other module does not exist in the lab's kernel.
 */
const KERNEL_RELEASE = '6.1.0-lvs-lab';

export const modprobeCommand: AdminCommand = defineCommand('modprobe', (args) => {
  const modules: string[] = [];
  for (const a of args) {
    if (a === '-v' || a === '-q' || a === '-b') continue;
    if (a.startsWith('-')) throw fail(1, `modprobe: option "${a}" is not modelled by lvs-lab`);
    modules.push(a);
  }
  if (modules.length === 0) throw fail(1, 'modprobe: ERROR: missing parameters. See -h.');
  // Only the first word is a module; the rest would be its parameters, which none of these take.
  if (modules.length > 1) throw fail(1, `modprobe: module parameters ("${modules.slice(1).join(' ')}") are not modelled by lvs-lab`);
  const mod = modules[0].replace(/-/g, '_');
  if (mod !== 'ipip' && mod !== 'ip_vs' && !mod.startsWith('ip_vs_')) {
    throw fail(1, `modprobe: FATAL: Module ${modules[0]} not found in directory /lib/modules/${KERNEL_RELEASE}`);
  }
  return sync((host) => {
    if (mod === 'ipip') host.ensureTunl0();
    return { exit: 0, output: '' };
  });
});
