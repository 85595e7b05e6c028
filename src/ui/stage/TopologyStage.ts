// pixi.js compiles shader and particle upload code with `new Function` unless this polyfill is installed first:
// the built page runs under a Content-Security-Policy without 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Application, Container, Graphics } from 'pixi.js';
import type { TraceEvent } from '../../trace/index.ts';
import { PACKET_KINDS, type PacketKind } from '../viewmodel/packetKinds.ts';
import type { Point, Topology } from '../viewmodel/topology.ts';
import { hitTest, type HitSizes, type StageHit } from './hitTest.ts';
import { drawHostSelection, HOST_HALF, SWITCH_HALF_HEIGHT, SWITCH_HALF_WIDTH } from './hostGlyphs.ts';
import { PacketLayer } from './packetLayer.ts';
import { PacketFrame, PacketScene, type DropMarker } from './packetScene.ts';
import { makeControls, makeRoot, makeTooltip, showTooltip } from './stageChrome.ts';
import { keyAction, PointerGesture } from './stageInput.ts';
import { TopologyLayer } from './topologyLayer.ts';
import { describeTopology, dropTooltip, hostTooltip, packetTooltip, switchTooltip } from './tooltipText.ts';
import { DEFAULT_ZOOM_LIMITS, fitView, growBounds, panBy, sameView, screenToWorld, wheelFactor, worldToScreen, zoomAt, ZOOM_STEP, type View } from './viewTransform.ts';

/**
 * The stage of the browser lab: the topology (hosts by role, switches, cables, names and addresses) and every
 * frame in flight at the shown simulated time, drawn with pixi.js v8 into a container element the page gives.
 *
 * The page feeds it `show(time, events)` (the playback's shown time and the trace so far, which runs a little
 * ahead); the stage renders on the next animation frame, and only when something changed. Packets are
 * particles (packetLayer.ts), so thousands in flight cost one draw call. Pointer and keyboard handling (zoom,
 * pan, hover, selection) is the stage's own, over what it drew last; every DOM listener hangs on one
 * AbortController, and `destroy()` frees the GPU objects, the WebGL context, the canvas and the listeners.
 *
 * The stage reads the trace only; it never touches the simulation.
 */

export interface TopologyStageOptions {
  /** Called when the student clicks a packet (or a drop mark: its packet), or clears the selection (Escape). */
  onSelectPacket?: (pid: number | undefined) => void;
  /** Called when the student clicks a host, or clears the selection. */
  onSelectHost?: (name: string | undefined) => void;
  /** Simulated ns a drop stays marked after it happened (default 200 µs, about ten cable crossings). */
  dropLinger?: number;
  /**
   * MSAA for cables and icons (default false: on a software renderer it halves the frame rate with 2,000
   * packets in flight; packets and labels are textures and look the same either way).
   */
  antialias?: boolean;
  /** Mipmapped packet glyphs (smoother when small; default false, for the same reason). */
  mipmaps?: boolean;
  /** Stage background, `#rrggbb` (default the page's #fbfbfa). */
  background?: string;
  /** Zoom buttons in the stage's corner (default true). */
  controls?: boolean;
  /** Overrides window.devicePixelRatio (tests). */
  resolution?: number;
}

/** A packet as drawn: its id and its position in CSS px from the stage's top left corner. */
export interface DrawnPacket {
  readonly pid: number;
  readonly x: number;
  readonly y: number;
  readonly kind: PacketKind;
  readonly tunnel: boolean;
}

export interface StageStats {
  /** Frames in flight drawn in the last render. */
  readonly packets: number;
  /** Particles drawn (packets, tunnel boxes, drop marks, halos). */
  readonly particles: number;
  readonly drops: number;
  readonly halos: number;
  /** Particles the pool holds. */
  readonly pooled: number;
  /** Renders since creation. */
  readonly renders: number;
  /** Wall ms of the last render spent placing packets (JS) and in pixi's render call (JS + GL submission). */
  readonly placeMs: number;
  readonly renderMs: number;
}

