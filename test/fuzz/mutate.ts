import fc from 'fast-check';

/**
 * Text mutations of real files: characters and lines deleted, duplicated, swapped, and fragments that mean
 * something to YAML, to JSON, to a shell or to keepalived inserted. Applied in sequence to a corpus file.
 */

const SPECIALS = [':', '-', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ',', '?', ' ', '\n', '\t', '\r', '\\', '0', '9', 'a', '.', '/', '=', ';', '$', '\u0000', '\uFEFF', '\u00e9', '\uD83D', '\u2028'];
const FRAGMENTS = [
  '&a ', '*a', '__proto__: 1', '"__proto__": {}', 'constructor', 'prototype', '[[[[', '{{', '}}}}', '!!set ', '!foo ', '%YAML 1.1\n', '---\n', '<<: ', '? ', ': ',
  '- - - ', '1e999', '1e400', '-0', '.nan', '.inf', '18446744073709551616', '9007199254740993', '99999999999', '-1', '0x', '0o7', '"\\u0000"', 'null', 'true', '~',
  'lo', '/eth0', 'eth0:1', '255.255.255.255', '0.0.0.0/0', '10.0.0.1:65536', '10.0.0.1:0', ':80', '/32', '/33', 'count: {}', 'output: {}', 'when: {}', 'share: {}',
  'absent: true', 'goal: []', 'at: 0s', 'at: -1s', 'at: 1e9s', 'duration: 0s', 'duration: 100000h', '1000000', '4294967296', 'include ', ' \\\n', '$(', '`', '|| ', '&& ', '; ',
  ' > /proc/sys/net/ipv4/ip_forward', ' -t ', ' -u ', ' -f 1', ' -s ', ' -r ', ' -w 0', ' -p ', ' -x 99999999', ' -m ', ' -g ', ' -i ', ' --', '"', "'",
  '{"op":"wait","seconds":1e9}', '{"op":"open","src":"10.1.0.1"}', '"steps": [', '"rs999"', '"sched": "mh"',
];

export type Mutation =
  | { op: 'deleteChar' | 'duplicateChar'; at: number }
  | { op: 'replaceChar' | 'insertChar'; at: number; ch: string }
  | { op: 'insertFragment'; at: number; text: string }
  | { op: 'deleteRange'; at: number; len: number }
  | { op: 'deleteLine' | 'duplicateLine'; line: number }
  | { op: 'replaceLine' | 'swapLines'; line: number; from: number }
  | { op: 'repeatLine'; line: number; times: number }
  | { op: 'replaceNumber'; nth: number; text: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('deleteChar' as const, 'duplicateChar' as const), at: fc.nat() }),
  fc.record({ op: fc.constantFrom('replaceChar' as const, 'insertChar' as const), at: fc.nat(), ch: fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }),
  fc.record({ op: fc.constant('insertFragment' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ op: fc.constant('deleteRange' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constantFrom('deleteLine' as const, 'duplicateLine' as const), line: fc.nat() }),
  fc.record({ op: fc.constantFrom('replaceLine' as const, 'swapLines' as const), line: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant('repeatLine' as const), line: fc.nat(), times: fc.integer({ min: 2, max: 50 }) }),
  fc.record({
    op: fc.constant('replaceNumber' as const),
    nth: fc.nat(),
    text: fc.constantFrom('0', '-1', '65535', '65536', '4294967295', '4294967296', '1e400', '0.5', '1e-9', '99999999999999999999', 'NaN', '-0', '2147483648', ''),
  }),
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const at = 'at' in m ? m.at % (text.length + 1) : 0;
  switch (m.op) {
    case 'deleteLine':
      lines.splice(m.line % lines.length, 1);
      return lines.join('\n');
    case 'duplicateLine': {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 'repeatLine': {
      const i = m.line % lines.length;
      lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i]));
      return lines.join('\n');
    }
    case 'replaceLine':
      lines[m.line % lines.length] = lines[m.from % lines.length];
      return lines.join('\n');
    case 'swapLines': {
      const i = m.line % lines.length;
      const j = m.from % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 'deleteChar':
      return text.slice(0, at) + text.slice(at + 1);
    case 'deleteRange':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'duplicateChar':
      return text.slice(0, at) + text.slice(at, at + 1) + text.slice(at);
    case 'replaceChar':
      return text.slice(0, at) + m.ch + text.slice(at + 1);
    case 'insertChar':
      return text.slice(0, at) + m.ch + text.slice(at);
    case 'insertFragment':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'replaceNumber': {
      const nums = [...text.matchAll(/\d+(\.\d+)?/g)];
      if (nums.length === 0) return text;
      const n = nums[m.nth % nums.length];
      return text.slice(0, n.index) + m.text + text.slice(n.index + n[0].length);
    }
  }
}

/** A corpus file with 1 to `max` mutations applied. */
export function mutated(files: readonly string[], max = 6): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: max })).map(([base, ms]) => ms.reduce(applyMutation, base));
}
