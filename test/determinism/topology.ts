import type { Dice } from './dice.ts';

/**
 * The network half of a generated scenario: who is plugged where, with which addresses, and how the director
 * is configured. Every choice keeps the scenario valid (it loads, its time-0 commands succeed) and, as far as
 * the chosen method allows, working: the addressing follows the shipped lessons (three-modes.yaml for NAT,
 * DR and TUN on one director, health-check-failover.yaml and vrrp-failover.yaml for the daemons).
 *
 * - clients on `wan` behind a router (10.0.0.0/24), or on the directors' `lan` itself (192.168.1.0/24);
 * - NAT: real servers on `inside` (10.1.1.0/24), the director their gateway;
 * - DR: real servers on `lan`, the VIP on `lo`, arp_ignore=1 and arp_announce=2;
 * - TUN: the same, plus `tunl0` up and rp_filter off; with a router, sometimes on a `remote` segment behind it;
 * - the director's IPVS table from `ipvsadm` commands, ldirectord, keepalived, or a keepalived VRRP pair.
 */

export const MODES = ['nat', 'dr', 'tun'] as const;
export type Mode = (typeof MODES)[number];

/** Every scheduler the kernel model registers (src/ipvs/schedulers/registry.ts). */
export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];

export const CONTROLS = ['ipvsadm', 'ldirectord', 'keepalived', 'vrrp-pair'] as const;
export type Control = (typeof CONTROLS)[number];

export const VIP = '192.168.1.110';

export interface RealServer {
  name: string;
  address: string;
  /** The port its HTTP service listens on (a NAT service may map the VIP's port 80 to 8080). */
  port: number;
  weight: number;
}

export interface Client {
  name: string;
  address: string;
  /** A client population for workloads, on the client's own link so the router resolves it by ARP. */
  prefix: string;
  megaproxy: string;
}

export interface Topology {
  mode: Mode;
  scheduler: SchedulerName;
  control: Control;
  router: boolean;
  /** TUN real servers on a segment of their own behind the router. */
  remote: boolean;
  /** Persistence timeout in seconds; 0 for none. */
  persistence: number;
  /** A DNS service at VIP:53 (UDP) besides HTTP at VIP:80. */
  udp: boolean;
  segments: string[];
  clients: Client[];
  directors: string[];
  servers: RealServer[];
  /** Milliseconds after which the VIP answers: VRRP needs its master-down interval first. */
  vipReadyMs: number;
}

const FLAG: Record<Mode, string> = { nat: '-m', dr: '-g', tun: '-i' };
const LD_METHOD: Record<Mode, string> = { nat: 'masq', dr: 'gate', tun: 'ipip' };
const LB_KIND: Record<Mode, string> = { nat: 'NAT', dr: 'DR', tun: 'TUN' };

/** The ipvsadm forwarding flag of a mode, for timeline edits. */
export function forwardingFlag(mode: Mode): string {
  return FLAG[mode];
}

export function drawTopology(d: Dice, index: number): Topology {
  // Scheduler and method go round by index, so any 42 consecutive scenarios cover every pair.
  const scheduler = SCHEDULERS[index % SCHEDULERS.length];
  const mode = MODES[index % MODES.length];
  const router = d.chance(0.6);
  const remote = mode === 'tun' && router && d.chance(0.5);
  const control = d.pick(mode === 'nat' ? CONTROLS.filter((c) => c !== 'vrrp-pair') : CONTROLS);
  const segments = [...(router ? ['wan'] : []), 'lan', ...(mode === 'nat' ? ['inside'] : []), ...(remote ? ['remote'] : [])];
  const clients: Client[] = [];
  const nClients = d.int(1, 2);
  for (let i = 0; i < nClients; i++) {
    clients.push(
      router
        ? { name: `client${i + 1}`, address: `10.0.0.${2 + i}`, prefix: `10.0.0.${128 + 64 * i}/26`, megaproxy: `10.0.0.${50 + i}` }
        : { name: `client${i + 1}`, address: `192.168.1.${201 + i}`, prefix: `192.168.1.${128 + 32 * i}/27`, megaproxy: `192.168.1.${50 + i}` },
    );
  }
  const net = mode === 'nat' ? '10.1.1' : remote ? '172.16.2' : '192.168.1';
  const natPort = mode === 'nat' && d.chance(0.3) ? 8080 : 80;
  const servers: RealServer[] = [];
  const nServers = d.int(2, 6);
  for (let i = 0; i < nServers; i++) {
    servers.push({ name: `rs${i + 1}`, address: `${net}.${11 + i}`, port: natPort, weight: d.pick([0, 1, 1, 1, 2, 3, 5]) });
  }
  return {
    mode,
    scheduler,
    control,
    router,
    remote,
    persistence: d.chance(0.25) ? d.pick([5, 30, 360]) : 0,
    udp: d.chance(0.3),
    segments,
    clients,
    directors: control === 'vrrp-pair' ? ['lvs1', 'lvs2'] : ['lvs1'],
    servers,
    vipReadyMs: control === 'vrrp-pair' ? 4000 : 0,
  };
}

