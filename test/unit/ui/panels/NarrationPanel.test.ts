// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lab, parseMarkup } from '../../../../src/lab/index.ts';
import { LabDriver } from '../../../../src/ui/machines/labDriver.ts';
import { checkPassed, NarrationPanel } from '../../../../src/ui/panels/NarrationPanel.ts';
import { HOSTILE, injectedElements, scenarioFile } from './domCheck.ts';

let container: HTMLElement;
let panel: NarrationPanel;
const jumps: Array<[number, number]> = [];
let checks = 0;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  jumps.length = 0;
  checks = 0;
  panel = new NarrationPanel({ onJump: (t, s) => jumps.push([t, s]), onCheck: () => checks++ });
  panel.mount(container);
});
afterEach(() => {
  panel.destroy();
  container.remove();
});

describe('NarrationPanel', () => {
  it('renders the lesson steps shown so far, with their code and emphasis as elements, and jump buttons', () => {
    const lab = Lab.fromText(scenarioFile('lessons/arp-problem'));
    lab.run();
    const steps = lab.narration();
    expect(steps.length).toBe(2);
    panel.update({ steps });
    const items = [...container.querySelectorAll('.narration-step')];
    expect(items).toHaveLength(2);
    expect(items[0].querySelector('.narration-text')!.textContent).toBe('The client opens its first connection to the VIP 192.168.1.110; the router must find its MAC address.');
    expect([...items[0].querySelectorAll('code')].map((c) => c.textContent)).toEqual(['192.168.1.110']);
    expect([...items[1].querySelectorAll('em')].map((c) => c.textContent)).toEqual(['lo']);
    expect([...items[1].querySelectorAll('code')].map((c) => c.textContent)).toEqual(['arp_ignore=0']);
    (items[1].querySelector('.narration-jump') as HTMLElement).click();
    expect(jumps).toEqual([[steps[1].t, 1]]);
    expect(items[0].querySelector('.narration-jump')!.getAttribute('aria-label')).toBe('Jump to step 1 at 1.000000000 seconds');
    // Earlier in the run fewer steps are shown.
    const early = Lab.fromText(scenarioFile('lessons/arp-problem'));
    early.runUntil(steps[1].t - 1);
    panel.update({ steps: early.narration() });
    expect(container.querySelectorAll('.narration-step')).toHaveLength(1);
  });

  it('an exercise: goal, hints one at a time, and the checker verdict with expected and actual', () => {
    const text = scenarioFile('exercises/arp-problem-exercise');
    const broken = Lab.fromText(text);
    broken.run();
    const exercise = broken.spec.exercise!;
    expect(exercise.hints.length).toBeGreaterThan(1);
    panel.update({ steps: broken.narration(), exercise });
    expect(container.querySelector('.exercise-task')!.textContent).toBe(parseMarkup(exercise.task).map((n) => ('text' in n ? n.text : n.children.map((c) => c.text).join(''))).join(''));
    expect(container.querySelectorAll('.exercise-hint')).toHaveLength(0);
    const hintButton = () => container.querySelector('.exercise-hint-button') as HTMLButtonElement;
    expect(hintButton().textContent).toBe(`Show hint 1 of ${exercise.hints.length}`);
    hintButton().click();
    expect(container.querySelectorAll('.exercise-hint')).toHaveLength(1);
    for (let i = 1; i < exercise.hints.length; i++) hintButton().click();
    expect(container.querySelectorAll('.exercise-hint')).toHaveLength(exercise.hints.length);
    expect(hintButton().disabled).toBe(true);
    expect(panel.revealHint()).toBe(false);

    (container.querySelector('.exercise-check-button') as HTMLElement).click();
    expect(checks).toBe(1);
    const failing = broken.expectations();
    panel.update({ steps: broken.narration(), exercise, check: failing });
    const goal = failing.filter((r) => r.goal);
    const failed = goal.filter((r) => !r.pass);
    expect(failed.length).toBeGreaterThan(0);
    expect(container.querySelector('.exercise-verdict')!.textContent).toBe(`✗ FAIL: ${failed.length} of ${goal.length} checks not met.`);
    const shown = [...container.querySelectorAll('.exercise-check')];
    expect(shown).toHaveLength(goal.length);
    const firstFail = shown[goal.indexOf(failed[0])];
    expect(firstFail.querySelector('.check-mark')!.textContent).toBe('✗ fail');
    expect(firstFail.querySelector('.check-expected')!.textContent).toBe(`expected: ${failed[0].expected}`);
    expect(firstFail.querySelector('.check-actual')!.textContent).toBe(`actual: ${failed[0].actual}`);
    // Hints stay revealed across updates of the same exercise.
    expect(container.querySelectorAll('.exercise-hint')).toHaveLength(exercise.hints.length);

    // The browser's way: the student types the fix in the real servers' consoles (journaled by the driver).
    const driver = new LabDriver(text);
    for (const rs of ['rs1', 'rs2']) {
      driver.runCommand(rs, 'sysctl -w net.ipv4.conf.all.arp_ignore=1');
      driver.runCommand(rs, 'sysctl -w net.ipv4.conf.all.arp_announce=2');
    }
    driver.runTo(driver.duration);
    const fixed = driver.current;
    const passing = fixed.expectations();
    expect(checkPassed(passing)).toBe(true);
    panel.update({ steps: fixed.narration(), exercise, check: passing });
    expect(container.querySelector('.exercise-verdict')!.textContent).toBe('✓ PASS: the goal is met.');
    expect(container.querySelector('.exercise-result')!.classList.contains('pass')).toBe(true);
  });

  it('shows hostile narration, tasks, hints and checker text as text', () => {
    const markup = parseMarkup(`${HOSTILE} **${HOSTILE}** \`${HOSTILE}\``);
    panel.update({
      steps: [{ t: 0, step: 0, markup }],
      exercise: { task: HOSTILE, hints: [`*${HOSTILE}*`] },
      check: [{ index: 0, pass: false, expected: HOSTILE, actual: HOSTILE, line: 1, goal: true }],
    });
    panel.revealHint();
    expect(injectedElements(container)).toBe(0);
    // The markup's own elements are made; the hostile text inside them stays text.
    expect(container.querySelector('.narration-text strong')!.textContent).toBe(HOSTILE);
    expect(container.querySelector('.narration-text code')!.textContent).toBe(HOSTILE);
    expect(container.querySelector('.exercise-hint em')!.textContent).toBe(HOSTILE);
    expect(container.querySelector('.exercise-task')!.textContent).toBe(HOSTILE);
    expect(container.querySelector('.check-actual')!.textContent).toBe(`actual: ${HOSTILE}`);
  });
});
