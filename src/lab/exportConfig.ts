import { schedFlagNames } from '../admin/ipvsadm/formatList.ts';
import { formatSave } from '../admin/ipvsadm/formatSave.ts';
import { compareDests, compareServices, msort } from '../admin/ipvsadm/sortEntries.ts';
import { keepalivedFromIpvsTable, printKeepalivedConf, type ExportVip, type IpvsForwarding, type IpvsTable, type KeepalivedConfig } from '../admin/importers/index.ts';
import { DEFAULT_IPVS_TIMEOUTS, ipvsOf } from '../ipvs/index.ts';
import type { ServiceView } from '../ipvs/IpvsControl.ts';
import { buildScenario, loadScenario, ScenarioError } from '../scenario/index.ts';
import { SECOND, type SimTime } from '../sim/index.ts';
import { formatIpv4 } from '../wire/index.ts';
import { vrrpIntoModel } from './exportVrrp.ts';

/**
 * `lvs-lab export`: a scenario's director as a configuration file — its IPVS table after the time-0 commands
 * (built as `lvs-lab check` builds it: every host's `commands` run, ping/arping only syntax-checked), written as
 * `ipvsadm -S -n` text by the ipvsadm formatter itself (admin/ipvsadm/formatSave.ts: the exporter lives in lab
 * because importers may not use admin), or as keepalived.conf through the importers' model and printer, with the
 * director's own VRRP instances when it runs keepalived (exportVrrp.ts), otherwise the service addresses it
 * holds as one vrrp_instance's virtual_ipaddress on their interfaces.
 */
export type ExportFormat = 'ipvsadm-save' | 'keepalived';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['ipvsadm-save', 'keepalived'];

export interface ExportOptions {
  format: ExportFormat;
  /** the director; default: the only host with IPVS services (an error when there are several) */
  host?: string;
  /** scenario file name, for errors */
  file: string;
}

export class ExportError extends Error {
  override readonly name = 'ExportError';
}

export function exportScenario(text: string, opts: ExportOptions): string {
  const spec = loadScenario(text, opts.file);
  // A director whose table a daemon builds (keepalived, ldirectord — what `lvs-lab import` of their files
  // generates) has it only once the daemon has run: run the scenario until the daemons have settled.
  const settle = daemonSettleTime(spec);
  const built = buildScenario(spec, { checkOnly: settle === undefined });
  if (settle !== undefined) built.world.sim.runUntil(settle);
  const candidates = [...built.world.hosts.values()].filter((h) => ipvsOf(h).control.services().length > 0);
  let host = candidates[0];
  if (opts.host !== undefined) {
    const h = built.world.hosts.get(opts.host);
    if (!h) throw new ExportError(`lvs-lab export: no host named ${opts.host} in ${opts.file} (hosts: ${[...built.world.hosts.keys()].join(', ')})`);
    host = h;
  } else if (candidates.length > 1) {
    throw new ExportError(`lvs-lab export: several hosts have IPVS services (${candidates.map((h) => h.name).join(', ')}); choose one with --host`);
  } else if (!host) {
    throw new ExportError(`lvs-lab export: no host in ${opts.file} has IPVS services after its time-0 commands`);
  }
  const services = ipvsOf(host).control.services();
  if (opts.format === 'ipvsadm-save') return formatSave(services, true);

  const table = tableOf(services);
  // The connection timeouts when the director changed them (ipvsadm --set): keepalived's lvs_timeouts.
  const t = ipvsOf(host).control.timeouts();
  const changed = t.tcp !== DEFAULT_IPVS_TIMEOUTS.tcp || t.tcpfin !== DEFAULT_IPVS_TIMEOUTS.tcpfin || t.udp !== DEFAULT_IPVS_TIMEOUTS.udp;
  const withTimeouts = (cfg: KeepalivedConfig): KeepalivedConfig => {
    if (changed) cfg.globalDefs.lvsTimeouts = { tcp: t.tcp, tcpfin: t.tcpfin, udp: t.udp };
    return cfg;
  };
  // A director running keepalived's VRRP: its own instances (with their VIPs), sync groups and sync daemon.
  const ka = spec.hosts.find((h) => h.name === host.name)?.keepalived?.config;
  if (ka && ka.vrrpInstances.length > 0) {
    const cfg = withTimeouts(keepalivedFromIpvsTable(table, [], ka.routerId ?? host.name));
    vrrpIntoModel(ka, cfg);
    return printKeepalivedConf(cfg, `keepalived.conf for ${host.name}, exported by lvs-lab from ${opts.file}`);
  }
  const vips: ExportVip[] = [];
  for (const s of table.services) {
    if (s.key.kind !== 'address' || vips.some((v) => v.address === (s.key as { address: string }).address)) continue;
    const address = s.key.address;
    for (const iface of host.interfaces.values()) {
      const a = iface.addresses.find((x) => formatIpv4(x.address) === address);
      if (a && iface.name !== 'lo') {
        vips.push({ address, prefix: a.prefixLen, dev: iface.name, ...(a.label !== undefined && a.label !== iface.name ? { label: a.label } : {}) });
        break;
      }
    }
  }
  return printKeepalivedConf(withTimeouts(keepalivedFromIpvsTable(table, vips, host.name)), `keepalived.conf for ${host.name}, exported by lvs-lab from ${opts.file}`);
}


