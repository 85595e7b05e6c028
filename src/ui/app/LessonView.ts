import { createActor, type Actor } from 'xstate';
import { formatDuration, parseMarkup, type ExpectationResult, type Lab, type LabOptions } from '../../lab/index.ts';
import type { TraceEvent } from '../../trace/index.ts';
import { ChartsPanel } from '../charts/index.ts';
import { animationFrameTicker, LabDriver, playbackMachine } from '../machines/index.ts';
import { NarrationPanel, PacketInspector, type NarrationStepView } from '../panels/index.ts';
import { TopologyStage, type SyntheticLoad } from '../stage/index.ts';
import { buildTopology, FlightIndex, PACKET_KINDS, PACKET_STYLES, PacketIndex, segmentLookup, type PacketJourney, type SegmentOf, type Topology } from '../viewmodel/index.ts';
import { h, isTypingTarget, link, setText } from './dom.ts';
import { EditorTab } from './EditorTab.ts';
import { EventList } from './EventList.ts';
import { checkWithJournal } from './exerciseCheck.ts';
import { HostTab } from './HostTab.ts';
import type { LessonSource } from './lessonSource.ts';
import { ShownState } from './ShownState.ts';
import type { LessonHandle } from './pageMachine.ts';
import { PlaybackControls } from './PlaybackControls.ts';
import { dropLingerFor, MAX_SPEED, MIN_SPEED } from './speeds.ts';
import { Tabs } from './Tabs.ts';
import { findScenario } from '../catalog.ts';

export interface LessonViewOptions {
  /** Aborted when the page no longer wants this lesson (another one was opened while it loaded). */
  readonly signal?: AbortSignal;
  /** Opens another source: the edited text, or the same scenario with another seed. */
  readonly open: (source: LessonSource) => void;
  /** Bench mode: the stage shows this synthetic load instead of the lab's topology, and nothing plays. */
  readonly benchLoad?: SyntheticLoad;
}

type Mode = 'paused' | 'playing' | 'finished';
type SideTab = 'lesson' | 'packet' | 'host';
type BottomTab = 'events' | 'charts' | 'editor';

/** Panels that read the Lab (host state) or redraw SVG (charts) refresh at most this often while playing. */
const SLOW_PANEL_MS = 250;
/** More new rows than this in one frame, while playing, and the event list waits for the slow-panel refresh. */
const FAST_LIST_ROWS = 40;
/** "Skip quiet gaps" jumps when nothing is on a cable and the next event is more than this much watching away. */
const QUIET_WALL_MS = 300;
/** ...and lands this much watching before that event, so it is seen coming. */
const LEAD_WALL_MS = 100;

/**
 * One lesson on the page: a LabDriver (the Lab, re-simulated to go back), the playback machine (xstate) driving
 * it from animation frames, the stage, and the panels around it. Everything shown is read from the trace up to
 * the playback's cursor or through Lab.queries; the only way anything here changes the simulation is a command
 * typed in a console (LabDriver.runCommand, journalled so that going back replays it).
 */
export class LessonView implements LessonHandle {
  readonly element: HTMLElement;
  private readonly driver: LabDriver;
  private readonly actor: Actor<typeof playbackMachine>;
  private readonly stage: TopologyStage;
  private readonly controls: PlaybackControls;
  private readonly sideTabs: Tabs<SideTab>;
  private readonly bottomTabs: Tabs<BottomTab>;
  private readonly narration: NarrationPanel;
  private readonly inspector: PacketInspector;
  private readonly hostTab: HostTab;
  private readonly events: EventList;
  private readonly charts: ChartsPanel;
  private readonly editor: EditorTab;
  private readonly digest: HTMLElement;
  private readonly journalNote: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly results: HTMLElement;
  private readonly abort = new AbortController();
  private readonly segmentOf: SegmentOf;
  private readonly options: LabOptions;
  private readonly shownState: ShownState;

