import { formatTimestamp, parseMarkup, type ExpectationResult, type MarkupNode } from '../../lab/index.ts';
import { el, renderMarkup } from './dom.ts';

/** A narration step as Lab.narration() gives it. */
export interface NarrationStepView {
  readonly t: number;
  readonly step: number;
  readonly markup: readonly MarkupNode[];
}

/** An exercise as the scenario states it (`lab.spec.exercise`): task and hints in safe markup. */
export interface ExerciseView {
  readonly task: string;
  readonly hints: readonly string[];
}

export interface NarrationState {
  /** The steps shown so far, in order (Lab.narration()). */
  readonly steps: readonly NarrationStepView[];
  readonly exercise?: ExerciseView;
  /** The checker's results (Lab.expectations()) after the student asked for a check; absent before. */
  readonly check?: readonly ExpectationResult[];
}

export interface NarrationPanelOptions {
  /** "Jump to" a step: the integrator moves playback to its time. */
  readonly onJump?: (t: number, step: number) => void;
  /** The student asks for a check: the integrator runs the checker and calls update with `check`. */
  readonly onCheck?: () => void;
}

/** Whether an exercise's goal is met: every goal expectation passes (every expectation, when none is a goal's). */
export function checkPassed(results: readonly ExpectationResult[]): boolean {
  const goal = results.filter((r) => r.goal === true);
  return (goal.length > 0 ? goal : results).every((r) => r.pass);
}

/**
 * Lesson narration beside the stage: each step shown so far, its markup rendered as DOM (code, emphasis,
 * strong — never HTML) with a button that jumps playback to it; and for an exercise its goal, hints revealed
 * one at a time, a Check button and the checker's verdict with each expectation's expected and actual.
 */
export class NarrationPanel {
  private root: HTMLElement | undefined;
  private stepsList: HTMLOListElement | undefined;
  private exerciseBox: HTMLElement | undefined;
  private state: NarrationState = { steps: [] };
  private hintsShown = 0;
  /** What the steps list shows, so an update with the same steps leaves the DOM (and focus) alone. */
  private stepsKey = '';
  private exerciseKey = '';

  constructor(private readonly options: NarrationPanelOptions = {}) {}

  mount(container: HTMLElement): void {
    const doc = container.ownerDocument;
    this.root = el(doc, 'section', { class: 'narration', attrs: { 'aria-label': 'Lesson' } });
    this.stepsList = el(doc, 'ol', { class: 'narration-steps', attrs: { 'aria-live': 'polite' } });
    this.exerciseBox = el(doc, 'div', { class: 'exercise' });
    this.root.append(el(doc, 'h2', { text: 'Lesson' }), this.stepsList, this.exerciseBox);
    container.append(this.root);
    this.render();
  }

  update(state: NarrationState): void {
    if (state.exercise?.task !== this.state.exercise?.task) this.hintsShown = 0;
    this.state = state;
    this.render();
  }

  /** Reveals the next hint; false when all are shown. */
  revealHint(): boolean {
    const hints = this.state.exercise?.hints ?? [];
    if (this.hintsShown >= hints.length) return false;
    this.hintsShown++;
    this.render();
    return true;
  }

  get hintsRevealed(): number {
    return this.hintsShown;
  }

  destroy(): void {
    this.root?.remove();
    this.root = this.stepsList = this.exerciseBox = undefined;
    this.stepsKey = this.exerciseKey = '';
  }

  private render(): void {
    if (this.stepsList === undefined || this.exerciseBox === undefined) return;
    this.renderSteps(this.stepsList);
    this.renderExercise(this.exerciseBox);
  }

  private renderSteps(list: HTMLOListElement): void {
    const steps = this.state.steps;
    const key = JSON.stringify(steps.map((s) => [s.step, s.t, s.markup]));
    if (key === this.stepsKey) return;
    this.stepsKey = key;
    const doc = list.ownerDocument;
    list.replaceChildren();
    for (const s of steps) {
      const when = formatTimestamp(s.t);
      const jump = el(doc, 'button', { class: 'narration-jump', text: `Jump to ${when} s`, attrs: { type: 'button', 'aria-label': `Jump to step ${s.step + 1} at ${when} seconds` } });
      jump.addEventListener('click', () => this.options.onJump?.(s.t, s.step));
      const text = el(doc, 'p', { class: 'narration-text' });
      text.append(renderMarkup(doc, s.markup));
      list.append(el(doc, 'li', { class: 'narration-step', data: { step: String(s.step) } }, [text, jump]));
    }
  }

  private renderExercise(box: HTMLElement): void {
    const ex = this.state.exercise;
    const check = this.state.check;
    const key = JSON.stringify([ex, this.hintsShown, check]);
    if (key === this.exerciseKey) return;
    this.exerciseKey = key;
    const doc = box.ownerDocument;
    box.replaceChildren();
    if (ex === undefined) return;
    const goal = el(doc, 'p', { class: 'exercise-task' });
    goal.append(renderMarkup(doc, parseMarkup(ex.task)));
    box.append(el(doc, 'h3', { text: 'Exercise' }), goal);

    if (ex.hints.length > 0) {
      const hints = el(doc, 'ol', { class: 'exercise-hints', attrs: { 'aria-label': 'Hints' } });
      for (const h of ex.hints.slice(0, this.hintsShown)) {
        const li = el(doc, 'li', { class: 'exercise-hint' });
        li.append(renderMarkup(doc, parseMarkup(h)));
        hints.append(li);
      }
      const more = this.hintsShown < ex.hints.length;
      const button = el(doc, 'button', {
        class: 'exercise-hint-button',
        text: more ? `Show hint ${this.hintsShown + 1} of ${ex.hints.length}` : 'No more hints',
        attrs: { type: 'button' },
      });
      button.disabled = !more;
      button.addEventListener('click', () => this.revealHint());
      box.append(hints, button);
    }

    const checkButton = el(doc, 'button', { class: 'exercise-check-button', text: 'Check my solution', attrs: { type: 'button' } });
    checkButton.addEventListener('click', () => this.options.onCheck?.());
    box.append(checkButton);
    if (check !== undefined) box.append(this.checkView(doc, check));
  }

  private checkView(doc: Document, results: readonly ExpectationResult[]): HTMLElement {
    const pass = checkPassed(results);
    const shown = results.some((r) => r.goal === true) ? results.filter((r) => r.goal === true) : results;
    const failed = shown.filter((r) => !r.pass).length;
    const view = el(doc, 'div', { class: `exercise-result ${pass ? 'pass' : 'fail'}`, attrs: { role: 'status' } });
    view.append(el(doc, 'p', { class: 'exercise-verdict', text: pass ? '✓ PASS: the goal is met.' : `✗ FAIL: ${failed} of ${shown.length} checks not met.` }));
    const ul = el(doc, 'ul', { class: 'exercise-checks' });
    for (const r of shown) {
      const li = el(doc, 'li', { class: `exercise-check ${r.pass ? 'pass' : 'fail'}` }, [
        el(doc, 'span', { class: 'check-mark', text: r.pass ? '✓ pass' : '✗ fail' }),
        ' ',
        el(doc, 'span', { class: 'check-line', text: `(line ${r.line})` }),
      ]);
      li.append(el(doc, 'div', { class: 'check-expected', text: `expected: ${r.expected}` }), el(doc, 'div', { class: 'check-actual', text: `actual: ${r.actual}` }));
      ul.append(li);
    }
    view.append(ul);
    return view;
  }
}
