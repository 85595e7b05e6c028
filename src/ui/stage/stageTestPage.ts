import { Lab } from '../../lab/index.ts';
import type { TraceEvent } from '../../trace/index.ts';
import { findScenario } from '../catalog.ts';
import { FlightIndex } from '../viewmodel/animation.ts';
import { buildTopology, segmentLookup, type Topology } from '../viewmodel/topology.ts';
import { measureFps, type FpsResult } from './fpsProbe.ts';
import { syntheticLoad } from './syntheticLoad.ts';
import { TopologyStage, type DrawnPacket, type TopologyStageOptions } from './TopologyStage.ts';
import type { View } from './viewTransform.ts';

/**
 * A page with nothing but the stage, for the end-to-end test (test/e2e/stage.test.ts) and the frame-rate
 * measurement: it runs a bundled scenario with the real core, mounts a TopologyStage on its trace, and exposes
 * a small hook on window for the test to drive. Not part of the lab the students use.
 */

export interface StageTestHook {
  /** Runs a bundled scenario to its end and mounts a stage on it; resolves with the number of trace events. */
  mount(scenario: string, width?: number, height?: number): Promise<number>;
  /** A time at which frame `nth` (0-based, among frames that arrive) is half way across its cable. */
  midFlight(nth: number): { time: number; pid: number };
  show(time: number): void;
  renderNow(): void;
  drawn(): DrawnPacket[];
  nodePoint(id: string): { x: number; y: number } | undefined;
  view(): View;
  zoomIn(): void;
  fit(): void;
  selection(): { packet?: number; host?: string; calls: string[] };
  stats(): TopologyStage['stats'];
  /** Renders, then reads canvas pixels (CSS px points) as [r, g, b, a]. */
  samplePixels(points: Array<{ x: number; y: number }>): Array<[number, number, number, number]>;
  destroy(): void;
  /** Creates and destroys a stage `n` times on the mounted scenario. */
  cycle(n: number): Promise<void>;
  /** Mounts a synthetic load of `inFlight` packets and measures frames per second. */
  bench(inFlight: number, ms?: number, width?: number, height?: number, options?: TopologyStageOptions): Promise<FpsResult>;
  canvasCount(): number;
  cspViolations: string[];
  /** The bare ParticleContainer reference (see bareParticles). */
  bare(n: number, ms: number, width: number, height: number): Promise<FpsResult>;
}

declare global {
  interface Window {
    __stageTest: StageTestHook;
  }
}

const status = document.getElementById('status')!;
const host = document.getElementById('stage-host')!;
let stage: TopologyStage | undefined;
let topology: Topology | undefined;
let events: readonly TraceEvent[] = [];
const calls: string[] = [];
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));

function size(width: number, height: number): void {
  host.style.width = `${width}px`;
  host.style.height = `${height}px`;
  host.style.border = '1px solid #ccc';
}

function need(): TopologyStage {
  if (stage === undefined) throw new Error('no stage mounted');
  return stage;
}

async function mountOn(t: Topology, options: TopologyStageOptions = {}): Promise<TopologyStage> {
  stage?.destroy();
  stage = await TopologyStage.create(host, t, {
    ...options,
    onSelectPacket: (pid) => calls.push(`packet:${pid ?? ''}`),
    onSelectHost: (name) => calls.push(`host:${name ?? ''}`),
  });
  return stage;
}

