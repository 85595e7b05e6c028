/**
 * A director's IPVS table as plain data: what every importer reduces its configuration to (ipvsadm -S text,
 * keepalived virtual_server blocks, ldirectord virtual sections) and what the scenario generator turns into
 * `ipvsadm` commands. Addresses are dotted quads; the order of services and destinations is the file's order.
 */

export type IpvsForwarding = 'masq' | 'route' | 'tunnel';
export type IpvsProtocol = 'tcp' | 'udp' | 'sctp';

export type IpvsServiceKey = { kind: 'address'; protocol: IpvsProtocol; address: string; port: number } | { kind: 'fwmark'; mark: number };

export interface IpvsTableDestination {
  address: string;
  port: number;
  fwd: IpvsForwarding;
  weight: number;
  upperThreshold?: number;
  lowerThreshold?: number;
  /** line of the config that declared it */
  line: number;
}

export interface IpvsTableService {
  key: IpvsServiceKey;
  scheduler: string;
  /** persistence timeout in seconds; absent = not persistent */
  persistent?: number;
  /** persistence granularity (dotted netmask); absent = 255.255.255.255 */
  netmask?: string;
  onePacket: boolean;
  /** -b flags as written (sh-fallback,sh-port, ...) */
  schedFlags?: string;
  destinations: IpvsTableDestination[];
  line: number;
}

export interface IpvsTable {
  services: IpvsTableService[];
}

const FWD_SWITCH: Record<IpvsForwarding, string> = { masq: '-m', route: '-g', tunnel: '-i' };

export function serviceOption(key: IpvsServiceKey): string {
  if (key.kind === 'fwmark') return `-f ${key.mark}`;
  const sw = key.protocol === 'tcp' ? '-t' : key.protocol === 'udp' ? '-u' : '--sctp-service';
  return `${sw} ${key.address}:${key.port}`;
}

/** `ipvsadm -S -n` lines for a table (without the `ipvsadm` word), in the table's own order. */
export function ipvsTableRules(table: IpvsTable): string[] {
  const out: string[] = [];
  for (const s of table.services) {
    const svc = serviceOption(s.key);
    let a = `-A ${svc} -s ${s.scheduler}`;
    if (s.persistent !== undefined) {
      a += ` -p ${s.persistent}`;
      if (s.netmask !== undefined && s.netmask !== '255.255.255.255') a += ` -M ${s.netmask}`;
    }
    if (s.onePacket) a += ' -o';
    if (s.schedFlags !== undefined) a += ` -b ${s.schedFlags}`;
    out.push(a);
    for (const d of s.destinations) {
      let l = `-a ${svc} -r ${d.address}:${d.port} ${FWD_SWITCH[d.fwd]} -w ${d.weight}`;
      if (d.upperThreshold !== undefined) l += ` -x ${d.upperThreshold}`;
      if (d.lowerThreshold !== undefined) l += ` -y ${d.lowerThreshold}`;
      out.push(l);
    }
  }
  return out;
}

export function serviceLabel(key: IpvsServiceKey): string {
  return key.kind === 'fwmark' ? `FWM ${key.mark}` : `${key.protocol.toUpperCase()} ${key.address}:${key.port}`;
}
