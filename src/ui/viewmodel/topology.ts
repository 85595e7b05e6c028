/**
 * The drawable topology of a scenario: host nodes, one switch node per segment, and a link per plugged interface
 * (host/iface ↔ segment). Pure and deterministic: the same scenario gives the same picture, in Node and in the
 * browser, so the stage can be tested without a canvas.
 *
 * Hosts sit where the scenario's `position: [x, y]` puts them. Hosts without one get an automatic layout:
 * columns by graph distance from the clients (hosts are neighbours when they share a segment), rows in file
 * order. Segments have no position in the format, so each switch is placed by a small deterministic search:
 * near its hosts (shortest total cable length) but clear of every other node and of the cables already drawn,
 * so that no cable runs through a host it does not belong to.
 */

export type NodeRole = 'client' | 'router' | 'director' | 'real-server' | 'server';
export type Daemon = 'keepalived' | 'ldirectord';

/**
 * What the layout reads from a scenario. `Lab.spec` (a ScenarioSpec) fits it structurally, so the browser face
 * needs no import from `scenario`; tests can also pass small literals.
 */
export interface TopologySource {
  readonly segments: readonly { readonly name: string }[];
  readonly hosts: readonly HostSource[];
}

export interface HostSource {
  readonly name: string;
  readonly role?: NodeRole;
  readonly position?: readonly [number, number];
  readonly interfaces: readonly {
    readonly name: string;
    readonly segment?: string;
    readonly mac?: string;
    readonly addresses: readonly { readonly text: string }[];
  }[];
  readonly keepalived?: unknown;
  readonly ldirectord?: unknown;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface InterfaceInfo {
  readonly name: string;
  /** Absent for interfaces without a cable (`lo`). */
  readonly segment?: string;
  readonly mac?: string;
  /** As the scenario wrote them (`192.168.1.1/24`); addresses added by commands are not known here. */
  readonly addresses: readonly string[];
}

export interface HostNode {
  readonly kind: 'host';
  /** `host:NAME`. */
  readonly id: string;
  readonly name: string;
  readonly role: NodeRole;
  /** `inferred` when the scenario gave no role (see inferRole). */
  readonly roleFrom: 'scenario' | 'inferred';
  readonly position: Point;
  readonly placed: 'scenario' | 'auto';
  readonly interfaces: readonly InterfaceInfo[];
  readonly daemons: readonly Daemon[];
}

export interface SwitchNode {
  readonly kind: 'switch';
  /** `segment:NAME`. */
  readonly id: string;
  readonly name: string;
  readonly position: Point;
  /** Hosts with a cable into this switch, in file order (a host with two cables into it is listed once). */
  readonly hosts: readonly string[];
}

export interface TopologyLink {
  /** `HOST/IFACE`: unique, since an interface has one cable. */
  readonly id: string;
  readonly host: string;
  readonly iface: string;
  readonly segment: string;
  /** The host node's id. */
  readonly from: string;
  /** The switch node's id. */
  readonly to: string;
}

export interface Topology {
  readonly hosts: readonly HostNode[];
  readonly switches: readonly SwitchNode[];
  readonly links: readonly TopologyLink[];
  /** The box around every node, for fitting the stage. */
  readonly bounds: { readonly minX: number; readonly minY: number; readonly maxX: number; readonly maxY: number };
}

/** Where an interface's cable goes: the key that matches a frame's tx to its rx (frame numbers are per segment). */
export type SegmentOf = (host: string, iface: string) => string | undefined;

/** Grid of the automatic host layout, on the scale the shipped scenarios use for their own positions. */
const AUTO_ORIGIN: Point = { x: 60, y: 80 };
const AUTO_COLUMN = 200;
const AUTO_ROW = 120;
/** A switch keeps at least this far from the centre of any other node (hosts in nat-bottleneck are 40 apart). */
const NODE_CLEARANCE = 30;
/** A cable keeps at least this far from the centre of any node it does not connect. */
const CABLE_CLEARANCE = 28;
/** How far around its hosts a switch may go, and how many grid steps the search makes per axis at most. */
const SEARCH_MARGIN = 80;
const SEARCH_STEPS = 48;

export function hostNodeId(name: string): string {
  return `host:${name}`;
}

export function switchNodeId(segment: string): string {
  return `segment:${segment}`;
}

export function buildTopology(src: TopologySource): Topology {
  const positions = hostPositions(src);
  const hosts: HostNode[] = src.hosts.map((h) => {
    const daemons: Daemon[] = [];
    if (h.keepalived !== undefined) daemons.push('keepalived');
    if (h.ldirectord !== undefined) daemons.push('ldirectord');
    return {
      kind: 'host',
      id: hostNodeId(h.name),
      name: h.name,
      role: h.role ?? inferRole(h),
      roleFrom: h.role !== undefined ? 'scenario' : 'inferred',
      position: positions.get(h.name)!,
      placed: h.position !== undefined ? 'scenario' : 'auto',
      interfaces: h.interfaces.map((i) => ({
        name: i.name,
        ...(i.segment !== undefined ? { segment: i.segment } : {}),
        ...(i.mac !== undefined ? { mac: i.mac } : {}),
        addresses: i.addresses.map((a) => a.text),
      })),
      daemons,
    };
  });
  const links: TopologyLink[] = [];
  for (const h of src.hosts) {
    for (const i of h.interfaces) {
      if (i.segment === undefined) continue;
      links.push({ id: `${h.name}/${i.name}`, host: h.name, iface: i.name, segment: i.segment, from: hostNodeId(h.name), to: switchNodeId(i.segment) });
    }
  }
  const switches = placeSwitches(src, hosts, links);
  return { hosts, switches, links, bounds: boundsOf([...hosts.map((h) => h.position), ...switches.map((s) => s.position)]) };
}

/** The interface → segment lookup of a topology. */
export function segmentLookup(t: Topology): SegmentOf {
  const map = new Map<string, string>();
  for (const l of t.links) map.set(l.id, l.segment);
  return (host, iface) => map.get(`${host}/${iface}`);
}

/**
 * A role for a host whose scenario gave none (roles are display only): a host running keepalived or ldirectord
 * is a director, a host with cables into two or more segments a router, anything else a server. A client
 * cannot be told from the file alone, so an unlabelled client shows as a server.
 */
export function inferRole(h: HostSource): NodeRole {
  if (h.keepalived !== undefined || h.ldirectord !== undefined) return 'director';
  const segments = new Set(h.interfaces.flatMap((i) => (i.segment !== undefined ? [i.segment] : [])));
  return segments.size >= 2 ? 'router' : 'server';
}

/** Scenario positions as given; the rest on the automatic grid, below the given ones so that none overlap. */
function hostPositions(src: TopologySource): Map<string, Point> {
  const out = new Map<string, Point>();
  const given: Point[] = [];
  for (const h of src.hosts) {
    if (h.position === undefined) continue;
    const p = { x: h.position[0], y: h.position[1] };
    out.set(h.name, p);
    given.push(p);
  }
  const missing = src.hosts.filter((h) => h.position === undefined);
  if (missing.length === 0) return out;
  const columns = columnsFromClients(src);
  const top = given.length === 0 ? AUTO_ORIGIN.y : Math.max(...given.map((p) => p.y)) + AUTO_ROW;
  const rows = new Map<number, number>();
  for (const h of missing) {
    const col = columns.get(h.name) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out.set(h.name, { x: AUTO_ORIGIN.x + col * AUTO_COLUMN, y: top + row * AUTO_ROW });
  }
  return out;
}

/**
 * Hops from the nearest client (breadth first over shared segments, neighbours in file order). Without a
 * client the first host is the start; a host the start cannot reach starts its own search, in file order.
 */
function columnsFromClients(src: TopologySource): Map<string, number> {
  const bySegment = new Map<string, string[]>();
  for (const h of src.hosts) {
    for (const i of h.interfaces) {
      if (i.segment === undefined) continue;
      const list = bySegment.get(i.segment) ?? [];
      if (!list.includes(h.name)) list.push(h.name);
      bySegment.set(i.segment, list);
    }
  }
  const neighbours = (name: string): string[] => {
    const h = src.hosts.find((x) => x.name === name)!;
    const out: string[] = [];
    for (const i of h.interfaces) {
      if (i.segment === undefined) continue;
      for (const n of bySegment.get(i.segment) ?? []) if (n !== name && !out.includes(n)) out.push(n);
    }
    return out;
  };
  const dist = new Map<string, number>();
  const bfs = (starts: string[]): void => {
    const queue = [...starts];
    for (const s of starts) dist.set(s, 0);
    for (let q = 0; q < queue.length; q++) {
      const d = dist.get(queue[q])!;
      for (const n of neighbours(queue[q])) {
        if (dist.has(n)) continue;
        dist.set(n, d + 1);
        queue.push(n);
      }
    }
  };
  const clients = src.hosts.filter((h) => h.role === 'client').map((h) => h.name);
  if (clients.length > 0) bfs(clients);
  for (const h of src.hosts) if (!dist.has(h.name)) bfs([h.name]);
  return dist;
}

interface Cable {
  readonly a: Point;
  readonly b: Point;
  /** The nodes at its ends, which it may touch. */
  readonly ends: readonly string[];
}

function placeSwitches(src: TopologySource, hosts: readonly HostNode[], links: readonly TopologyLink[]): SwitchNode[] {
  const nodes: Array<{ id: string; p: Point }> = hosts.map((h) => ({ id: h.id, p: h.position }));
  const cables: Cable[] = [];
  const switches: SwitchNode[] = [];
  const all = boundsOf(hosts.map((h) => h.position));
  let orphans = 0;
  for (const seg of src.segments) {
    const id = switchNodeId(seg.name);
    const attached: HostNode[] = [];
    for (const l of links) {
      if (l.segment !== seg.name) continue;
      const h = hosts.find((x) => x.name === l.host)!;
      if (!attached.includes(h)) attached.push(h);
    }
    let p: Point;
    if (attached.length === 0) {
      // A segment nobody plugs into: a row of its own under everything, so it is still visible.
      p = { x: all.minX + orphans * AUTO_COLUMN, y: all.maxY + AUTO_ROW };
      orphans++;
    } else {
      p = bestSpot(attached.map((h) => ({ id: h.id, p: h.position })), nodes, cables);
    }
    nodes.push({ id, p });
    for (const h of attached) cables.push({ a: h.position, b: p, ends: [h.id, id] });
    switches.push({ kind: 'switch', id, name: seg.name, position: p, hosts: attached.map((h) => h.name) });
  }
  return switches;
}

/**
 * The grid point around the attached hosts with the least clearance violation (a switch too near a node, one of
 * its cables too near a node it does not connect, an existing cable too near it), then the least sum of squared
 * cable lengths (which pulls the switch toward the middle of its hosts rather than anywhere on a straight line
 * between two of them); the first such point in scan order (rows top to bottom, left to right) wins a tie.
 */
function bestSpot(attached: ReadonlyArray<{ id: string; p: Point }>, nodes: ReadonlyArray<{ id: string; p: Point }>, cables: readonly Cable[]): Point {
  const box = boundsOf(attached.map((a) => a.p));
  const minX = box.minX - SEARCH_MARGIN;
  const maxX = box.maxX + SEARCH_MARGIN;
  const minY = box.minY - SEARCH_MARGIN;
  const maxY = box.maxY + SEARCH_MARGIN;
  const step = Math.max(10, Math.ceil(Math.max(maxX - minX, maxY - minY) / SEARCH_STEPS));
  let best: Point = { x: minX, y: minY };
  let bestViolation = Infinity;
  let bestLength = Infinity;
  for (let y = minY; y <= maxY; y += step) {
    for (let x = minX; x <= maxX; x += step) {
      const c = { x, y };
      let violation = 0;
      for (const n of nodes) violation += Math.max(0, NODE_CLEARANCE - dist(c, n.p));
      for (const cable of cables) violation += Math.max(0, CABLE_CLEARANCE - distToSegment(c, cable.a, cable.b));
      let length = 0;
      for (const a of attached) {
        length += dist2(c, a.p);
        for (const n of nodes) if (n.id !== a.id) violation += Math.max(0, CABLE_CLEARANCE - distToSegment(n.p, a.p, c));
      }
      if (violation < bestViolation || (violation === bestViolation && length < bestLength)) {
        best = c;
        bestViolation = violation;
        bestLength = length;
      }
    }
  }
  return best;
}

export function dist(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function dist2(a: Point, b: Point): number {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
}

/** Distance from p to the segment a–b. */
export function distToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return dist(p, a);
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return dist(p, { x: a.x + t * dx, y: a.y + t * dy });
}

function boundsOf(points: readonly Point[]): Topology['bounds'] {
  if (points.length === 0) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}
