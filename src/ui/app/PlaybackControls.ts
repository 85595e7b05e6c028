import { formatTimestamp } from '../../lab/index.ts';
import { button, h, setText } from './dom.ts';
import { DEFAULT_SPEED, SPEEDS } from './speeds.ts';

export interface PlaybackActions {
  toggle(): void;
  stepBack(): void;
  step(): void;
  stepHop(): void;
  narration(direction: 'prev' | 'next'): void;
  toStart(): void;
  toEnd(): void;
  seek(t: number): void;
  speed(value: number): void;
  skipIdle(on: boolean): void;
}

/** What the controls show. */
export interface PlaybackView {
  readonly mode: 'paused' | 'playing' | 'finished';
  readonly time: number;
  readonly duration: number;
  readonly speed: number;
  readonly packetSelected: boolean;
  /** Narration steps shown so far, for the scrub bar's marks. */
  readonly marks: readonly number[];
}

/** The scrub bar counts microseconds: a range input of nanoseconds over forty seconds would step too finely to drag. */
const NS_PER_UNIT = 1000;

/**
 * The playback toolbar: play/pause, step back and forth (event by event), step the selected packet's next hop,
 * narration jumps, start and end, the speed (slow motion to fast-forward), "skip quiet gaps", and a scrub bar
 * over simulated time with the narration steps as tick marks. Buttons say what they do in text and in their
 * accessible names, with their keyboard shortcuts.
 */
export class PlaybackControls {
  readonly element: HTMLElement;
  private readonly play: HTMLButtonElement;
  private readonly hop: HTMLButtonElement;
  private readonly scrub: HTMLInputElement;
  private readonly marks: HTMLDataListElement;
  private readonly clock: HTMLElement;
  private readonly speedSelect: HTMLSelectElement;
  private dragging = false;
  private pendingSeek: number | undefined;
  private marksKey = '';

  constructor(private readonly actions: PlaybackActions, duration: number) {
    this.play = button('▶ Play', undefined, () => actions.toggle(), 'play');
    this.play.setAttribute('aria-keyshortcuts', 'Space');
    this.play.id = 'play';
    const back = button('◀ Step', 'Step back to the previous event (Left arrow)', () => actions.stepBack(), 'step-back');
    back.setAttribute('aria-keyshortcuts', 'ArrowLeft');
    const step = button('Step ▶', 'Step to the next event (Right arrow)', () => actions.step(), 'step');
    step.setAttribute('aria-keyshortcuts', 'ArrowRight');
    this.hop = button('Next hop ⤳', 'Step to the next hop of the selected packet', () => actions.stepHop(), 'step-hop');
    const start = button('|◀ Start', 'Back to the start', () => actions.toStart(), 'to-start');
    const end = button('End ▶|', 'Run to the end', () => actions.toEnd(), 'to-end');
    const prevNote = button('◀ Note', 'Previous narration step', () => actions.narration('prev'), 'narration-prev');
    const nextNote = button('Note ▶', 'Next narration step', () => actions.narration('next'), 'narration-next');

    this.speedSelect = h('select', { attrs: { id: 'speed', name: 'speed' } });
    for (const s of SPEEDS) {
      const o = h('option', { text: s.label, attrs: { value: String(s.value) } });
      if (s.value === DEFAULT_SPEED) o.selected = true;
      this.speedSelect.append(o);
    }
    this.speedSelect.addEventListener('change', () => actions.speed(Number(this.speedSelect.value)));
    const speedLabel = h('label', { class: 'speed', attrs: { for: 'speed' }, text: 'Speed ' });

    const skip = h('input', { attrs: { type: 'checkbox', id: 'skip-idle' } });
    skip.checked = true;
    skip.addEventListener('change', () => actions.skipIdle(skip.checked));
    const skipLabel = h('label', { class: 'skip-idle', attrs: { for: 'skip-idle', title: 'While playing, jump over stretches of simulated time in which no frame is on a cable' } }, [skip, ' Skip quiet gaps']);

    this.marks = h('datalist', { attrs: { id: 'narration-marks' } });
    this.scrub = h('input', {
      class: 'scrub',
      attrs: { type: 'range', id: 'scrub', min: '0', max: String(Math.ceil(duration / NS_PER_UNIT)), step: '1', value: '0', list: 'narration-marks', 'aria-label': 'Simulated time (µs)' },
    });
    this.scrub.addEventListener('pointerdown', () => (this.dragging = true));
    const release = () => (this.dragging = false);
    this.scrub.addEventListener('pointerup', release);
    this.scrub.addEventListener('pointercancel', release);
    this.scrub.addEventListener('blur', release);
    // Dragging sends many input events; seeking back re-simulates, so only the latest per frame is applied.
    this.scrub.addEventListener('input', () => {
      const first = this.pendingSeek === undefined;
      this.pendingSeek = Number(this.scrub.value) * NS_PER_UNIT;
      if (first)
        requestAnimationFrame(() => {
          const t = this.pendingSeek;
          this.pendingSeek = undefined;
          if (t !== undefined) actions.seek(t);
        });
    });
    this.clock = h('output', { class: 'clock', attrs: { id: 'clock', 'aria-live': 'off' } });

    this.element = h('div', { class: 'controls', attrs: { role: 'toolbar', 'aria-label': 'Playback' } }, [
      h('div', { class: 'control-group' }, [start, back, this.play, step, end]),
      h('div', { class: 'control-group' }, [this.hop, prevNote, nextNote]),
      h('div', { class: 'control-group' }, [speedLabel, this.speedSelect, skipLabel]),
      h('div', { class: 'control-group scrub-group' }, [this.scrub, this.marks, this.clock]),
    ]);
  }

  /** The speed the select shows (the machine's initial speed comes from it). */
  get speed(): number {
    return Number(this.speedSelect.value);
  }

  update(v: PlaybackView): void {
    const playing = v.mode === 'playing';
    setText(this.play, playing ? '⏸ Pause' : v.mode === 'finished' ? '▶ Play again' : '▶ Play');
    this.play.setAttribute('aria-label', `${playing ? 'Pause' : 'Play'} (Space)`);
    this.play.setAttribute('aria-pressed', playing ? 'true' : 'false');
    this.hop.disabled = !v.packetSelected;
    if (!this.dragging && this.pendingSeek === undefined) {
      const value = String(Math.round(v.time / NS_PER_UNIT));
      if (this.scrub.value !== value) this.scrub.value = value;
    }
    const when = `${formatTimestamp(v.time)} s`;
    this.scrub.setAttribute('aria-valuetext', when);
    setText(this.clock, `${when} of ${formatTimestamp(v.duration)} s`);
    if (Number(this.speedSelect.value) !== v.speed) this.speedSelect.value = String(v.speed);
    const key = v.marks.join(',');
    if (key !== this.marksKey) {
      this.marksKey = key;
      this.marks.replaceChildren(...v.marks.map((t) => h('option', { attrs: { value: String(Math.round(t / NS_PER_UNIT)) } })));
    }
  }
}
