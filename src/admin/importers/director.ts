import type { IpvsForwarding, IpvsTable, IpvsTableService } from './ipvsTable.ts';
import { effectiveRealPort, effectiveVirtual, type LdForward, type LdirectordConfig } from './ldirectord/model.ts';
import { checkerSettings, DEFAULT_PERSISTENCE_TIMEOUT, DEFAULT_SCHEDULER, realServerMethod, realServerWeight, vrrpSettings } from './keepalived/effective.ts';
import type { KeepalivedConfig, LvsMethod } from './keepalived/model.ts';

/**
 * What an imported configuration says about one director, reduced to what the scenario generator needs: the
 * IPVS table in its steady state (every real server healthy), the addresses the director holds (VIPs), and notes
 * on the daemon behaviour the generated scenario does not run (health checks, VRRP, fallback), for its
 * description. The daemon models read the full KeepalivedConfig / LdirectordConfig instead.
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
  notes: string[];
}

const METHOD: Record<LvsMethod, IpvsForwarding> = { NAT: 'masq', DR: 'route', TUN: 'tunnel' };
const LD_FORWARD: Record<LdForward, IpvsForwarding> = { masq: 'masq', gate: 'route', ipip: 'tunnel' };

export function describeKeepalived(cfg: KeepalivedConfig): DirectorDescription {
  const notes: string[] = [];
  const addresses: DirectorAddress[] = [];
  for (const inst of cfg.vrrpInstances) {
    const e = vrrpSettings(cfg.globalDefs, inst);
    for (const a of inst.virtualIpAddresses) {
      const d: DirectorAddress = { line: a.line, address: a.address };
      if (a.prefix !== undefined) d.prefix = a.prefix;
      const dev = a.dev ?? inst.interface;
      if (dev !== undefined) d.dev = dev;
      if (a.label !== undefined) d.label = a.label;
      addresses.push(d);
    }
    notes.push(
      `VRRP instance ${inst.name} (VRID ${inst.virtualRouterId ?? '?'}, priority ${e.priority}, advert_int ${e.advertInt}s, state ${e.state}${e.preempt ? '' : ', nopreempt'}) is not run: this director holds its ${inst.virtualIpAddresses.length} virtual address(es) from time 0, as the MASTER would.`,
    );
  }
  const table: IpvsTable = { services: [] };
  for (const vs of cfg.virtualServers) {
    if (vs.key.kind === 'group') {
      notes.push(`virtual_server group ${vs.key.name} (line ${vs.line}) is not imported: virtual_server_group is not modelled.`);
      continue;
    }
    const protocol = (vs.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp';
    const persistent = vs.persistenceTimeout ?? (vs.persistenceGranularity !== undefined ? DEFAULT_PERSISTENCE_TIMEOUT : undefined);
    const port = vs.key.kind === 'address' ? (vs.key.port ?? 0) : 0;
    const svc: IpvsTableService = {
      key: vs.key.kind === 'fwmark' ? { kind: 'fwmark', mark: vs.key.mark } : { kind: 'address', protocol, address: vs.key.address, port },
      scheduler: vs.lbAlgo ?? DEFAULT_SCHEDULER,
      onePacket: false,
      destinations: [],
      line: vs.line,
    };
    if (persistent !== undefined) svc.persistent = persistent;
    if (vs.persistenceGranularity !== undefined) svc.netmask = vs.persistenceGranularity;
    for (const rs of vs.realServers) {
      const fwd = METHOD[realServerMethod(vs, rs)];
      const rport = vs.key.kind === 'fwmark' ? 0 : fwd !== 'masq' || rs.port === undefined || rs.port === 0 ? port : rs.port;
      svc.destinations.push({ address: rs.address, port: rport, fwd, weight: realServerWeight(rs), line: rs.line, ...(rs.uthreshold !== undefined ? { upperThreshold: rs.uthreshold } : {}), ...(rs.lthreshold !== undefined ? { lowerThreshold: rs.lthreshold } : {}) });
      for (const c of rs.checkers) {
        const s = checkerSettings(vs, rs, c);
        notes.push(`${c.kind} on ${rs.address} (every ${s.delayLoop}s, timeout ${s.connectTimeout}s, retry ${s.retry}, delay_before_retry ${s.delayBeforeRetry}s) is not run: the real server is shown healthy.`);
      }
    }
    if (vs.sorryServer) notes.push(`sorry_server ${vs.sorryServer.address} of ${vs.key.kind === 'address' ? vs.key.address : `fwmark ${vs.key.mark}`} is only added when the quorum is lost, which needs the health checks: it is not in the table.`);
    if (vs.alpha) notes.push(`alpha is set on virtual server line ${vs.line}: keepalived would start its real servers DOWN until their first good check; the scenario shows them up.`);
    table.services.push(svc);
  }
  return { table, addresses, notes };
}

export function describeLdirectord(cfg: LdirectordConfig): DirectorDescription {
  const notes: string[] = [];
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
    const ct = typeof e.checkType === 'object' ? `${e.checkType.combined} connect checks then negotiate` : e.checkType;
    notes.push(
      `ldirectord checks (${ct}${e.checkType === 'negotiate' ? ` of ${e.service} ${e.request}${e.receive ? ` expecting "${e.receive}"` : ''}` : ''}, every ${e.checkInterval}s, timeout ${e.checkType === 'negotiate' ? e.negotiateTimeout : e.checkTimeout}s, failurecount ${e.failureCount}, quiescent=${e.quiescent ? 'yes' : 'no'}) are not run: every real server is shown healthy.`,
    );
    if (e.fallback) notes.push(`fallback ${e.fallback.address}${e.fallback.port !== undefined ? `:${e.fallback.port}` : ''} (${e.fallback.forward}) is only inserted when every real server is down: it is not in the table.`);
  }
  return { table, addresses, notes };
}