window.__stageTest = {
  async mount(name, width = 960, height = 600) {
    const s = findScenario(name);
    if (s === undefined) throw new Error(`no scenario ${name}`);
    const lab = Lab.fromText(s.text, { file: s.path });
    lab.run();
    events = lab.events;
    topology = buildTopology(lab.spec);
    size(width, height);
    await mountOn(topology);
    status.textContent = `${lab.name}: ${events.length} events`;
    return events.length;
  },
  midFlight(nth) {
    if (topology === undefined) throw new Error('mount first');
    const index = new FlightIndex(segmentLookup(topology)).addAll(events);
    let seen = 0;
    for (const e of events) {
      if (e.kind !== 'tx') continue;
      const f = index.at(e.t).find((x) => x.txSeq === e.seq && x.end?.kind === 'rx');
      if (f === undefined || f.end === undefined) continue;
      if (seen++ === nth) return { time: Math.floor((f.t0 + f.end.t) / 2), pid: f.pid };
    }
    throw new Error(`fewer than ${nth + 1} frames arrive`);
  },
  show: (time) => need().show(time, events),
  renderNow: () => need().renderNow(),
  drawn: () => need().drawnPackets(),
  nodePoint: (id) => need().nodeScreenPoint(id),
  view: () => need().view,
  zoomIn: () => need().zoomIn(),
  fit: () => need().fitToView(),
  selection: () => ({ packet: stage?.selectedPacket, host: stage?.selectedHost, calls: [...calls] }),
  stats: () => need().stats,
  samplePixels(points) {
    const s = need();
    s.renderNow();
    // Read in the same task as the render: the WebGL drawing buffer is still intact until it is composited.
    const canvas = s.root.querySelector('canvas')!;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const k = canvas.width / canvas.getBoundingClientRect().width;
    return points.map((p) => {
      const d = ctx.getImageData(Math.round(p.x * k), Math.round(p.y * k), 1, 1).data;
      return [d[0], d[1], d[2], d[3]];
    });
  },
  destroy() {
    stage?.destroy();
    stage = undefined;
  },
  async cycle(n) {
    if (topology === undefined) throw new Error('mount first');
    for (let i = 0; i < n; i++) {
      const s = await mountOn(topology);
      s.show(events.length > 0 ? events[events.length - 1].t / 2 : 0, events);
      s.renderNow();
      s.destroy();
      stage = undefined;
    }
  },
  async bench(inFlight, ms = 3000, width = 960, height = 600, options = {}) {
    const load = syntheticLoad(inFlight);
    size(width, height);
    const s = await mountOn(load.topology, options);
    events = load.events;
    topology = load.topology;
    return measureFps(s, load, ms);
  },
  canvasCount: () => document.querySelectorAll('canvas').length,
  cspViolations,
  bare: (n, ms, width, height) => bareParticles(n, ms, width, height),
};

status.textContent = 'ready';

/**
 * The reference the issue quotes: a bare pixi.js ParticleContainer of `n` moving sprites (one 26×37 texture,
 * positions dynamic only) in a stage-sized canvas, measured the same way, so the stage's figures can be read
 * against what this machine's software renderer does at the same moment.
 */
async function bareParticles(n: number, ms: number, width: number, height: number): Promise<FpsResult> {
  const { Application, Particle, ParticleContainer, Texture, CanvasSource } = await import('pixi.js');
  stage?.destroy();
  stage = undefined;
  size(width, height);
  const app = new Application();
  await app.init({ width, height, preference: 'webgl', autoStart: false, sharedTicker: false, antialias: false, background: '#fbfbfa' });
  host.append(app.canvas);
  const c = document.createElement('canvas');
  c.width = 26;
  c.height = 37;
  const g = c.getContext('2d')!;
  g.fillStyle = '#0072B2';
  g.fillRect(0, 0, 26, 37);
  const texture = new Texture({ source: new CanvasSource({ resource: c }) });
  const container = new ParticleContainer({ dynamicProperties: { position: true } });
  const particles: InstanceType<typeof Particle>[] = [];
  for (let i = 0; i < n; i++) particles.push(new Particle({ texture, x: (i * 37) % width, y: (i * 53) % height }));
  container.addParticle(...particles);
  app.stage.addChild(container);
  return new Promise((resolve) => {
    let frames = 0;
    let start = 0;
    const t0 = performance.now();
    const tick = (now: number): void => {
      for (let i = 0; i < n; i++) {
        const p = particles[i];
        p.x = (p.x + 1) % width;
      }
      app.render();
      if (start === 0 && now - t0 > 500) start = now;
      else if (start !== 0) {
        frames++;
        if (now - start >= ms) {
          const elapsed = now - start;
          app.destroy({ removeView: true }, { children: true });
          texture.destroy(true);
          resolve({ inFlight: n, fps: (frames * 1000) / elapsed, frames, ms: elapsed, drawn: n, renders: frames });
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

