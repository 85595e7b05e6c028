import { describe, expect, it } from 'vitest';
import type { IptRule } from '../../../../src/net/index.ts';
import { hostAddr, ip, rule, World } from './world.ts';

/** The control API: libiptc's operations and errors, and the kernel's checks when a table changes. */

function engine() {
  const w = new World();
  const h = w.host('h');
  return h.iptables;
}

const names = (v: ReturnType<ReturnType<typeof engine>['list']>) => (Array.isArray(v) ? v.map((c) => c.name) : v.message);

describe('chains and rules', () => {
  it('has the kernel built-in chains per table, listed in hook order, user chains sorted after them', () => {
    const ipt = engine();
    expect(names(ipt.list('filter'))).toEqual(['INPUT', 'FORWARD', 'OUTPUT']);
    expect(names(ipt.list('nat'))).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
    expect(names(ipt.list('mangle'))).toEqual(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
    ipt.newChain('filter', 'zeta');
    ipt.newChain('filter', 'Alpha');
    ipt.newChain('filter', 'beta');
    expect(names(ipt.list('filter'))).toEqual(['INPUT', 'FORWARD', 'OUTPUT', 'Alpha', 'beta', 'zeta']);
    expect(ipt.newChain('filter', 'beta')).toMatchObject({ errno: 'EEXIST', message: 'Chain already exists' });
    expect(ipt.list('filter', 'nope')).toMatchObject({ message: 'No chain/target/match by that name' });
  });

  it('insert, replace and delete by number or by content', () => {
    const ipt = engine();
    const a = rule({ kind: 'ACCEPT' }, { src: hostAddr('10.0.0.1') });
    const b = rule({ kind: 'DROP' }, { src: hostAddr('10.0.0.2') });
    const c = rule({ kind: 'ACCEPT' }, { proto: 6 });
    expect(ipt.append('filter', 'INPUT', a)).toBeUndefined();
    expect(ipt.insert('filter', 'INPUT', 1, b)).toBeUndefined();
    expect(ipt.insert('filter', 'INPUT', 3, c)).toBeUndefined();
    expect(ipt.insert('filter', 'INPUT', 5, c)).toMatchObject({ errno: 'E2BIG', message: 'Index of insertion too big' });
    const order = () => {
      const v = ipt.list('filter', 'INPUT');
      return Array.isArray(v) ? v[0].rules.map((r) => r.rule) : [];
    };
    expect(order()).toEqual([b, a, c]);
    // Content equality, whatever the object's key order.
    const aAgain: IptRule = { target: { kind: 'ACCEPT' }, matches: [], protoInvert: false, proto: 0, src: { invert: false, mask: 0xffffffff, addr: ip('10.0.0.1') } };
    expect(ipt.check('filter', 'INPUT', aAgain)).toBeUndefined();
    expect(ipt.delete('filter', 'INPUT', aAgain)).toBeUndefined();
    expect(ipt.delete('filter', 'INPUT', aAgain)).toMatchObject({ message: 'Bad rule (does a matching rule exist in that chain?)' });
    expect(ipt.replace('filter', 'INPUT', 2, a)).toBeUndefined();
    expect(order()).toEqual([b, a]);
    expect(ipt.replace('filter', 'INPUT', 3, a)).toMatchObject({ message: 'Index of replacement too big' });
    expect(ipt.delete('filter', 'INPUT', 3)).toMatchObject({ message: 'Index of deletion too big' });
    expect(ipt.delete('filter', 'INPUT', 1)).toBeUndefined();
    expect(order()).toEqual([a]);
    expect(ipt.append('filter', 'NOPE', a)).toMatchObject({ message: 'No chain/target/match by that name' });
  });

  it('policies only on built-in chains, only ACCEPT or DROP', () => {
    const ipt = engine();
    ipt.newChain('filter', 'mine');
    expect(ipt.setPolicy('filter', 'mine', 'DROP')).toMatchObject({ message: 'Bad built-in chain name' });
    expect(ipt.setPolicy('filter', 'INPUT', 'RETURN')).toMatchObject({ message: 'Bad policy name' });
    expect(ipt.setPolicy('filter', 'INPUT', 'DROP')).toBeUndefined();
    const v = ipt.list('filter', 'INPUT');
    expect(Array.isArray(v) && v[0].policy).toBe('DROP');
  });

  it('deleting chains: empty and unreferenced user chains only', () => {
    const ipt = engine();
    ipt.newChain('filter', 'a');
    ipt.newChain('filter', 'b');
    ipt.append('filter', 'a', rule({ kind: 'ACCEPT' }));
    ipt.append('filter', 'INPUT', rule({ kind: 'jump', chain: 'b' }));
    expect(ipt.deleteChain('filter', 'INPUT')).toMatchObject({ message: "Can't delete built-in chain" });
    expect(ipt.deleteChain('filter', 'a')).toMatchObject({ message: 'Directory not empty' });
    expect(ipt.deleteChain('filter', 'b')).toMatchObject({ message: 'Too many links' });
    ipt.flush('filter');
    expect(ipt.deleteChain('filter')).toBeUndefined();
    expect(names(ipt.list('filter'))).toEqual(['INPUT', 'FORWARD', 'OUTPUT']);
  });

  it('renaming a chain renames the jumps to it', () => {
    const ipt = engine();
    ipt.newChain('filter', 'old');
    ipt.newChain('filter', 'other');
    ipt.append('filter', 'INPUT', rule({ kind: 'jump', chain: 'old' }));
    expect(ipt.renameChain('filter', 'old', 'other')).toMatchObject({ message: 'File exists' });
    expect(ipt.renameChain('filter', 'old', 'new')).toBeUndefined();
    const v = ipt.list('filter', 'INPUT');
    expect(Array.isArray(v) && v[0].rules[0].rule.target).toEqual({ kind: 'jump', chain: 'new' });
  });
});

describe('what the kernel refuses when a table changes', () => {
  it('targets outside their table or hooks (and the rule is not kept)', () => {
    const ipt = engine();
    const dnat = rule({ kind: 'DNAT', to: { minAddr: ip('10.0.0.1'), maxAddr: ip('10.0.0.1') }, random: false, persistent: false });
    expect(ipt.append('filter', 'INPUT', dnat)).toMatchObject({
      errno: 'EINVAL',
      message: "Invalid argument. Run `dmesg' for more information",
      detail: 'x_tables: ip_tables: DNAT target: only valid in nat table, not filter',
    });
    expect(ipt.append('nat', 'POSTROUTING', dnat)).toMatchObject({ errno: 'EINVAL' });
    expect(ipt.append('nat', 'PREROUTING', rule({ kind: 'MASQUERADE', random: false }))).toMatchObject({ errno: 'EINVAL' });
    expect(ipt.append('nat', 'OUTPUT', dnat)).toBeUndefined();
    expect(ipt.append('mangle', 'INPUT', rule({ kind: 'REJECT', with: 'icmp-port-unreachable' }))).toMatchObject({ errno: 'EINVAL' });
    // Through a user chain: fine until something reachable from the wrong hook jumps to it.
    ipt.newChain('nat', 'masq');
    expect(ipt.append('nat', 'masq', rule({ kind: 'MASQUERADE', random: false }))).toBeUndefined();
    expect(ipt.append('nat', 'PREROUTING', rule({ kind: 'jump', chain: 'masq' }))).toMatchObject({ errno: 'EINVAL' });
    expect(ipt.append('nat', 'POSTROUTING', rule({ kind: 'jump', chain: 'masq' }))).toBeUndefined();
    const pre = ipt.list('nat', 'PREROUTING');
    expect(Array.isArray(pre) && pre[0].rules).toEqual([]);
  });

  it('protocol matches need their protocol; tcp-reset needs -p tcp', () => {
    const ipt = engine();
    const tcpMatch = { kind: 'tcp' as const, dport: { min: 80, max: 80 }, dportInvert: false, sportInvert: false };
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'ACCEPT' }, { proto: 17, matches: [tcpMatch] }))).toMatchObject({
      errno: 'EINVAL',
      detail: 'x_tables: ip_tables: tcp match: only valid for protocol 6',
    });
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'ACCEPT' }, { proto: 6, matches: [tcpMatch] }))).toBeUndefined();
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'REJECT', with: 'tcp-reset' }))).toMatchObject({ errno: 'EINVAL' });
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'REJECT', with: 'tcp-reset' }, { proto: 6 }))).toBeUndefined();
  });

  it('jumps must go to an existing user chain, and no chain may reach itself', () => {
    const ipt = engine();
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'jump', chain: 'ghost' }))).toMatchObject({ errno: 'ENOENT' });
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'jump', chain: 'OUTPUT' }))).toMatchObject({ errno: 'EINVAL' });
    ipt.newChain('filter', 'a');
    ipt.newChain('filter', 'b');
    expect(ipt.append('filter', 'a', rule({ kind: 'jump', chain: 'b' }))).toBeUndefined();
    // An unreachable loop is not checked (the kernel walks from the hooks)...
    expect(ipt.append('filter', 'b', rule({ kind: 'jump', chain: 'a' }))).toBeUndefined();
    // ...until a built-in chain reaches it.
    expect(ipt.append('filter', 'INPUT', rule({ kind: 'jump', chain: 'a' }))).toMatchObject({ errno: 'ELOOP', message: 'Too many levels of symbolic links' });
  });
});
