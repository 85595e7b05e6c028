import { buildScenario, loadScenario } from '../../../../src/scenario/index.ts';
import type { TraceEvent } from '../../../../src/trace/index.ts';
import { payloadText, type Frame, type TcpSegment } from '../../../../src/wire/index.ts';

export interface FtpScenarioOptions {
  /** Director commands after its addresses (ipvsadm, modprobe, iptables). */
  director: string[];
  /** Extra `timeline:` entries (YAML flow mappings). */
  timeline?: string[];
  /** `every` of the FTP workload's arrivals, and its start and stop. */
  every?: string;
  start?: string;
  stop?: string;
  duration?: string;
  /** `nat` (default): real servers behind the director; `dr`: on the director's segment, VIP on lo. */
  mode?: 'nat' | 'dr';
  /** The FTP workload's `ftp_mode` (default: passive). */
  ftpMode?: 'passive' | 'active';
}

/** A TCP segment seen on a segment's wire, with its payload as text. */
export interface WireSegment {
  readonly segment: string;
  readonly t: number;
  readonly src: string;
  readonly dst: string;
  readonly tcp: TcpSegment;
  readonly text: string;
}

const dotted = (a: number) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;

/**
 * The seed lesson's addresses, reduced: client c 81.57.54.10 on `wan`; director d with the VIP 81.57.54.100 on
 * eth0 and 192.168.0.254 on `lan`; rs1 192.168.0.2 and rs2 192.168.0.3 serving FTP (passive ports 50000-50099).
 * Rewriting `192,168,0,2` as `81,57,54,100` makes a 227 reply one byte longer. With `mode: dr` the real servers
 * sit on `wan` too (81.57.54.2 and .3), hold the VIP on lo and answer the client directly; the director then
 * has 81.57.54.1 as its primary address (the source of its ARP requests, which the real servers must not own).
 */
export function ftpScenario(o: FtpScenarioOptions) {
  const dr = o.mode === 'dr';
  const rs = [1, 2]
    .map((k) => {
      const addr = dr ? `81.57.54.${k + 1}/24` : `192.168.0.${k + 1}/24`;
      const extra = dr
        ? `    sysctl:
      net.ipv4.conf.all.arp_ignore: 1
      net.ipv4.conf.all.arp_announce: 2
    commands:
      - ip addr add 81.57.54.100/32 dev lo`
        : `    commands:
      - ip route add default via 192.168.0.254`;
      return `  rs${k}:
    interfaces:
      eth0: { segment: ${dr ? 'wan' : 'lan'}, addresses: [${addr}] }
${extra}
    services:
      - { port: 21, app: ftp, passive_ports: 50000-50099 }`;
    })
    .join('\n');
  const text = `name: ftp helper
duration: ${o.duration ?? '5s'}
segments: { wan: {}, lan: {} }
hosts:
  c:
    interfaces:
      eth0: { segment: wan, addresses: [81.57.54.10/24] }
  d:
    interfaces:
      eth0: { segment: wan, addresses: [${dr ? '81.57.54.1/24, ' : ''}81.57.54.100/24] }
      eth1: { segment: lan, addresses: [192.168.0.254/24] }
    sysctl:
      net.ipv4.ip_forward: 1
    commands:
${o.director.map((c) => `      - ${c}`).join('\n')}
${rs}
${o.timeline && o.timeline.length > 0 ? `timeline:\n${o.timeline.map((t) => `  - ${t}`).join('\n')}` : ''}
workload:
  - { name: ftp, from: c, protocol: ftp, to: 81.57.54.100:21, arrivals: { every: ${o.every ?? '300ms'} }, start: ${o.start ?? '1s'}, stop: ${o.stop ?? '3s'}, response: 20KB, timeout: 3s${o.ftpMode ? `, ftp_mode: ${o.ftpMode}` : ''} }
`;
  const spec = loadScenario(text, 'ftp.yaml');
  const built = buildScenario(spec);
  const world = built.world;
  const events = world.memory.events as TraceEvent[];
  const wire: WireSegment[] = [];
  world.taps.push((segment: string, t: number, f: Frame) => {
    if (f.body.kind !== 'ipv4' || f.body.l4.proto !== 'tcp') return;
    const tcp = f.body.l4;
    wire.push({ segment, t, src: `${dotted(f.body.ip.src)}:${tcp.sport}`, dst: `${dotted(f.body.ip.dst)}:${tcp.dport}`, tcp, text: payloadText(tcp.payload) });
  });
  const run = () => world.sim.runUntil(spec.duration);
  return { world, built, events, wire, run };
}

export function appEvents(events: readonly TraceEvent[], event: string) {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'app' }> => e.kind === 'app' && e.host === 'c' && e.event === event);
}

export function ipvsEvents(events: readonly TraceEvent[], event: string) {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'ipvs' }> => e.kind === 'ipvs' && e.event === event);
}

export function commandEvents(events: readonly TraceEvent[]) {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'command' }> => e.kind === 'command');
}