  /** The trace the indexes below were built from: a new array means the lab was re-simulated. */
  private trace: readonly TraceEvent[] | undefined;
  private packets: PacketIndex | undefined;
  private packetsFed = 0;
  private readonly flights: { index: FlightIndex; fed: number };
  private narrationSteps: NarrationStepView[] = [];
  private narrationScanned = 0;
  private check: ExpectationResult[] | undefined;
  private selectedPid: number | undefined;
  private inspectorKey = '';
  private digestFor = -1;
  private lastSlowRefresh = 0;
  private forceSlow = true;
  private skipIdle = true;
  private renderQueued = 0;
  private destroyed = false;

  private constructor(
    private readonly source: LessonSource,
    driver: LabDriver,
    topology: Topology,
    stage: TopologyStage,
    shell: Shell,
    private readonly bench: boolean,
  ) {
    this.driver = driver;
    this.stage = stage;
    this.element = shell.root;
    this.segmentOf = segmentLookup(topology);
    this.options = pageLabOptions(source);
    this.flights = { index: new FlightIndex(this.segmentOf), fed: 0 };
    this.shownState = new ShownState(source.text, this.options, () => this.driver.journal);
    const lab = driver.current;
    const signal = this.abort.signal;

    this.controls = new PlaybackControls(
      {
        toggle: () => this.actor.send({ type: 'TOGGLE' }),
        step: () => this.actor.send({ type: 'STEP' }),
        stepBack: () => this.stepBack(),
        stepHop: () => this.actor.send({ type: 'STEP_HOP' }),
        narration: (direction) => this.actor.send({ type: 'JUMP_NARRATION', direction }),
        toStart: () => this.actor.send({ type: 'SEEK', t: 0 }),
        toEnd: () => this.actor.send({ type: 'SEEK', t: this.driver.duration }),
        seek: (t) => this.actor.send({ type: 'SEEK', t }),
        speed: (value) => {
          this.actor.send({ type: 'SPEED', speed: value });
          this.stage.dropLinger = dropLingerFor(value);
        },
        skipIdle: (on) => (this.skipIdle = on),
      },
      driver.duration,
    );
    shell.controls.append(this.controls.element);
    this.stage.dropLinger = dropLingerFor(this.controls.speed);

    // The side: the lesson's words, the selected packet, the selected host.
    const spec = lab.spec;
    this.narration = new NarrationPanel({
      onJump: (_t, step) => this.actor.send({ type: 'JUMP_NARRATION', step }),
      onCheck: () => this.runCheck(),
    });
    this.results = h('section', { class: 'results', attrs: { 'aria-label': 'Expectations at the end', id: 'results' } });
    this.results.hidden = true;
    const lessonPanel = h('div', { class: 'lesson-panel' });
    if (spec.description !== undefined) {
      // Long descriptions would push the narration out of sight: folded when there are narration steps.
      const about = h('details', { class: 'about' }, [h('summary', { text: 'About this scenario' }), h('p', { class: 'description', text: spec.description.trim() })]);
      about.open = spec.narration.length === 0 && spec.exercise === undefined;
      lessonPanel.append(about);
    }
    this.narration.mount(lessonPanel);
    lessonPanel.append(this.results);
    const packetPanel = h('div', { class: 'packet-panel' }, [h('p', { class: 'hint', text: 'Click a packet on the stage, or a #N button in the event list, to follow it hop by hop.' })]);
    this.inspector = new PacketInspector();
    this.inspector.mount(packetPanel);
    const hosts = lab.hostNames();
    const first = topology.hosts.find((x) => x.role === 'director')?.name ?? hosts[0];
    this.hostTab = new HostTab({
      hosts,
      programs: lab.programs(),
      host: first,
      run: (host, line, done) => this.runCommand(host, line, done),
      onPick: (name) => this.selectHost(name),
    });
    this.sideTabs = new Tabs<SideTab>(
      'Lesson, packet and host',
      [
        { id: 'lesson', label: spec.exercise !== undefined ? 'Exercise' : 'Lesson', panel: lessonPanel },
        { id: 'packet', label: 'Packet', panel: packetPanel },
        { id: 'host', label: 'Host', panel: this.hostTab.element },
      ],
      () => this.refreshSoon(true),
      'side-tabs',
    );
    shell.side.append(this.sideTabs.element);

    // Below the stage: the text list, the charts, the editor.
    this.events = new EventList((pid) => this.selectPacket(pid));
    this.charts = new ChartsPanel({ duration: driver.duration });
    this.editor = new EditorTab({
      text: source.text,
      file: source.file,
      original: source.name !== undefined ? findScenario(source.name)?.text : undefined,
      run: (text) => shell.open({ ...source, text, origin: 'edited' }),
      shareSearch: () => (source.seed !== undefined ? `?seed=${source.seed}` : ''),
    });
    const eventsPanel = h('div', { class: 'events-panel' }, [this.events.element]);
    const chartsPanel = h('div', { class: 'charts-panel' }, [this.charts.element]);
    this.bottomTabs = new Tabs<BottomTab>(
      'Events, charts and editor',
      [
        { id: 'events', label: 'Events (text)', panel: eventsPanel },
        { id: 'charts', label: 'Charts', panel: chartsPanel },
        { id: 'editor', label: 'Editor', panel: this.editor.element },
      ],
      (id) => {
        if (id === 'editor') this.editor.ensure();
        this.element.dataset.bottom = id;
        this.refreshSoon(true);
      },
      'bottom-tabs',
    );
    shell.bottom.append(this.bottomTabs.element);
    this.element.dataset.bottom = 'events';
    if (source.origin === 'edited') this.bottomTabs.show('editor');

    this.digest = shell.digest;
    this.journalNote = shell.journal;
    this.caption = shell.caption;

    this.actor = createActor(playbackMachine.provide({ actors: { ticker: animationFrameTicker() } }), {
      input: { driver, segmentOf: this.segmentOf, speed: this.controls.speed, minSpeed: MIN_SPEED, maxSpeed: MAX_SPEED },
    });
    this.actor.subscribe(() => this.onSnapshot());
    this.actor.start();
    this.selectHost(first, false);

    document.addEventListener('keydown', (ev) => this.onKey(ev), { signal });
  }

