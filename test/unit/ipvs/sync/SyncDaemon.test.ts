import { describe, expect, it } from 'vitest';
import { GreetingServer } from '../../../../src/apps/index.ts';
import { ipvsadmCommand } from '../../../../src/admin/ipvsadm/ipvsadm.ts';
import { ipvsOf } from '../../../../src/ipvs/index.ts';
import { decodeSyncMessage, encodeSyncMessage, SYNC_GROUP, SyncConnFlag } from '../../../../src/ipvs/sync/syncMessage.ts';
import { Scope, sendGratuitous, type Host } from '../../../../src/net/index.ts';
import { MS, SECOND } from '../../../../src/sim/index.ts';
import { ArpOp, MAC_BROADCAST, parseIpv4 } from '../../../../src/wire/index.ts';
import { SimWorld } from '../../simWorld.ts';

const VIP = parseIpv4('10.0.0.100')!;
const RS = parseIpv4('10.0.0.21')!;

function addr(h: Host, dev: string, a: string, len = 24): void {
  h.addAddress(h.iface(dev)!, { address: parseIpv4(a)!, prefixLen: len, scope: Scope.global, label: dev });
}

/** A DR pair on one segment: lvs1 holds the VIP, lvs2 is configured the same; one real server; a client. */
function drPair() {
  const w = new SimWorld();
  const client = w.newHost('client');
  const lvs1 = w.newHost('lvs1');
  const lvs2 = w.newHost('lvs2');
  const rs = w.newHost('rs1');
  w.plugNew(client, 'eth0', '02:00:00:00:00:50', 'lan');
  w.plugNew(lvs1, 'eth0', '02:00:00:00:00:02', 'lan');
  w.plugNew(lvs2, 'eth0', '02:00:00:00:00:03', 'lan');
  w.plugNew(rs, 'eth0', '02:00:00:00:00:21', 'lan');
  addr(client, 'eth0', '10.0.0.50');
  addr(lvs1, 'eth0', '10.0.0.2');
  addr(lvs1, 'eth0', '10.0.0.100');
  addr(lvs2, 'eth0', '10.0.0.3');
  addr(rs, 'eth0', '10.0.0.21');
  addr(rs, 'lo', '10.0.0.100', 32);
  rs.sysctls.set('net.ipv4.conf.all.arp_ignore', '1');
  rs.sysctls.set('net.ipv4.conf.all.arp_announce', '2');
  for (const h of [lvs1, lvs2]) {
    const c = ipvsOf(h).control;
    const key = { kind: 'addr' as const, protocol: 'tcp' as const, address: VIP, port: 80 };
    expect(c.addService({ key, scheduler: 'rr' })).toBeUndefined();
    expect(c.addDest(key, { address: RS, port: 80, fwd: 'route', weight: 1 })).toBeUndefined();
  }
  new GreetingServer(rs, 80, 'rs1').start();
  return { w, client, lvs1, lvs2, rs };
}

describe('IPVS sync message (version 1)', () => {
  it('round-trips header and 36-byte entries', () => {
    const conns = [
      { protocol: 6, flags: SyncConnFlag.DROUTE | SyncConnFlag.NOOUTPUT, state: 1, cport: 40000, vport: 80, dport: 80, fwmark: 0, timeout: 900, caddr: 0x0a000032, vaddr: VIP, daddr: RS },
      { protocol: 6, flags: SyncConnFlag.TEMPLATE | SyncConnFlag.MASQ, state: 0, cport: 0, vport: 0, dport: 0, fwmark: 0, timeout: 360, caddr: 0x0a000000, vaddr: VIP, daddr: RS },
    ];
    const p = encodeSyncMessage({ syncId: 7, conns });
    expect(p.length).toBe(8 + 2 * 36);
    expect([...p.bytes!.subarray(0, 8)]).toEqual([0, 7, 0, 80, 2, 1, 0, 0]);
    expect(decodeSyncMessage(p)).toEqual({ syncId: 7, conns });
    const bad = new Uint8Array(p.bytes!);
    bad[5] = 0; // version 0 is not what the lab speaks
    expect(decodeSyncMessage({ length: bad.length, bytes: bad })).toBeUndefined();
  });
});

