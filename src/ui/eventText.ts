import type { PacketSummary, TraceEvent } from '../trace/index.ts';

/**
 * One-line texts for the trace table, computed from the trace alone (the UI never looks into core objects).
 * Packet lines follow tcpdump's shape (`IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S] ...`) closely enough to be
 * read by someone who knows tcpdump, but they are built from the trace's packet summary, not from bytes.
 */

const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply',
  3: 'unreachable',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
};

const UNREACH_CODES: Record<number, string> = {
  0: 'net',
  1: 'host',
  2: 'protocol',
  3: 'port',
  4: 'need to frag',
  13: 'admin prohibited',
};

type IpLayers = Omit<PacketSummary, 'pid' | 'parent' | 'eth' | 'arp'>;

/** The packet summary as one line, outermost header first, ending with its lineage ids. */
export function packetText(p: PacketSummary): string {
  let text: string;
  if (p.arp) {
    const a = p.arp;
    if (a.op === 'request') text = `ARP request who-has ${a.tpa} tell ${a.spa}`;
    else if (a.op === 'reply') text = `ARP reply ${a.spa} is-at ${a.sha}`;
    else text = `ARP op ${a.op} ${a.spa} (${a.sha}) > ${a.tpa} (${a.tha})`;
  } else if (p.ip) {
    text = ipText(p);
  } else if (p.eth) {
    text = `ethertype ${typeof p.eth.type === 'number' ? `0x${p.eth.type.toString(16).padStart(4, '0')}` : p.eth.type}`;
  } else {
    text = '(no headers)';
  }
  const lineage = p.parent !== undefined ? ` #${p.pid}<${p.parent}` : ` #${p.pid}`;
  return text + lineage;
}

function ipText(p: IpLayers): string {
  const ip = p.ip!;
  if (p.tcp) {
    const t = p.tcp;
    return `IP ${ip.src}.${t.sport} > ${ip.dst}.${t.dport}: Flags [${t.flags}], seq ${t.seq}, ack ${t.ack}, length ${t.len}`;
  }
  if (p.udp) return `IP ${ip.src}.${p.udp.sport} > ${ip.dst}.${p.udp.dport}: UDP, length ${p.udp.len}`;
  if (p.icmp) {
    const i = p.icmp;
    let what = ICMP_NAMES[i.type] ?? `type ${i.type}`;
    if (i.type === 3) what += ` (${UNREACH_CODES[i.code] ?? `code ${i.code}`})`;
    else if (i.code !== 0) what += ` code ${i.code}`;
    if (i.id !== undefined) what += `, id ${i.id}, seq ${i.seq ?? 0}`;
    if (i.mtu !== undefined) what += `, mtu ${i.mtu}`;
    if (i.gateway !== undefined) what += `, to ${i.gateway}`;
    const about = p.inner?.ip ? ` about [${ipText(p.inner)}]` : '';
    return `IP ${ip.src} > ${ip.dst}: ICMP ${what}, ttl ${ip.ttl}${about}`;
  }
  if (p.inner?.ip) return `IP ${ip.src} > ${ip.dst}: IPIP [${ipText(p.inner)}]`;
  if (p.vrrp) return `IP ${ip.src} > ${ip.dst}: VRRPv${p.vrrp.v}, Advertisement, vrid ${p.vrrp.vrid}, prio ${p.vrrp.prio}, intvl ${p.vrrp.v === 2 ? `${p.vrrp.int}s` : `${p.vrrp.int}cs`}, addrs ${p.vrrp.addrs}, ttl ${ip.ttl}`;
  return `IP ${ip.src} > ${ip.dst}: proto ${ip.proto}, length ${ip.len}`;
}

