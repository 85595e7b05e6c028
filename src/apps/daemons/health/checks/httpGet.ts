import type { Host } from '../../../../net/index.ts';
import type { SimTime } from '../../../../sim/index.ts';
import { textPayload, type Payload } from '../../../../wire/index.ts';
import type { CheckResult, CheckTarget } from './CheckResult.ts';

export interface HttpRequestSpec {
  /** `GET` or `HEAD` (ldirectord `httpmethod`). */
  readonly method: 'GET' | 'HEAD';
  readonly path: string;
  /** The Host header (`virtualhost`); the target address when absent. */
  readonly hostHeader: string;
}

/** A response as the checker read it: the status code, and the body as bytes (length-only data reads as zeros). */
export interface HttpResponse {
  readonly status: number;
  readonly body: Uint8Array;
}

export type HttpOutcome = { ok: false; detail: string } | { ok: true; response: HttpResponse };

/**
 * One HTTP/1.0 request over a fresh TCP connection (the exchange keepalived's HTTP_GET and ldirectord's
 * negotiate check make): the response ends when the server closes or Content-Length bytes arrived. The whole
 * exchange must finish within `timeout` (keepalived's connect_timeout covers the read too; ldirectord's
 * negotiatetimeout bounds the request). SSL_GET runs the same exchange without TLS (the lab has no TLS).
 */
export function httpExchange(host: Host, target: CheckTarget, req: HttpRequestSpec, timeout: SimTime, done: (o: HttpOutcome) => void): void {
  const sim = host.ctx.sim;
  let finished = false;
  const chunks: Payload[] = [];
  const finish = (o: HttpOutcome) => {
    if (finished) return;
    finished = true;
    sim.cancel(timer);
    done(o);
  };
  const complete = () => {
    const parsed = parseResponse(chunks);
    if (!parsed) return finish({ ok: false, detail: 'no HTTP response' });
    finish({ ok: true, response: parsed.response });
  };
  const r = host.sockets.connect(target.address, target.port, {
    onEstablished: () => {
      if ('endpoint' in r) r.endpoint.send(textPayload(`${req.method} ${req.path} HTTP/1.0\r\nUser-Agent: lvs-lab-checker\r\nHost: ${req.hostHeader}\r\n\r\n`));
    },
    onData: (d) => {
      chunks.push(d);
      const p = parseResponse(chunks);
      if (p && p.contentLength !== undefined && p.response.body.length >= p.contentLength) {
        if ('endpoint' in r) r.endpoint.close();
        complete();
      }
    },
    onRemoteClose: () => {
      if ('endpoint' in r) r.endpoint.close();
      complete();
    },
    onClosed: (reason) => finish({ ok: false, detail: reason === 'refused' ? 'connection refused' : `connection ${reason}` }),
  });
  const timer = sim.schedule(timeout, () => {
    if (finished) return;
    finish({ ok: false, detail: 'timeout' });
    if ('endpoint' in r) r.endpoint.abort();
  });
  if ('errno' in r) sim.schedule(0, () => finish({ ok: false, detail: r.errno }));
}

function parseResponse(chunks: readonly Payload[]): { response: HttpResponse; contentLength?: number } | undefined {
  let total = 0;
  for (const c of chunks) total += c.length;
  const all = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    if (c.bytes) all.set(c.bytes.subarray(0, c.length), o);
    o += c.length;
  }
  let end = -1;
  for (let i = 0; i + 3 < all.length; i++) {
    if (all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  let head = '';
  for (let i = 0; i < end; i++) head += String.fromCharCode(all[i]);
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(head);
  if (!m) return undefined;
  const cl = /\r\nContent-Length:\s*(\d+)/i.exec(head);
  return { response: { status: Number(m[1]), body: all.subarray(end + 4) }, contentLength: cl ? Number(cl[1]) : undefined };
}

/** Bytes as Latin-1 text (for `receive` patterns). */
export function bodyText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

export type { CheckResult };
