import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import { buildTopology, dist, distToSegment, segmentLookup, type Point, type Topology, type TopologySource } from '../../../src/ui/viewmodel/topology.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'answers') out.push(...scenarioFiles(full));
    } else if (entry.name.endsWith('.yaml')) out.push(full);
  }
  return out.sort();
}

function lesson(name: string): Lab {
  return Lab.fromText(readFileSync(join(ROOT, 'scenarios/lessons', `${name}.yaml`), 'utf8'));
}

/** Smallest distance between two node centres, and from a cable to a node it does not connect. */
function clearances(t: Topology): { node: number; cable: number } {
  const pos = new Map<string, Point>([...t.hosts.map((h) => [h.id, h.position] as const), ...t.switches.map((s) => [s.id, s.position] as const)]);
  const ids = [...pos.keys()];
  let node = Infinity;
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) node = Math.min(node, dist(pos.get(ids[i])!, pos.get(ids[j])!));
  let cable = Infinity;
  for (const l of t.links) {
    for (const id of ids) if (id !== l.from && id !== l.to) cable = Math.min(cable, distToSegment(pos.get(id)!, pos.get(l.from)!, pos.get(l.to)!));
  }
  return { node, cable };
}

describe('buildTopology', () => {
  it('draws dr-basic: hosts where the scenario puts them, a switch per segment, a link per plugged interface', () => {
    const t = buildTopology(lesson('dr-basic').spec);
    expect(t.hosts.map((h) => [h.name, h.role, h.position.x, h.position.y, h.placed])).toEqual([
      ['client', 'client', 60, 200, 'scenario'],
      ['router', 'router', 220, 200, 'scenario'],
      ['director', 'director', 420, 200, 'scenario'],
      ['rs1', 'real-server', 600, 120, 'scenario'],
      ['rs2', 'real-server', 600, 280, 'scenario'],
    ]);
    expect(t.switches.map((s) => [s.name, s.hosts])).toEqual([
      ['wan', ['client', 'router']],
      ['lan', ['router', 'director', 'rs1', 'rs2']],
    ]);
    expect(t.links.map((l) => `${l.id}→${l.to}`)).toEqual([
      'client/eth0→segment:wan',
      'router/eth0→segment:wan',
      'router/eth1→segment:lan',
      'director/eth0→segment:lan',
      'rs1/eth0→segment:lan',
      'rs2/eth0→segment:lan',
    ]);
    // The wan switch sits between its two hosts, on their line, not on top of either.
    const wan = t.switches[0].position;
    expect(wan.y).toBe(200);
    expect(wan.x).toBeGreaterThan(60 + 30);
    expect(wan.x).toBeLessThan(220 - 30);
    const seg = segmentLookup(t);
    expect(seg('router', 'eth1')).toBe('lan');
    expect(seg('rs1', 'lo')).toBeUndefined();
  });

  it('is deterministic', () => {
    const spec = lesson('nat-bottleneck').spec;
    expect(buildTopology(spec)).toEqual(buildTopology(spec));
  });

  it('lays out hosts without positions in columns by distance from the clients, rows in file order', () => {
    const src: TopologySource = {
      segments: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      hosts: [
        { name: 'srv', interfaces: [{ name: 'eth0', segment: 'b', addresses: [] }] },
        { name: 'r', interfaces: [{ name: 'eth0', segment: 'a', addresses: [] }, { name: 'eth1', segment: 'b', addresses: [] }] },
        { name: 'c1', role: 'client', interfaces: [{ name: 'eth0', segment: 'a', addresses: [{ text: '10.0.0.2/24' }] }] },
        { name: 'srv2', interfaces: [{ name: 'eth0', segment: 'b', addresses: [] }] },
        { name: 'lonely', ldirectord: {}, interfaces: [{ name: 'eth0', segment: 'c', addresses: [] }] },
      ],
    };
    const t = buildTopology(src);
    const at = (n: string) => t.hosts.find((h) => h.name === n)!;
    expect([at('c1').position, at('r').position, at('srv').position, at('srv2').position]).toEqual([
      { x: 60, y: 80 },
      { x: 260, y: 80 },
      { x: 460, y: 80 },
      { x: 460, y: 200 },
    ]);
    // Unreachable from the client: a search of its own, column 0 under the client.
    expect(at('lonely').position).toEqual({ x: 60, y: 200 });
    expect(t.hosts.map((h) => [h.name, h.role, h.roleFrom, h.placed])).toEqual([
      ['srv', 'server', 'inferred', 'auto'],
      ['r', 'router', 'inferred', 'auto'],
      ['c1', 'client', 'scenario', 'auto'],
      ['srv2', 'server', 'inferred', 'auto'],
      ['lonely', 'director', 'inferred', 'auto'],
    ]);
    expect(at('lonely').daemons).toEqual(['ldirectord']);
    expect(at('c1').interfaces).toEqual([{ name: 'eth0', segment: 'a', addresses: ['10.0.0.2/24'] }]);
  });

  it('puts hosts without a position below those that have one', () => {
    const t = buildTopology({
      segments: [{ name: 'lan' }],
      hosts: [
        { name: 'a', position: [100, 300], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [] }] },
        { name: 'b', interfaces: [{ name: 'eth0', segment: 'lan', addresses: [] }] },
      ],
    });
    expect(t.hosts[1].position.y).toBeGreaterThanOrEqual(300 + 100);
  });

  it('keeps two switches between the same two hosts apart, cables clear of each other switch', () => {
    const ifaces = (...segs: string[]) => segs.map((s, i) => ({ name: `eth${i}`, segment: s, addresses: [] }));
    const t = buildTopology({
      segments: [{ name: 'x' }, { name: 'y' }],
      hosts: [
        { name: 'a', position: [0, 0], interfaces: ifaces('x', 'y') },
        { name: 'b', position: [300, 0], interfaces: ifaces('x', 'y') },
      ],
    });
    const c = clearances(t);
    expect(c.node).toBeGreaterThanOrEqual(30);
    expect(c.cable).toBeGreaterThanOrEqual(24);
  });

  // Every shipped scenario, as the stage will draw it: no node on another, no cable through a node.
  const files = scenarioFiles(join(ROOT, 'scenarios'));
  it.each(files.map((f) => relative(ROOT, f)))('draws %s without overlaps', (file) => {
    const lab = Lab.fromText(readFileSync(join(ROOT, file), 'utf8'), { file });
    const t = buildTopology(lab.spec);
    expect(t.hosts.length).toBe(lab.hostNames().length);
    expect(t.switches.map((s) => s.name)).toEqual(lab.segmentNames());
    const c = clearances(t);
    expect(c.node).toBeGreaterThanOrEqual(30);
    expect(c.cable).toBeGreaterThanOrEqual(24);
  });
});
