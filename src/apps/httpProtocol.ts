import { payloadText, slicePayload, textPayload, type Payload } from '../wire/index.ts';

/**
 * The lab's HTTP-like protocol, readable in a capture. HTTP/1.0 requests (`GET / HTTP/1.0`, what the
 * `traffic:` client sends) get one response and the connection closes; HTTP/1.1 requests may say
 * `Connection: keep-alive` and get their response on a connection that stays open for the next request.
 * `GET /bytes/N` asks for an N-byte body (the workload draws N); `GET /check.txt` (or the service's check path)
 * asks for the health-check file; any other path gets the service's default body size.
 * A response names the server (`Server: rs1`): how a trace shows which real server answered.
 */

export interface HttpRequestHead {
  method: string;
  path: string;
  version: string;
  keepAlive: boolean;
}

/** A request of about `size` bytes: padded with an `X-Pad` header, never shorter than the bare request. */
export function httpRequest(path: string, size: number, keepAlive: boolean): Payload {
  const head = `GET ${path} HTTP/1.1\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\nX-Pad: `;
  const tail = '\r\n\r\n';
  return textPayload(head + 'x'.repeat(Math.max(0, size - head.length - tail.length)) + tail);
}

/** Parses a request head (the text before the blank line); undefined when it is not `METHOD PATH HTTP/x.y`. */
export function parseRequestHead(head: string): HttpRequestHead | undefined {
  const [line, ...headers] = head.split('\r\n');
  const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(line ?? '');
  if (!m) return undefined;
  const conn = headers.find((h) => /^connection:/i.test(h));
  const token = conn ? conn.slice(conn.indexOf(':') + 1).trim().toLowerCase() : '';
  // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it (RFC 9112 §9.3).
  const keepAlive = m[3] === '1.1' ? token !== 'close' : token === 'keep-alive';
  return { method: m[1], path: m[2], version: m[3], keepAlive };
}

/** `/bytes/N` → N; undefined for any other path. */
export function requestedBytes(path: string): number | undefined {
  const m = /^\/bytes\/(\d{1,15})$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 404: 'Not Found', 501: 'Not Implemented', 503: 'Service Unavailable' };

/**
 * A response head. The HTTP/1.0 form carries no Connection header: byte for byte what the lab's first server
 * sent, so scenarios written before keep-alive keep their traces.
 */
export function httpResponseHead(version: string, status: number, server: string, bodyLength: number, keepAlive: boolean): Payload {
  const conn = version === '1.1' ? `Connection: ${keepAlive ? 'keep-alive' : 'close'}\r\n` : '';
  return textPayload(`HTTP/${version} ${status} ${REASONS[status] ?? 'Unknown'}\r\nServer: ${server}\r\nContent-Length: ${bodyLength}\r\n${conn}\r\n`);
}

/** Splits a byte stream into request heads (everything up to each blank line). */
export class RequestHeadReader {
  private text = '';

  /** Adds data; returns the heads completed by it, in order. */
  push(p: Payload): string[] {
    this.text += p.bytes ? payloadText(p) : '\0'.repeat(p.length);
    const out: string[] = [];
    for (let end = this.text.indexOf('\r\n\r\n'); end >= 0; end = this.text.indexOf('\r\n\r\n')) {
      out.push(this.text.slice(0, end));
      this.text = this.text.slice(end + 4);
    }
    return out;
  }
}

export interface HttpResponse {
  status: number;
  server: string;
  /** Body bytes. */
  bytes: number;
  keepAlive: boolean;
}

/** Reads one response after another from a connection's byte stream (a new response starts after the last). */
export class HttpResponseReader {
  private head = '';
  private current: Omit<HttpResponse, 'bytes'> | undefined;
  private wanted = 0;
  private got = 0;

  /** Adds data; returns the response it completed, if any. Bytes beyond it are not expected (no pipelining). */
  push(p: Payload): HttpResponse | undefined {
    if (this.current === undefined) {
      const end = this.headEnd(p);
      if (end < 0) {
        this.head += p.bytes ? payloadText(p) : '\0'.repeat(p.length);
        return undefined;
      }
      // Only the head is made text: the segment that ends it usually carries the start of the body too (zeros
      // for a body sent as a bare length), which would cost far more to turn into text than the head itself.
      const text = end <= this.head.length ? this.head.slice(0, end) : this.head + payloadText(slicePayload(p, 0, end - this.head.length));
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const server = /\r\nServer: ([^\r]*)/.exec(text);
      const length = /\r\nContent-Length: (\d+)/.exec(text);
      const conn = /\r\nConnection: ([^\r]*)/i.exec(text);
      this.current = {
        status: status ? Number(status[1]) : 0,
        server: server ? server[1] : '',
        keepAlive: /^HTTP\/1\.1/.test(text) ? conn?.[1].toLowerCase() !== 'close' : conn?.[1].toLowerCase() === 'keep-alive',
      };
      this.wanted = length ? Number(length[1]) : 0;
      this.got = this.head.length + p.length - (end + 4);
      this.head = '';
    } else {
      this.got += p.length;
    }
    if (this.got < this.wanted) return undefined;
    const done: HttpResponse = { ...this.current, bytes: this.wanted };
    this.current = undefined;
    this.got = 0;
    return done;
  }

  /**
   * Where the blank line ending the head starts in the text so far followed by `p` (what `indexOf('\r\n\r\n')`
   * on the two would say), or -1. Only the last three characters already held can begin it: an earlier
   * start would have been found by an earlier push.
   */
  private headEnd(p: Payload): number {
    const held = this.head;
    const bytes = p.bytes;
    const total = held.length + p.length;
    for (let i = Math.max(0, held.length - 3); i + 4 <= total; i++) {
      if (charAt(held, bytes, i) === 13 && charAt(held, bytes, i + 1) === 10 && charAt(held, bytes, i + 2) === 13 && charAt(held, bytes, i + 3) === 10) return i;
    }
    return -1;
  }
}

/** The character code at `i` of the text `held` followed by `bytes` (zeros when the payload is a bare length). */
function charAt(held: string, bytes: Uint8Array | undefined, i: number): number {
  if (i < held.length) return held.charCodeAt(i);
  return bytes === undefined ? 0 : bytes[i - held.length];
}
