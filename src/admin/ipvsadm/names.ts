import { formatIpv4, type Ipv4Address } from '../../wire/index.ts';
import type { ServiceKey } from '../../ipvs/IpvsControl.ts';
import { portToService, type ServiceProtocol } from './etcServices.ts';

/**
 * addrport_to_anyname: `addr:port`. With `-n` both are numbers. Without it ipvsadm asks gethostbyaddr and
 * getservbyport; the lab has no resolver, so an address stays numeric (as one without a PTR record does)
 * except 127.0.0.1, which /etc/hosts calls localhost, while the port is named from the built-in
 * /etc/services for the entry's protocol.
 */
export function addrPortName(addr: Ipv4Address, port: number, proto: ServiceProtocol | undefined, numeric: boolean): string {
  if (numeric) return `${formatIpv4(addr)}:${port}`;
  const service = proto === undefined ? undefined : portToService(port, proto);
  return `${hostName(addr)}:${service ?? String(port)}`;
}

/** gethostbyaddr without DNS: the one name every /etc/hosts gives (127.0.0.1 localhost), else the number. */
function hostName(addr: Ipv4Address): string {
  return addr >>> 0 === 0x7f000001 ? 'localhost' : formatIpv4(addr);
}

/**
 * The protocol ipvsadm names a service's ports with. An fwmark service's entry carries no protocol over
 * netlink (the kernel sends only the mark), so its ports stay numbers.
 */
export function serviceProtocol(key: ServiceKey): ServiceProtocol | undefined {
  return key.kind === 'fwmark' ? undefined : key.protocol;
}

/** printf("%d") of a 32-bit unsigned mark. */
export function markText(mark: number): string {
  return String(mark | 0);
}

/** inet_ntoa of a netmask held as an unsigned 32-bit number. */
export function maskText(mask: number): string {
  return formatIpv4(mask >>> 0);
}