describe('SyncDaemon', () => {
  it('the master syncs an established connection at its 3rd client packet, the buffer leaves when 2 s old', () => {
    const { w, client, lvs1, lvs2 } = drPair();
    expect(ipvsOf(lvs1).sync.start('master', 'eth0', 1)).toBeUndefined();
    expect(ipvsOf(lvs1).sync.start('master', 'eth0', 1)).toBe('EEXIST');
    expect(ipvsOf(lvs2).sync.start('backup', 'eth0', 1)).toBeUndefined();
    w.run(500 * MS);
    const conn = client.sockets.connect(VIP, 80, {});
    expect('endpoint' in conn).toBe(true);
    w.run(100 * MS);
    expect(ipvsOf(lvs1).control.connections().length).toBe(1);
    // SYN, ACK, ACK of the greeting: the 3rd packet puts the entry in the buffer; nothing is sent yet.
    expect(w.events('tx', 'lvs1').filter((e) => e.pkt.udp?.dport === 8848).length).toBe(0);
    // The master thread wakes every second from its start (0 s): at 1 s the buffer is 0.5 s old, at 2 s 1.5 s,
    // at 3 s 2.5 s — then it goes out.
    w.run(2300 * MS);
    expect(w.events('tx', 'lvs1').filter((e) => e.pkt.udp?.dport === 8848).length).toBe(0);
    w.run(200 * MS);
    const sent = w.events('tx', 'lvs1').filter((e) => e.pkt.udp?.dport === 8848);
    expect(sent.length).toBe(1);
    expect(sent[0].t).toBeGreaterThanOrEqual(3 * SECOND);
    expect(sent[0].t).toBeLessThan(3 * SECOND + MS);
    expect(sent[0].pkt.ip).toMatchObject({ dst: '224.0.0.81', ttl: 1 });
    expect(sent[0].pkt.eth!.dst).toBe('01:00:5e:00:00:51');
    expect(sent[0].pkt.udp!.len).toBe(8 + 36);
    w.run(10 * MS);
    const backup = ipvsOf(lvs2).control;
    expect(backup.connections()).toEqual([expect.objectContaining({ protocol: 'TCP', caddr: parseIpv4('10.0.0.50'), vaddr: VIP, vport: 80, daddr: RS, dport: 80, state: 'ESTABLISHED', fwd: 'route', template: false })]);
    const d = backup.services()[0].destinations[0];
    expect([d.activeConns, d.inactConns]).toEqual([1, 0]);
    expect(w.events('ipvs', 'lvs2').filter((e) => e.event === 'sync').length).toBe(1);
  });

  it('a persistent connection travels with its template; the backup counts it in PersistConn', () => {
    const { w, client, lvs1, lvs2 } = drPair();
    for (const h of [lvs1, lvs2]) {
      const key = { kind: 'addr' as const, protocol: 'tcp' as const, address: VIP, port: 80 };
      expect(ipvsOf(h).control.editService({ key, scheduler: 'rr', persistent: true, timeout: 300 })).toBeUndefined();
    }
    ipvsOf(lvs1).sync.start('master', 'eth0', 0);
    ipvsOf(lvs2).sync.start('backup', 'eth0', 0);
    client.sockets.connect(VIP, 80, {});
    w.run(4 * SECOND);
    const entries = ipvsOf(lvs2).control.connections();
    expect(entries.map((c) => `${c.template ? 'template' : 'conn'} ${c.cport} ${c.state}`).sort()).toEqual([expect.stringMatching(/^conn \d+ ESTABLISHED$/), 'template 0 ASSURED']);
    const tmpl = entries.find((c) => c.template)!;
    expect(tmpl.expiresIn).toBeGreaterThan(290 * SECOND);
    const d = ipvsOf(lvs2).control.services()[0].destinations[0];
    expect([d.activeConns, d.persistConns]).toEqual([1, 1]);
  });

  it('a backup with another sync id ignores the message; the stopped master sends nothing', () => {
    const { w, client, lvs1, lvs2 } = drPair();
    ipvsOf(lvs1).sync.start('master', 'eth0', 1);
    ipvsOf(lvs2).sync.start('backup', 'eth0', 2);
    client.sockets.connect(VIP, 80, {});
    w.run(4 * SECOND);
    expect(ipvsOf(lvs2).control.connections().length).toBe(0);
    expect(ipvsOf(lvs2).sync.stop('backup')).toBeUndefined();
    expect(ipvsOf(lvs2).sync.stop('backup')).toBe('ESRCH');
    ipvsOf(lvs1).sync.stop('master');
    const before = w.events('tx', 'lvs1').length;
    client.sockets.connect(VIP, 80, {});
    w.run(5 * SECOND);
    expect(w.events('tx', 'lvs1').slice(before).filter((e) => e.pkt.udp?.dport === 8848).length).toBe(0);
  });

  it('without a master nothing is synced, and a backup alone does not answer the group', () => {
    const { w, client, lvs2 } = drPair();
    ipvsOf(lvs2).sync.start('backup', 'eth0', 0);
    client.sockets.connect(VIP, 80, {});
    w.run(5 * SECOND);
    expect(ipvsOf(lvs2).control.connections().length).toBe(0);
    expect(ipvsOf(lvs2).sync.states()).toEqual([{ role: 'backup', iface: 'eth0', syncId: 0 }]);
  });

  for (const synced of [true, false]) it(`after a failover the backup ${synced ? 'forwards the synced connection to the same real server' : 'without sync resets it'}`, () => {
    const { w, client, lvs1, lvs2, rs } = drPair();
    if (synced) {
      ipvsOf(lvs1).sync.start('master', 'eth0', 0);
      ipvsOf(lvs2).sync.start('backup', 'eth0', 0);
    }
    const conn = client.sockets.connect(VIP, 80, {});
    w.run(4 * SECOND);
    // lvs1 dies; lvs2 takes the VIP and announces it (what keepalived does on becoming MASTER).
    lvs1.crash();
    lvs2.addAddress(lvs2.iface('eth0')!, { address: VIP, prefixLen: 24, scope: Scope.global, label: 'eth0' });
    sendGratuitous(lvs2, lvs2.iface('eth0')!, VIP, ArpOp.request, MAC_BROADCAST);
    if (!('endpoint' in conn)) throw new Error('no connection');
    conn.endpoint.send({ length: 10 });
    w.run(2 * SECOND);
    // Synced: the data reached rs1 through lvs2. Not synced: lvs2's own stack answers with a reset.
    expect(w.events('tx', 'lvs2').some((e) => e.pkt.eth?.dst === '02:00:00:00:00:21' && e.pkt.tcp && e.pkt.tcp.len === 10)).toBe(synced);
    expect(w.events('tx', 'lvs2').some((e) => e.pkt.tcp?.flags.includes('R'))).toBe(!synced);
    expect(conn.endpoint.state).toBe(synced ? 'ESTABLISHED' : 'CLOSED');
    void rs;
  });
});