  /**
   * Builds the lab (throws the loader's error for a bad scenario) and the page around it in `root`, then the
   * stage (asynchronous: pixi.js sets up WebGL). Rejects with an AbortError when `signal` aborts meanwhile.
   */
  static async create(root: HTMLElement, source: LessonSource, options: LessonViewOptions): Promise<LessonView> {
    const driver = new LabDriver(source.text, pageLabOptions(source));
    const lab = driver.current;
    const topology = buildTopology(lab.spec);
    const shell = makeShell(source, lab.name, lab.seed, driver.duration, options.open);
    root.replaceChildren(shell.root);
    // The stage calls back on clicks, which can only come once the view exists.
    let view: LessonView | undefined;
    let stage: TopologyStage;
    try {
      stage = await TopologyStage.create(shell.stage, options.benchLoad?.topology ?? topology, {
        onSelectPacket: (pid) => view?.selectPacket(pid),
        onSelectHost: (name) => {
          if (name !== undefined) view?.selectHost(name);
        },
      });
    } catch (err) {
      shell.root.remove();
      throw err;
    }
    if (options.signal?.aborted) {
      stage.destroy();
      shell.root.remove();
      throw new DOMException('another lesson was opened', 'AbortError');
    }
    view = new LessonView(source, driver, topology, stage, shell, options.benchLoad !== undefined);
    return view;
  }

  /** The stage, for the bench mode's frame-rate measurement. */
  get topologyStage(): TopologyStage {
    return this.stage;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.abort.abort();
    if (this.renderQueued !== 0) cancelAnimationFrame(this.renderQueued);
    this.actor.stop();
    this.stage.destroy();
    this.editor.destroy();
    this.hostTab.destroy();
    this.inspector.destroy();
    this.narration.destroy();
    this.charts.destroy();
    this.element.remove();
  }

