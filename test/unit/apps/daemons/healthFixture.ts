import { ipvsOf } from '../../../../src/ipvs/index.ts';
import { Scope, type Host } from '../../../../src/net/index.ts';
import { HttpServer } from '../../../../src/apps/index.ts';
import { parseIpv4, textPayload } from '../../../../src/wire/index.ts';
import { SimWorld } from '../../simWorld.ts';

export const VIP = parseIpv4('10.0.0.100')!;
export const RS1 = parseIpv4('10.0.0.21')!;
export const RS2 = parseIpv4('10.0.0.22')!;
export const LOCAL = parseIpv4('127.0.0.1')!;

function addr(h: Host, dev: string, a: string): void {
  h.addAddress(h.iface(dev)!, { address: parseIpv4(a)!, prefixLen: 24, scope: Scope.global, label: dev });
}

/**
 * A director and two real servers on one segment, each real server with a web server on port 80 answering
 * 200 with a body of zeros, or the check file /check.txt ("webserverisworking").
 */
export function cluster() {
  const w = new SimWorld();
  const lvs = w.newHost('lvs');
  const rs1 = w.newHost('rs1');
  const rs2 = w.newHost('rs2');
  w.plugNew(lvs, 'eth0', '02:00:00:00:00:02', 'lan');
  w.plugNew(rs1, 'eth0', '02:00:00:00:00:21', 'lan');
  w.plugNew(rs2, 'eth0', '02:00:00:00:00:22', 'lan');
  addr(lvs, 'eth0', '10.0.0.2');
  addr(rs1, 'eth0', '10.0.0.21');
  addr(rs2, 'eth0', '10.0.0.22');
  const check = { path: '/check.txt', body: 'webserverisworking\n' };
  const web1 = new HttpServer(rs1, 80, { response: 100, check });
  const web2 = new HttpServer(rs2, 80, { response: 100, check });
  web1.start();
  web2.start();
  const ipvs = ipvsOf(lvs).control;
  const dests = () => (ipvs.services()[0]?.destinations ?? []).map((d) => `${d.address === RS1 ? 'rs1' : d.address === RS2 ? 'rs2' : d.address === LOCAL ? 'local' : d.address}:${d.weight}`).sort();
  return { w, lvs, rs1, rs2, web1, web2, ipvs, dests };
}

/** A web server answering every request with `status` and `body` (text), then closing. */
export function textServer(host: Host, port: number, status: number, body: string): () => void {
  return host.sockets.listen({
    addr: 0,
    port,
    accept: (conn) => {
      let buf = '';
      return {
        onData: (d) => {
          if (d.bytes) for (const b of d.bytes) buf += String.fromCharCode(b);
          if (!buf.endsWith('\r\n\r\n')) return;
          conn.endpoint.send(textPayload(`HTTP/1.0 ${status} X\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
          conn.endpoint.close();
        },
        onRemoteClose: () => conn.endpoint.close(),
      };
    },
  });
}
