import type { CommandResult } from '../AdminCommand.ts';
import type { DestSpec, IpvsControl, IpvsErrno, ServiceKey, ServiceSpec } from '../../ipvs/IpvsControl.ts';
import { formatConnections } from './formatConnections.ts';
import { formatListAll, formatListService } from './formatList.ts';
import { formatSave } from './formatSave.ts';
import { SVC_ONEPACKET, SVC_PERSISTENT, type IpvsadmLine } from './parseIpvsadm.ts';
import { usageText, VERSION_LINE } from './usage.ts';

/**
 * What ipvsadm 1.31 does with a parsed line (the switch at the end of process_options): listings and saves
 * print to stdout and exit 0 (a listing that cannot be made exits 1), changes go to the kernel, here the
 * host's IpvsControl, and a refusal prints libipvs's message for that call and errno (ipvs_strerror) and
 * exits 255. `-R` is handled by the caller (it reads lines from stdin, see restore.ts).
 */

/** ipvs_strerror's table: messages for (call, errno), then errno-only ones, then strerror. */
function kernelMessage(call: string, err: IpvsErrno): string {
  const specific: Record<string, Partial<Record<IpvsErrno, string>>> = {
    'add-service': { EEXIST: 'Service already exists', ENOENT: 'Scheduler or persistence engine not found' },
    'edit-service': { ESRCH: 'No such service', ENOENT: 'Scheduler or persistence engine not found' },
    'delete-service': { ESRCH: 'No such service' },
    zero: { ESRCH: 'No such service' },
    'add-server': { ESRCH: 'Service not defined', EEXIST: 'Destination already exists' },
    'edit-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
    'delete-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  };
  const m = specific[call]?.[err];
  if (m) return m;
  switch (err) {
    case 'EINVAL':
      return 'Invalid operation.  Possibly wrong module version, address not unicast, ...';
    case 'EAFNOSUPPORT':
      return 'Operation not supported with specified address family';
    case 'ERANGE':
      return 'Numerical result out of range';
    case 'ENOENT':
      return 'No such file or directory';
    case 'ESRCH':
      return 'No such process';
    case 'EEXIST':
      return 'File exists';
  }
}

function done(output: string, exit = 0): CommandResult {
  return { exit, output };
}

function kernelResult(call: string, err: IpvsErrno | undefined): CommandResult {
  return err === undefined ? done('') : done(kernelMessage(call, err) + '\n', 255);
}

/** A request the real kernel would take but whose effect the lab does not model. */
function notModelled(what: string): CommandResult {
  return done(`ipvsadm: ${what} not modelled by lvs-lab\n`, 1);
}

function serviceKey(line: IpvsadmLine): ServiceKey | undefined {
  const s = line.service;
  if (s.fwmark) return s.af === 4 ? { kind: 'fwmark', mark: s.fwmark } : undefined;
  if (s.af !== 4 || (s.protocol !== 'tcp' && s.protocol !== 'udp')) return undefined;
  return { kind: 'addr', protocol: s.protocol, address: s.address, port: s.port };
}

function serviceSpec(key: ServiceKey, line: IpvsadmLine): ServiceSpec {
  const s = line.service;
  return {
    key,
    scheduler: s.scheduler,
    persistent: (s.flags & SVC_PERSISTENT) !== 0,
    timeout: s.timeout,
    netmask: s.netmask,
    onePacket: (s.flags & SVC_ONEPACKET) !== 0,
    schedFlags: s.flags & 0x38,
    pe: s.pe || undefined,
  };
}

function destSpec(line: IpvsadmLine): DestSpec {
  const d = line.dest;
  return { address: d.address, port: d.port, fwd: d.fwd, weight: d.weight, uThreshold: d.uThreshold, lThreshold: d.lThreshold };
}

/** Runs one parsed line (not `-R`) against the host's IPVS. */
export function applyIpvsadm(control: IpvsControl, line: IpvsadmLine): CommandResult {
  const f = line.format;
  switch (line.cmd) {
    case 'help':
      return done(usageText(line.argv0));
    case 'version':
      return done(VERSION_LINE + '\n');
    case 'list': {
      if (line.options.has('connection')) return done(formatConnections(control.connections(), f.numeric, f.persistentConn));
      if (line.options.has('service-address')) {
        const key = serviceKey(line);
        const svc = key ? control.service(key) : undefined;
        if (!svc) return done('No such service\n', 1);
        return done(formatListService(svc, f));
      }
      if (line.options.has('timeout')) {
        const t = control.timeouts();
        return done(`Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`);
      }
      // list_daemon: one line per running sync thread, master first.
      if (line.options.has('daemon')) return done((control.syncDaemon?.states() ?? []).map((d) => `${d.role} sync daemon (mcast=${d.iface}, syncid=${d.syncId})\n`).join(''));
      return done(formatListAll(control.info(), control.services(), f));
    }
    case 'save':
      return done(formatSave(control.services(), f.numeric));
    case 'restore':
      // The caller feeds the lines (restoreIpvsadm); a lab shell has no stdin, which reads as empty.
      return done('');
    case 'flush':
      control.flush();
      return done('');
    case 'set':
      return kernelResult('set', control.setTimeouts(line.timeouts));
    case 'start-daemon':
    case 'stop-daemon': {
      const sd = control.syncDaemon;
      const role = line.daemon.state;
      if (!sd || !role) return notModelled('the connection synchronisation daemon is');
      if (line.cmd === 'stop-daemon') return sd.stop(role) === undefined ? done('') : done('No daemon is running\n', 255);
      const err = sd.start(role, line.daemon.mcastIfn, line.daemon.syncid);
      if (err === undefined) return done('');
      // ipvs_strerror: (start_daemon, EEXIST) has its own text; ENODEV falls through to strerror.
      return done(`${err === 'EEXIST' ? 'Daemon has already run' : 'No such device'}\n`, 255);
    }
    case 'zero': {
      if (!line.options.has('service-address')) return kernelResult('zero', control.zero());
      const key = serviceKey(line);
      return kernelResult('zero', key ? control.zero(key) : unsupported(line));
    }
    case 'add-service':
    case 'edit-service':
    case 'delete-service': {
      const key = serviceKey(line);
      if (!key) return unsupportedResult(line.cmd, line);
      if (line.cmd === 'delete-service') return kernelResult(line.cmd, control.delService(key));
      const spec = serviceSpec(key, line);
      return kernelResult(line.cmd, line.cmd === 'add-service' ? control.addService(spec) : control.editService(spec));
    }
    case 'add-server':
    case 'edit-server':
    case 'delete-server': {
      const key = serviceKey(line);
      if (!key) return unsupportedResult(line.cmd, line);
      if (line.dest.af !== 4) return kernelResult(line.cmd, 'EAFNOSUPPORT');
      if (line.cmd === 'delete-server') return kernelResult(line.cmd, control.delDest(key, line.dest.address, line.dest.port));
      if (line.dest.fwd === 'tunnel' && line.dest.tunType !== 'ipip') return notModelled(`--tun-type ${line.dest.tunType} is`);
      const spec = destSpec(line);
      return kernelResult(line.cmd, line.cmd === 'add-server' ? control.addDest(key, spec) : control.editDest(key, spec));
    }
  }
}

/** Why a service could not be keyed: IPv6 (refused by address family) or SCTP (not modelled). */
function unsupported(line: IpvsadmLine): IpvsErrno {
  return line.service.af !== 4 ? 'EAFNOSUPPORT' : 'ESRCH';
}

function unsupportedResult(call: string, line: IpvsadmLine): CommandResult {
  if (line.service.af !== 4) return kernelResult(call, 'EAFNOSUPPORT');
  return notModelled('SCTP virtual services are');
}
