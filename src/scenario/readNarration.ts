import type { Field } from './fields.ts';
import { readMoment, type ReadContext } from './readContext.ts';
import { readExpectation } from './readExpect.ts';
import type { ExerciseSpec, NarrationSpec } from './schema.ts';

/** Markup is text of at most this many characters: a step is read on a stage, not a chapter. */
const MAX_TEXT = 4000;
const TEXT_EXPECTED = `text (plain, with \`code\`, *emphasis* and **strong**; at most ${MAX_TEXT} characters)`;

const STEP_KEYS = ['at', 'when', 'text'] as const;
const EXERCISE_KEYS = ['task', 'goal', 'hints'] as const;

/** One `narration:` step: `at:` or `when:`, and `text:`. */
export function readNarrationStep(ctx: ReadContext, f: Field): NarrationSpec {
  const s = ctx.r.fields(f, STEP_KEYS, 'a narration step: a mapping with at: or when:, and text:');
  const moment = readMoment(ctx, s, 'the step');
  const text = markupText(ctx, s.require('text', 'a text: key with what the step says'));
  return { ...moment, text, pos: s.pos };
}

/** `exercise:`: the task in words, the goal as expectations, and hints in order. */
export function readExercise(ctx: ReadContext, f: Field): ExerciseSpec {
  const { r } = ctx;
  const e = r.fields(f, EXERCISE_KEYS, 'an exercise: a mapping with task, goal and optionally hints');
  const spec: ExerciseSpec = { task: '', goal: [], hints: [], pos: r.valuePos(f) };
  e.read<(typeof EXERCISE_KEYS)[number]>({
    task: (v) => (spec.task = markupText(ctx, v)),
    goal: (v) => (spec.goal = r.items(v, 'a list of expectations (the forms of expect:)').map((item) => readExpectation(ctx, item))),
    hints: (v) => (spec.hints = r.items(v, 'a list of hints (text)').map((item) => markupText(ctx, item))),
  });
  e.require('task', 'a task: key saying what the student is asked to do');
  const goal = e.require('goal', 'a goal: key with the expectations that hold once the setup is fixed');
  if (spec.goal.length === 0) r.fail(goal, 'a goal: with at least one expectation');
  return spec;
}

function markupText(ctx: ReadContext, f: Field): string {
  const text = ctx.r.text(f, TEXT_EXPECTED);
  if (text.length > MAX_TEXT) ctx.r.fail(f, TEXT_EXPECTED, `${text.length} characters`);
  return text.trim();
}
