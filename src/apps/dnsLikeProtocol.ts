import { payloadText, textPayload, type Payload } from '../wire/index.ts';

/**
 * The lab's DNS-like request/response over UDP: one datagram asks, one answers, matched by an id (like a DNS
 * query id). `Q <id> <bytes>` asks for an answer of that size; `A <id> <server>` answers, naming the server.
 * Both are padded with spaces to the size asked. Sizes stay within one unfragmented datagram on Ethernet
 * (1472 bytes of UDP payload), as classic DNS over UDP stays within 512.
 */
export const MAX_DATAGRAM = 1472;

export function dnsQuery(id: number, size: number, answerBytes: number): Payload {
  return padded(`Q ${id} ${answerBytes}`, size);
}

export function dnsAnswer(id: number, server: string, size: number): Payload {
  return padded(`A ${id} ${server}`, size);
}

export function parseDnsQuery(p: Payload): { id: number; answerBytes: number } | undefined {
  const m = /^Q (\d+) (\d+)/.exec(payloadText(p));
  return m ? { id: Number(m[1]), answerBytes: Number(m[2]) } : undefined;
}

export function parseDnsAnswer(p: Payload): { id: number; server: string } | undefined {
  const m = /^A (\d+) (\S+)/.exec(payloadText(p));
  return m ? { id: Number(m[1]), server: m[2] } : undefined;
}

function padded(text: string, size: number): Payload {
  const n = Math.min(MAX_DATAGRAM, Math.max(text.length, size));
  return textPayload(text + ' '.repeat(n - text.length));
}
