import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MS, RandomStreams } from '../../../../src/sim/index.ts';
import { TcpPair, bytesPayload, equalBytes, isPrefix, patternBytes } from './tcpHarness.ts';

/**
 * Over random loss (up to 30% each way, decided by a seeded stream), a 20 KB request answered by a 20 KB
 * response either arrives whole and in order with every endpoint closed, or some endpoint reports a timeout.
 * What is delivered is always a prefix of what was sent: never corrupted, reordered or duplicated.
 */
describe('TcpEndpoint under random loss', () => {
  it('delivers exactly the sent bytes in order, or reports a timeout', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer({ min: 536, max: 1460 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 50 }),
        (seed, lossC2s, lossS2c, mss, isn, delayMs) => {
          const streams = new RandomStreams(seed);
          const loss = { c2s: streams.get('loss:c2s'), s2c: streams.get('loss:s2c') };
          const rate = { c2s: lossC2s, s2c: lossS2c };
          const request = patternBytes(20 * 1024, seed & 0xff);
          const response = patternBytes(20 * 1024, (seed >> 8) & 0xff);
          const pair = new TcpPair({
            delay: delayMs * MS,
            clientMss: mss,
            clientIsn: isn,
            serverIsn: (isn + 0x8000_0000) >>> 0,
            drop: (e) => loss[e.dir].next() < rate[e.dir],
            server: {
              onData: (ep, _d, log) => {
                if (log.bytesReceived === request.length) {
                  ep.send(bytesPayload(response));
                  ep.close();
                }
              },
            },
          });
          pair.connect({
            onEstablished: (ep) => {
              ep.send(bytesPayload(request));
            },
            onRemoteClose: (ep) => ep.close(),
          });
          expect(pair.sim.run(2_000_000)).toBe(true); // every timer ends: the simulation drains

          const clientGot = pair.clientLog.bytes();
          expect(isPrefix(clientGot, response)).toBe(true);
          for (const s of pair.servers) {
            expect(isPrefix(s.log.bytes(), request)).toBe(true);
            if (s.log.remoteClosedAt !== undefined) expect(equalBytes(s.log.bytes(), request)).toBe(true);
          }
          if (pair.clientLog.remoteClosedAt !== undefined) expect(equalBytes(clientGot, response)).toBe(true);

          const logs = [pair.clientLog, ...pair.servers.map((s) => s.log)];
          const timedOut = logs.some((l) => l.closed?.reason === 'timeout');
          if (!timedOut) {
            expect(equalBytes(clientGot, response)).toBe(true);
            expect(equalBytes(pair.serverLog.bytes(), request)).toBe(true);
            for (const l of logs) {
              // Every endpoint ends. An RST may end one that already had everything: the peer's TIME_WAIT ran
              // out while this side, in LAST_ACK, was still retransmitting its FIN at a backed-off RTO.
              expect(l.closed).toBeDefined();
              if (l.closed!.reason !== 'normal') {
                expect(l.closed!.reason).toBe('reset');
                expect(l.remoteClosedAt).toBeDefined();
              }
            }
          } else {
            // A reset or refusal is only ever the echo of an endpoint having given up.
            for (const l of logs) expect(['normal', 'timeout', 'reset', undefined]).toContain(l.closed?.reason);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