  // ── what the student does ─────────────────────────────────────────────────────────────────────────────

  selectPacket(pid: number | undefined): void {
    this.selectedPid = pid;
    this.actor.send({ type: 'SELECT', pid });
    this.inspectorKey = '';
    const journey = pid === undefined ? undefined : this.journey(pid);
    this.stage.selectPacket(pid, journey?.pids ?? []);
    this.events.markPackets(new Set(journey?.pids ?? []));
    if (pid !== undefined) this.sideTabs.show('packet');
    this.render();
  }

  selectHost(name: string, show = true): void {
    if (!this.driver.current.hostNames().includes(name)) return;
    this.stage.selectHost(name);
    this.hostTab.select(name, this.hostState());
    if (show) this.sideTabs.show('host');
    this.refreshSoon(true);
  }

  /**
   * Types a command at the shown time. The simulation usually runs ahead of what is shown (the playback's
   * lookahead, 20 ms: an eternity in slow motion), and a command typed while a SYN is on its way must act
   * before it arrives, as the student sees it: so the lab is re-simulated up to the shown time first (same
   * text, seed and earlier commands), the command runs there and is journalled at that time, and the playback
   * re-reads the new trace at the same position.
   */
  private runCommand(host: string, line: string, done: (r: { exit: number; output: string }) => void): void {
    const { time } = this.actor.getSnapshot().context;
    if (this.driver.now() > time) {
      this.driver.restart();
      this.driver.runTo(time);
    }
    this.driver.runCommand(host, line, (r) => {
      done(r);
      this.refreshSoon(true);
    });
    this.actor.send({ type: 'SEEK', t: time });
    this.refreshSoon(true);
  }

  /** The lab as it is at the shown time, for the host panel (see ShownState). */
  private hostState(): Lab {
    return this.shownState.at(this.actor.getSnapshot().context.time);
  }

  /** Back one trace event: the inverse of a step (re-simulated from the start when the time goes back). */
  private stepBack(): void {
    this.actor.send({ type: 'STEP_BACK' });
  }

  private runCheck(): void {
    this.check = checkWithJournal(this.source.text, this.options, this.driver.journal);
    this.refreshSoon(true);
  }

