import { formatIpv4, isMulticast, VRRP_TTL, VrrpAuth, type Ipv4Address, type VrrpAdvert } from '../../../wire/index.ts';
import type { VrrpInstanceConfig } from './VrrpConfig.ts';
import { intervalField } from './vrrpTimers.ts';

/**
 * keepalived's vrrp_check_packet (keepalived 2.2.x vrrp.c; RFC 3768 §7.1, RFC 5798 §7.1) for an advert of the
 * instance's VRID: why the instance discards it, or undefined when it is valid. In check order:
 * - TTL 255 — only for multicast instances: keepalived skips the check when unicast peers are configured
 *   ("MUST verify that the IPv4 TTL is 255 (but not if unicast)"), since a unicast advert may cross routers;
 * - the same VRRP version; in v2 the same authentication and the same advert interval;
 * - a unicast instance takes only unicast adverts and a multicast one only multicast adverts ("Expected
 *   unicast packet but received multicast packet");
 * - with `check_unicast_src` (or the global `vrrp_check_unicast_src`) the source must be one of the unicast
 *   peers ("unicast source address … not a unicast peer"); without it keepalived takes a unicast advert from
 *   any source.
 */
export function advertProblem(c: VrrpInstanceConfig, ip: { readonly src: Ipv4Address; readonly dst: Ipv4Address; readonly ttl: number }, a: VrrpAdvert): string | undefined {
  const unicast = c.unicastPeers.length > 0;
  if (!unicast && ip.ttl !== VRRP_TTL) return `TTL ${ip.ttl}, not 255`;
  if (a.version !== c.version) return `VRRP version ${a.version}, we run ${c.version}`;
  if (a.version === 2) {
    const wantType = c.authPass !== undefined ? VrrpAuth.pass : VrrpAuth.none;
    if (a.authType !== wantType || (wantType === VrrpAuth.pass && a.authPass !== c.authPass!.slice(0, 8))) return 'authentication mismatch';
    if (a.interval !== intervalField(2, c.advertInt)) return `advert interval ${a.interval}s, ours ${intervalField(2, c.advertInt)}s`;
  }
  if (isMulticast(ip.dst) === unicast) return unicast ? 'a multicast advert, but this instance has unicast peers' : 'a unicast advert, but this instance has no unicast peers';
  if (unicast && c.checkUnicastSrc && !c.unicastPeers.includes(ip.src)) return `unicast source ${formatIpv4(ip.src)} is not a unicast peer`;
  return undefined;
}
