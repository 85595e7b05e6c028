import { describe, expect, it } from 'vitest';
import { ipvsOf } from '../../../src/ipvs/index.ts';
import { TestWorld } from './helpers.ts';

describe('modprobe and rmmod: the ip_vs_ftp module', () => {
  it('is not loaded by default; modprobe loads it (twice is fine), modprobe -r and rmmod unload it', () => {
    const w = new TestWorld();
    const h = w.host('director');
    expect(ipvsOf(h).ftpLoaded).toBe(false);
    w.ok(h, 'modprobe ip_vs_ftp');
    w.ok(h, 'modprobe ip-vs-ftp');
    expect(ipvsOf(h).ftpLoaded).toBe(true);
    w.ok(h, 'modprobe -r ip_vs_ftp');
    expect(ipvsOf(h).ftpLoaded).toBe(false);
    w.ok(h, 'modprobe ip_vs_ftp');
    w.ok(h, 'rmmod ip_vs_ftp');
    expect(ipvsOf(h).ftpLoaded).toBe(false);
  });

  it('says what kmod says about a module that is not loaded or does not exist', () => {
    const w = new TestWorld();
    const h = w.host('director');
    // modprobe -r of a known module that is not loaded has nothing to do (only --first-time would complain).
    w.ok(h, 'modprobe -r ip_vs_ftp');
    expect(w.sh(h, 'rmmod ip_vs_ftp')).toEqual({ exit: 1, output: 'rmmod: ERROR: Module ip_vs_ftp is not currently loaded\n' });
    expect(w.sh(h, 'rmmod nf_nat_ftp')).toEqual({ exit: 1, output: 'rmmod: ERROR: Module nf_nat_ftp is not currently loaded\n' });
    expect(w.sh(h, 'modprobe -r nf_nat_ftp')).toEqual({ exit: 1, output: 'modprobe: FATAL: Module nf_nat_ftp not found.\n' });
    expect(w.sh(h, 'modprobe -q nf_nat_ftp')).toEqual({ exit: 1, output: '' });
    expect(w.sh(h, 'modprobe -q -r nf_nat_ftp')).toEqual({ exit: 1, output: '' });
    expect(w.sh(h, 'rmmod')).toEqual({ exit: 1, output: 'rmmod: ERROR: missing module name.\n' });
    // Every word of -r is a module, each removed on its own: the failure of one does not stop the next.
    w.ok(h, 'modprobe ip_vs_ftp');
    expect(w.sh(h, 'modprobe -r nf_nat_ftp ip_vs_ftp')).toEqual({ exit: 1, output: 'modprobe: FATAL: Module nf_nat_ftp not found.\n' });
    expect(ipvsOf(h).ftpLoaded).toBe(false);
  });

  it('does not pretend to remove the modules the lab keeps loaded', () => {
    const w = new TestWorld();
    const h = w.host('director');
    expect(w.sh(h, 'modprobe -r ip_vs')).toEqual({ exit: 1, output: 'modprobe: removing ip_vs is not modelled by lvs-lab\n' });
    expect(w.sh(h, 'rmmod ipip')).toEqual({ exit: 1, output: 'rmmod: removing ipip is not modelled by lvs-lab\n' });
    expect(w.sh(h, 'rmmod -f ip_vs_ftp')).toEqual({ exit: 1, output: 'rmmod: option "-f" is not modelled by lvs-lab\n' });
    expect(w.shell.check('rmmod ip_vs_rr')).toBe('rmmod: removing ip_vs_rr is not modelled by lvs-lab\n');
  });
});
