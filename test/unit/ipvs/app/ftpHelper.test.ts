import { describe, expect, it } from 'vitest';
import { ipvsOf } from '../../../../src/ipvs/index.ts';
import { MS, SECOND } from '../../../../src/sim/index.ts';
import type { TraceEvent } from '../../../../src/trace/index.ts';
import { TcpFlag } from '../../../../src/wire/index.ts';
import { appEvents, commandEvents, ftpScenario, ipvsEvents, type WireSegment } from './ftpScenario.ts';

/** A non-persistent rr service on port 21 with both real servers, NAT: the case persistence is usually for. */
const NAT_RR = ['ipvsadm -A -t 81.57.54.100:21 -s rr', 'ipvsadm -a -t 81.57.54.100:21 -r 192.168.0.2:21 -m', 'ipvsadm -a -t 81.57.54.100:21 -r 192.168.0.3:21 -m'];
/** Sessions the default workload starts: every 300 ms in [1 s, 3 s). */
const SESSIONS = 7;

const isData = (port: string) => /:500\d\d$/.test(port);
const hostOf = (addrPort: string) => addrPort.split(':')[0];

describe('ip_vs_ftp: passive FTP through LVS-NAT without persistence', () => {
  it('without the module the data connection finds no service and is reset: every session fails', () => {
    const s = ftpScenario({ director: NAT_RR });
    s.run();
    expect(appEvents(s.events, 'response')).toHaveLength(0);
    const errors = appEvents(s.events, 'error');
    expect(errors).toHaveLength(SESSIONS);
    expect(errors.every((e) => /data connection to 81\.57\.54\.100:500\d\d refused/.test(e.detail ?? ''))).toBe(true);
    expect(ipvsEvents(s.events, 'app')).toHaveLength(0);
    // The 227 reaches the client as the real server wrote it.
    const replies = s.wire.filter((w) => w.segment === 'wan' && w.text.startsWith('227 '));
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((w) => /\(192,168,0,[23],195,\d+\)/.test(w.text))).toBe(true);
  });

  it('with modprobe ip_vs_ftp every session completes, its data connection on its control connection\'s real server', () => {
    const s = ftpScenario({ director: ['modprobe ip_vs_ftp', ...NAT_RR] });
    s.run();
    const done = appEvents(s.events, 'response');
    expect(done).toHaveLength(SESSIONS);
    expect(done.every((e) => e.bytes === 20_000)).toBe(true);
    expect(appEvents(s.events, 'error')).toHaveLength(0);
    // rr, no persistence: the control connections alternate between the two real servers.
    expect(new Set(done.map((e) => e.server))).toEqual(new Set(['rs1', 'rs2']));

    // Only the control connections are scheduled; each data entry is the helper's, made from the 227 reply.
    const scheduled = ipvsEvents(s.events, 'conn');
    expect(scheduled).toHaveLength(SESSIONS);
    expect(scheduled.every((e) => e.virtual === '81.57.54.100:21')).toBe(true);
    const made = ipvsEvents(s.events, 'app');
    expect(made).toHaveLength(SESSIONS);
    for (const e of made) {
      expect(e.client).toBe('81.57.54.10:0');
      expect(e.state).toBe('LISTEN');
      expect(isData(e.virtual!)).toBe(true);
      expect(e.virtual!.split(':')[1]).toBe(e.dest!.split(':')[1]);
      expect(e.detail).toBe(`ftp: PASV ${e.dest} → ${e.virtual}`);
    }
    // Sessions run one after another: each data entry (made and then established) goes to the real server of the
    // control connection scheduled just before it.
    let control = '';
    let established = 0;
    for (const e of s.events) {
      if (e.kind !== 'ipvs' || e.host !== 'd') continue;
      if (e.event === 'conn') control = hostOf(e.dest!);
      else if (e.event === 'app') expect(hostOf(e.dest!)).toBe(control);
      else if (e.event === 'state' && isData(e.virtual!) && e.state === 'ESTABLISHED') {
        established++;
        expect(hostOf(e.dest!)).toBe(control);
        // The client's SYN filled in its port.
        expect(e.client).toMatch(/^81\.57\.54\.10:[1-9]\d*$/);
      }
    }
    expect(established).toBe(SESSIONS);
  });

  it('the client sees the VIP in the 227, one byte longer, and both TCPs stay in step through the director', () => {
    const s = ftpScenario({ director: ['modprobe ip_vs_ftp', ...NAT_RR] });
    s.run();
    expect(appEvents(s.events, 'response')).toHaveLength(SESSIONS);
    const inside = s.wire.filter((w) => w.segment === 'lan' && w.text.startsWith('227 '));
    const outside = s.wire.filter((w) => w.segment === 'wan' && w.text.startsWith('227 '));
    expect(inside).toHaveLength(SESSIONS);
    expect(outside).toHaveLength(SESSIONS);
    for (let i = 0; i < SESSIONS; i++) {
      const port = /,(\d+),(\d+)\)/.exec(inside[i].text)!;
      expect(inside[i].text).toMatch(/^227 Entering Passive Mode \(192,168,0,[23],\d+,\d+\)\r\n$/);
      expect(outside[i].text).toBe(`227 Entering Passive Mode (81,57,54,100,${port[1]},${port[2]})\r\n`);
      expect(outside[i].tcp.payload.length).toBe(inside[i].tcp.payload.length + 1);
    }

    // Follow every control connection segment by segment: the director forwards each exactly once, so the n-th
    // segment of a direction inside matches the n-th outside. From the server, seq gains 1 after the 227 (not on
    // it); from the client, ack loses 1 once it covers the 227.
    const controls = new Set(s.wire.filter((w) => w.segment === 'wan' && w.dst === '81.57.54.100:21').map((w) => w.src));
    expect(controls.size).toBe(SESSIONS);
    for (const client of controls) {
      const fromServerIn = s.wire.filter((w) => w.segment === 'lan' && w.dst === client && w.src.endsWith(':21'));
      const fromServerOut = s.wire.filter((w) => w.segment === 'wan' && w.dst === client && w.src === '81.57.54.100:21');
      const fromClientOut = s.wire.filter((w) => w.segment === 'wan' && w.src === client && w.dst === '81.57.54.100:21');
      const fromClientIn = s.wire.filter((w) => w.segment === 'lan' && w.src === client && w.dst.endsWith(':21'));
      expect(fromServerOut).toHaveLength(fromServerIn.length);
      expect(fromClientIn).toHaveLength(fromClientOut.length);
      const pasv = fromServerIn.find((w) => w.text.startsWith('227 '))!;
      const pos = pasv.tcp.seq;
      const end = (pos + pasv.tcp.payload.length) >>> 0;
      fromServerIn.forEach((inner, k) => {
        const shift = inner.tcp.seq > pos ? 1 : 0;
        expect(fromServerOut[k].tcp.seq).toBe((inner.tcp.seq + shift) >>> 0);
      });
      let acksPast = 0;
      fromClientOut.forEach((outer, k) => {
        // The client acknowledges in its own numbering: past the 227 it counts the byte the director added.
        const shift = (outer.tcp.flags & TcpFlag.ACK) !== 0 && outer.tcp.ack > end ? 1 : 0;
        acksPast += shift;
        expect(fromClientIn[k].tcp.ack).toBe((outer.tcp.ack - shift) >>> 0);
      });
      expect(acksPast).toBeGreaterThan(0);
      // No retransmission and no reset on the control connection, on either side.
      for (const dir of [fromServerIn, fromServerOut, fromClientIn, fromClientOut]) {
        const sent = dir.filter((w) => w.tcp.payload.length > 0).map((w) => w.tcp.seq);
        expect(new Set(sent).size).toBe(sent.length);
        expect(dir.some((w: WireSegment) => (w.tcp.flags & TcpFlag.RST) !== 0)).toBe(false);
      }
    }
    expect(s.events.some((e) => e.kind === 'drop' && (e.reason === 'tcp-invalid' || e.reason === 'no-listener' || e.reason === 'ipvs-app-failed'))).toBe(false);
  });

  it('ipvsadm -L -n -c shows the data entry with client port 0 in LISTEN until the client\'s SYN fills it in', () => {
    const s = ftpScenario({ director: ['modprobe ip_vs_ftp', ...NAT_RR] });
    const w = s.world;
    while (ipvsEvents(s.events, 'app').length === 0 && w.sim.step());
    const made = ipvsEvents(s.events, 'app')[0];
    let out = '';
    s.built.shell.run(w.host('d'), 'ipvsadm -L -n -c', (r) => (out = r.output));
    expect(out).toContain(`TCP 02:00  LISTEN      81.57.54.10:0      ${made.virtual!.padEnd(18)} ${made.dest}\n`);
    // The control connection is listed as any connection; the link between the two is not shown.
    expect(out).toMatch(/TCP 15:00  ESTABLISHED 81\.57\.54\.10:\d+ +81\.57\.54\.100:21 +192\.168\.0\.[23]:21\n/);
    w.sim.runUntil(w.sim.now() + 500 * MS);
    s.built.shell.run(w.host('d'), 'ipvsadm -L -n -c', (r) => (out = r.output));
    expect(out).not.toContain('81.57.54.10:0 ');
    expect(out).toMatch(new RegExp(`81\\.57\\.54\\.10:[1-9]\\d* +${made.virtual!.replace(/\./g, '\\.')} +${made.dest!.replace(/\./g, '\\.')}\\n`));
  });

  it('leaves DR services alone: no entry is bound, nothing is rewritten, and the data connection still finds no service', () => {
    const s = ftpScenario({
      mode: 'dr',
      director: ['modprobe ip_vs_ftp', 'ipvsadm -A -t 81.57.54.100:21 -s rr', 'ipvsadm -a -t 81.57.54.100:21 -r 81.57.54.2:21 -g', 'ipvsadm -a -t 81.57.54.100:21 -r 81.57.54.3:21 -g'],
    });
    s.run();
    expect(ipvsEvents(s.events, 'conn').length).toBe(SESSIONS);
    expect(ipvsEvents(s.events, 'app')).toHaveLength(0);
    expect(appEvents(s.events, 'response')).toHaveLength(0);
    const errors = appEvents(s.events, 'error');
    expect(errors).toHaveLength(SESSIONS);
    expect(errors.every((e) => /data connection to 81\.57\.54\.100:500\d\d refused/.test(e.detail ?? ''))).toBe(true);
    // The DR entries hold no reference on the module: it unloads while they are still in the table.
    const d = s.world.host('d');
    expect(ipvsOf(d).conns.size).toBeGreaterThan(0);
    let r = { exit: -1, output: '' };
    s.built.shell.run(d, 'modprobe -r ip_vs_ftp', (x) => (r = x));
    expect(r).toEqual({ exit: 0, output: '' });
    expect(ipvsOf(d).ftpLoaded).toBe(false);
  });

  it('modprobe -r is refused while bound entries remain, and unloads once they have expired', () => {
    // One session at 1 s. Its control connection waits out TIME_WAIT (120 s) in the director's table; its timer
    // fires in the same tick as its data connection's, before it, while it still controls it, so it is re-armed
    // for 60 s (ip_vs_conn_expire): gone by 181 s.
    const s = ftpScenario({
      director: ['modprobe ip_vs_ftp', ...NAT_RR],
      stop: '1100ms',
      duration: '200s',
      timeline: [
        '{ at: 5s, host: d, run: modprobe -r ip_vs_ftp, fails: true }',
        '{ at: 5s, host: d, run: rmmod ip_vs_ftp, fails: true }',
        '{ at: 190s, host: d, run: modprobe -r ip_vs_ftp }',
        '{ at: 191s, host: d, run: rmmod ip_vs_ftp, fails: true }',
        '{ at: 191s, host: d, run: modprobe -r ip_vs_ftp }',
      ],
    });
    s.run();
    expect(appEvents(s.events, 'response')).toHaveLength(1);
    const cmds = commandEvents(s.events).filter((e) => e.host === 'd' && /ip_vs_ftp/.test(e.run) && e.t > 0);
    expect(cmds.map((e) => [e.t / SECOND, e.run, e.exit, e.output])).toEqual([
      [5, 'modprobe -r ip_vs_ftp', 1, 'modprobe: FATAL: Module ip_vs_ftp is in use.\n'],
      [5, 'rmmod ip_vs_ftp', 1, 'rmmod: ERROR: Module ip_vs_ftp is in use\n'],
      [190, 'modprobe -r ip_vs_ftp', 0, ''],
      [191, 'rmmod ip_vs_ftp', 1, 'rmmod: ERROR: Module ip_vs_ftp is not currently loaded\n'],
      [191, 'modprobe -r ip_vs_ftp', 0, ''],
    ]);
    expect(ipvsOf(s.world.host('d')).ftpLoaded).toBe(false);
  });

  it('after unloading, a new session fails as without the module', () => {
    const s = ftpScenario({
      director: [...NAT_RR],
      start: '2s',
      stop: '2100ms',
      timeline: ['{ at: 500ms, host: d, run: modprobe ip_vs_ftp }', '{ at: 1s, host: d, run: rmmod ip_vs_ftp }'],
    });
    s.run();
    expect(commandEvents(s.events).filter((e) => e.host === 'd' && e.t > 0).map((e) => e.exit)).toEqual([0, 0]);
    expect(appEvents(s.events, 'response')).toHaveLength(0);
    expect(appEvents(s.events, 'error')).toHaveLength(1);
    expect(ipvsEvents(s.events, 'app')).toHaveLength(0);
  });
});

