import type { Graphics } from 'pixi.js';
import type { NodeRole } from '../viewmodel/topology.ts';

/**
 * Host and switch icons, drawn with pixi Graphics in world units around (x, y). Each role has its own outline
 * (a monitor for a client, a round router, a hexagonal director, a rack for a real server, a box for any other
 * server) and a light fill of its own, so roles differ in shape first and colour second.
 */

/** Half the size of a host icon's box (hit testing and label gaps use it). */
export const HOST_HALF = 14;
export const SWITCH_HALF_WIDTH = 17;
export const SWITCH_HALF_HEIGHT = 6;

export const STAGE_INK = 0x37414d;
const CABLE = 0x9aa5b1;

export const ROLE_FILL: Readonly<Record<NodeRole, number>> = {
  client: 0xdbe7f5,
  router: 0xe9e1f5,
  director: 0xf6e3bd,
  'real-server': 0xd3ecdc,
  server: 0xe4e4e4,
};

const LINE = { width: 1.5, color: STAGE_INK } as const;

export function drawHost(g: Graphics, role: NodeRole, x: number, y: number): void {
  const fill = { color: ROLE_FILL[role] };
  switch (role) {
    case 'client':
      // A monitor on a stand.
      g.roundRect(x - 13, y - 12, 26, 18, 3).fill(fill).stroke(LINE);
      g.rect(x - 9, y - 8, 18, 10).stroke({ width: 1, color: STAGE_INK, alpha: 0.6 });
      g.moveTo(x, y + 6).lineTo(x, y + 10).stroke(LINE);
      g.roundRect(x - 8, y + 10, 16, 3, 1).fill({ color: STAGE_INK });
      break;
    case 'router': {
      // The usual router symbol: a disc with arrows out and in.
      g.circle(x, y, 13).fill(fill).stroke(LINE);
      const a = 8;
      g.moveTo(x - a, y).lineTo(x + a, y).moveTo(x, y - a).lineTo(x, y + a).stroke({ width: 1.5, color: STAGE_INK });
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
        const tx = x + dx * a;
        const ty = y + dy * a;
        g.poly([tx, ty, tx - dx * 3 + dy * 3, ty - dy * 3 + dx * 3, tx - dx * 3 - dy * 3, ty - dy * 3 - dx * 3]).fill({ color: STAGE_INK });
      }
      break;
    }
    case 'director': {
      // A hexagon with one line in and three out: it spreads connections.
      const pts: number[] = [];
      for (let i = 0; i < 6; i++) pts.push(x + 14 * Math.cos((i * Math.PI) / 3), y + 14 * Math.sin((i * Math.PI) / 3));
      g.poly(pts).fill(fill).stroke(LINE);
      g.moveTo(x - 8, y).lineTo(x - 1, y).moveTo(x - 1, y).lineTo(x + 7, y - 6).moveTo(x - 1, y).lineTo(x + 8, y).moveTo(x - 1, y).lineTo(x + 7, y + 6).stroke({ width: 1.6, color: STAGE_INK });
      g.circle(x - 1, y, 2).fill({ color: STAGE_INK });
      break;
    }
    case 'real-server':
      // A rack unit: tall box, three slots with a status light each.
      g.roundRect(x - 10, y - 14, 20, 28, 2).fill(fill).stroke(LINE);
      for (const dy of [-8, 0, 8]) {
        g.moveTo(x - 6, y + dy).lineTo(x + 3, y + dy).stroke({ width: 1.5, color: STAGE_INK });
        g.circle(x + 6, y + dy, 1.3).fill({ color: STAGE_INK });
      }
      break;
    case 'server':
      g.roundRect(x - 12, y - 12, 24, 24, 3).fill(fill).stroke(LINE);
      for (const dy of [-4, 4]) g.moveTo(x - 7, y + dy).lineTo(x + 7, y + dy).stroke({ width: 1.5, color: STAGE_INK });
      break;
  }
}

export function drawSwitch(g: Graphics, x: number, y: number): void {
  g.roundRect(x - SWITCH_HALF_WIDTH, y - SWITCH_HALF_HEIGHT, 2 * SWITCH_HALF_WIDTH, 2 * SWITCH_HALF_HEIGHT, 3).fill({ color: 0x4a5563 }).stroke({ width: 1, color: 0x2a323c });
  for (let i = 0; i < 5; i++) g.rect(x - 12 + i * 5.5, y - 1.5, 2.6, 3).fill({ color: 0xffffff });
}

export function drawCable(g: Graphics, ax: number, ay: number, bx: number, by: number): void {
  g.moveTo(ax, ay).lineTo(bx, by).stroke({ width: 2, color: CABLE, cap: 'round' });
}

/** The ring around the selected host: dark, with a white edge so that it shows on any fill. */
export function drawHostSelection(g: Graphics, x: number, y: number): void {
  g.roundRect(x - HOST_HALF - 5, y - HOST_HALF - 5, 2 * HOST_HALF + 10, 2 * HOST_HALF + 10, 6).stroke({ width: 3, color: 0x000000 });
  g.roundRect(x - HOST_HALF - 7.5, y - HOST_HALF - 7.5, 2 * HOST_HALF + 15, 2 * HOST_HALF + 15, 8).stroke({ width: 1.5, color: 0xffffff });
}