/** A packet's size on screen follows the zoom within these bounds (CSS px), so it stays visible and small. */
const PACKET_WORLD = 14;
const PACKET_MIN_PX = 11;
const PACKET_MAX_PX = 24;
/** How far beside its cable a packet travels (× its size), so that the two directions pass side by side. */
const LANE = 0.45;
/** World margin around the nodes that fitToView keeps for labels. */
const LABEL_MARGIN_X = 90;
const LABEL_MARGIN_Y = 36;
const DEFAULT_LINGER = 200_000;

export class TopologyStage {
  readonly topology: Topology;
  /** The element the stage added to its container (canvas, tooltip, buttons). */
  readonly root: HTMLDivElement;
  private readonly app: Application;
  private readonly options: TopologyStageOptions;
  private readonly abort = new AbortController();
  private readonly resizeObserver: ResizeObserver;
  private readonly tooltip: HTMLDivElement;
  private readonly scene: PacketScene;
  private readonly frame = new PacketFrame();
  private drops: DropMarker[] = [];
  private readonly world = new Container();
  private readonly still: TopologyLayer;
  private readonly packets: PacketLayer;
  private readonly hostSelection = new Graphics();
  private readonly gesture = new PointerGesture();

  private viewState: View = { scale: 1, x: 0, y: 0 };
  /** True until the student zooms or pans: a resize then fits the topology again. */
  private autoFit = true;
  private width = 1;
  private height = 1;
  private time = 0;
  private events: readonly TraceEvent[] = [];
  private selectedPid: number | undefined;
  private relatedPids: ReadonlySet<number> = new Set();
  private selectedHostName: string | undefined;
  private dropLingerNs: number;
  private raf = 0;
  private dirty = true;
  private destroyed = false;
  private renders = 0;
  private placeMs = 0;
  private renderMs = 0;
  private hoverPoint: Point | undefined;

  /** Creates the stage in `container` (which must have a size: the stage fills it) and draws the topology. */
  static async create(container: HTMLElement, topology: Topology, options: TopologyStageOptions = {}): Promise<TopologyStage> {
    const app = new Application();
    const root = makeRoot();
    container.append(root);
    try {
      await app.init({
        width: Math.max(1, root.clientWidth),
        height: Math.max(1, root.clientHeight),
        resolution: options.resolution ?? window.devicePixelRatio ?? 1,
        autoDensity: true,
        antialias: options.antialias ?? false,
        background: options.background ?? '#fbfbfa',
        preference: 'webgl',
        autoStart: false,
        sharedTicker: false,
        // The stage hit-tests its own particles; pixi's pointer system would only walk the scene for nothing.
        eventMode: 'none',
        eventFeatures: { move: false, globalMove: false, click: false, wheel: false },
        // pixi's Tab-activated overlay would steal the page's keyboard: the stage has its own keys.
        accessibilityOptions: { enabledByDefault: false, activateOnTab: false },
      });
    } catch (err) {
      root.remove();
      throw err;
    }
    return new TopologyStage(root, app, topology, options);
  }

  private constructor(root: HTMLDivElement, app: Application, topology: Topology, options: TopologyStageOptions) {
    this.root = root;
    this.app = app;
    this.topology = topology;
    this.options = options;
    this.dropLingerNs = options.dropLinger ?? DEFAULT_LINGER;
    this.scene = new PacketScene(topology);

    const canvas = app.canvas;
    canvas.style.display = 'block';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', describeTopology(topology));
    root.append(canvas);
    this.tooltip = makeTooltip();
    root.append(this.tooltip);
    if (options.controls ?? true) root.append(makeControls({ zoomIn: () => this.zoomIn(), zoomOut: () => this.zoomOut(), fit: () => this.fitToView() }, this.abort.signal));

    this.still = new TopologyLayer(topology);
    this.packets = new PacketLayer(options.mipmaps ?? false);
    app.stage.eventMode = 'none';
    app.stage.addChild(this.world);
    this.world.addChild(this.still.container, this.hostSelection, this.packets.container);

    this.resizeObserver = new ResizeObserver(() => this.onResize());
    this.resizeObserver.observe(root);
    this.listen();
    this.width = Math.max(1, root.clientWidth);
    this.height = Math.max(1, root.clientHeight);
    this.fitToView();
  }

