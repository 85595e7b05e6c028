import type { DropEvent } from '../../trace/index.ts';
import { packetText } from '../eventText.ts';
import type { Flight } from '../viewmodel/animation.ts';
import { PACKET_STYLES, type PacketKind } from '../viewmodel/packetKinds.ts';
import type { HostNode, SwitchNode, Topology } from '../viewmodel/topology.ts';
import { isTunnel } from './packetScene.ts';

/**
 * The lines of the stage's hover tooltip (and of the text alternative for what is under the pointer). Plain
 * strings: the stage puts them in the DOM with textContent only, since host names, addresses and drop details
 * come from a scenario or a trace.
 */

const ROLE_NAMES: Readonly<Record<HostNode['role'], string>> = {
  client: 'client',
  router: 'router',
  director: 'director (load balancer)',
  'real-server': 'real server',
  server: 'server',
};

export function packetTooltip(f: Flight, kind: PacketKind): string[] {
  const style = PACKET_STYLES[kind];
  const lines = [`${style.label} packet [${style.letter}]${isTunnel(f.pkt) ? ', IPIP tunnel (a packet inside a packet)' : ''}`, packetText(f.pkt)];
  const to = f.end === undefined ? 'on its way' : f.end.host !== undefined ? `${f.end.host}/${f.end.iface ?? '?'}` : `switch ${f.segment}`;
  lines.push(`${f.from.host}/${f.from.iface} → ${to} (segment ${f.segment})`);
  if (f.end?.kind === 'drop') lines.push(`will be dropped: ${f.end.reason ?? 'unknown'}${f.end.detail !== undefined ? ` (${f.end.detail})` : ''}`);
  return lines;
}

export function dropTooltip(d: DropEvent): string[] {
  const where = d.host !== undefined ? `at ${d.host}${d.iface !== undefined ? `/${d.iface}` : ''}` : d.segment !== undefined ? `at switch ${d.segment}` : '';
  const lines = [`Dropped ${where}: ${d.reason}`];
  if (d.detail !== undefined) lines.push(d.detail);
  if (d.pkt !== undefined) lines.push(packetText(d.pkt));
  return lines;
}

export function hostTooltip(h: HostNode): string[] {
  const lines = [h.name, `${ROLE_NAMES[h.role]}${h.roleFrom === 'inferred' ? ' (role guessed: the scenario gives none)' : ''}`];
  if (h.daemons.length > 0) lines.push(`runs ${h.daemons.join(', ')}`);
  for (const i of h.interfaces) {
    const parts = [i.name];
    if (i.segment !== undefined) parts.push(`on ${i.segment}`);
    if (i.addresses.length > 0) parts.push(i.addresses.join(' '));
    if (i.mac !== undefined) parts.push(i.mac);
    lines.push(parts.join('  '));
  }
  return lines;
}

export function switchTooltip(s: SwitchNode): string[] {
  return [`switch of segment ${s.name}`, s.hosts.length > 0 ? `cabled: ${s.hosts.join(', ')}` : 'nothing plugged in'];
}

/** The canvas's text alternative: what is on the stage, in words. */
export function describeTopology(t: Topology): string {
  const hosts = t.hosts.map((h) => `${h.name} (${ROLE_NAMES[h.role]})`).join(', ');
  const segments = t.switches.map((s) => `${s.name}: ${s.hosts.join(', ') || 'nothing'}`).join('; ');
  return `Network topology. Hosts: ${hosts}. Segments: ${segments}.`;
}
