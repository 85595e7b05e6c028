import { Container, Graphics, Text } from 'pixi.js';
import type { Topology } from '../viewmodel/topology.ts';
import { drawCable, drawHost, drawSwitch, HOST_HALF, STAGE_INK, SWITCH_HALF_HEIGHT } from './hostGlyphs.ts';
import { addressLine, labelAnchor, labelSides } from './labelPlacement.ts';

/**
 * The still part of the stage, in world units: cables, switches, hosts, and their words (host names, the
 * scenario's addresses, interface names on the cables, segment names). Built once per topology. Text is
 * rasterised by pixi into canvas textures, so scenario strings never reach the DOM from here.
 */

/** Name and detail (addresses, interface names) font sizes, world units. */
export const NAME_FONT = 11;
export const DETAIL_FONT = 8.5;
/** Details hide when they would be smaller than this on screen (CSS px). */
const DETAIL_MIN_PX = 6.5;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

export class TopologyLayer {
  /** Cables, then interface names, then icons, then host and segment labels, bottom to top. */
  readonly container = new Container();
  /** Host and segment names: always shown. */
  private readonly labels: Text[] = [];
  /** Addresses and interface names: hidden when zoomed out too far to read. */
  private readonly details: Text[] = [];
  private resolution = 0;

  constructor(t: Topology) {
    const cables = new Graphics();
    const switchAt = new Map(t.switches.map((s) => [s.name, s.position]));
    const hostAt = new Map(t.hosts.map((h) => [h.name, h.position]));
    const ifaceLabels: Text[] = [];
    for (const l of t.links) {
      const h = hostAt.get(l.host);
      const s = switchAt.get(l.segment);
      if (h === undefined || s === undefined) continue;
      drawCable(cables, h.x, h.y, s.x, s.y);
      // The interface's name on its cable, near the host: what `ip` commands call it.
      const len = Math.hypot(s.x - h.x, s.y - h.y);
      if (len < 3 * HOST_HALF) continue;
      const k = (HOST_HALF + 12) / len;
      const label = text(l.iface, DETAIL_FONT, 0x5b6675);
      label.anchor.set(0.5);
      label.position.set(h.x + (s.x - h.x) * k, h.y + (s.y - h.y) * k - 6);
      ifaceLabels.push(label);
    }
    const icons = new Graphics();
    for (const s of t.switches) drawSwitch(icons, s.position.x, s.position.y);
    for (const h of t.hosts) drawHost(icons, h.role, h.position.x, h.position.y);
    this.container.addChild(cables, ...ifaceLabels, icons);
    this.details.push(...ifaceLabels);

    const sides = labelSides(t);
    for (const h of t.hosts) {
      const side = sides.get(h.name) ?? 'right';
      // Clear of the selection ring (drawHostSelection reaches HOST_HALF + 7.5).
      const a = labelAnchor(side, HOST_HALF + 9);
      const addresses = addressLine(h);
      const beside = side === 'left' || side === 'right';
      const name = text(h.name, NAME_FONT, STAGE_INK, 'bold');
      name.anchor.set(a.ax, beside ? 0.5 : a.ay);
      // Beside the icon the two lines straddle its middle; above or below they stack away from it.
      const nameDy = beside ? (addresses !== '' ? -5 : 0) : side === 'above' && addresses !== '' ? -DETAIL_FONT - 2 : 0;
      name.position.set(h.position.x + a.dx, h.position.y + a.dy + nameDy);
      this.labels.push(name);
      this.container.addChild(name);
      if (addresses === '') continue;
      const detail = text(addresses, DETAIL_FONT, 0x4a5563);
      detail.anchor.set(a.ax, beside ? 0.5 : a.ay);
      detail.position.set(h.position.x + a.dx, h.position.y + a.dy + (beside ? 6 : side === 'below' ? NAME_FONT + 2 : 0));
      this.details.push(detail);
      this.container.addChild(detail);
    }
    for (const s of t.switches) {
      const label = text(s.name, DETAIL_FONT + 0.5, 0x2a323c, 'bold');
      label.anchor.set(0.5, 0);
      label.position.set(s.position.x, s.position.y + SWITCH_HALF_HEIGHT + 2);
      this.labels.push(label);
      this.container.addChild(label);
    }
  }

  /**
   * Adapts the words to the zoom: details shown only when readable, and every text rasterised at the
   * resolution it is seen at (in whole steps, since each change re-rasterises it).
   */
  fitText(scale: number, dpr: number): void {
    const show = DETAIL_FONT * scale >= DETAIL_MIN_PX;
    for (const d of this.details) d.visible = show;
    const r = Math.max(1, Math.min(4, Math.ceil(scale * dpr)));
    if (r === this.resolution) return;
    this.resolution = r;
    for (const t of this.labels) t.resolution = r;
    for (const t of this.details) t.resolution = r;
  }
}

function text(content: string, size: number, fill: number, fontWeight: 'normal' | 'bold' = 'normal'): Text {
  return new Text({ text: content, style: { fontFamily: FONT, fontSize: size, fill, fontWeight }, resolution: 2 });
}
