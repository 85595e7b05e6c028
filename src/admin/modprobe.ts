import { ipvsOf } from '../ipvs/index.ts';
import type { Host } from '../net/index.ts';
import { defineCommand, fail, sync, text, type AdminCommand, type CommandResult } from './AdminCommand.ts';

/**
 * `modprobe [-r] MODULE` and `rmmod MODULE` (kmod 30, Debian 12) for the modules an LVS setup loads.
 *
 * `ipip` creates the fallback tunnel device tunl0 (net/ipv4/ipip.c ipip_init_net), down, as a freshly loaded
 * module leaves it. IPVS itself (`ip_vs`, its schedulers `ip_vs_rr`...) is part of every lab host, so loading it
 * succeeds and changes nothing. `ip_vs_ftp` is a real module state: not loaded until `modprobe ip_vs_ftp`, which
 * registers the FTP helper on port 21 (src/ipvs/app/FtpHelper.ts), and `modprobe -r ip_vs_ftp` / `rmmod
 * ip_vs_ftp` unload it — refused while connection entries bound to the helper are in the table, since each holds
 * a reference on the module. Removing any other module is not modelled. Any other module does not exist in the
 * lab's kernel.
 *
 * kmod's words: `modprobe -r` of a module that exists but is not loaded does nothing and succeeds (its "quick
 * check" in rmmod_do_module; only --first-time complains), a module in use is "FATAL: Module ip_vs_ftp is in
 * use."; rmmod says "ERROR: Module ip_vs_ftp is not currently loaded" or "ERROR: Module ip_vs_ftp is in use". Both
 * exit 1 on any failure and go on with the next module. `-q` silences modprobe's messages, not its exit status.
 * (A real `modprobe -r ip_vs_ftp` would also remove the dependencies left unused — ip_vs without services,
 * nf_nat, nf_conntrack — which the lab keeps.)
 */
const KERNEL_RELEASE = '6.1.0-lvs-lab';

/** libkmod's modname_normalize: `-` and `_` are the same in a module name. */
function moduleName(word: string): string {
  return word.replace(/-/g, '_');
}

function existsInLab(mod: string): boolean {
  return mod === 'ipip' || mod === 'ip_vs' || mod.startsWith('ip_vs_');
}

/** Modules whose loaded state the lab keeps (the others are always there). */
const REMOVABLE = new Set(['ip_vs_ftp']);

export const modprobeCommand: AdminCommand = defineCommand('modprobe', (args) => {
  const modules: string[] = [];
  let remove = false;
  let quiet = false;
  for (const a of args) {
    if (a === '-v' || a === '-b') continue;
    if (a === '-q' || a === '--quiet') {
      quiet = true;
      continue;
    }
    if (a === '-r' || a === '--remove') {
      remove = true;
      continue;
    }
    if (a.startsWith('-')) throw fail(1, `modprobe: option "${a}" is not modelled by lvs-lab`);
    modules.push(a);
  }
  if (modules.length === 0) throw fail(1, 'modprobe: ERROR: missing parameters. See -h.');
  const say = (line: string): string[] => (quiet ? [] : [line]);
  if (remove) {
    // Every word names a module to remove (rmmod_all), each on its own.
    for (const m of modules) {
      const mod = moduleName(m);
      if (existsInLab(mod) && !REMOVABLE.has(mod)) throw fail(1, `modprobe: removing ${mod} is not modelled by lvs-lab`);
    }
    return sync((host) => {
      const out: string[] = [];
      let failed = false;
      for (const m of modules) {
        const mod = moduleName(m);
        if (!existsInLab(mod)) {
          out.push(...say(`modprobe: FATAL: Module ${m} not found.`));
          failed = true;
        } else if (ipvsOf(host).unloadFtp() === 'in-use') {
          out.push(...say(`modprobe: FATAL: Module ${mod} is in use.`));
          failed = true;
        }
      }
      return { exit: failed ? 1 : 0, output: text(out) };
    });
  }
  // Only the first word is a module; the rest would be its parameters, which none of these take.
  if (modules.length > 1) throw fail(1, `modprobe: module parameters ("${modules.slice(1).join(' ')}") are not modelled by lvs-lab`);
  const mod = moduleName(modules[0]);
  if (!existsInLab(mod)) throw fail(1, ...say(`modprobe: FATAL: Module ${modules[0]} not found in directory /lib/modules/${KERNEL_RELEASE}`));
  return sync((host) => load(host, mod));
});

function load(host: Host, mod: string): CommandResult {
  if (mod === 'ipip') host.ensureTunl0();
  if (mod === 'ip_vs_ftp') ipvsOf(host).loadFtp();
  return { exit: 0, output: '' };
}

export const rmmodCommand: AdminCommand = defineCommand('rmmod', (args) => {
  const modules: string[] = [];
  for (const a of args) {
    if (a === '-v' || a === '--verbose') continue;
    if (a.startsWith('-')) throw fail(1, `rmmod: option "${a}" is not modelled by lvs-lab`);
    modules.push(a);
  }
  if (modules.length === 0) throw fail(1, 'rmmod: ERROR: missing module name.');
  for (const m of modules) {
    const mod = moduleName(m);
    if (existsInLab(mod) && !REMOVABLE.has(mod)) throw fail(1, `rmmod: removing ${mod} is not modelled by lvs-lab`);
  }
  return sync((host) => {
    const out: string[] = [];
    for (const m of modules) {
      const mod = moduleName(m);
      const r = existsInLab(mod) ? ipvsOf(host).unloadFtp() : 'not-loaded';
      if (r === 'not-loaded') out.push(`rmmod: ERROR: Module ${mod} is not currently loaded`);
      else if (r === 'in-use') out.push(`rmmod: ERROR: Module ${mod} is in use`);
    }
    return { exit: out.length > 0 ? 1 : 0, output: text(out) };
  });
});