  // ── the page's commands ────────────────────────────────────────────────────────────────────────────────

  /** Shows the simulation at `time` (ns) with the trace so far (the playback's events array, which may run ahead). */
  show(time: number, events: readonly TraceEvent[]): void {
    if (time === this.time && events === this.events && events.length === this.scene.fedCount) return;
    this.time = time;
    this.events = events;
    this.invalidate();
  }

  setTime(time: number): void {
    this.show(time, this.events);
  }

  /** Selects a packet (undefined: none); `related` pids (its journey's other packets) get a fainter halo. */
  selectPacket(pid: number | undefined, related: Iterable<number> = []): void {
    this.selectedPid = pid;
    this.relatedPids = new Set(related);
    this.invalidate();
  }

  get selectedPacket(): number | undefined {
    return this.selectedPid;
  }

  /** Rings a host (undefined, or a name the topology lacks: none). */
  selectHost(name: string | undefined): void {
    const h = name === undefined ? undefined : this.topology.hosts.find((x) => x.name === name);
    this.selectedHostName = h?.name;
    this.hostSelection.clear();
    if (h !== undefined) drawHostSelection(this.hostSelection, h.position.x, h.position.y);
    this.invalidate();
  }

  get selectedHost(): string | undefined {
    return this.selectedHostName;
  }

  /** How long (simulated ns) a drop stays marked: the page sets it from the playback speed. */
  set dropLinger(ns: number) {
    this.dropLingerNs = Math.max(0, ns);
    this.invalidate();
  }

  get dropLinger(): number {
    return this.dropLingerNs;
  }

  get view(): View {
    return this.viewState;
  }

  /** Shows the whole topology, centred, labels included. */
  fitToView(): void {
    const b = growBounds(this.topology.bounds, LABEL_MARGIN_X, LABEL_MARGIN_Y);
    this.setView(fitView(b, this.width, this.height, 16, DEFAULT_ZOOM_LIMITS));
    this.autoFit = true;
  }

