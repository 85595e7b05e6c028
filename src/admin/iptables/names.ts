/**
 * The name tables iptables consults: protocol names (libxtables xtables_chain_protos and /etc/protocols),
 * service names for ports (/etc/services, the common ones), ICMP type names (libipt_icmp.c icmp_codes) and
 * syslog level names (libipt_LOG.c). The lab has no /etc files, so these are fixed excerpts of Debian's.
 */

/** xtables_chain_protos: the names `-n` listings and `-S` still print. */
const CHAIN_PROTOS: ReadonlyArray<readonly [string, number]> = [
  ['tcp', 6],
  ['sctp', 132],
  ['udp', 17],
  ['udplite', 136],
  ['icmp', 1],
  ['esp', 50],
  ['ah', 51],
  ['all', 0],
];

/** /etc/protocols names for numbers outside that list (non-numeric listings use these too). */
const OTHER_PROTOS: ReadonlyArray<readonly [string, number]> = [
  ['igmp', 2],
  ['ipencap', 4],
  ['gre', 47],
  ['vrrp', 112],
];

/** xtables_parse_protocol: a number 0–255, `all`, or a name; undefined if unknown. */
export function parseProtocol(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  if (text === 'ipip') return 4;
  for (const [name, num] of CHAIN_PROTOS) if (name === text) return num;
  for (const [name, num] of OTHER_PROTOS) if (name === text) return num;
  return undefined;
}

/** proto_to_name: the chain-proto name, or with lookups allowed also /etc/protocols; undefined = print the number. */
export function protocolName(num: number, numeric: boolean): string | undefined {
  if (!numeric && num !== 0) {
    for (const [name, n] of CHAIN_PROTOS) if (n === num) return name;
    for (const [name, n] of OTHER_PROTOS) if (n === num) return name;
  }
  for (const [name, n] of CHAIN_PROTOS) if (n === num) return name;
  return undefined;
}

/** A few /etc/services entries: [name, port, protocols]. */
const SERVICES: ReadonlyArray<readonly [string, number, 'tcp' | 'udp' | 'both']> = [
  ['ftp-data', 20, 'tcp'],
  ['ftp', 21, 'tcp'],
  ['ssh', 22, 'tcp'],
  ['telnet', 23, 'tcp'],
  ['smtp', 25, 'tcp'],
  ['domain', 53, 'both'],
  ['bootps', 67, 'udp'],
  ['bootpc', 68, 'udp'],
  ['http', 80, 'tcp'],
  ['pop3', 110, 'tcp'],
  ['ntp', 123, 'udp'],
  ['imap2', 143, 'tcp'],
  ['snmp', 161, 'udp'],
  ['https', 443, 'tcp'],
  ['ipp', 631, 'both'],
  ['mysql', 3306, 'tcp'],
  ['mdns', 5353, 'udp'],
  ['http-alt', 8080, 'tcp'],
];

export function serviceName(port: number, proto: 'tcp' | 'udp'): string | undefined {
  for (const [name, p, pr] of SERVICES) if (p === port && (pr === 'both' || pr === proto)) return name;
  return undefined;
}

export function servicePort(name: string, proto: 'tcp' | 'udp'): number | undefined {
  for (const [n, p, pr] of SERVICES) if (n === name && (pr === 'both' || pr === proto)) return p;
  if (name === 'www' && proto === 'tcp') return 80;
  return undefined;
}

/** libipt_icmp.c icmp_codes: name, type, code range. */
export const ICMP_TYPES: ReadonlyArray<readonly [string, number, number, number]> = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

/** Aliases parse_icmp accepts besides the table names. */
export const ICMP_ALIASES: Readonly<Record<string, string>> = { pong: 'echo-reply', ping: 'echo-request', 'ttl-exceeded': 'time-exceeded' };

/** libipt_LOG.c ipt_log_names, in the order listings search them. */
export const LOG_LEVELS: ReadonlyArray<readonly [string, number]> = [
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
];
