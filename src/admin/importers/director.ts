import type { IpvsForwarding, IpvsTable, IpvsTableService } from './ipvsTable.ts';
import { effectiveRealPort, effectiveVirtual, type LdForward, type LdirectordConfig } from './ldirectord/model.ts';
import { DEFAULT_PERSISTENCE_TIMEOUT, DEFAULT_SCHEDULER, realServerMethod, realServerWeight } from './keepalived/effective.ts';
import type { KeepalivedConfig, LvsMethod } from './keepalived/model.ts';

/**
 * What an imported configuration says about one director, reduced to what the scenario generator needs: the
 * IPVS table in its steady state (every real server healthy) and the addresses the director holds (VIPs). The
 * generated scenario runs the daemons themselves from the full KeepalivedConfig / LdirectordConfig, and the notes
 * of its description come from there (src/lab/importDaemons.ts).
 */
export interface DirectorAddress {
  line: number;
  address: string;
  prefix?: number;
  dev?: string;
  label?: string;
}

export interface DirectorDescription {
  table: IpvsTable;
  addresses: DirectorAddress[];
}

const METHOD: Record<LvsMethod, IpvsForwarding> = { NAT: 'masq', DR: 'route', TUN: 'tunnel' };
const LD_FORWARD: Record<LdForward, IpvsForwarding> = { masq: 'masq', gate: 'route', ipip: 'tunnel' };

export function describeKeepalived(cfg: KeepalivedConfig): DirectorDescription {
  const addresses: DirectorAddress[] = [];
  for (const inst of cfg.vrrpInstances) {
    for (const a of inst.virtualIpAddresses) {
      const d: DirectorAddress = { line: a.line, address: a.address };
      if (a.prefix !== undefined) d.prefix = a.prefix;
      const dev = a.dev ?? inst.interface;
      if (dev !== undefined) d.dev = dev;
      if (a.label !== undefined) d.label = a.label;
      addresses.push(d);
    }
  }
  const table: IpvsTable = { services: [] };
  for (const vs of cfg.virtualServers) {
    // virtual_server_group is not modelled: the parser warns at its line.
    if (vs.key.kind === 'group') continue;
    const protocol = (vs.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp';
    const persistent = vs.persistenceTimeout ?? (vs.persistenceGranularity !== undefined ? DEFAULT_PERSISTENCE_TIMEOUT : undefined);
    const port = vs.key.kind === 'address' ? (vs.key.port ?? 0) : 0;
    const svc: IpvsTableService = {
      key: vs.key.kind === 'fwmark' ? { kind: 'fwmark', mark: vs.key.mark } : { kind: 'address', protocol, address: vs.key.address, port },
      scheduler: vs.lbAlgo ?? DEFAULT_SCHEDULER,
      onePacket: vs.ops === true,
      ...(vs.schedFlags && vs.schedFlags.length > 0 ? { schedFlags: vs.schedFlags.join(',') } : {}),
      destinations: [],
      line: vs.line,
    };
    if (persistent !== undefined) svc.persistent = persistent;
    if (vs.persistenceGranularity !== undefined) svc.netmask = vs.persistenceGranularity;
    for (const rs of vs.realServers) {
      const fwd = METHOD[realServerMethod(vs, rs)];
      const rport = vs.key.kind === 'fwmark' ? 0 : fwd !== 'masq' || rs.port === undefined || rs.port === 0 ? port : rs.port;
      svc.destinations.push({ address: rs.address, port: rport, fwd, weight: realServerWeight(rs), line: rs.line, ...(rs.uthreshold !== undefined ? { upperThreshold: rs.uthreshold } : {}), ...(rs.lthreshold !== undefined ? { lowerThreshold: rs.lthreshold } : {}) });
    }
    table.services.push(svc);
  }
  return { table, addresses };
}

export function describeLdirectord(cfg: LdirectordConfig): DirectorDescription {
  const table: IpvsTable = { services: [] };
  const addresses: DirectorAddress[] = [];
  for (const v of cfg.virtuals) {
    const e = effectiveVirtual(cfg, v);
    const svc: IpvsTableService = {
      key: v.key.kind === 'fwmark' ? { kind: 'fwmark', mark: v.key.mark } : { kind: 'address', protocol: e.protocol === 'udp' ? 'udp' : 'tcp', address: v.key.address, port: v.key.port },
      scheduler: e.scheduler,
      onePacket: v.ops === true,
      destinations: [],
      line: v.line,
    };
    if (v.persistent !== undefined) svc.persistent = v.persistent;
    if (v.netmask !== undefined) svc.netmask = v.netmask;
    for (const r of v.reals) svc.destinations.push({ address: r.address, port: effectiveRealPort(v, r), fwd: LD_FORWARD[r.forward], weight: r.weight, line: r.line });
    table.services.push(svc);
    const key = v.key;
    if (key.kind === 'address' && !addresses.some((a) => a.address === key.address)) addresses.push({ line: v.line, address: key.address });
  }
  return { table, addresses };
}
