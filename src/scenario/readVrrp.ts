import { SECOND } from '../sim/index.ts';
import { isMulticast, parseIpv4, type Ipv4Address } from '../wire/index.ts';
import { VRRP_DEFAULTS, type VrrpInstanceConfig, type VrrpSyncGroupConfig, type VrrpTrackedInterface, type VrrpVirtualAddress } from '../apps/daemons/index.ts';
import { bool, ipv4, seconds } from './daemonValues.ts';
import type { Field, FieldReader } from './fields.ts';
import type { ReadContext } from './readContext.ts';

/**
 * The VRRP part of a host's `keepalived:` block (docs/scenario-format.md, "Daemons"): `vrrp_instances` and
 * `vrrp_sync_groups`, keyed by name as keepalived.conf's `vrrp_instance NAME` and `vrrp_sync_group NAME` blocks,
 * with keepalived.conf's keywords and, for `virtual_ipaddress` and `track_interface`, its line syntax.
 */

export type IfaceRef = (v: Field, name: string) => void;

const VRRP_KEYS = [
  'state',
  'interface',
  'virtual_router_id',
  'priority',
  'advert_int',
  'version',
  'nopreempt',
  'preempt_delay',
  'auth_pass',
  'virtual_ipaddress',
  'garp_master_repeat',
  'garp_master_delay',
  'garp_interval',
  'garp_lower_prio_repeat',
  'garp_lower_prio_delay',
  'lower_prio_no_advert',
  'higher_prio_send_advert',
  'mcast_group4',
  'unicast_peer',
  'unicast_src_ip',
  'unicast_ttl',
  'check_unicast_src',
  'track_interface',
  'dont_track_primary',
] as const;
const SYNC_GROUP_KEYS = ['group', 'sync_group_tracking_weight'] as const;