/** The `segments:` and `hosts:` sections. */
export function topologyYaml(d: Dice, t: Topology): string[] {
  const L: string[] = ['segments:'];
  for (const s of t.segments) {
    const attrs = [
      d.chance(0.3) ? `bandwidth: ${d.pick(['10Mbit', '100Mbit', '1Gbit'])}` : '',
      d.chance(0.3) ? `latency: ${d.pick(['1us', '50us', '200us', '1ms'])}` : '',
      d.chance(0.2) ? `queue: ${d.int(5, 50)}` : '',
    ].filter((a) => a !== '');
    L.push(`  ${s}: { ${attrs.join(', ')} }`);
  }
  L.push('hosts:');
  for (const c of t.clients) {
    L.push(`  ${c.name}:`, '    role: client', '    interfaces:', `      eth0: { segment: ${t.router ? 'wan' : 'lan'}, addresses: [${c.address}/24] }`);
    if (t.router) L.push('    commands:', '      - ip route add default via 10.0.0.1');
  }
  if (t.router) {
    L.push('  router:', '    role: router', '    interfaces:', '      eth0: { segment: wan, addresses: [10.0.0.1/24] }', '      eth1: { segment: lan, addresses: [192.168.1.254/24] }');
    if (t.remote) L.push('      eth2: { segment: remote, addresses: [172.16.2.254/24] }');
    // Tunnelled replies leave the real servers with the VIP as source, which a strict router would refuse.
    L.push('    sysctl:', '      net.ipv4.ip_forward: 1', `      net.ipv4.conf.all.rp_filter: ${t.remote ? 0 : d.pick([0, 1, 2])}`);
  }
  t.directors.forEach((name, i) => L.push(...directorYaml(d, t, name, i)));
  for (const s of t.servers) L.push(...realServerYaml(d, t, s));
  return L;
}

function directorYaml(d: Dice, t: Topology, name: string, i: number): string[] {
  const L = [`  ${name}:`, '    role: director', '    interfaces:', `      eth0: { segment: lan, addresses: [192.168.1.${1 + i}/24] }`];
  if (t.mode === 'nat') L.push('      eth1: { segment: inside, addresses: [10.1.1.1/24] }');
  L.push('    sysctl:', `      net.ipv4.ip_forward: ${t.mode === 'nat' ? 1 : 0}`, '      net.ipv4.conf.all.send_redirects: 0');
  if (d.chance(0.3)) L.push(`    cpu: { per_packet: ${d.pick(['5us', '20us', '60us'])}, backlog: ${d.pick([5, 50, 1000])} }`);
  const cmds: string[] = [];
  if (t.control !== 'vrrp-pair') cmds.push(`ip addr add ${VIP}/${d.pick([24, 32])} dev eth0 label eth0:0`);
  if (t.router) cmds.push('ip route add default via 192.168.1.254');
  if (t.control === 'ipvsadm') cmds.push(...ipvsadmLines(d, t));
  if (d.chance(0.3)) {
    const knob = d.pick(['expire_nodest_conn=1', 'conn_reuse_mode=0', 'sloppy_tcp=1', 'expire_quiescent_template=1', 'lblc_expiration=2']);
    cmds.push('modprobe ip_vs', `sysctl -w net.ipv4.vs.${knob}`);
  }
  if (cmds.length > 0) L.push('    commands:', ...cmds.map((c) => `      - ${c}`));
  if (t.control === 'ldirectord') L.push(...ldirectordYaml(d, t));
  if (t.control === 'keepalived' || t.control === 'vrrp-pair') L.push(...keepalivedYaml(d, t, i));
  return L;
}

function schedulerFlags(d: Dice, t: Topology): string {
  if (t.scheduler === 'sh' && d.chance(0.5)) return ` -b ${d.pick(['sh-port', 'sh-fallback', 'sh-fallback,sh-port'])}`;
  if (t.scheduler === 'mh' && d.chance(0.5)) return ` -b ${d.pick(['mh-port', 'mh-fallback'])}`;
  return '';
}

function ipvsadmLines(d: Dice, t: Topology): string[] {
  const persist = t.persistence > 0 ? ` -p ${t.persistence}${d.chance(0.3) ? ' -M 255.255.255.0' : ''}` : '';
  const L = [`ipvsadm -A -t ${VIP}:80 -s ${t.scheduler}${persist}${schedulerFlags(d, t)}`];
  for (const s of t.servers) {
    const thresholds = d.chance(0.15) ? ` -x ${d.int(2, 6)} -y ${d.int(0, 1)}` : '';
    L.push(`ipvsadm -a -t ${VIP}:80 -r ${s.address}:${s.port} ${FLAG[t.mode]} -w ${s.weight}${thresholds}`);
  }
  if (t.udp) {
    L.push(`ipvsadm -A -u ${VIP}:53 -s ${t.scheduler}`);
    for (const s of t.servers) L.push(`ipvsadm -a -u ${VIP}:53 -r ${s.address}:53 ${FLAG[t.mode]} -w ${s.weight}`);
  }
  return L;
}

