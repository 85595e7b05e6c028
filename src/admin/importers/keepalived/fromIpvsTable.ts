import type { IpvsForwarding, IpvsTable } from '../ipvsTable.ts';
import { emptyKeepalivedConfig, type KeepalivedConfig, type LvsMethod, type RealServer, type VirtualServer } from './model.ts';

/**
 * A director's IPVS table (and the VIPs it holds) as a keepalived.conf model, for `lvs-lab export --format
 * keepalived`: one vrrp_instance holding the VIPs on their interfaces (MASTER, priority 100, VRID 51 — a
 * single director's file; edit for a pair), one virtual_server per service with its scheduler, method and
 * persistence, one real_server per destination with its weight and a TCP_CHECK for TCP services (keepalived
 * needs a checker to manage a server; UDP services get none). Per-destination methods that differ from the
 * service's first are written as `lvs_method` on the real server.
 */
export interface ExportVip {
  address: string;
  prefix: number;
  dev: string;
  label?: string;
}

const METHOD: Record<IpvsForwarding, LvsMethod> = { masq: 'NAT', route: 'DR', tunnel: 'TUN' };

export function keepalivedFromIpvsTable(table: IpvsTable, vips: readonly ExportVip[], routerId: string): KeepalivedConfig {
  const cfg = emptyKeepalivedConfig();
  cfg.globalDefs.routerId = routerId;
  if (vips.length > 0) {
    cfg.vrrpInstances.push({
      line: 0,
      name: 'VI_1',
      state: 'MASTER',
      interface: vips[0].dev,
      virtualRouterId: 51,
      priority: 100,
      advertInt: 1,
      unicastPeers: [],
      virtualIpAddresses: vips.map((v) => ({ line: 0, address: v.address, prefix: v.prefix, dev: v.dev, noTrack: false, ...(v.label !== undefined ? { label: v.label } : {}) })),
      virtualIpAddressesExcluded: [],
      trackInterfaces: [],
      trackScripts: [],
    });
  }
  for (const s of table.services) {
    const kind = s.destinations.length > 0 ? METHOD[s.destinations[0].fwd] : 'NAT';
    const vs: VirtualServer = {
      line: 0,
      key: s.key.kind === 'fwmark' ? { kind: 'fwmark', mark: s.key.mark } : { kind: 'address', address: s.key.address, port: s.key.port },
      lbAlgo: s.scheduler,
      lbKind: kind,
      delayLoop: 6,
      alpha: false,
      omega: false,
      haSuspend: false,
      inhibitOnFailure: false,
      sorryServerInhibit: false,
      realServers: [],
    };
    if (s.key.kind === 'address') vs.protocol = s.key.protocol === 'udp' ? 'UDP' : s.key.protocol === 'sctp' ? 'SCTP' : 'TCP';
    if (s.persistent !== undefined) vs.persistenceTimeout = s.persistent;
    if (s.onePacket) vs.ops = true;
    // keepalived has keywords for the sh and mh flags only (flag-1..3 of other schedulers have none).
    if (s.schedFlags) vs.schedFlags = s.schedFlags.split(',').filter((f) => /^(sh|mh)-(port|fallback)$/.test(f));
    if (s.netmask !== undefined && s.netmask !== '255.255.255.255') vs.persistenceGranularity = s.netmask;
    for (const d of s.destinations) {
      const rs: RealServer = { line: 0, address: d.address, weight: d.weight, checkers: [] };
      if (s.key.kind === 'address') rs.port = d.port;
      if (METHOD[d.fwd] !== kind) rs.lvsMethod = METHOD[d.fwd];
      if (d.upperThreshold !== undefined) rs.uthreshold = d.upperThreshold;
      if (d.lowerThreshold !== undefined) rs.lthreshold = d.lowerThreshold;
      if (s.key.kind === 'fwmark' || s.key.protocol === 'tcp') rs.checkers.push({ kind: 'TCP_CHECK', line: 0, connectTimeout: 3, ...(s.key.kind === 'fwmark' ? { connectPort: d.port || 80 } : {}) });
      vs.realServers.push(rs);
    }
    cfg.virtualServers.push(vs);
  }
  return cfg;
}