export function readVrrp(ctx: ReadContext, name: string, f: Field, ref: IfaceRef): VrrpInstanceConfig {
  const r: FieldReader = ctx.r;
  const v = r.fields(f, VRRP_KEYS, 'a vrrp instance: a mapping with interface, virtual_router_id, virtual_ipaddress and optionally state, priority, advert_int, ...');
  const c: { -readonly [K in keyof VrrpInstanceConfig]: VrrpInstanceConfig[K] } = { ...VRRP_DEFAULTS, name, interface: '', vrid: 0, virtualAddresses: [] };
  let nopreempt: Field | undefined;
  v.read<(typeof VRRP_KEYS)[number]>({
    state: (x) => (c.state = r.oneOf(x, ['MASTER', 'BACKUP'], 'a state: MASTER or BACKUP')),
    interface: (x) => {
      c.interface = r.text(x, 'an interface name', { singleLine: true });
      ref(x, c.interface);
    },
    virtual_router_id: (x) => (c.vrid = r.integer(x, 1, 255, 'a virtual_router_id 1..255')),
    priority: (x) => (c.priority = r.integer(x, 1, 255, 'a priority 1..255')),
    advert_int: (x) => {
      c.advertInt = seconds(ctx, x, 'an advert_int');
      if (c.advertInt < 10 * 1_000_000 || c.advertInt > 255 * SECOND) r.fail(x, 'an advert_int from 0.01 to 255 seconds');
    },
    version: (x) => (c.version = r.integer(x, 2, 3, 'a VRRP version: 2 or 3') as 2 | 3),
    nopreempt: (x) => {
      nopreempt = x;
      c.preempt = !bool(ctx, x, 'nopreempt');
    },
    preempt_delay: (x) => {
      c.preemptDelay = seconds(ctx, x, 'a preempt_delay');
      if (c.preemptDelay > 1000 * SECOND) r.fail(x, 'a preempt_delay from 0 to 1000 seconds');
    },
    auth_pass: (x) => (c.authPass = r.text(x, 'a password (the first 8 characters count)', { singleLine: true })),
    virtual_ipaddress: (x) => (c.virtualAddresses = r.items(x, 'a list of addresses: A.B.C.D[/N] [dev IF] [label IF:TAG]').map((item) => vipLine(ctx, item, ref))),
    garp_master_repeat: (x) => (c.garpMasterRepeat = r.integer(x, 1, 255, 'a garp_master_repeat 1..255')),
    garp_master_delay: (x) => (c.garpMasterDelay = seconds(ctx, x, 'a garp_master_delay')),
    garp_interval: (x) => (c.garpInterval = seconds(ctx, x, 'a garp_interval')),
    garp_lower_prio_repeat: (x) => (c.garpLowerPrioRepeat = r.integer(x, 0, 255, 'a garp_lower_prio_repeat 0..255 (0: no gratuitous ARPs)')),
    garp_lower_prio_delay: (x) => {
      // keepalived reads an integer number of seconds (read_unsigned, at most UINT_MAX / TIMER_HZ).
      c.garpLowerPrioDelay = seconds(ctx, x, 'a garp_lower_prio_delay');
      if (c.garpLowerPrioDelay % SECOND !== 0 || c.garpLowerPrioDelay > 4294 * SECOND) r.fail(x, 'a garp_lower_prio_delay in whole seconds, 0..4294 (0: no second set)');
    },
    lower_prio_no_advert: (x) => (c.lowerPrioNoAdvert = bool(ctx, x, 'lower_prio_no_advert')),
    higher_prio_send_advert: (x) => (c.higherPrioSendAdvert = bool(ctx, x, 'higher_prio_send_advert')),
    mcast_group4: (x) => (c.mcastGroup = ipv4(ctx, x, 'a multicast group address (224.0.0.18)')),
    unicast_peer: (x) => (c.unicastPeers = unicastPeers(ctx, x)),
    unicast_src_ip: (x) => (c.unicastSrcIp = unicastAddress(ctx, x, 'a unicast source address A.B.C.D')),
    unicast_ttl: (x) => (c.unicastTtl = r.integer(x, 0, 255, 'a unicast_ttl 0..255')),
    check_unicast_src: (x) => (c.checkUnicastSrc = bool(ctx, x, 'check_unicast_src')),
    track_interface: (x) => (c.trackInterfaces = trackInterfaces(ctx, x, ref)),
    dont_track_primary: (x) => (c.dontTrackPrimary = bool(ctx, x, 'dont_track_primary')),
  });
  // keepalived (vrrp_complete_instance): an instance with state MASTER and no priority is the address owner.
  if (c.state === 'MASTER' && v.get('priority') === undefined) c.priority = 255;
  v.require('interface', 'an interface: key naming the interface adverts go out of');
  v.require('virtual_router_id', 'a virtual_router_id: key (1..255, the same on every director of the pair)');
  if (c.version === 3 && c.authPass !== undefined) r.fail(v.get('auth_pass')!, 'no auth_pass with version 3 (VRRPv3 has no authentication)');
  if (nopreempt && !c.preempt && c.state === 'MASTER') r.fail(nopreempt, 'nopreempt only with state BACKUP (keepalived ignores it with MASTER)');
  // keepalived: "Cannot use unicast_ttl without unicast peers - resetting"; check_unicast_src has nothing to check.
  for (const key of ['unicast_ttl', 'check_unicast_src'] as const) {
    const x = v.get(key);
    if (x && c.unicastPeers.length === 0) r.fail(x, `${key} only with unicast_peer (adverts go to the multicast group without peers)`, key);
  }
  return c;
}

/** keepalived's virtual_ipaddress line: `A.B.C.D[/N] [dev IF] [label IF:TAG]` (default /32). */
function vipLine(ctx: ReadContext, f: Field, ref: IfaceRef): VrrpVirtualAddress {
  const expected = 'an address line A.B.C.D[/N] [dev IF] [label IF:TAG]';
  const words = ctx.r.text(f, expected, { singleLine: true }).trim().split(/\s+/);
  const [a, len] = words[0].split('/');
  const address = parseIpv4(a);
  const prefixLen = len === undefined ? 32 : /^\d+$/.test(len) ? Number(len) : NaN;
  if (address === undefined || !(prefixLen >= 0 && prefixLen <= 32)) ctx.r.fail(f, expected);
  let dev: string | undefined;
  let label: string | undefined;
  for (let i = 1; i < words.length; i += 2) {
    const value = words[i + 1];
    if (value === undefined || (words[i] !== 'dev' && words[i] !== 'label')) ctx.r.fail(f, expected, JSON.stringify(words.slice(i).join(' ')));
    if (words[i] === 'dev') {
      dev = value;
      ref(f, value);
    } else label = value;
  }
  if (label !== undefined && !label.startsWith(`${dev ?? ''}`)) ctx.r.fail(f, 'a label starting with the device name (eth0:vip)');
  return { address, prefixLen, dev, label };
}