function ldirectordYaml(d: Dice, t: Topology): string[] {
  const L = [
    '    ldirectord:',
    `      checkinterval: ${d.int(1, 2)}`,
    '      checktimeout: 1',
    '      negotiatetimeout: 1',
    `      quiescent: ${d.pick(['yes', 'no'])}`,
    '      virtuals:',
    `        - virtual: ${VIP}:80`,
    '          protocol: tcp',
    `          scheduler: ${t.scheduler}`,
    `          checktype: ${d.pick(['negotiate', 'connect'])}`,
    '          service: http',
    '          request: /check.txt',
    '          receive: OK',
    '          real:',
    ...t.servers.map((s) => `            - ${s.address}:${s.port} ${LD_METHOD[t.mode]} ${s.weight}`),
  ];
  if (t.persistence > 0) L.push(`          persistent: ${t.persistence}`);
  if (t.udp) {
    L.push(`        - virtual: ${VIP}:53`, '          protocol: udp', `          scheduler: ${t.scheduler}`, `          checktype: ${d.pick(['ping', 'on'])}`, '          real:');
    L.push(...t.servers.map((s) => `            - ${s.address}:53 ${LD_METHOD[t.mode]} ${s.weight}`));
  }
  return L;
}

function keepalivedYaml(d: Dice, t: Topology, i: number): string[] {
  const L = ['    keepalived:'];
  if (t.control === 'vrrp-pair') {
    L.push(
      '      vrrp_instances:',
      '        VI_1:',
      `          state: ${i === 0 ? 'MASTER' : 'BACKUP'}`,
      '          interface: eth0',
      '          virtual_router_id: 51',
      `          priority: ${i === 0 ? 150 : 100}`,
      '          advert_int: 1',
      `          virtual_ipaddress: [${VIP}/24 dev eth0 label eth0:vip]`,
    );
  }
  const check = d.chance(0.5) ? '{ type: TCP_CHECK, connect_timeout: 1 }' : '{ type: HTTP_GET, url: [{ path: /check.txt, status_code: [200] }], connect_timeout: 1, retry: 1, delay_before_retry: 1 }';
  L.push(
    '      virtual_servers:',
    `        - virtual: ${VIP}:80`,
    '          protocol: tcp',
    `          lb_algo: ${t.scheduler}`,
    `          lb_kind: ${LB_KIND[t.mode]}`,
    `          delay_loop: ${d.int(1, 2)}`,
  );
  if (t.persistence > 0) L.push(`          persistence_timeout: ${t.persistence}`);
  L.push('          real_servers:', ...t.servers.map((s) => `            - { address: "${s.address}:${s.port}", weight: ${s.weight}, checks: [${check}] }`));
  if (t.udp) {
    L.push(`        - virtual: ${VIP}:53`, '          protocol: udp', `          lb_algo: ${t.scheduler}`, `          lb_kind: ${LB_KIND[t.mode]}`, '          real_servers:');
    L.push(...t.servers.map((s) => `            - { address: "${s.address}:53", weight: ${s.weight} }`));
  }
  if (t.control === 'vrrp-pair' && d.chance(0.6)) L.push('      lvs_sync_daemon: { interface: eth0, instance: VI_1 }');
  return L;
}

function realServerYaml(d: Dice, t: Topology, s: RealServer): string[] {
  const segment = t.mode === 'nat' ? 'inside' : t.remote ? 'remote' : 'lan';
  const L = [`  ${s.name}:`, '    role: real-server', '    interfaces:', `      eth0: { segment: ${segment}, addresses: [${s.address}/24] }`];
  const gateway = t.mode === 'nat' ? '10.1.1.1' : t.remote ? '172.16.2.254' : t.router ? '192.168.1.254' : undefined;
  const cmds = gateway !== undefined ? [`ip route add default via ${gateway}`] : [];
  if (t.mode !== 'nat') {
    L.push('    sysctl:', '      net.ipv4.conf.all.arp_ignore: 1', '      net.ipv4.conf.all.arp_announce: 2', '      net.ipv4.conf.all.rp_filter: 0');
    cmds.push(`ip addr add ${VIP}/32 dev lo`);
    if (t.mode === 'tun') cmds.push('modprobe ipip', 'ip link set tunl0 up', 'sysctl -w net.ipv4.conf.tunl0.rp_filter=0');
  }
  if (cmds.length > 0) L.push('    commands:', ...cmds.map((c) => `      - ${c}`));
  const extra = [
    d.chance(0.3) ? `service_time: ${d.pick(['2ms', '{ exponential: 5ms }', '{ pareto: 1ms, shape: 1.5 }'])}` : '',
    d.chance(0.2) ? `workers: ${d.int(1, 3)}, queue: ${d.int(1, 5)}` : '',
    d.chance(0.2) ? `speed: ${d.pick([0.5, 2, 3])}` : '',
  ].filter((x) => x !== '');
  L.push('    services:', `      - { port: ${s.port}, response: ${d.pick(['256B', '1KB', '4KB', '8KB'])}${extra.map((x) => `, ${x}`).join('')} }`);
  if (t.udp) L.push('      - { port: 53, protocol: udp }');
  return L;
}
