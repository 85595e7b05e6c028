import { describe, expect, it } from 'vitest';
import { ipvsadmCommand } from '../../../../src/admin/ipvsadm/ipvsadm.ts';
import { SECOND } from '../../../../src/sim/index.ts';
import { apply, ipvsadmLab, runOn } from './helpers.ts';
import { ip } from '../../ipvs/controlFakes.ts';

const TITLES = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';

describe('ipvsadm on a host', () => {
  it('prints libipvs messages for kernel refusals and exits 255', () => {
    const { run } = ipvsadmLab();
    expect(run('-a -t 10.0.0.1:80 -r 192.168.1.1')).toEqual({ exit: 255, output: 'Service not defined\n' });
    expect(run('-D -t 10.0.0.9:80')).toEqual({ exit: 255, output: 'No such service\n' });
    expect(run('-E -t 10.0.0.9:80')).toEqual({ exit: 255, output: 'No such service\n' });
    expect(run('-Z -t 10.0.0.9:80')).toEqual({ exit: 255, output: 'No such service\n' });
    expect(run('-A -t 10.0.0.1:80 -s foo')).toEqual({ exit: 255, output: 'Scheduler or persistence engine not found\n' });
    expect(run('-A -t 10.0.0.1:80 -s rr --pe sip')).toEqual({ exit: 255, output: 'Scheduler or persistence engine not found\n' });
    expect(run('-A -t 10.0.0.1:80')).toEqual({ exit: 0, output: '' });
    expect(run('-A -t 10.0.0.1:80 -s foo')).toEqual({ exit: 255, output: 'Service already exists\n' });
    expect(run('-a -t 10.0.0.1:80 -r 192.168.1.1')).toEqual({ exit: 0, output: '' });
    expect(run('-a -t 10.0.0.1:80 -r 192.168.1.1 -w 5')).toEqual({ exit: 255, output: 'Destination already exists\n' });
    expect(run('-d -t 10.0.0.1:80 -r 192.168.1.9')).toEqual({ exit: 255, output: 'No such destination\n' });
    expect(run('-e -t 10.0.0.1:80 -r 192.168.1.9')).toEqual({ exit: 255, output: 'No such destination\n' });
    expect(run('-a -t 10.0.0.1:80 -r 192.168.1.2 -x 5 -y 10')).toEqual({ exit: 255, output: 'Numerical result out of range\n' });
    expect(run('-a -t 10.0.0.1:80 -r 224.1.1.1')).toEqual({ exit: 255, output: 'Invalid operation.  Possibly wrong module version, address not unicast, ...\n' });
    expect(run('-A -t [2001:db8::1]:80')).toEqual({ exit: 255, output: 'Operation not supported with specified address family\n' });
  });

  it('uses the defaults of ipvsadm: wlc, weight 1, direct routing, persistence 360', () => {
    const { run, control } = ipvsadmLab();
    apply(run, ['-A -t 10.0.0.1:80 -p', '-a -t 10.0.0.1:80 -r 192.168.1.1:8080']);
    const s = control.services()[0];
    expect([s.scheduler, s.persistent, s.timeout]).toEqual(['wlc', true, 360]);
    expect(s.destinations[0]).toMatchObject({ address: ip('192.168.1.1'), port: 80, fwd: 'route', weight: 1 });
  });

  it('-E and -e send complete definitions: what is not given is reset', () => {
    const { run, control, calls } = ipvsadmLab();
    apply(run, ['-A -u 10.0.0.1:53 -s rr -p 60 -o', '-a -u 10.0.0.1:53 -r 192.168.1.1 -m -w 5 -x 10']);
    apply(run, ['-E -u 10.0.0.1:53', '-e -u 10.0.0.1:53 -r 192.168.1.1']);
    const s = control.services()[0];
    expect([s.scheduler, s.persistent, s.onePacket]).toEqual(['wlc', false, false]);
    expect(s.destinations[0]).toMatchObject({ fwd: 'route', weight: 1, uThreshold: 0 });
    // The scheduler changed from rr to wlc: done_service, then a new instance.
    expect(calls.map((c) => `${c.name}:${c.hook}`)).toEqual(['rr:init', 'rr:addDest', 'rr:doneService', 'wlc:init', 'wlc:updDest']);
  });

  it('-L -t lists one service without the version line; a missing one exits 1', () => {
    const { run } = ipvsadmLab();
    apply(run, ['-A -t 10.0.0.1:80 -s rr']);
    expect(run('-L -n -t 10.0.0.1:80')).toEqual({ exit: 0, output: 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  10.0.0.1:80 rr\n' });
    expect(run('-L -n -t 10.0.0.1:81')).toEqual({ exit: 1, output: 'No such service\n' });
  });

  it('without arguments lists the table with port names', () => {
    const { run, command } = ipvsadmLab();
    apply(run, ['-A -t 10.0.0.1:80 -s rr']);
    expect(runOn(command, [])).toEqual({ exit: 0, output: TITLES + 'TCP  10.0.0.1:http rr\n' });
  });

  it('--set changes the timeouts that -L --timeout shows; 0 leaves one unchanged', () => {
    const { run } = ipvsadmLab();
    expect(run('-L --timeout')).toEqual({ exit: 0, output: 'Timeout (tcp tcpfin udp): 900 120 300\n' });
    expect(run('--set 600 0 30')).toEqual({ exit: 0, output: '' });
    expect(run('-L --timeout')).toEqual({ exit: 0, output: 'Timeout (tcp tcpfin udp): 600 120 30\n' });
  });

  it('-Z zeroes what --stats shows', () => {
    const { run, control, sim } = ipvsadmLab();
    apply(run, ['-A -t 10.0.0.1:80 -s rr', '-a -t 10.0.0.1:80 -r 192.168.1.1 -m']);
    const svc = control.table.lookup({ kind: 'addr', protocol: 'tcp', address: ip('10.0.0.1'), port: 80 })!;
    svc.stats.conns = 12;
    svc.destinations[0].stats.conns = 12;
    sim.runUntil(2 * SECOND);
    const row = (conns: number) => 'TCP  10.0.0.1:80'.padEnd(33) + String(conns).padStart(9) + '        0'.repeat(4) + '\n';
    expect(run('-L -n --stats').output).toContain(row(12));
    expect(run('-Z')).toEqual({ exit: 0, output: '' });
    expect(run('-L -n --stats').output).toContain(row(0));
  });

  it('-C removes every service', () => {
    const { run } = ipvsadmLab();
    apply(run, ['-A -t 10.0.0.1:80 -s rr', '-A -f 3 -s rr', '-C']);
    expect(run('-L -n')).toEqual({ exit: 0, output: TITLES });
  });

  it('answers for what the lab does not model, and lists no sync daemon', () => {
    const { run } = ipvsadmLab();
    expect(run('--start-daemon master')).toEqual({ exit: 1, output: 'ipvsadm: the connection synchronisation daemon is not modelled by lvs-lab\n' });
    expect(run('-L --daemon')).toEqual({ exit: 0, output: '' });
    apply(run, ['-A -t 10.0.0.1:80 -s rr']);
    expect(run('-a -t 10.0.0.1:80 -r 10.2.1.2 -i --tun-type gue --tun-port 6080')).toEqual({ exit: 1, output: 'ipvsadm: --tun-type gue is not modelled by lvs-lab\n' });
    expect(run('-A --sctp-service 10.0.0.1:80')).toEqual({ exit: 1, output: 'ipvsadm: SCTP virtual services are not modelled by lvs-lab\n' });
    // A lab shell has no stdin: -R restores nothing.
    expect(run('-R')).toEqual({ exit: 0, output: '' });
  });

  it('reports popt errors with exit 255 and checks syntax without a host', () => {
    const { command, run } = ipvsadmLab();
    expect(run('-L --bogus')).toEqual({ exit: 255, output: '--bogus: unknown option\n' });
    expect(command.check(['-A', '-t', '10.0.0.1'])).toBe('Zero port specified for non-persistent service\n');
    expect(command.check(['-L', '-n'])).toBeUndefined();
    expect(command.check(['-h'])).toBeUndefined();
  });

  it('answers as a kernel without IPVS when the host has no instance', () => {
    const command = ipvsadmCommand(() => undefined);
    expect(runOn(command, ['-L', '-n'])).toEqual({
      exit: 2,
      output: "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
    });
  });
});
