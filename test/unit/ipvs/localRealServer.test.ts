import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';

/** The director is its own NAT real server (the "local node" of the LVS docs), on an address of its own. */
const text = `name: local NAT real server
duration: 3s
segments: { lan: {} }
hosts:
  client:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.1/24] }
  director:
    interfaces:
      eth0: { segment: lan, addresses: [10.0.0.2/24, 10.0.0.100/24] }
    services:
      - { port: 8080 }
    commands:
      - ipvsadm -A -t 10.0.0.100:80 -s rr
      - ipvsadm -a -t 10.0.0.100:80 -r 10.0.0.2:8080 -m
traffic:
  - { at: 500ms, from: client, to: 10.0.0.100:80, count: 2, interval: 500ms }
`;

describe('a NAT real server on the director itself', () => {
  it("its replies leave by the director's route from VIP:80 (handle_response accepts them at LOCAL_OUT), not back into its own stack", () => {
    const lab = Lab.fromText(text, { file: 'local.yaml' });
    lab.run();
    const outcomes = lab.events.filter((e) => e.kind === 'app' && e.host === 'client' && (e.event === 'response' || e.event === 'error')).map((e) => (e.kind === 'app' ? e.event : ''));
    expect(outcomes).toEqual(['response', 'response']);
    expect(lab.events.filter((e) => e.kind === 'drop')).toEqual([]);
    const synAcks = lab.events.filter((e) => e.kind === 'tx' && e.host === 'director' && e.pkt.tcp?.flags === 'SA');
    expect(synAcks.map((e) => (e.kind === 'tx' ? `${e.iface} ${e.pkt.ip?.src}:${e.pkt.tcp?.sport}` : ''))).toEqual(['eth0 10.0.0.100:80', 'eth0 10.0.0.100:80']);
  });
});