/**
 * When the daemons of a scenario have built their tables, or undefined without daemons: a lone VRRP instance is
 * MASTER (its VIPs added) after 3 × advert_int + skew (< 4 advert intervals), keepalived's real servers are in
 * at start-up (with alpha: after their first check, within warmup + connect_timeout), and ldirectord's first
 * round of checks, at start-up, completes at once when the real servers answer.
 */
function daemonSettleTime(spec: ReturnType<typeof loadScenario>): SimTime | undefined {
  let t: SimTime | undefined;
  const at = (x: SimTime) => (t = Math.max(t ?? 0, x));
  for (const hs of spec.hosts) {
    if (hs.ldirectord) at(SECOND);
    const ka = hs.keepalived?.config;
    if (!ka) continue;
    at(SECOND);
    for (const i of ka.vrrpInstances) at(4 * i.advertInt + SECOND);
    for (const vs of ka.virtualServers) {
      for (const rs of vs.realServers) {
        if (!(rs.alpha ?? vs.alpha)) continue;
        for (const c of rs.checkers) at((vs.warmup ?? c.delayLoop ?? rs.delayLoop ?? vs.delayLoop) + (c.connectTimeout ?? rs.connectTimeout ?? vs.connectTimeout ?? 5 * SECOND) + SECOND);
      }
    }
  }
  return t;
}

const FWD: Record<string, IpvsForwarding> = { masq: 'masq', route: 'route', tunnel: 'tunnel', local: 'route', bypass: 'route' };

/** In `ipvsadm -S`'s order (sorted services and servers), not the kernel's list order. */
function tableOf(services: readonly ServiceView[]): IpvsTable {
  return {
    services: msort(services, compareServices).map((s) => tableService(s)),
  };
}

function tableService(s: ServiceView): IpvsTable['services'][number] {
  const flags = schedFlagNames(s.scheduler, s.schedFlags);
  return {
    key: s.key.kind === 'fwmark' ? { kind: 'fwmark' as const, mark: s.key.mark } : { kind: 'address' as const, protocol: s.key.protocol === 'udp' ? ('udp' as const) : ('tcp' as const), address: formatIpv4(s.key.address), port: s.key.port },
    scheduler: s.scheduler,
    ...(s.persistent ? { persistent: s.timeout >>> 0, netmask: formatIpv4(s.netmask >>> 0) } : {}),
    onePacket: s.onePacket,
    ...(flags !== '' ? { schedFlags: flags } : {}),
    destinations: msort(s.destinations, compareDests).map((d) => ({ address: formatIpv4(d.address), port: d.port, fwd: FWD[d.fwd] ?? 'route', weight: d.weight, line: 0 })),
    line: 0,
  };
}

export { ScenarioError };