  /** Zooms by `factor` around a screen point (CSS px from the stage's corner; default its middle). */
  zoomBy(factor: number, anchor: Point = { x: this.width / 2, y: this.height / 2 }): void {
    this.setView(zoomAt(this.viewState, factor, anchor, DEFAULT_ZOOM_LIMITS));
    this.autoFit = false;
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  panBy(dx: number, dy: number): void {
    this.setView(panBy(this.viewState, dx, dy));
    this.autoFit = false;
  }

  // ── what is drawn (tests, the text alternative, the page's drop list) ─────────────────────────────────

  /** The packets of the last render, with their screen positions. */
  drawnPackets(): DrawnPacket[] {
    const out: DrawnPacket[] = [];
    const f = this.frame;
    for (let i = 0; i < f.count; i++) {
      const s = worldToScreen(this.viewState, { x: f.x[i], y: f.y[i] });
      out.push({ pid: f.flights[i].pid, x: s.x, y: s.y, kind: PACKET_KINDS[f.kind[i]], tunnel: f.tunnel[i] === 1 });
    }
    return out;
  }

  /** The drops marked in the last render, oldest first, with their reasons (DropMarker.drop). */
  shownDrops(): readonly DropMarker[] {
    return this.drops;
  }

  /** A host's or switch's centre on screen (CSS px from the stage's corner), by node id (`host:NAME`, `segment:NAME`). */
  nodeScreenPoint(id: string): Point | undefined {
    const n = this.topology.hosts.find((h) => h.id === id) ?? this.topology.switches.find((s) => s.id === id);
    return n === undefined ? undefined : worldToScreen(this.viewState, n.position);
  }

  /** What is under a screen point (CSS px from the stage's corner), as of the last render. */
  hitAt(x: number, y: number): StageHit | undefined {
    return hitTest(this.frame, this.drops, this.topology, screenToWorld(this.viewState, { x, y }), this.hitSizes());
  }

  get stats(): StageStats {
    const { drawn, pooled } = this.packets.counts;
    return { packets: this.frame.count, particles: drawn, drops: this.drops.length, halos: this.packets.halos, pooled, renders: this.renders, placeMs: this.placeMs, renderMs: this.renderMs };
  }

  /** Renders now instead of on the next animation frame (for tests that read pixels right after). */
  renderNow(): void {
    if (this.destroyed) return;
    if (this.raf !== 0) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.dirty = true;
    this.render();
  }

  /** Frees the GPU objects, the WebGL context, the canvas, the DOM nodes and every listener. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.raf !== 0) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.abort.abort();
    this.resizeObserver.disconnect();
    this.packets.detach();
    // Children (Graphics, Text) with their textures; the renderer loses its WebGL context on the way out.
    this.app.destroy({ removeView: true }, { children: true, texture: true, textureSource: true, context: true });
    this.packets.destroy();
    this.root.remove();
  }

  // ── rendering ────────────────────────────────────────────────────────────────────────────────────────

  private invalidate(): void {
    this.dirty = true;
    if (this.raf === 0 && !this.destroyed) this.raf = requestAnimationFrame(() => this.onFrame());
  }

  private onFrame(): void {
    this.raf = 0;
    this.render();
  }

  private resolution(): number {
    return this.options.resolution ?? window.devicePixelRatio ?? 1;
  }

  private render(): void {
    if (this.destroyed || !this.dirty) return;
    this.dirty = false;
    // The page may move to a screen of another density (or be zoomed by the browser).
    const dpr = this.resolution();
    if (dpr !== this.app.renderer.resolution) this.app.renderer.resize(this.width, this.height, dpr);
    this.still.fitText(this.viewState.scale, dpr);
    const t0 = performance.now();
    this.scene.sync(this.events);
    const size = this.packetWorldSize();
    this.scene.fill(this.time, size * LANE, this.frame);
    this.drops = this.scene.dropsAt(this.time, this.dropLingerNs);
    this.packets.draw(this.frame, this.drops, { pid: this.selectedPid, related: this.relatedPids }, size, this.dropLingerNs);
    const t1 = performance.now();
    this.app.render();
    this.placeMs = t1 - t0;
    this.renderMs = performance.now() - t1;
    this.renders++;
    // What is under a resting pointer changes as packets move.
    if (this.hoverPoint !== undefined) this.updateTooltip(this.hoverPoint);
  }

  /** A packet's width in world units at the current zoom. */
  private packetWorldSize(): number {
    const px = Math.max(PACKET_MIN_PX, Math.min(PACKET_MAX_PX, PACKET_WORLD * this.viewState.scale));
    return px / this.viewState.scale;
  }

  private setView(v: View): void {
    if (sameView(v, this.viewState)) return;
    this.viewState = v;
    this.world.scale.set(v.scale);
    this.world.position.set(v.x, v.y);
    this.invalidate();
  }

  private onResize(): void {
    if (this.destroyed) return;
    const w = this.root.clientWidth;
    const h = this.root.clientHeight;
    if (w === 0 || h === 0 || (w === this.width && h === this.height)) return;
    // Keep the middle of the picture in the middle when the student had zoomed or panned.
    const centre = screenToWorld(this.viewState, { x: this.width / 2, y: this.height / 2 });
    this.width = w;
    this.height = h;
    this.app.renderer.resize(w, h, this.resolution());
    if (this.autoFit) this.fitToView();
    else this.setView({ scale: this.viewState.scale, x: w / 2 - centre.x * this.viewState.scale, y: h / 2 - centre.y * this.viewState.scale });
    this.invalidate();
  }

  // ── input ────────────────────────────────────────────────────────────────────────────────────────────

  private hitSizes(): HitSizes {
    // A few pixels of slack whatever the zoom: small targets stay easy to hit.
    const slack = 3 / this.viewState.scale;
    return { packet: this.packetWorldSize() * 0.6 + slack, host: HOST_HALF + slack, switchHalfWidth: SWITCH_HALF_WIDTH + slack, switchHalfHeight: SWITCH_HALF_HEIGHT + slack };
  }

  private local(e: { clientX: number; clientY: number }): Point {
    const r = this.app.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private listen(): void {
    const signal = this.abort.signal;
    const canvas = this.app.canvas;
    const root = this.root;
    root.addEventListener('keydown', (e) => this.onKey(e), { signal });
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.zoomBy(wheelFactor(e.deltaY, e.deltaMode), this.local(e));
      },
      { signal, passive: false },
    );
    canvas.addEventListener(
      'pointerdown',
      (e) => {
        if (e.button !== 0) return;
        root.focus({ preventScroll: true });
        const p = this.local(e);
        if (this.gesture.down(e.pointerId, p.x, p.y)) canvas.setPointerCapture(e.pointerId);
      },
      { signal },
    );
    canvas.addEventListener(
      'pointermove',
      (e) => {
        const p = this.local(e);
        const step = this.gesture.move(e.pointerId, p.x, p.y);
        if (step.kind === 'pan') {
          this.panBy(step.dx, step.dy);
          this.hideTooltip();
        } else if (step.kind === 'hover') {
          this.hoverPoint = p;
          this.updateTooltip(p);
        }
      },
      { signal },
    );
    const release = (e: PointerEvent, cancelled: boolean): void => {
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
      if (cancelled) this.gesture.cancel(e.pointerId);
      else if (this.gesture.up(e.pointerId) === 'click') this.click(this.local(e));
    };
    canvas.addEventListener('pointerup', (e) => release(e, false), { signal });
    canvas.addEventListener('pointercancel', (e) => release(e, true), { signal });
    canvas.addEventListener(
      'pointerleave',
      () => {
        this.hoverPoint = undefined;
        this.hideTooltip();
      },
      { signal },
    );
  }

