import type { DestinationView, ForwardMethod, IpvsInfo, ServiceView } from '../../ipvs/IpvsControl.ts';
import { addrPortName, markText, maskText, serviceProtocol } from './names.ts';
import type { ListFormat } from './parseIpvsadm.ts';
import { compareDests, compareServices, msort } from './sortEntries.ts';

/**
 * `ipvsadm -L` / `-l` output of ipvsadm 1.31 (list_all, list_service, print_title, print_service_entry,
 * print_largenum): the default view, `--stats`, `--rate`, `--thresholds`, `--persistent-conn`, `--tun-info`,
 * `--exact`, `--nosort`, with numeric or named ports. Byte for byte what the real tool prints, trailing
 * blanks of left-justified columns included (compared with the oracle's recorded dumps and the 1.31 binary).
 */

/** IP_VS_SVC_F_SCHED1..3. */
const SCHED1 = 0x8;
const SCHED2 = 0x10;
const SCHED3 = 0x20;

export const DEFAULT_FORMAT: ListFormat = { numeric: false, stats: false, rate: false, thresholds: false, persistentConn: false, nosort: false, exact: false, tunInfo: false };

/** list_all: the version line, the titles, every service (sorted unless `--nosort`). */
export function formatListAll(info: IpvsInfo, services: readonly ServiceView[], f: ListFormat): string {
  const v = info.version;
  let out = `IP Virtual Server version ${(v >> 16) & 0xff}.${(v >> 8) & 0xff}.${v & 0xff} (size=${info.connTableSize})\n`;
  out += title(f);
  const list = f.nosort ? services : msort(services, compareServices);
  for (const s of list) out += serviceEntry(s, f);
  return out;
}

/** list_service (`-L -t VIP:port`): no version line, only the titles and that service. */
export function formatListService(service: ServiceView, f: ListFormat): string {
  return title(f) + serviceEntry(service, f);
}

