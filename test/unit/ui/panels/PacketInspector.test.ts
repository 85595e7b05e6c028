// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PacketSummary } from '../../../../src/trace/index.ts';
import { PacketInspector } from '../../../../src/ui/panels/PacketInspector.ts';
import { hopDiff } from '../../../../src/ui/viewmodel/hopDiff.ts';
import { packetJourney, type PacketJourney } from '../../../../src/ui/viewmodel/packetJourney.ts';
import { firstTx } from '../lessonTraces.ts';
import { HOSTILE, injectedElements, runLesson as runScenario } from './domCheck.ts';

const isSyn = (p: PacketSummary) => p.tcp?.flags === 'S';

let container: HTMLElement;
let inspector: PacketInspector;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  inspector = new PacketInspector();
  inspector.mount(container);
});
afterEach(() => {
  inspector.destroy();
  container.remove();
});

function hopIndex(j: PacketJourney, kind: string, host: string): number {
  const i = j.hops.findIndex((h) => h.kind === kind && h.host === host);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

/** The paths of the rows the view marks as changed. */
function highlighted(): string[] {
  return [...container.querySelectorAll('.inspector-field.changed')].map((e) => (e as HTMLElement).dataset.path!);
}

function row(path: string): HTMLElement {
  const r = container.querySelector(`.inspector-field[data-path="${path}"]`);
  expect(r, path).not.toBeNull();
  return r as HTMLElement;
}

describe('PacketInspector on shipped lessons', () => {
  it('lists every hop with time, host, interface and what happened', () => {
    const { events, segmentOf } = runScenario('lessons/dr-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    inspector.update(j);
    const buttons = [...container.querySelectorAll('.inspector-hop')];
    expect(buttons).toHaveLength(j.hops.length);
    expect(buttons[0].textContent).toMatch(/^1\.\d{9} {2}client eth0 {2}tx$/);
    expect(buttons.map((b) => b.textContent!.split(/\s+/).slice(1).join(' '))).toEqual(j.hops.map((h) => `${h.host} ${h.iface ?? ''} ${h.kind}`.replace('  ', ' ')));
    expect(buttons[0].getAttribute('aria-current')).toBe('true');
  });

  it('DR: at the director only the MAC addresses change (and the TTL, as forwarding does); addresses and ports are not marked', () => {
    const { events, segmentOf } = runScenario('lessons/dr-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    const i = hopIndex(j, 'tx', 'director');
    inspector.update(j, i);
    expect(highlighted()).toEqual(['eth.dst', 'eth.src', 'ip.ttl']);
    expect(highlighted().sort()).toEqual(hopDiff(j, i).map((c) => c.path).sort());
    for (const p of ['ip.src', 'ip.dst', 'tcp.sport', 'tcp.dport']) expect(row(p).classList.contains('changed'), p).toBe(false);
    // Not colour only: a visible marker and the old value, in text.
    const dst = row('eth.dst');
    expect(dst.querySelector('.change-mark')!.textContent).toBe('◆ changed');
    expect(dst.querySelector('.change-before')!.textContent).toBe('(was 02:00:00:00:01:01)');
    expect(dst.querySelector('dd')!.textContent).toMatch(/^02:00:00:00:01:0[23] ◆ changed \(was 02:00:00:00:01:01\)$/);
    // On the cable nothing changes.
    inspector.select(i + 1);
    expect(highlighted()).toEqual([]);
    expect(container.querySelector('.inspector-summary')!.textContent).toMatch(/^Unchanged since tx at director eth0\.$/);
  });

  it('NAT: the destination address and port change on the way in, the source on the way back', () => {
    const { events, segmentOf } = runScenario('lessons/nat-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    inspector.update(j, hopIndex(j, 'tx', 'director'));
    expect(highlighted()).toEqual(['eth.dst', 'eth.src', 'ip.ttl', 'ip.dst', 'tcp.dport']);
    expect(row('ip.dst').querySelector('.change-before')!.textContent).toBe('(was 10.0.0.100)');
    expect(row('tcp.dport').querySelector('dd')!.firstChild!.textContent).toBe('8080');
    expect(row('ip.src').classList.contains('changed')).toBe(false);

    const rs = j.hops[3].host!;
    const back = packetJourney(events, firstTx(events, rs, (p) => p.tcp?.flags === 'SA').pid, segmentOf)!;
    inspector.update(back, hopIndex(back, 'tx', 'director'));
    expect(highlighted()).toEqual(['eth.dst', 'eth.src', 'ip.ttl', 'ip.src', 'tcp.sport']);
    expect(row('ip.src').querySelector('dd')!.firstChild!.textContent).toBe('10.0.0.100');
  });

  it('TUN: the outer IP header is marked new at the director, and listed as removed where it goes', () => {
    const { events, segmentOf } = runScenario('lessons/tun-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    inspector.update(j, hopIndex(j, 'tx', 'director'));
    const outer = container.querySelector('.inspector-layer[data-path="ip"]')!;
    expect(outer.classList.contains('added')).toBe(true);
    expect(outer.querySelector('h4')!.textContent).toBe('IPv4 ✚ new');
    expect(container.querySelector('.inspector-layer[data-path="inner.ip"] h4')!.textContent).toBe('IPv4 (inner)');
    expect(highlighted()).toEqual(['eth.dst', 'eth.src', 'inner.ip.ttl']);
    const rs = j.hops[7].host!;
    inspector.select(hopIndex(j, 'deliver', rs));
    expect(container.querySelector('.inspector-layer[data-path="ip"]')!.classList.contains('added')).toBe(false);
    expect([...container.querySelectorAll('.inspector-removed li')].map((l) => l.textContent)).toEqual([`✖ removed ip: 172.16.0.1 > ${rs === 'rs1' ? '172.17.0.2' : '172.17.0.3'}`]);
  });

  it('selects hops by click and by the arrow keys, and tells the integrator', () => {
    const { events, segmentOf } = runScenario('lessons/dr-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    inspector.destroy();
    const picked: number[] = [];
    inspector = new PacketInspector({ onSelectHop: (i) => picked.push(i) });
    inspector.mount(container);
    inspector.update(j);
    (container.querySelectorAll('.inspector-hop')[4] as HTMLElement).click();
    expect(inspector.selectedHop).toBe(4);
    expect(container.querySelectorAll('.inspector-hop')[4].getAttribute('aria-current')).toBe('true');
    container.querySelector('.inspector-hops')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(inspector.selectedHop).toBe(5);
    container.querySelector('.inspector-hops')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(picked).toEqual([4, 5, 4]);
  });

  it('shows hostile host names, interfaces and drop details as text', () => {
    const pkt: PacketSummary = { pid: 1, eth: { src: HOSTILE, dst: 'ff:ff:ff:ff:ff:ff', type: 'ipv4' }, ip: { src: '10.0.0.1', dst: HOSTILE, ttl: 64, proto: 'tcp', id: 1, len: 40 } };
    const j: PacketJourney = {
      root: 1,
      pids: [1],
      hops: [
        { kind: 'tx', t: 0, seq: 1, host: HOSTILE, iface: HOSTILE, pid: 1, pkt, via: [] },
        { kind: 'drop', t: 5, seq: 2, host: HOSTILE, pid: 1, pkt: { ...pkt, ip: { ...pkt.ip!, ttl: 63 } }, reason: 'no-route', detail: HOSTILE, prev: 0, via: [] },
      ],
      offshoots: [],
    };
    inspector.update(j, 1);
    expect(injectedElements(container)).toBe(0);
    expect(container.textContent).toContain(HOSTILE);
    expect(container.querySelector('.inspector-drop')!.textContent).toBe(`Dropped: no-route — ${HOSTILE}`);
    expect(highlighted()).toEqual(['ip.ttl']);
  });
});
