import { describe, expect, it } from 'vitest';
import { parseSeed, resolveLocation, scenarioSearch } from '../../../../src/ui/app/lessonSource.ts';
import { encodeShareFragment } from '../../../../src/ui/share.ts';

describe('lessonSource', () => {
  it('parses the seed: absent, a non-negative integer, or an error that says so', () => {
    expect(parseSeed(null)).toBeUndefined();
    expect(parseSeed('')).toBeUndefined();
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed('-1')).toBeInstanceOf(Error);
    expect(parseSeed('1e3')).toBeInstanceOf(Error);
    expect(parseSeed('99999999999999999999')).toBeInstanceOf(Error);
  });

  it('resolves ?scenario=NAME&seed=N to the bundled file, and an unknown name to an error', async () => {
    const w = await resolveLocation('?scenario=nat-basic&seed=7', '');
    expect(w.kind).toBe('open');
    if (w.kind !== 'open') return;
    expect(w.source).toMatchObject({ name: 'nat-basic', file: 'scenarios/lessons/nat-basic.yaml', seed: 7, origin: 'bundled' });
    expect(w.source.text).toContain('name:');
    expect(await resolveLocation('', '')).toEqual({ kind: 'landing' });
    const bad = await resolveLocation('?scenario=%3Cb%3E', '');
    expect(bad).toEqual({ kind: 'error', message: 'No scenario named "<b>". Pick one from the list.' });
    expect((await resolveLocation('?scenario=nat-basic&seed=x', '')).kind).toBe('error');
  });

  it('opens a share fragment (over ?scenario=), and says what is wrong with a damaged one', async () => {
    const text = 'name: shared\nduration: 1s\n';
    const w = await resolveLocation('?scenario=nat-basic', await encodeShareFragment(text));
    expect(w).toEqual({ kind: 'open', source: { text, file: 'shared.yaml', seed: undefined, origin: 'shared' } });
    const bad = await resolveLocation('', '#s=AAAA');
    expect(bad.kind).toBe('error');
  });

  it('writes the address of a bundled scenario', () => {
    expect(scenarioSearch('nat-basic')).toBe('?scenario=nat-basic');
    expect(scenarioSearch('exercises/x', 3)).toBe('?scenario=exercises%2Fx&seed=3');
  });
});
