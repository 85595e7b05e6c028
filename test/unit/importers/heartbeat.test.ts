import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHeartbeatPair, decodeIpAddr, parseHaCf, parseHaresources, type HaCf, type HaResourceGroup } from '../../../src/admin/importers/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/seeds/${name}`, import.meta.url));

describe('heartbeat: seed 002', () => {
  const haCf = parseHaCf(readFileSync(fixture('seed002-ha.cf'), 'utf8'), 'ha.cf');
  const res = parseHaresources(readFileSync(fixture('seed002-haresources'), 'utf8'), 'haresources');

  it('ha.cf: timers, media, failback and the node; the one-node file is a warning at its node line', () => {
    expect(haCf.model).toBeDefined();
    const m = haCf.model as HaCf;
    expect(m).toMatchObject({ keepaliveMs: 2000, deadtimeMs: 10000, autoFailback: 'on' });
    expect(m.media.map((x) => `${x.kind} ${x.args.join(' ')}`)).toEqual(['bcast eth0', 'mcast eth0 225.0.0.1 694 1 0']);
    expect(m.nodes).toEqual([{ line: 10, name: 'ld.example.com' }]);
    expect(haCf.diagnostics.map((d) => `${d.line} ${d.severity} ${d.code}`)).toEqual(['10 warning HA_ONE_NODE']);
  });

  it('haresources: the preferred node and its resources, in order; IPaddr2 decoded', () => {
    const groups = res.model as HaResourceGroup[];
    expect(res.diagnostics).toEqual([]);
    expect(groups[0].node).toBe('ld.example.com');
    expect(groups[0].resources.map((r) => r.name)).toEqual(['ldirectord', 'LVSSyncDaemonSwap', 'IPaddr2']);
    expect(decodeIpAddr(groups[0].resources[2].args[0])).toEqual({ address: '10.10.10.53', prefix: 24, dev: 'eth0', broadcast: '10.10.10.255' });
    expect(checkHeartbeatPair(haCf.model as HaCf, groups, 'haresources')).toEqual([]);
  });
});

describe('heartbeat: diagnostics', () => {
  it('unknown directive, bad time, no media, deadtime not above keepalive', () => {
    const r = parseHaCf('keepalive 2\ndeadtime 1\nnodes a\nnode a b\ninitdead soon\n', 'ha.cf');
    expect(r.diagnostics.map((d) => `${d.line} ${d.severity} ${d.code}`)).toEqual(['3 error HA_UNKNOWN', '5 error HA_BAD_VALUE', '6 error HA_NO_MEDIA', '6 warning HA_DEADTIME']);
  });

  it('haresources: IPaddr2 without or with a bad address', () => {
    const r = parseHaresources('a IPaddr2\nb IPaddr2::10.0.0.300/24/eth0\nc IPaddr2::10.0.0.1/24/eth0 ldirectord::x.cf\n', 'haresources');
    expect(r.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['1 HA_BAD_RESOURCE', '2 HA_BAD_RESOURCE']);
  });

  it('a haresources node that ha.cf does not list is an error at its line', () => {
    const cf = parseHaCf('bcast eth0\nnode a\nnode b\n', 'ha.cf').model as HaCf;
    const groups = parseHaresources('a IPaddr2::10.0.0.1/24/eth0\nc IPaddr2::10.0.0.2/24/eth0\n', 'haresources').model as HaResourceGroup[];
    expect(checkHeartbeatPair(cf, groups, 'haresources').map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual(['haresources:2 HA_NODE_UNKNOWN']);
  });
});