describe('ip_vs_ftp without a conntrack entry to rewrite with', () => {
  // A persistent port-0 service carries FTP (a control connection's virtual port is still 21, so the helper binds
  // it), but no port-21 service registered conntrack and there are no iptables rules: packets get no entry.
  const PORT0 = ['modprobe ip_vs_ftp', 'ipvsadm -A -t 81.57.54.100:0 -s rr -p 60', 'ipvsadm -a -t 81.57.54.100:0 -r 192.168.0.2 -m', 'ipvsadm -a -t 81.57.54.100:0 -r 192.168.0.3 -m'];

  it('drops the 227 (ip_vs_ftp_out returns 0) after making the data entry; a retransmission after no new PASV passes unchanged', () => {
    const s = ftpScenario({ director: PORT0, stop: '1100ms' });
    s.run();
    // The dropped 227 also carried the ack of PASV, so the client sends PASV again, which arms the helper once more
    // before the server's first retransmission: that copy is dropped too. The next one finds the mode ACTIVE.
    const drops = s.events.filter((e): e is Extract<TraceEvent, { kind: 'drop' }> => e.kind === 'drop' && e.reason === 'ipvs-app-failed');
    expect(drops).toHaveLength(2);
    expect(drops.every((e) => e.host === 'd' && e.detail === 'ip_vs_ftp: no conntrack entry to rewrite the 227 reply with')).toBe(true);
    expect(ipvsEvents(s.events, 'app')).toHaveLength(2);
    expect(s.wire.filter((w) => w.segment === 'wan' && w.text === 'PASV\r\n')).toHaveLength(2);
    // The server sends its 227 three times; the client gets only the last, as the server wrote it.
    expect(s.wire.filter((w) => w.segment === 'lan' && w.text.startsWith('227 '))).toHaveLength(3);
    const seen = s.wire.filter((w) => w.segment === 'wan' && w.text.startsWith('227 '));
    expect(seen).toHaveLength(1);
    expect(seen[0].text).toMatch(/\(192,168,0,[23],195,80\)/);
    // The data connection uses the helper's entry (not the template): the session completes.
    expect(appEvents(s.events, 'response')).toHaveLength(1);
    expect(ipvsEvents(s.events, 'conn').filter((e) => isData(e.virtual!))).toHaveLength(0);
  });

  it('rewrites once conntrack runs (an iptables nat rule registers it), with no drop', () => {
    const s = ftpScenario({ director: [...PORT0, 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE'], stop: '1100ms' });
    s.run();
    expect(s.events.filter((e) => e.kind === 'drop' && e.reason === 'ipvs-app-failed')).toHaveLength(0);
    const seen = s.wire.filter((w) => w.segment === 'wan' && w.text.startsWith('227 '));
    expect(seen).toHaveLength(1);
    expect(seen[0].text).toMatch(/\(81,57,54,100,195,80\)/);
    expect(appEvents(s.events, 'response')).toHaveLength(1);
  });
});

describe('ip_vs_ftp: active FTP (PORT) through LVS-NAT', () => {
  // The client names its own address and a port it listens at; the real server connects from its port 20.
  const ACTIVE = { ftpMode: 'active' as const };

  it('without the module the data connection leaves from the real server\'s address, which the client cannot answer', () => {
    // Long enough for the last session's 3 s timeout: nothing refuses these, they wait.
    const s = ftpScenario({ director: NAT_RR, ...ACTIVE, duration: '7s' });
    s.run();
    expect(appEvents(s.events, 'response')).toHaveLength(0);
    const errors = appEvents(s.events, 'error');
    expect(errors).toHaveLength(SESSIONS);
    expect(errors.every((e) => /timeout after 3s$/.test(e.detail ?? ''))).toBe(true);
    // The SYN from port 20 crosses the director unchanged: from 192.168.0.x:20 on the client's wire …
    const syns = s.wire.filter((w) => w.segment === 'wan' && w.tcp.flags === TcpFlag.SYN && w.src.endsWith(':20'));
    expect(syns.length).toBeGreaterThanOrEqual(SESSIONS);
    expect(syns.every((w) => /^192\.168\.0\.[23]:20$/.test(w.src))).toBe(true);
    // … and the client, with no route to that network, drops its own answer.
    expect(s.events.some((e) => e.kind === 'drop' && e.host === 'c' && e.reason === 'no-route')).toBe(true);
    expect(ipvsEvents(s.events, 'app')).toHaveLength(0);
  });

  it('with modprobe ip_vs_ftp the PORT command makes the entry: the data connection leaves from VIP:20 and every session completes', () => {
    const s = ftpScenario({ director: ['modprobe ip_vs_ftp', ...NAT_RR], ...ACTIVE });
    s.run();
    const done = appEvents(s.events, 'response');
    expect(done).toHaveLength(SESSIONS);
    expect(done.every((e) => e.bytes === 20_000)).toBe(true);
    expect(appEvents(s.events, 'error')).toHaveLength(0);
    // Each PORT made one entry <client:port → VIP:20 → RIP:20> in LISTEN, controlled by the control connection.
    const made = ipvsEvents(s.events, 'app');
    expect(made).toHaveLength(SESSIONS);
    for (const e of made) {
      expect(e.client).toMatch(/^81\.57\.54\.10:[1-9]\d*$/);
      expect(e.virtual).toBe('81.57.54.100:20');
      expect(e.dest).toMatch(/^192\.168\.0\.[23]:20$/);
      expect(e.state).toBe('LISTEN');
      expect(e.detail).toBe(`ftp: PORT ${e.client} ← ${e.virtual}`);
    }
    // On the client's wire every data connection comes from the VIP's port 20, never from a real server.
    const syns = s.wire.filter((w) => w.segment === 'wan' && w.tcp.flags === TcpFlag.SYN && w.src.endsWith(':20'));
    expect(syns).toHaveLength(SESSIONS);
    expect(syns.every((w) => w.src === '81.57.54.100:20')).toBe(true);
    expect(s.wire.some((w) => w.segment === 'wan' && w.src.startsWith('192.168.'))).toBe(false);
    // The PORT command reaches the server unchanged (the client's address is already the one to reach).
    const ports = s.wire.filter((w) => w.segment === 'lan' && w.text.startsWith('PORT '));
    expect(ports).toHaveLength(SESSIONS);
    expect(ports.every((w) => /^PORT 81,57,54,10,\d+,\d+\r\n$/.test(w.text))).toBe(true);
    // The entry goes from LISTEN through the server's SYN (out) to ESTABLISHED.
    const states = s.events.filter((e) => e.kind === 'ipvs' && e.event === 'state' && e.virtual === '81.57.54.100:20').map((e) => (e as { state?: string }).state);
    expect(states).toContain('ESTABLISHED');
  });

  it('in DR the client\'s answers to VIP:20 reach the director: reset without persistence, carried by a port-0 template with it', () => {
    const rr = (port: number, extra: string) => [`ipvsadm -A -t 81.57.54.100:${port} -s rr${extra}`, ...[2, 3].map((k) => `ipvsadm -a -t 81.57.54.100:${port} -r 81.57.54.${k}${port ? `:${port}` : ''} -g`)];
    // The real server connects from VIP:20 straight to the client; the client's SYN-ACK goes to the VIP, which
    // the director owns, and a port-21 service has nothing for port 20: the director's stack resets it.
    const plain = ftpScenario({ mode: 'dr', director: rr(21, ''), ...ACTIVE });
    plain.run();
    expect(appEvents(plain.events, 'response')).toHaveLength(0);
    expect(appEvents(plain.events, 'error').every((e) => /data connection from 81\.57\.54\.100:20 reset$/.test(e.detail ?? ''))).toBe(true);
    expect(plain.events.some((e) => e.kind === 'drop' && e.host === 'd' && e.reason === 'no-listener' && /port 20$/.test(e.detail ?? ''))).toBe(true);
    // With a persistent port-0 service the SYN-ACK is scheduled (tcp_conn_schedule has no ACK check "for Active
    // FTP") through the client's template to the real server that sent the SYN; no helper is needed.
    const sticky = ftpScenario({ mode: 'dr', director: rr(0, ' -p 60'), ...ACTIVE });
    sticky.run();
    expect(appEvents(sticky.events, 'response')).toHaveLength(SESSIONS);
    expect(appEvents(sticky.events, 'error')).toHaveLength(0);
    const data = ipvsEvents(sticky.events, 'conn').filter((e) => e.virtual === '81.57.54.100:20');
    expect(data).toHaveLength(SESSIONS);
    const syns = sticky.wire.filter((w) => w.tcp.flags === TcpFlag.SYN && w.src.endsWith(':20'));
    expect(syns).toHaveLength(SESSIONS);
    expect(syns.every((w) => w.src === '81.57.54.100:20')).toBe(true);
  });
});
