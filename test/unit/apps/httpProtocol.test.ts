import { describe, expect, it } from 'vitest';
import { httpRequest, httpResponseHead, HttpResponseReader, parseRequestHead, RequestHeadReader, requestedBytes } from '../../../src/apps/httpProtocol.ts';
import { requestPayload } from '../../../src/apps/index.ts';
import { payloadOfLength, payloadText, textPayload } from '../../../src/wire/index.ts';

describe('the HTTP-like protocol', () => {
  it('keep-alive follows the version and the Connection header (RFC 9112 §9.3)', () => {
    expect(parseRequestHead('GET / HTTP/1.0')?.keepAlive).toBe(false);
    expect(parseRequestHead('GET / HTTP/1.0\r\nConnection: keep-alive')?.keepAlive).toBe(true);
    expect(parseRequestHead('GET / HTTP/1.1')?.keepAlive).toBe(true);
    expect(parseRequestHead('GET /bytes/5 HTTP/1.1\r\nConnection: close')).toEqual({ method: 'GET', path: '/bytes/5', version: '1.1', keepAlive: false });
    expect(parseRequestHead('hello')).toBeUndefined();
    expect(requestedBytes('/bytes/2048')).toBe(2048);
    expect(requestedBytes('/check.txt')).toBeUndefined();
  });

  it('requests are padded to the size asked; the traffic: client\'s HTTP/1.0 request still parses', () => {
    expect(httpRequest('/bytes/10', 300, true).length).toBe(300);
    expect(httpRequest('/bytes/10', 1, true).length).toBeGreaterThan(1);
    const heads = new RequestHeadReader().push(requestPayload(100));
    expect(heads).toHaveLength(1);
    expect(parseRequestHead(heads[0])).toMatchObject({ path: '/', version: '1.0', keepAlive: false });
  });

  it('the HTTP/1.0 response head is the one the lab always sent', () => {
    expect(payloadText(httpResponseHead('1.0', 200, 'rs1', 1024, false))).toBe('HTTP/1.0 200 OK\r\nServer: rs1\r\nContent-Length: 1024\r\n\r\n');
  });

  it('reads heads split across segments and several in one', () => {
    const r = new RequestHeadReader();
    expect(r.push(textPayload('GET /a HTTP/1.1\r\n'))).toEqual([]);
    expect(r.push(textPayload('\r\nGET /b HTTP/1.1\r\n\r\nGET'))).toEqual(['GET /a HTTP/1.1', 'GET /b HTTP/1.1']);
  });

  it('reads responses one after another on a kept-alive connection, bodies as bare lengths', () => {
    const r = new HttpResponseReader();
    expect(r.push(httpResponseHead('1.1', 200, 'rs2', 3000, true))).toBeUndefined();
    expect(r.push(payloadOfLength(1000))).toBeUndefined();
    expect(r.push(payloadOfLength(2000))).toEqual({ status: 200, server: 'rs2', bytes: 3000, keepAlive: true });
    // A head and its whole body in one segment (a slice across two send() chunks carries zeros for the body).
    const head = payloadText(httpResponseHead('1.1', 503, 'rs2', 0, false));
    expect(r.push(textPayload(head))).toEqual({ status: 503, server: 'rs2', bytes: 0, keepAlive: false });
    expect(r.push(textPayload(payloadText(httpResponseHead('1.1', 200, 'rs1', 4, true)) + '\0\0\0\0'))).toEqual({ status: 200, server: 'rs1', bytes: 4, keepAlive: true });
  });

  it('finds the blank line ending a response head wherever the segments split it', () => {
    const text = payloadText(httpResponseHead('1.0', 200, 'rs3', 5, false)) + 'hello';
    // Every split point, including inside "\r\n\r\n" and right after it.
    for (let cut = 1; cut < text.length; cut++) {
      const r = new HttpResponseReader();
      const first = r.push(textPayload(text.slice(0, cut)));
      const done = first ?? r.push(textPayload(text.slice(cut)));
      expect(done, `split at ${cut}`).toEqual({ status: 200, server: 'rs3', bytes: 5, keepAlive: false });
      if (first !== undefined) expect(cut).toBe(text.length);
    }
    // Three pieces: "\r\n" / "\r" / "\n" plus the body.
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    const r = new HttpResponseReader();
    expect(r.push(textPayload(head + '\r\n'))).toBeUndefined();
    expect(r.push(textPayload('\r'))).toBeUndefined();
    expect(r.push(textPayload('\nhel'))).toBeUndefined();
    expect(r.push(textPayload('lo'))).toEqual({ status: 200, server: 'rs3', bytes: 5, keepAlive: false });
  });
});
