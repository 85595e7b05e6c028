import type { Field } from './fields.ts';
import { readMoment, type ReadContext } from './readContext.ts';
import type { TimelineAction, TimelineSpec } from './schema.ts';

/**
 * A timeline entry: a moment (`at:` or `when:`) and one action. The contract's form is `host:` + `run:`; the
 * extensions name their target in the action key: `link: rs1/eth0` with `state: up|down`, `cable: rs1/eth0`
 * with `state: up|down`, `crash: rs1`, `restart: rs1`, `slow: rs1` with `factor: N`, `loss: rs1/eth0` with
 * `probability: P`.
 */
const ACTION_KEYS = ['run', 'link', 'cable', 'crash', 'restart', 'slow', 'loss'] as const;
type ActionKey = (typeof ACTION_KEYS)[number];

/** The keys each action allows besides at/when. */
const ACTION_FIELDS: Record<ActionKey, readonly string[]> = {
  run: ['host', 'run', 'fails'],
  link: ['link', 'state'],
  cable: ['cable', 'state'],
  crash: ['crash'],
  restart: ['restart'],
  slow: ['slow', 'factor'],
  loss: ['loss', 'probability'],
};

const ALL_KEYS = ['at', 'when', 'host', 'run', 'fails', 'link', 'cable', 'crash', 'restart', 'slow', 'loss', 'state', 'factor', 'probability'] as const;
const ENTRY_EXPECTED = 'a timeline entry: at: or when:, and one action (host + run, link, cable, crash, restart, slow, loss)';

/** A slow-down beyond this is a typo (a factor of 10^6 turns a 1 ms request into 17 minutes). */
const MAX_FACTOR = 1_000_000;

export function readTimelineEntry(ctx: ReadContext, f: Field): TimelineSpec {
  const { r, source } = ctx;
  const t = r.fields(f, ALL_KEYS, ENTRY_EXPECTED);
  const actions = [...t.entries.keys()].filter((k): k is ActionKey => (ACTION_KEYS as readonly string[]).includes(k));
  // `host:` alone is the contract's form missing its `run:`.
  const action: ActionKey = actions[0] ?? 'run';
  if (actions.length > 1) {
    const second = t.get(actions[1])!;
    throw source.error(second.keyPos, second.path, `one action per timeline entry (this one has ${actions[0]}:)`, JSON.stringify(actions[1]));
  }
  for (const [key, v] of t.entries) {
    if (key === 'at' || key === 'when' || ACTION_FIELDS[action].includes(key)) continue;
    throw source.error(v.keyPos, v.path, `the keys of a ${action}: entry: at or when, ${ACTION_FIELDS[action].join(', ')}`, JSON.stringify(key));
  }
  const moment = readMoment(ctx, t, 'the action');
  const state = (): boolean => r.oneOf(t.require('state', 'a state: key, up or down'), ['up', 'down'], 'a state: up or down') === 'up';
  let host = '';
  let act: TimelineAction;
  switch (action) {
    case 'run': {
      const hostField = t.require('host', 'a host: key naming the host to run the command on');
      const runField = t.require('run', 'a run: key with the command line');
      host = ctx.hostRef(hostField);
      act = { kind: 'run', run: r.text(runField, 'a command line as text (quote it if it contains ": " or " #")', { singleLine: true }), runPos: r.valuePos(runField) };
      // `fails: true`: the line is typed wrong on purpose (a lesson replaying a tutorial's mistake), so `check`
      // does not report the tool's refusal; the run records its exit status as for any timeline command.
      const failsField = t.get('fails');
      if (failsField !== undefined && r.boolean(failsField, 'fails: true or false')) act.fails = true;
      break;
    }
    case 'link':
    case 'cable': {
      const ref = ctx.ifaceRef(t.get(action)!, { cable: action === 'cable' });
      host = ref.host;
      act = { kind: action, iface: ref.iface, up: state() };
      break;
    }
    case 'crash':
    case 'restart':
      host = ctx.hostRef(t.get(action)!);
      act = { kind: action };
      break;
    case 'slow': {
      host = ctx.hostRef(t.get('slow')!);
      const ff = t.require('factor', 'a factor: key, how many times slower the host\'s servers work (1 = normal)');
      const factor = r.number(ff, `a factor: a number from 1 to ${MAX_FACTOR}`);
      if (factor < 1 || factor > MAX_FACTOR) r.fail(ff, `a factor: a number from 1 to ${MAX_FACTOR}`);
      act = { kind: 'slow', factor };
      break;
    }
    case 'loss': {
      const ref = ctx.ifaceRef(t.get('loss')!, { cable: true });
      host = ref.host;
      const pf = t.require('probability', 'a probability: key, the share of frames lost (0 to 1)');
      const p = r.number(pf, 'a probability: a number from 0 to 1');
      if (p < 0 || p > 1) r.fail(pf, 'a probability: a number from 0 to 1');
      act = { kind: 'loss', iface: ref.iface, probability: p };
      break;
    }
  }
  return { ...moment, host, action: act, pos: t.pos };
}