  private click(p: Point): void {
    const hit = this.hitAt(p.x, p.y);
    if (hit === undefined) return;
    if ((hit.kind === 'packet' || hit.kind === 'drop') && hit.pid !== undefined) {
      this.selectPacket(hit.pid);
      this.options.onSelectPacket?.(hit.pid);
    } else if (hit.kind === 'host') {
      this.selectHost(hit.name);
      this.options.onSelectHost?.(hit.name);
    }
  }

  private onKey(e: KeyboardEvent): void {
    // Keys typed into the zoom buttons' focus stay theirs (Enter, Space).
    if (e.target !== this.root) return;
    const action = keyAction(e);
    if (action === undefined) return;
    if (action.kind === 'zoom') this.zoomBy(action.factor);
    else if (action.kind === 'fit') this.fitToView();
    else if (action.kind === 'pan') this.panBy(action.dx, action.dy);
    else {
      // Escape with nothing selected is left to the page (it may close a panel).
      if (this.selectedPid === undefined && this.selectedHostName === undefined) return;
      this.selectPacket(undefined);
      this.selectHost(undefined);
      this.options.onSelectPacket?.(undefined);
      this.options.onSelectHost?.(undefined);
    }
    e.preventDefault();
    e.stopPropagation();
  }

  private updateTooltip(p: Point): void {
    const hit = this.hitAt(p.x, p.y);
    let lines: string[] | undefined;
    if (hit?.kind === 'packet') lines = packetTooltip(this.frame.flights[hit.index], PACKET_KINDS[this.frame.kind[hit.index]]);
    else if (hit?.kind === 'drop') lines = dropTooltip(this.drops[hit.index].drop);
    else if (hit?.kind === 'host') {
      const h = this.topology.hosts.find((x) => x.name === hit.name);
      if (h !== undefined) lines = hostTooltip(h);
    } else if (hit?.kind === 'switch') {
      const s = this.topology.switches.find((x) => x.name === hit.name);
      if (s !== undefined) lines = switchTooltip(s);
    }
    if (lines === undefined) this.hideTooltip();
    else showTooltip(this.tooltip, lines, p.x, p.y, this.width, this.height);
  }

  private hideTooltip(): void {
    if (!this.tooltip.hidden) this.tooltip.hidden = true;
  }
}
