import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../src/lab/index.ts';
import { addressLine, labelAnchor, labelSides, type LabelSide } from '../../../../src/ui/stage/labelPlacement.ts';
import { buildTopology, type Topology } from '../../../../src/ui/viewmodel/topology.ts';

const SCENARIOS = fileURLToPath(new URL('../../../../scenarios/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

const DIRECTION: Record<LabelSide, { x: number; y: number }> = { right: { x: 1, y: 0 }, left: { x: -1, y: 0 }, below: { x: 0, y: 1 }, above: { x: 0, y: -1 } };

/** The largest cosine between a side and the host's cables: 1 means a cable runs straight through the label. */
function worstCosine(t: Topology, host: string, side: LabelSide): number {
  const h = t.hosts.find((x) => x.name === host)!;
  let worst = -1;
  for (const l of t.links) {
    if (l.host !== host) continue;
    const s = t.switches.find((x) => x.name === l.segment)!.position;
    const len = Math.hypot(s.x - h.position.x, s.y - h.position.y);
    if (len === 0) continue;
    worst = Math.max(worst, ((s.x - h.position.x) * DIRECTION[side].x + (s.y - h.position.y) * DIRECTION[side].y) / len);
  }
  return worst;
}

describe('label placement', () => {
  const topo = (name: string): Topology => buildTopology(Lab.fromText(readFileSync(join(SCENARIOS, name), 'utf8'), { file: name }).spec);

  it('puts dr-basic\'s labels away from the cables', () => {
    const sides = labelSides(topo('lessons/dr-basic.yaml'));
    // The client's cable goes right, the real servers' go left, the router's go both ways (and a little down).
    expect(Object.fromEntries(sides)).toEqual({ client: 'left', router: 'above', director: 'above', rs1: 'right', rs2: 'right' });
  });

  const files = yamlFiles(SCENARIOS).filter((f) => !f.includes(`${join('exercises', 'answers')}`));
  it.each(files.map((f) => f.slice(SCENARIOS.length)))('%s: no label sits within 45° of one of its host\'s cables when a side is free', (name) => {
    const t = topo(name);
    const sides = labelSides(t);
    for (const h of t.hosts) {
      const side = sides.get(h.name)!;
      const best = Math.min(...(['right', 'left', 'below', 'above'] as const).map((s) => worstCosine(t, h.name, s)));
      if (best < Math.SQRT1_2) expect(worstCosine(t, h.name, side), `${h.name} label ${side}`).toBeLessThan(Math.SQRT1_2);
    }
  });

  it('puts a host without cables on the right', () => {
    const t = buildTopology({ segments: [], hosts: [{ name: 'lonely', position: [0, 0], interfaces: [] }] });
    expect(labelSides(t).get('lonely')).toBe('right');
  });

  it('anchors a label on the side it is on', () => {
    expect(labelAnchor('right', 20)).toEqual({ ax: 0, ay: 0.5, dx: 20, dy: 0 });
    expect(labelAnchor('left', 20)).toEqual({ ax: 1, ay: 0.5, dx: -20, dy: 0 });
    expect(labelAnchor('below', 20)).toEqual({ ax: 0.5, ay: 0, dx: 0, dy: 20 });
    expect(labelAnchor('above', 20)).toEqual({ ax: 0.5, ay: 1, dx: 0, dy: -20 });
  });

  it('lists a host\'s addresses without prefix lengths', () => {
    const t = topo('lessons/dr-basic.yaml');
    expect(addressLine(t.hosts.find((h) => h.name === 'router')!)).toBe('10.0.0.1, 192.168.1.254');
  });
});
