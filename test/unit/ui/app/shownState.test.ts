import { describe, expect, it } from 'vitest';
import { Lab, MS } from '../../../../src/lab/index.ts';
import { ShownState } from '../../../../src/ui/app/ShownState.ts';
import { LabDriver } from '../../../../src/ui/machines/labDriver.ts';
import { scenarioText } from '../lessonTraces.ts';

const DR = scenarioText('lessons/dr-basic');
const ARP = scenarioText('lessons/arp-problem-fixed');

function routerVipMac(lab: Lab): string | undefined {
  return lab.queries.neighbours('router').find((n) => n.address === '192.168.1.110')?.lladdr;
}

describe('ShownState', () => {
  it('is the lab at exactly the asked time, even when the playback runs ahead', () => {
    const playing = new LabDriver(DR);
    playing.runTo(1_020 * MS);
    const shown = new ShownState(DR, {}, () => playing.journal);
    const lab = shown.at(1_000 * MS);
    expect(lab.now()).toBe(1_000 * MS);
    const plain = Lab.fromText(DR);
    plain.runUntil(1_000 * MS);
    expect(lab.traceJsonl()).toBe(plain.traceJsonl());
    // Going back rebuilds it; going forward continues it.
    expect(shown.at(500 * MS).now()).toBe(500 * MS);
    const later = shown.at(900 * MS);
    expect(later).toBe(shown.at(950 * MS));
  });

  it('replays the typed commands at their times, and restarts when one is typed before where it is', () => {
    const playing = new LabDriver(ARP);
    const shown = new ShownState(ARP, {}, () => playing.journal);
    playing.runCommand('rs1', 'sysctl -w net.ipv4.conf.all.arp_ignore=0');
    playing.runCommand('rs1', 'sysctl -w net.ipv4.conf.eth0.arp_ignore=0');
    expect(routerVipMac(shown.at(1_500 * MS))).toBe('02:00:00:00:01:02');
    // The same commands typed later (a second playback driver), so the state must move with the journal.
    const other = new LabDriver(ARP);
    const shownOther = new ShownState(ARP, {}, () => other.journal);
    expect(routerVipMac(shownOther.at(1_500 * MS))).toBe('02:00:00:00:01:01');
    other.runCommand('rs1', 'sysctl -w net.ipv4.conf.all.arp_ignore=0');
    other.runCommand('rs1', 'sysctl -w net.ipv4.conf.eth0.arp_ignore=0');
    // Typed at 0, before where the shown run already is: it starts again and the router learns rs1's MAC.
    expect(routerVipMac(shownOther.at(1_500 * MS))).toBe('02:00:00:00:01:02');
    // Reading never adds to the playback's trace.
    const before = playing.events().length;
    shown.at(2_000 * MS);
    expect(playing.events().length).toBe(before);
  });
});
