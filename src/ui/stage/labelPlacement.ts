import type { HostNode, Topology } from '../viewmodel/topology.ts';

/**
 * Which side of its icon a host's label goes: the side its cables leave least, so that the name and addresses
 * do not sit on a cable. Scenarios stack real servers 40 units apart, so a label beside the icon (right or
 * left) is preferred to one below or above it, which would run into the next host.
 */
export type LabelSide = 'right' | 'left' | 'below' | 'above';

const SIDES: ReadonlyArray<{ side: LabelSide; x: number; y: number; bias: number }> = [
  { side: 'right', x: 1, y: 0, bias: 0 },
  { side: 'left', x: -1, y: 0, bias: 0.05 },
  { side: 'below', x: 0, y: 1, bias: 0.3 },
  { side: 'above', x: 0, y: -1, bias: 0.35 },
];

/**
 * For every host: the side whose direction is least taken by its cables (the largest cosine between the side
 * and a cable to the host's switches), with a small bias toward the sides in the order right, left, below,
 * above. A host with no cable gets its label on the right.
 */
export function labelSides(topology: Topology): Map<string, LabelSide> {
  const switchPos = new Map(topology.switches.map((s) => [s.name, s.position]));
  const out = new Map<string, LabelSide>();
  for (const h of topology.hosts) out.set(h.name, sideFor(h, topology, switchPos));
  return out;
}

function sideFor(h: HostNode, topology: Topology, switchPos: ReadonlyMap<string, { x: number; y: number }>): LabelSide {
  const dirs: Array<{ x: number; y: number }> = [];
  for (const l of topology.links) {
    if (l.host !== h.name) continue;
    const s = switchPos.get(l.segment);
    if (s === undefined) continue;
    const dx = s.x - h.position.x;
    const dy = s.y - h.position.y;
    const len = Math.hypot(dx, dy);
    if (len > 0) dirs.push({ x: dx / len, y: dy / len });
  }
  let best: LabelSide = 'right';
  let bestCost = Infinity;
  for (const s of SIDES) {
    let worst = -1;
    for (const d of dirs) worst = Math.max(worst, d.x * s.x + d.y * s.y);
    const cost = worst + s.bias;
    if (cost < bestCost - 1e-9) {
      best = s.side;
      bestCost = cost;
    }
  }
  return best;
}

/** The label's anchor (0..1 of its box) and its offset from the host's centre, for a side and an icon half-size. */
export function labelAnchor(side: LabelSide, gap: number): { ax: number; ay: number; dx: number; dy: number } {
  switch (side) {
    case 'right':
      return { ax: 0, ay: 0.5, dx: gap, dy: 0 };
    case 'left':
      return { ax: 1, ay: 0.5, dx: -gap, dy: 0 };
    case 'below':
      return { ax: 0.5, ay: 0, dx: 0, dy: gap };
    case 'above':
      return { ax: 0.5, ay: 1, dx: 0, dy: -gap };
  }
}

/** The addresses a host's label shows: the scenario's, without prefix lengths, in interface order. */
export function addressLine(h: HostNode): string {
  const out: string[] = [];
  for (const i of h.interfaces) for (const a of i.addresses) out.push(a.replace(/\/\d+$/, ''));
  return out.join(', ');
}
