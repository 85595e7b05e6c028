import type { ServiceView } from '../../ipvs/IpvsControl.ts';
import { schedFlagNames } from './formatList.ts';
import { addrPortName, markText, maskText, serviceProtocol } from './names.ts';
import { compareDests, compareServices, msort } from './sortEntries.ts';

/** IP_VS_SVC_F_SCHED1..3. */
const SCHED_MASK = 0x8 | 0x10 | 0x20;

/**
 * `ipvsadm -S [-n]` (list_all with FMT_RULE in ipvsadm 1.31): one `-A` line per service, then one `-a` line
 * per real server, both always sorted. `-p` only for persistent services and `-M` only for a mask other than
 * /32; `-o` and `-b` follow. Thresholds, counters and timeouts are not saved. A tunnel server carries
 * `--tun-type ipip` (the only tunnel type the lab models). Without `-n` ports are named as `-L` names them.
 */
export function formatSave(services: readonly ServiceView[], numeric: boolean): string {
  let out = '';
  for (const s of msort(services, compareServices)) {
    const proto = serviceProtocol(s.key);
    let svc: string;
    if (s.key.kind === 'fwmark') svc = `-f ${markText(s.key.mark)}`;
    else svc = `${s.key.protocol === 'tcp' ? '-t' : '-u'} ${addrPortName(s.key.address, s.key.port, proto, numeric)}`;
    out += `-A ${svc} -s ${s.scheduler}`;
    if (s.persistent) {
      out += ` -p ${s.timeout >>> 0}`;
      if (s.netmask >>> 0 !== 0xffffffff) out += ` -M ${maskText(s.netmask)}`;
    }
    if (s.onePacket) out += ' -o';
    if (s.schedFlags & SCHED_MASK) out += ` -b ${schedFlagNames(s.scheduler, s.schedFlags)}`;
    out += '\n';
    for (const d of msort(s.destinations, compareDests)) {
      const sw = d.fwd === 'masq' ? '-m' : d.fwd === 'tunnel' ? '-i' : '-g';
      out += `-a ${svc} -r ${addrPortName(d.address, d.port, proto, numeric)} ${sw} -w ${d.weight}`;
      if (d.fwd === 'tunnel') out += ' --tun-type ipip';
      out += '\n';
    }
  }
  return out;
}