  private onKey(ev: KeyboardEvent): void {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target;
    const onRange = target instanceof HTMLInputElement && (target.type === 'range' || target.type === 'checkbox');
    if (ev.key === ' ') {
      // A focused button, link or field keeps its own Space.
      if ((isTypingTarget(target) && !onRange) || (target instanceof Element && target.closest('button, a, summary') !== null)) return;
      ev.preventDefault();
      this.actor.send({ type: 'TOGGLE' });
    } else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      if (ev.shiftKey || isTypingTarget(target)) return;
      ev.preventDefault();
      if (ev.key === 'ArrowRight') this.actor.send({ type: 'STEP' });
      else this.stepBack();
    }
  }

  // ── showing it ────────────────────────────────────────────────────────────────────────────────────────

  private onSnapshot(): void {
    this.render();
    this.skipQuietGap();
  }

  /** Re-renders on the next frame (after a command, a tab switch); `slow` also refreshes host state and charts. */
  private refreshSoon(slow = false): void {
    if (slow) this.forceSlow = true;
    if (this.renderQueued !== 0 || this.destroyed) return;
    this.renderQueued = requestAnimationFrame(() => {
      this.renderQueued = 0;
      this.render();
    });
  }

  private render(): void {
    if (this.destroyed) return;
    const snap = this.actor.getSnapshot();
    const ctx = snap.context;
    const mode = snap.value as Mode;
    const events = this.driver.events();
    if (events !== this.trace) this.resetIndexes(events);
    this.feedFlights(events);
    if (!this.bench) this.stage.show(ctx.time, events);

    this.scanNarration(events, ctx.cursor);
    this.controls.update({ mode, time: ctx.time, duration: ctx.duration, speed: ctx.speed, packetSelected: this.selectedPid !== undefined, marks: this.narrationSteps.map((s) => s.t) });
    this.element.dataset.playback = mode;
    this.element.dataset.time = String(ctx.time);
    this.element.dataset.cursor = String(ctx.cursor);
    this.narration.update({ steps: this.narrationSteps, exercise: this.driver.current.spec.exercise, check: this.check });
    this.updateInspector(events, ctx.cursor);
    this.updateCaption(ctx.time);

    const now = performance.now();
    const slowDue = this.forceSlow || mode !== 'playing' || now - this.lastSlowRefresh >= SLOW_PANEL_MS;
    // The list follows every step, and slow playback frame by frame; fast-forward adds thousands of rows a
    // second, which nobody reads as they fly by: then it catches up only as often as the slow panels.
    if (this.bottomTabs.selected === 'events' && (slowDue || ctx.cursor - this.events.shownCursor <= FAST_LIST_ROWS)) this.events.update(events, ctx.cursor, ctx.generation);
    if (slowDue) {
      this.forceSlow = false;
      this.lastSlowRefresh = now;
      if (this.sideTabs.selected === 'host') this.hostTab.refresh(this.hostState());
      if (this.bottomTabs.selected === 'charts') this.charts.update(events, ctx.time);
    }
    this.updateEnd(mode, events);
    const typed = this.driver.journal.length;
    setText(this.journalNote, typed === 0 ? '' : `${typed} command${typed === 1 ? '' : 's'} typed (replayed when going back)`);
  }

  private resetIndexes(events: readonly TraceEvent[]): void {
    this.trace = events;
    this.packets = undefined;
    this.packetsFed = 0;
    this.flights.index = new FlightIndex(this.segmentOf);
    this.flights.fed = 0;
    this.narrationSteps = [];
    this.narrationScanned = 0;
    this.inspectorKey = '';
    this.digestFor = -1;
  }

  private feedFlights(events: readonly TraceEvent[]): void {
    const f = this.flights;
    for (; f.fed < events.length; f.fed++) f.index.add(events[f.fed]);
  }

  /** Narration steps shown so far: those among events[0, cursor). */
  private scanNarration(events: readonly TraceEvent[], cursor: number): void {
    if (cursor < this.narrationScanned) {
      this.narrationSteps = [];
      this.narrationScanned = 0;
    }
    let grew = false;
    for (; this.narrationScanned < cursor; this.narrationScanned++) {
      const e = events[this.narrationScanned];
      if (e.kind === 'narration') {
        this.narrationSteps.push({ t: e.t, step: e.step, markup: parseMarkup(e.text) });
        grew = true;
      }
    }
    if (grew) this.narrationSteps = [...this.narrationSteps];
  }

  private journey(pid: number): PacketJourney | undefined {
    const events = this.driver.events();
    this.packets ??= new PacketIndex(this.segmentOf);
    for (; this.packetsFed < events.length; this.packetsFed++) this.packets.add(events[this.packetsFed]);
    return this.packets.journey(pid);
  }

  /** The selected packet's journey as far as the shown position; the newest hop opens as hops appear. */
  private updateInspector(events: readonly TraceEvent[], cursor: number): void {
    const pid = this.selectedPid;
    if (pid === undefined) {
      if (this.inspectorKey !== 'none') this.inspector.update(undefined);
      this.inspectorKey = 'none';
      return;
    }
    const full = this.journey(pid);
    const lastSeq = cursor > 0 ? events[cursor - 1].seq : -1;
    const hops = full?.hops.filter((x) => x.seq <= lastSeq) ?? [];
    const key = `${pid}:${hops.length}`;
    if (key === this.inspectorKey) return;
    this.inspectorKey = key;
    if (full === undefined || hops.length === 0) {
      this.inspector.update(undefined);
      return;
    }
    const shown: PacketJourney = { ...full, hops, offshoots: full.offshoots.filter((o) => o.seq <= lastSeq) };
    this.inspector.update(shown, hops.length - 1);
  }

  /** A line of text under the stage: frames on the cables and drops marked now (the animation in words). */
  private updateCaption(time: number): void {
    const inAir = this.flights.index.countDuring(time, time);
    const drops = this.flights.index.dropsBetween(Math.max(0, time - this.stage.dropLinger), time);
    const dropText = drops.length === 0 ? '' : `; dropped just now: ${drops.slice(-3).map((d) => `${d.reason} at ${d.host ?? d.segment ?? '?'}`).join(', ')}${drops.length > 3 ? ` and ${drops.length - 3} more` : ''}`;
    const stopped = this.driver.stoppedBy;
    if (stopped !== undefined) setText(this.caption, `The run stopped: ${stopped.message}`);
    else setText(this.caption, this.bench ? 'Benchmark: a synthetic load on the stage.' : `${inAir} frame${inAir === 1 ? '' : 's'} on the cables${dropText}.`);
  }

  /** At the end: the trace digest, and for a lesson the expectations' verdicts. */
  private updateEnd(mode: Mode, events: readonly TraceEvent[]): void {
    if (mode !== 'finished') {
      if (this.digestFor !== -1) {
        this.digestFor = -1;
        setText(this.digest, '');
        this.digest.title = '';
        this.results.hidden = true;
      }
      return;
    }
    if (this.digestFor === events.length) return;
    this.digestFor = events.length;
    const lab = this.driver.current;
    setText(this.digest, lab.digest());
    if (lab.spec.exercise !== undefined || lab.spec.expect.length === 0) return;
    const verdicts = lab.expectations();
    const failed = verdicts.filter((v) => !v.pass).length;
    this.results.replaceChildren(
      h('h2', { text: 'Expectations at the end' }),
      h('p', { text: failed === 0 ? `All ${verdicts.length} hold.` : `${failed} of ${verdicts.length} do not hold.` }),
      h(
        'ul',
        { attrs: { id: 'expectations' } },
        verdicts.map((v) => h('li', { class: v.pass ? 'pass' : 'fail' }, [h('strong', { text: v.pass ? 'PASS' : 'FAIL' }), ` line ${v.line}: ${v.expected} — got ${v.actual}`])),
      ),
    );
    this.results.hidden = false;
  }

  /**
   * "Skip quiet gaps": while playing, when no frame is on a cable and the next trace event is more than
   * QUIET_WALL_MS of watching away, jump to just before it. Finding that event may run the simulation ahead of
   * the shown time (LabDriver.runToNextEvent); the jump then catches the shown time up.
   */
  private skipQuietGap(): void {
    if (!this.skipIdle || this.bench) return;
    const snap = this.actor.getSnapshot();
    if (snap.value !== 'playing') return;
    const { time, cursor, speed, duration } = snap.context;
    if (this.flights.index.countDuring(time, time) > 0) return;
    const quiet = speed * QUIET_WALL_MS * 1e6;
    let events = this.driver.events();
    if (cursor >= events.length) {
      if (this.driver.now() - time < quiet) return;
      if (!this.driver.runToNextEvent()) {
        this.actor.send({ type: 'SEEK', t: duration });
        return;
      }
      events = this.driver.events();
    }
    const next = events[cursor];
    if (next === undefined || next.t - time <= quiet) return;
    this.actor.send({ type: 'SEEK', t: Math.max(time, next.t - Math.round(speed * LEAD_WALL_MS * 1e6)) });
  }
}