describe('ipvsadm --start-daemon / --stop-daemon / -L --daemon', () => {
  it('start, list, refuse twice, stop', () => {
    const { lvs1 } = drPair();
    const cmd = ipvsadmCommand((h) => ipvsOf(h).control);
    const run = (line: string) => {
      let out: { exit: number; output: string } | undefined;
      cmd.run(lvs1, line.split(' '), (r) => (out = r));
      return out!;
    };
    expect(run('--start-daemon master --mcast-interface eth0 --syncid 5')).toEqual({ exit: 0, output: '' });
    expect(run('--start-daemon backup')).toEqual({ exit: 0, output: '' });
    expect(run('-L --daemon')).toEqual({ exit: 0, output: 'master sync daemon (mcast=eth0, syncid=5)\nbackup sync daemon (mcast=eth0, syncid=0)\n' });
    expect(run('--start-daemon master')).toEqual({ exit: 255, output: 'Daemon has already run\n' });
    expect(run('--stop-daemon master')).toEqual({ exit: 0, output: '' });
    expect(run('--stop-daemon master')).toEqual({ exit: 255, output: 'No daemon is running\n' });
    expect(run('--start-daemon master --mcast-interface eth7')).toEqual({ exit: 255, output: 'No such device\n' });
    expect(run('-L --daemon')).toEqual({ exit: 0, output: 'backup sync daemon (mcast=eth0, syncid=0)\n' });
  });
});