/** The event-specific part of a trace row (time, host, interface and kind have their own columns). */
export function eventText(e: TraceEvent): string {
  switch (e.kind) {
    case 'tx':
    case 'rx':
      return packetText(e.pkt);
    case 'drop': {
      const pkt = e.pkt ? ` ${packetText(e.pkt)}` : '';
      const detail = e.detail ? ` (${e.detail})` : '';
      return `${e.reason}${detail}:${pkt}`;
    }
    case 'neigh': {
      if (e.event === 'table-full') return `${e.address}: neighbor table overflow! (no entry made)`;
      const entry = `${e.address} ${e.state}${e.lladdr !== undefined ? ` lladdr ${e.lladdr}` : ''}`;
      return e.event === undefined ? entry : `${entry} removed (${e.event === 'forced-gc' ? 'forced' : 'periodic'} garbage collection)`;
    }
    case 'command': {
      const first = e.output.split('\n').find((l) => l.trim() !== '') ?? '';
      return `$ ${e.run} → exit ${e.exit}${first ? ` | ${first}` : ''}`;
    }
    case 'route': {
      const via = e.via !== undefined ? ` via ${e.via}` : '';
      const dev = e.oif !== undefined ? ` dev ${e.oif}` : '';
      const table = e.table !== undefined ? ` table ${e.table}` : '';
      return `${e.decision}${via}${dev}${table}: ${packetText(e.pkt)}`;
    }
    case 'nf':
      return `${e.table}/${e.hook} ${e.target}: ${packetText(e.pkt)}`;
    case 'icmp':
      return `sent ICMP ${ICMP_NAMES[e.type] ?? `type ${e.type}`} code ${e.code} to ${e.to} about #${e.about}`;
    case 'tcp':
      return `${e.local} ⇄ ${e.remote}: ${e.from} → ${e.to}`;
    case 'link':
      return e.cable ? `cable ${e.state === 'up' ? 'plugged in' : 'unplugged'}` : e.state;
    case 'fault':
      return `${e.fault}${e.detail !== undefined ? `: ${e.detail}` : ''}`;
    case 'narration':
      return `narration ${e.step + 1}: ${e.text}`;
    case 'app':
      return `${e.app} ${e.event}${e.detail !== undefined ? `: ${e.detail}` : ''}`;
    case 'cpu':
      return `IPVS CPU: ${e.busy}ns busy, ${e.processed} packets processed, ${e.refused} refused, ${e.queued} queued`;
    case 'ipvs':
      return ipvsText(e);
    case 'health':
      return `${e.daemon}: ${e.server} of ${e.service} ${e.event}${e.check !== undefined ? ` (${e.check})` : ''}${e.action !== undefined ? ` → ${e.action}` : ''}${e.detail !== undefined ? `: ${e.detail}` : ''}`;
    case 'vrrp':
      return `VRRP ${e.instance} (vrid ${e.vrid}, prio ${e.priority}): ${e.from} → ${e.to}: ${e.reason}`;
    default:
      return otherText(e);
  }
}

function ipvsText(e: Extract<TraceEvent, { kind: 'ipvs' }>): string {
  if (e.event === 'log') return e.detail ?? '';
  const who = `${e.proto ?? ''} ${e.client ?? ''} → ${e.virtual ?? ''}${e.dest !== undefined ? ` → ${e.dest}` : ''}`.trim();
  switch (e.event) {
    case 'conn':
      return `new connection ${who} (${e.fwd ?? ''}) by ${e.service ?? ''}`;
    case 'template':
      return `persistence template ${who}`;
    case 'state':
      return `${who}: ${e.state ?? ''}`;
    case 'expire':
      return `expired ${who}${e.state !== undefined ? ` in ${e.state}` : ''}`;
    case 'sync':
      return `synced from the master: ${who} (${e.fwd ?? ''}) ${e.state ?? ''}`;
    case 'app':
      return `${e.detail ?? ''}: entry ${who} ${e.state ?? ''}`;
  }
}

/** Kinds added to the trace after this table was written still show, as their fields in JSON. */
function otherText(e: never): string {
  const { t: _t, seq: _seq, kind: _kind, host: _host, iface: _iface, ...rest } = e as Record<string, unknown>;
  return JSON.stringify(rest);
}

/** Where an event happened: the interface, or the switch of a segment for events at a switch. */
export function placeText(e: TraceEvent): string {
  if (e.iface !== undefined) return e.iface;
  if (e.segment !== undefined) return `switch ${e.segment}`;
  return '';
}
