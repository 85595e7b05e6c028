import { Priority } from '../sim/index.ts';
import type { ConditionWatcher } from './conditions.ts';
import type { ScenarioSpec } from './schema.ts';
import type { World } from './World.ts';

/**
 * Narration steps: each is shown once, at its `at` time or when its `when:` condition first holds, as a
 * `narration` trace event carrying the step's index and its text (the faces parse the markup with
 * parseMarkup). A step never changes the simulation.
 */
export function scheduleNarration(world: World, spec: ScenarioSpec, watcher: ConditionWatcher, which: 'when' | 'at'): void {
  spec.narration.forEach((step, index) => {
    const show = (): void => {
      if (world.tracer.enabled) world.tracer.emit({ kind: 'narration', step: index, text: step.text });
    };
    if (step.when !== undefined) {
      if (which === 'when') watcher.onFirst(step.when, show);
    } else if (which === 'at') world.sim.scheduleAt(step.at, show, Priority.admin);
  });
}