/** A unicast address (not multicast, broadcast or 0.0.0.0): a peer or the adverts' source. */
function unicastAddress(ctx: ReadContext, f: Field, expected: string): Ipv4Address {
  const a = ipv4(ctx, f, expected);
  if (a === 0 || a === 0xffffffff || isMulticast(a)) ctx.r.fail(f, expected);
  return a;
}

/** `unicast_peer: [A.B.C.D, …]` (keepalived's `unicast_peer { … }` block, one address a line). */
function unicastPeers(ctx: ReadContext, f: Field): Ipv4Address[] {
  const items = ctx.r.items(f, 'a list of unicast peer addresses A.B.C.D');
  const peers: Ipv4Address[] = [];
  for (const item of items) {
    const a = unicastAddress(ctx, item, 'a unicast peer address A.B.C.D');
    if (peers.includes(a)) ctx.r.fail(item, 'each unicast peer once', 'a peer twice');
    peers.push(a);
  }
  return peers;
}

/** keepalived's track_interface line: `IF [weight −253..253] [reverse|noreverse]`; each interface once. */
function trackInterfaces(ctx: ReadContext, f: Field, ref: IfaceRef): VrrpTrackedInterface[] {
  const expected = 'a track_interface line IF [weight -253..253] [reverse]';
  const out: VrrpTrackedInterface[] = [];
  for (const item of ctx.r.items(f, 'a list of track_interface lines: IF [weight N] [reverse]')) {
    const words = ctx.r.text(item, expected, { singleLine: true }).trim().split(/\s+/);
    const name = words[0];
    let weight = 0;
    let reverse = false;
    let i = 1;
    if (words[i] === 'weight') {
      const n = /^[+-]?\d+$/.test(words[i + 1] ?? '') ? Number(words[i + 1]) : NaN;
      if (!(n >= -253 && n <= 253)) ctx.r.fail(item, expected, JSON.stringify(words.slice(i).join(' ')));
      weight = n;
      i += 2;
    }
    if (words[i] === 'reverse' || words[i] === 'noreverse') reverse = words[i++] === 'reverse';
    if (i < words.length) ctx.r.fail(item, expected, JSON.stringify(words.slice(i).join(' ')));
    if (out.some((t) => t.name === name)) ctx.r.fail(item, 'each interface once in track_interface', JSON.stringify(name));
    ref(item, name);
    out.push({ name, weight, reverse });
  }
  return out;
}

/**
 * `vrrp_sync_groups: { NAME: { group: [VI_1, VI_2], sync_group_tracking_weight: no } }`: each member an instance
 * of this block, each instance in one group at most (keepalived: "cannot exist in more than one sync group"),
 * two members at least (keepalived warns of a lone member: "this probably isn't what you want").
 */
export function readSyncGroups(ctx: ReadContext, f: Field, instances: readonly VrrpInstanceConfig[]): VrrpSyncGroupConfig[] {
  const r: FieldReader = ctx.r;
  const member = new Map<string, string>();
  const names = instances.map((i) => i.name);
  return [...r.mapEntries(f, 'a mapping of sync group names to { group: [instance, ...] }').values()].map((e) => {
    const g = r.fields(e, SYNC_GROUP_KEYS, 'a sync group: a mapping with group (a list of vrrp instance names) and optionally sync_group_tracking_weight');
    const list = g.require('group', 'a group: key listing the vrrp instances that change state together');
    const items = r.items(list, 'a list of at least two vrrp instance names');
    if (items.length < 2) r.fail(list, 'a list of at least two vrrp instance names');
    const members = items.map((item) => {
      const n = r.text(item, `a vrrp instance name (${names.join(', ') || 'none'})`, { singleLine: true });
      if (!names.includes(n)) r.fail(item, `one of the vrrp_instances (${names.join(', ') || 'none'})`);
      const other = member.get(n);
      if (other !== undefined) r.fail(item, `an instance not yet in a sync group (${n} is in ${other})`);
      member.set(n, e.key);
      return n;
    });
    const w = g.get('sync_group_tracking_weight');
    return { name: e.key, instances: members, trackingWeight: w ? bool(ctx, w, 'sync_group_tracking_weight') : false };
  });
}
