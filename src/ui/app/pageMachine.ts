import { assign, fromPromise, setup } from 'xstate';
import type { LessonSource } from './lessonSource.ts';

/** What a loaded lesson gives the page: something to tear down when another opens. */
export interface LessonHandle {
  destroy(): void;
}

export interface PageContext {
  readonly source?: LessonSource;
  readonly lesson?: LessonHandle;
  /** The message of the last failure, shown as text. */
  readonly error?: string;
}

export type PageEvent =
  | { type: 'OPEN'; source: LessonSource }
  | { type: 'LANDING' }
  | { type: 'FAIL'; message: string };

/**
 * The page's modes: the landing catalog, a lesson loading (the Lab built, the stage created: asynchronous), the
 * lesson ready, or an error (a bad link, a scenario that does not load) shown as text. Opening another lesson,
 * from any mode, tears the current one down first, so only one stage (one WebGL context) ever exists.
 *
 * The loading itself is an injected promise actor (`loadLesson`, provided by main.ts), so this machine holds no
 * DOM and is tested with a fake. The actor receives an AbortSignal: a lesson that finishes loading after the
 * student already went elsewhere must destroy itself, since its result is no longer wanted.
 */
export const pageMachine = setup({
  types: {
    context: {} as PageContext,
    events: {} as PageEvent,
  },
  actors: {
    loadLesson: fromPromise<LessonHandle, LessonSource>(async () => {
      throw new Error('pageMachine: provide a loadLesson actor');
    }),
  },
  actions: {
    dispose: ({ context }) => context.lesson?.destroy(),
    forget: assign({ lesson: undefined }),
  },
}).createMachine({
  id: 'page',
  initial: 'landing',
  context: {},
  on: {
    OPEN: {
      target: '.loading',
      reenter: true,
      actions: ['dispose', assign({ lesson: undefined, error: undefined, source: ({ event }) => event.source })],
    },
    LANDING: { target: '.landing', actions: ['dispose', 'forget'] },
    FAIL: { target: '.error', actions: ['dispose', assign({ lesson: undefined, error: ({ event }) => event.message })] },
  },
  states: {
    landing: {},
    loading: {
      invoke: {
        src: 'loadLesson',
        input: ({ context }) => context.source!,
        onDone: { target: 'ready', actions: assign({ lesson: ({ event }) => event.output }) },
        onError: { target: 'error', actions: assign({ error: ({ event }) => messageOf(event.error) }) },
      },
    },
    ready: {},
    error: {},
  },
});

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
