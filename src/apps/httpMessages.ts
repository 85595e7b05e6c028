import { payloadText, textPayload, type Payload } from '../wire/index.ts';

/**
 * The `traffic:` client's side of the HTTP/1.0-like exchange (the server side is servers/HttpServer.ts, the
 * keep-alive form httpProtocol.ts): readable in a packet capture, and the reply names the server that answered.
 * A request is `GET / HTTP/1.0` padded with an `X-Pad` header to the requested size; a response is a header
 * naming the server and the body length, then the body as plain length.
 */
export function requestPayload(size: number, path = '/'): Payload {
  const head = `GET ${path} HTTP/1.0\r\nX-Pad: `;
  const tail = '\r\n\r\n';
  const pad = Math.max(0, size - head.length - tail.length);
  return textPayload(head + 'x'.repeat(pad) + tail);
}

/** Accumulates a response: parses the header, then counts body bytes until Content-Length is reached. */
export class ResponseReader {
  private head = '';
  private headerDone = false;
  private bodyWanted = -1;
  private bodyGot = 0;
  server = '';

  /** Returns true once the whole response has arrived. */
  push(p: Payload): boolean {
    if (!this.headerDone) {
      if (p.bytes) {
        this.head += payloadText(p);
        const end = this.head.indexOf('\r\n\r\n');
        if (end >= 0) {
          this.headerDone = true;
          const m = /Content-Length: (\d+)/.exec(this.head);
          this.bodyWanted = m ? Number(m[1]) : 0;
          const s = /Server: ([^\r]*)/.exec(this.head);
          this.server = s ? s[1] : '';
          this.bodyGot += this.head.length - (end + 4);
        }
      } else {
        this.bodyGot += p.length;
      }
    } else {
      this.bodyGot += p.length;
    }
    return this.headerDone && this.bodyGot >= this.bodyWanted;
  }
}
