import { describe, expect, it } from 'vitest';
import { evaluateExpectations, loadScenario } from '../../../src/scenario/index.ts';

const text = `name: expectation messages
hosts:
  h1: {}
expect:
  - at: 1500ms
    host: h1
    run: ip neigh show
    output: { contains: "lladdr" }
  - at: 2s
    host: h1
    run: ip route show
    output: { equals: "" }
`;

describe('output expectations', () => {
  it('say when their command ran as the scenario file writes durations', () => {
    const spec = loadScenario(text, 'x.yaml');
    const [first, second] = evaluateExpectations(spec, [], [{ index: 1, output: { exit: 0, output: '' } }]);
    expect(first).toMatchObject({ pass: false, expected: '`ip neigh show` on h1 at 1500ms: output contains "lladdr"', actual: 'the command had not finished when the run ended' });
    expect(second).toMatchObject({ pass: true, expected: '`ip route show` on h1 at 2s: output equals ""' });
  });
});
