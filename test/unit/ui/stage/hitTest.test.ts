import { describe, expect, it } from 'vitest';
import type { DropEvent } from '../../../../src/trace/index.ts';
import { dropAt, hitTest, nodeAt, packetAt, type HitSizes } from '../../../../src/ui/stage/hitTest.ts';
import { PacketFrame, type DropMarker } from '../../../../src/ui/stage/packetScene.ts';
import type { Flight } from '../../../../src/ui/viewmodel/animation.ts';
import { buildTopology } from '../../../../src/ui/viewmodel/topology.ts';

function flight(pid: number): Flight {
  return { segment: 'lan', frame: pid, pid, pkt: { pid }, from: { host: 'a', iface: 'eth0' }, t0: 0, txSeq: pid, end: undefined, fraction: 0 };
}

function frameOf(points: Array<[number, number, number]>): PacketFrame {
  const f = new PacketFrame();
  for (const [x, y, pid] of points) f.push(x, y, 0, false, flight(pid));
  return f;
}

const sizes: HitSizes = { packet: 6, host: 14, switchHalfWidth: 17, switchHalfHeight: 6 };

const topology = buildTopology({
  segments: [{ name: 'lan' }],
  hosts: [
    { name: 'a', role: 'client', position: [0, 0], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [] }] },
    { name: 'b', role: 'server', position: [20, 0], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [] }] },
    { name: 'c', role: 'server', position: [200, 0], interfaces: [{ name: 'eth0', segment: 'lan', addresses: [] }] },
  ],
});

describe('hit testing', () => {
  it('finds the nearest packet within the radius, the one drawn last on a tie, none beyond it', () => {
    const f = frameOf([
      [10, 10, 1],
      [13, 10, 2],
      [13, 10, 3],
      [40, 40, 4],
    ]);
    expect(packetAt(f, { x: 10.5, y: 10 }, 6)).toBe(0);
    expect(packetAt(f, { x: 12.9, y: 10 }, 6)).toBe(2);
    expect(packetAt(f, { x: 40, y: 46 }, 6)).toBe(3);
    expect(packetAt(f, { x: 40, y: 46.01 }, 6)).toBe(-1);
    expect(packetAt(new PacketFrame(), { x: 0, y: 0 }, 6)).toBe(-1);
  });

  it('scans 20,000 packets', () => {
    const pts: Array<[number, number, number]> = [];
    for (let i = 0; i < 20000; i++) pts.push([(i % 200) * 4, Math.floor(i / 200) * 4, i + 1]);
    const f = frameOf(pts);
    const i = packetAt(f, { x: (12345 % 200) * 4 + 1, y: Math.floor(12345 / 200) * 4 - 1 }, 1.5);
    expect(f.flights[i].pid).toBe(12346);
  });

  it('finds drop marks like packets', () => {
    const d: DropEvent = { kind: 'drop', t: 0, seq: 0, host: 'a', reason: 'no-route', pkt: { pid: 9 } };
    const marks: DropMarker[] = [
      { x: 0, y: 0, age: 0, drop: d },
      { x: 3, y: 0, age: 0, drop: d },
    ];
    expect(dropAt(marks, { x: 1, y: 0 }, 6)).toBe(0);
    expect(dropAt(marks, { x: 2.5, y: 0 }, 6)).toBe(1);
    expect(dropAt(marks, { x: 20, y: 0 }, 6)).toBe(-1);
  });

  it('picks the host whose box holds the point, the nearest when boxes overlap, else a switch', () => {
    expect(nodeAt(topology, { x: 9, y: 3 }, sizes)).toEqual({ kind: 'host', name: 'a' });
    expect(nodeAt(topology, { x: 11, y: 3 }, sizes)).toEqual({ kind: 'host', name: 'b' });
    expect(nodeAt(topology, { x: 200, y: 15 }, sizes)).toBeUndefined();
    const lan = topology.switches[0].position;
    // The switch sits clear of the hosts (the layout keeps it so): its box is hit on its own.
    expect(Math.abs(lan.y)).toBeGreaterThan(30);
    expect(nodeAt(topology, { x: lan.x + 16, y: lan.y + 5 }, sizes)).toEqual({ kind: 'switch', name: 'lan' });
    expect(nodeAt(topology, { x: lan.x + 18, y: lan.y }, sizes)).toBeUndefined();
    expect(nodeAt(topology, { x: 1000, y: 1000 }, sizes)).toBeUndefined();
  });

  it('meets packets before drop marks before hosts', () => {
    const d: DropEvent = { kind: 'drop', t: 0, seq: 0, host: 'a', reason: 'no-route', pkt: { pid: 9 } };
    const onHost = frameOf([[0, 0, 5]]);
    expect(hitTest(onHost, [{ x: 0, y: 0, age: 0, drop: d }], topology, { x: 0, y: 0 }, sizes)).toEqual({ kind: 'packet', index: 0, pid: 5 });
    expect(hitTest(new PacketFrame(), [{ x: 0, y: 0, age: 0, drop: d }], topology, { x: 0, y: 0 }, sizes)).toEqual({ kind: 'drop', index: 0, pid: 9 });
    expect(hitTest(new PacketFrame(), [], topology, { x: 0, y: 0 }, sizes)).toEqual({ kind: 'host', name: 'a' });
  });
});
