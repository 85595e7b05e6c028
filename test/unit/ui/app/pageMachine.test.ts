import { createActor, fromPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import { pageMachine, type LessonHandle } from '../../../../src/ui/app/pageMachine.ts';
import type { LessonSource } from '../../../../src/ui/app/lessonSource.ts';

const source = (name: string): LessonSource => ({ name, text: `name: ${name}`, file: `${name}.yaml`, origin: 'bundled' });

/** A loader the test resolves or rejects by hand, recording what it made and what got destroyed. */
function harness() {
  const made: string[] = [];
  const destroyed: string[] = [];
  const aborted: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const machine = pageMachine.provide({
    actors: {
      loadLesson: fromPromise<LessonHandle, LessonSource>(
        ({ input, signal }) =>
          new Promise<LessonHandle>((resolve, reject) => {
            const name = input.name!;
            signal.addEventListener('abort', () => aborted.push(name));
            pending.set(name, {
              resolve: () => {
                made.push(name);
                resolve({ destroy: () => destroyed.push(name) });
              },
              reject,
            });
          }),
      ),
    },
  });
  const actor = createActor(machine).start();
  return { actor, made, destroyed, aborted, pending };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('pageMachine', () => {
  it('starts on the landing view, loads a lesson and is ready with it', async () => {
    const { actor, pending } = harness();
    expect(actor.getSnapshot().value).toBe('landing');
    actor.send({ type: 'OPEN', source: source('a') });
    expect(actor.getSnapshot().value).toBe('loading');
    expect(actor.getSnapshot().context.source?.name).toBe('a');
    pending.get('a')!.resolve();
    await tick();
    expect(actor.getSnapshot().value).toBe('ready');
    expect(actor.getSnapshot().context.lesson).toBeDefined();
  });

  it('shows a loader failure as an error message, and leaves it for the landing view', async () => {
    const { actor, pending } = harness();
    actor.send({ type: 'OPEN', source: source('bad') });
    pending.get('bad')!.reject(new Error('bad.yaml:3:1: duration: expected a duration'));
    await tick();
    expect(actor.getSnapshot().value).toBe('error');
    expect(actor.getSnapshot().context.error).toBe('bad.yaml:3:1: duration: expected a duration');
    actor.send({ type: 'LANDING' });
    expect(actor.getSnapshot().value).toBe('landing');
  });

  it('destroys the current lesson before another opens, and when going back to the landing view', async () => {
    const { actor, pending, destroyed } = harness();
    actor.send({ type: 'OPEN', source: source('a') });
    pending.get('a')!.resolve();
    await tick();
    actor.send({ type: 'OPEN', source: source('b') });
    expect(destroyed).toEqual(['a']);
    pending.get('b')!.resolve();
    await tick();
    expect(actor.getSnapshot().value).toBe('ready');
    actor.send({ type: 'LANDING' });
    expect(destroyed).toEqual(['a', 'b']);
    expect(actor.getSnapshot().context.lesson).toBeUndefined();
  });

  it('aborts a load that another OPEN overtook, and ignores its late result', async () => {
    const { actor, pending, aborted } = harness();
    actor.send({ type: 'OPEN', source: source('slow') });
    actor.send({ type: 'OPEN', source: source('fast') });
    expect(aborted).toEqual(['slow']);
    pending.get('fast')!.resolve();
    await tick();
    pending.get('slow')!.resolve();
    await tick();
    expect(actor.getSnapshot().value).toBe('ready');
    expect(actor.getSnapshot().context.source?.name).toBe('fast');
  });

  it('FAIL from anywhere shows the message (a bad address)', () => {
    const { actor } = harness();
    actor.send({ type: 'FAIL', message: 'No scenario named "x".' });
    expect(actor.getSnapshot().value).toBe('error');
    expect(actor.getSnapshot().context.error).toBe('No scenario named "x".');
  });
});
