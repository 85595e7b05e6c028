import { describe, expect, it } from 'vitest';
import { markupToPlainText, parseMarkup } from '../../../src/scenario/index.ts';
import { Lab } from '../../../src/lab/index.ts';

describe('parseMarkup', () => {
  it('plain text is one text node', () => {
    expect(parseMarkup('The router asks who-has 192.168.1.110.')).toEqual([{ type: 'text', text: 'The router asks who-has 192.168.1.110.' }]);
    expect(parseMarkup('')).toEqual([]);
  });

  it('code, emphasis and strong', () => {
    expect(parseMarkup('run `ip neigh` *now* or **never**')).toEqual([
      { type: 'text', text: 'run ' },
      { type: 'code', text: 'ip neigh' },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'now' }] },
      { type: 'text', text: ' or ' },
      { type: 'strong', children: [{ type: 'text', text: 'never' }] },
    ]);
  });

  it('code inside emphasis; stars inside code are code', () => {
    expect(parseMarkup('*set `arp_ignore=1`*')).toEqual([{ type: 'em', children: [{ type: 'text', text: 'set ' }, { type: 'code', text: 'arp_ignore=1' }] }]);
    expect(parseMarkup('`a*b*c`')).toEqual([{ type: 'code', text: 'a*b*c' }]);
  });

  it('a marker without its partner is text', () => {
    expect(parseMarkup('2 * 3 = 6')).toEqual([{ type: 'text', text: '2 * 3 = 6' }]);
    expect(parseMarkup('an ` alone')).toEqual([{ type: 'text', text: 'an ` alone' }]);
    expect(parseMarkup('**')).toEqual([{ type: 'text', text: '**' }]);
    expect(parseMarkup('``')).toEqual([{ type: 'text', text: '``' }]);
  });

  it('backslash escapes the three marker characters only', () => {
    expect(parseMarkup('\\*not em\\* and \\` and \\\\ and \\n')).toEqual([{ type: 'text', text: '*not em* and ` and \\ and \\n' }]);
  });

  it('HTML is text', () => {
    expect(parseMarkup('<img src=x onerror=alert(1)> *<b>*')).toEqual([
      { type: 'text', text: '<img src=x onerror=alert(1)> ' },
      { type: 'em', children: [{ type: 'text', text: '<b>' }] },
    ]);
  });

  it('plain text for a terminal keeps code in backticks', () => {
    expect(markupToPlainText(parseMarkup('set `arp_ignore` on **all**'))).toBe('set `arp_ignore` on all');
  });
});

describe('narration', () => {
  const text = [
    'name: narration',
    'duration: 3s',
    'segments: { lan: {} }',
    'hosts:',
    '  h1: { interfaces: { eth0: { segment: lan, addresses: [10.0.0.1/24] } } }',
    '  h2: { interfaces: { eth0: { segment: lan, addresses: [10.0.0.2/24] } } }',
    'timeline:',
    '  - { at: 1s, host: h1, run: ping -c 2 10.0.0.2 }',
    'narration:',
    '  - at: 500ms',
    '    text: h1 will ping `10.0.0.2`.',
    '  - when: { kind: tx, host: h2, pkt: { arp: { op: reply } } }',
    '    text: h2 *answers* ARP.',
    '  - when: { kind: drop, reason: ttl-exceeded }',
    '    text: never shown',
  ].join('\n');

  it('steps are trace events, at their time or right after the first event their condition matches', () => {
    const lab = Lab.fromText(text, { file: 'n.yaml' });
    lab.run();
    const steps = lab.events.filter((e) => e.kind === 'narration');
    expect(steps.map((e) => (e.kind === 'narration' ? [e.step, e.text] : []))).toEqual([
      [0, 'h1 will ping `10.0.0.2`.'],
      [1, 'h2 *answers* ARP.'],
    ]);
    expect(steps[0].t).toBe(500_000_000);
    const reply = lab.events.find((e) => e.kind === 'tx' && e.host === 'h2' && e.pkt.arp?.op === 'reply')!;
    expect(steps[1].t).toBe(reply.t);
    expect(steps[1].seq).toBeGreaterThan(reply.seq);
    expect(lab.narration().map((n) => n.markup)).toEqual([
      [{ type: 'text', text: 'h1 will ping ' }, { type: 'code', text: '10.0.0.2' }, { type: 'text', text: '.' }],
      [{ type: 'text', text: 'h2 ' }, { type: 'em', children: [{ type: 'text', text: 'answers' }] }, { type: 'text', text: ' ARP.' }],
    ]);
  });

  it('narration never changes what happens on the network', () => {
    const withSteps = Lab.fromText(text, { file: 'n.yaml' });
    const without = Lab.fromText(text.split('\nnarration:')[0], { file: 'n.yaml' });
    withSteps.run();
    without.run();
    const strip = (l: Lab) => l.events.filter((e) => e.kind !== 'narration').map((e) => JSON.stringify({ ...e, seq: 0 }));
    expect(strip(withSteps)).toEqual(strip(without));
  });
});