interface Shell {
  readonly root: HTMLElement;
  readonly controls: HTMLElement;
  readonly stage: HTMLElement;
  readonly caption: HTMLElement;
  readonly side: HTMLElement;
  readonly bottom: HTMLElement;
  readonly digest: HTMLElement;
  readonly journal: HTMLElement;
  readonly open: (source: LessonSource) => void;
}

/** The lesson's frame: header (title, seed, digest), controls, stage, side and bottom areas of the grid. */
function makeShell(source: LessonSource, title: string, seed: number, duration: number, open: (s: LessonSource) => void): Shell {
  const back = link('./', '← All scenarios', 'back');
  const heading = h('h1', { class: 'lesson-title', text: title, attrs: { id: 'lesson-title' } });
  const origin = source.origin === 'bundled' ? source.file.replace(/^scenarios\//, '') : source.origin === 'shared' ? 'from a share link' : 'edited';
  const seedInput = h('input', { attrs: { id: 'seed', name: 'seed', inputmode: 'numeric', autocomplete: 'off', value: String(seed) } });
  const seedForm = h('form', { class: 'seed-form', attrs: { 'aria-label': 'Seed' } }, [
    h('label', { text: 'Seed ', attrs: { for: 'seed' } }),
    seedInput,
    h('button', { text: 'Re-run', attrs: { type: 'submit' } }),
  ]);
  const seedError = h('span', { class: 'seed-error', attrs: { role: 'alert' } });
  seedForm.append(seedError);
  seedForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = seedInput.value.trim();
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      seedError.textContent = ' The seed is a non-negative integer.';
      return;
    }
    open({ ...source, seed: Number(text) });
  });
  const digest = h('code', { attrs: { id: 'digest' } });
  const digestLine = h('p', { class: 'digest-line', attrs: { title: 'SHA-256 of the canonical JSONL trace: the same as `lvs-lab run` prints for this scenario and seed' } }, [
    'Trace digest: ',
    digest,
  ]);
  const hint = h('span', { class: 'digest-hint', text: '(shown at the end of the run)' });
  digestLine.append(' ', hint);
  const journal = h('p', { class: 'journal-note', attrs: { id: 'journal-note' } });
  const header = h('header', { class: 'lesson-head' }, [
    back,
    h('div', { class: 'lesson-name' }, [heading, h('span', { class: 'lesson-file', text: `${origin} · ${formatDuration(duration)}` })]),
    seedForm,
    h('div', { class: 'lesson-digest' }, [digestLine, journal]),
  ]);
  const controls = h('div', { class: 'lesson-controls' });
  const stage = h('div', { class: 'stage', attrs: { id: 'stage' } });
  const caption = h('p', { class: 'stage-caption', attrs: { id: 'stage-caption', 'aria-live': 'off' } });
  const stageArea = h('div', { class: 'stage-area' }, [stage, h('div', { class: 'stage-foot' }, [caption, legend()])]);
  const side = h('div', { class: 'lesson-side' });
  const bottom = h('div', { class: 'lesson-bottom' });
  const root = h('article', { class: 'lesson', attrs: { id: 'lesson-view', 'aria-labelledby': 'lesson-title' } }, [header, controls, stageArea, side, bottom]);
  root.dataset.scenario = source.name ?? '';
  return { root, controls, stage, caption, side, bottom, digest, journal, open };
}

/** The key to the packets' colours, each with its letter and name (colour is never the only cue). */
function legend(): HTMLElement {
  const list = h('ul', { class: 'legend', attrs: { 'aria-label': 'Packet kinds' } });
  for (const kind of PACKET_KINDS) {
    const style = PACKET_STYLES[kind];
    const swatch = h('span', { class: 'swatch', text: style.letter });
    // Through the CSSOM, which the Content-Security-Policy allows (a style attribute in markup it would not).
    swatch.style.background = style.color;
    list.append(h('li', {}, [swatch, ` ${style.label}`]));
  }
  return list;
}

/**
 * The page's event budget: over 20 times the largest shipped lesson (nat-bottleneck: 229k events), so no lesson nears it,
 * while a runaway scenario stops in seconds with the limit's message (LabDriver.stoppedBy) instead of keeping
 * the tab busy until the core's default of 10^8 events.
 */
export const PAGE_MAX_EVENTS = 5_000_000;

function pageLabOptions(source: LessonSource): LabOptions {
  return { file: source.file, seed: source.seed, maxEvents: PAGE_MAX_EVENTS };
}