function title(f: ListFormat): string {
  const p = 'Prot LocalAddress:Port';
  if (f.stats) return `${padEnd(p, 33)} ${padStart('Conns', 8)} ${padStart('InPkts', 8)} ${padStart('OutPkts', 8)} ${padStart('InBytes', 8)} ${padStart('OutBytes', 8)}\n  -> RemoteAddress:Port\n`;
  if (f.rate) return `${padEnd(p, 33)} ${padStart('CPS', 8)} ${padStart('InPPS', 8)} ${padStart('OutPPS', 8)} ${padStart('InBPS', 8)} ${padStart('OutBPS', 8)}\n  -> RemoteAddress:Port\n`;
  if (f.thresholds) return `${padEnd(p, 33)} ${padEnd('Uthreshold', 10)} ${padEnd('Lthreshold', 10)} ${padEnd('ActiveConn', 10)} ${padEnd('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  if (f.persistentConn) return `${padEnd(p, 33)} ${padEnd('Weight', 9)} ${padEnd('PersistConn', 11)} ${padEnd('ActiveConn', 10)} ${padEnd('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  if (f.tunInfo) return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n';
  return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
}

/** The service column: `TCP  addr:port` cut to 33 characters, or `FWM  mark`. */
export function serviceName(s: ServiceView, numeric: boolean): string {
  if (s.key.kind === 'fwmark') return `FWM  ${markText(s.key.mark)}`;
  const proto = s.key.protocol.toUpperCase();
  return `${proto.padEnd(4)} ${addrPortName(s.key.address, s.key.port, s.key.protocol, numeric)}`.slice(0, 33);
}

/** The flag names between parentheses: sh-/mh- names for sh and mh (flag-3 has none there), flag-N otherwise. */
export function schedFlagNames(scheduler: string, flags: number): string {
  const names: string[] = [];
  if (scheduler === 'sh' || scheduler === 'mh') {
    if (flags & SCHED1) names.push(`${scheduler}-fallback`);
    if (flags & SCHED2) names.push(`${scheduler}-port`);
  } else {
    if (flags & SCHED1) names.push('flag-1');
    if (flags & SCHED2) names.push('flag-2');
    if (flags & SCHED3) names.push('flag-3');
  }
  return names.join(',');
}

function serviceEntry(s: ServiceView, f: ListFormat): string {
  const name = serviceName(s, f.numeric);
  let out: string;
  if (f.stats) {
    const st = s.stats;
    out = padEnd(name, 33) + largenum(st.conns, f) + largenum(st.inPkts, f) + largenum(st.outPkts, f) + largenum(st.inBytes, f) + largenum(st.outBytes, f);
  } else if (f.rate) {
    const st = s.stats;
    out = padEnd(name, 33) + largenum(st.cps, f) + largenum(st.inPps, f) + largenum(st.outPps, f) + largenum(st.inBps, f) + largenum(st.outBps, f);
  } else {
    out = `${name} ${s.scheduler}`;
    if (s.schedFlags & (SCHED1 | SCHED2 | SCHED3)) out += ` (${schedFlagNames(s.scheduler, s.schedFlags)})`;
    if (s.persistent) {
      out += ` persistent ${s.timeout >>> 0}`;
      if (s.netmask >>> 0 !== 0xffffffff) out += ` mask ${maskText(s.netmask)}`;
    }
    if (s.onePacket) out += ' ops';
  }
  out += '\n';
  const dests = f.nosort ? s.destinations : msort(s.destinations, compareDests);
  const proto = serviceProtocol(s.key);
  for (const d of dests) out += destEntry(d, addrPortName(d.address, d.port, proto, f.numeric).slice(0, 28), f);
  return out;
}

function destEntry(d: DestinationView, name: string, f: ListFormat): string {
  const n = `  -> ${padEnd(name, 28)}`;
  if (f.stats) {
    const st = d.stats;
    return n + largenum(st.conns, f) + largenum(st.inPkts, f) + largenum(st.outPkts, f) + largenum(st.inBytes, f) + largenum(st.outBytes, f) + '\n';
  }
  if (f.rate) {
    const st = d.stats;
    return `${n} ${padStart(String(st.cps), 8)} ${padStart(String(st.inPps), 8)} ${padStart(String(st.outPps), 8)}` + largenum(st.inBps, f) + largenum(st.outBps, f) + '\n';
  }
  if (f.thresholds) return `${n} ${col(d.uThreshold, 10)} ${col(d.lThreshold, 10)} ${col(d.activeConns, 10)} ${col(d.inactConns, 10)}\n`;
  if (f.persistentConn) return `${n} ${col(d.weight, 9)} ${col(d.persistConns, 11)} ${col(d.activeConns, 10)} ${col(d.inactConns, 10)}\n`;
  if (f.tunInfo) return `${n} ${padEnd(fwdName(d.fwd), 7)} ${padEnd(d.fwd === 'tunnel' ? 'ipip' : 'n/a', 13)} ${col(d.weight, 6)} ${col(d.activeConns, 10)} ${col(d.inactConns, 10)}\n`;
  return `${n} ${padEnd(fwdName(d.fwd), 7)} ${col(d.weight, 6)} ${col(d.activeConns, 10)} ${col(d.inactConns, 10)}\n`;
}

/** fwd_name: the Forward column. */
export function fwdName(fwd: ForwardMethod): string {
  return fwd === 'masq' ? 'Masq' : fwd === 'tunnel' ? 'Tunnel' : 'Route';
}

/**
 * print_largenum: `%9llu` below 10^8, else `%8llu` of the value in thousands, millions, ... with K, M, G, T
 * (truncated). With `--exact`: the exact value right-aligned in 9, or in its length + 1 when longer than 8.
 */
export function largenum(i: number, f: Pick<ListFormat, 'exact'>): string {
  const s = String(i);
  if (f.exact) return padStart(s, s.length <= 8 ? 9 : s.length + 1);
  if (i < 100_000_000) return padStart(s, 9);
  if (i < 1_000_000_000) return padStart(String(Math.floor(i / 1000)), 8) + 'K';
  if (i < 100_000_000_000) return padStart(String(Math.floor(i / 1_000_000)), 8) + 'M';
  if (i < 100_000_000_000_000) return padStart(String(Math.floor(i / 1_000_000_000)), 8) + 'G';
  return padStart(String(Math.floor(i / 1_000_000_000_000)), 8) + 'T';
}

/** `%-Nu` / `%-Nd`. */
function col(n: number, w: number): string {
  return padEnd(String(n), w);
}

export function padEnd(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

export function padStart(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
