import { CanvasSource, Particle, ParticleContainer, Rectangle, Texture } from 'pixi.js';
import { PACKET_KINDS } from '../viewmodel/packetKinds.ts';
import { ATLAS_SIZE, CELL, drawAtlas, glyphFrame, GLYPH_KEYS, type GlyphKey } from './glyphs.ts';
import type { DropMarker, PacketFrame } from './packetScene.ts';
import { ParticlePool } from './particlePool.ts';

/**
 * The moving part of the stage: one ParticleContainer over one glyph atlas, fed from a pool of particles every
 * render, so that thousands of packets in flight are one draw call and steady playback allocates nothing.
 * Draw order, bottom to top: drop marks (packets pass over them), tunnel boxes (in a pass of their own, so a
 * box never hides another packet), packets, selection halos.
 */

/** Sizes relative to a packet. */
const TUNNEL_SCALE = 1.75;
const HALO_SCALE = 1.6;
const DROP_SCALE = 1.15;

export interface PacketSelection {
  readonly pid: number | undefined;
  /** Other packets of its journey: a fainter halo. */
  readonly related: ReadonlySet<number>;
}

export class PacketLayer {
  readonly container: ParticleContainer<Particle>;
  private readonly pool: ParticlePool<Particle>;
  private readonly atlas: CanvasSource;
  private readonly glyphs: Map<GlyphKey, Texture>;
  private readonly kindGlyphs: Texture[];
  /** Halos drawn in the last `draw`. */
  halos = 0;

  /** `mipmaps`: smoother glyphs when small, at a cost software renderers feel (off by default in the stage). */
  constructor(mipmaps: boolean) {
    const canvas = document.createElement('canvas');
    canvas.width = ATLAS_SIZE;
    canvas.height = ATLAS_SIZE;
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('TopologyStage: no 2D canvas context for the packet glyphs');
    drawAtlas(ctx);
    this.atlas = new CanvasSource({ resource: canvas, autoGenerateMipmaps: mipmaps, scaleMode: 'linear' });
    this.glyphs = new Map(
      GLYPH_KEYS.map((k) => {
        const f = glyphFrame(k);
        return [k, new Texture({ source: this.atlas, frame: new Rectangle(f.x, f.y, f.w, f.h) })];
      }),
    );
    this.kindGlyphs = PACKET_KINDS.map((k) => this.glyphs.get(k)!);
    const first = this.kindGlyphs[0];
    this.container = new ParticleContainer<Particle>({
      texture: first,
      // Position, size (vertex), glyph (uvs) and fade (color) change from frame to frame; rotation never does.
      dynamicProperties: { position: true, vertex: true, uvs: true, color: true, rotation: false },
    });
    // A ParticleContainer has no bounds of its own: say it covers everything, so it is never culled.
    this.container.boundsArea = new Rectangle(-1e7, -1e7, 2e7, 2e7);
    this.pool = new ParticlePool(() => new Particle({ texture: first, anchorX: 0.5, anchorY: 0.5 }));
    this.container.particleChildren = this.pool.active;
  }

  /** Particles drawn and pooled. */
  get counts(): { drawn: number; pooled: number } {
    return { drawn: this.pool.count, pooled: this.pool.size };
  }

  /** Lays out one render: `size` is a packet's width in world units, `linger` the drops' lifetime (ns). */
  draw(frame: PacketFrame, drops: readonly DropMarker[], selection: PacketSelection, size: number, linger: number): void {
    const pool = this.pool;
    const base = size / CELL;
    const dropTex = this.glyphs.get('drop')!;
    const tunnelTex = this.glyphs.get('tunnel')!;
    const haloTex = this.glyphs.get('halo')!;
    pool.begin();
    for (const d of drops) place(pool.next(), dropTex, d.x, d.y, base * DROP_SCALE, linger > 0 ? 1 - (0.6 * d.age) / linger : 1);
    const n = frame.count;
    const xs = frame.x;
    const ys = frame.y;
    for (let i = 0; i < n; i++) if (frame.tunnel[i] === 1) place(pool.next(), tunnelTex, xs[i], ys[i], base * TUNNEL_SCALE, 1);
    for (let i = 0; i < n; i++) place(pool.next(), this.kindGlyphs[frame.kind[i]], xs[i], ys[i], base, 1);
    let halos = 0;
    if (selection.pid !== undefined || selection.related.size > 0) {
      for (let i = 0; i < n; i++) {
        const pid = frame.flights[i].pid;
        const main = pid === selection.pid;
        if (!main && !selection.related.has(pid)) continue;
        place(pool.next(), haloTex, xs[i], ys[i], base * HALO_SCALE * (main ? 1 : 0.85), main ? 1 : 0.55);
        halos++;
      }
    }
    this.halos = halos;
    if (pool.end()) this.container.update();
  }

  /** Empties the container; call before the renderer goes. */
  detach(): void {
    this.pool.clear();
    this.container.particleChildren = [];
    // The glyph textures share the atlas: the container must not destroy it as "its" texture.
    this.container.destroy({ texture: false });
  }

  /** Frees the atlas; call after the renderer went (a source destroyed while still bound makes pixi warn). */
  destroy(): void {
    for (const t of this.glyphs.values()) t.destroy(false);
    this.atlas.destroy();
  }
}

function place(p: Particle, texture: Texture, x: number, y: number, scale: number, alpha: number): void {
  p.texture = texture;
  p.x = x;
  p.y = y;
  p.scaleX = scale;
  p.scaleY = scale;
  // The alpha setter repacks the colour: only when it changes.
  if (p.alpha !== alpha) p.alpha = alpha;
}
