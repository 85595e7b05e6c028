import { payloadText, type Payload } from '../wire/index.ts';

/**
 * The lab's FTP-like protocol (RFC 959, reduced to what shows the two-connection problem). Passive mode: the
 * client opens the control connection (port 21), reads the `220` greeting naming the server, sends `PASV`,
 * gets `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)` — the data port is p1·256 + p2 — opens a second TCP
 * connection to that port, sends `RETR /bytes/N` and receives N bytes on the data connection, then `226` on the
 * control connection; `QUIT` ends the session (`221`). Like curl by default (--ftp-skip-pasv-ip), the client
 * connects the data connection to the address it reached the control connection at, not to h1..h4, so the
 * server's own address (the RIP behind a NAT director) does not matter — but the data connection goes to the
 * VIP on a new port, which is why an LVS FTP service needs persistence on port 0 or a firewall mark.
 *
 * Active mode (a workload's `ftp_mode: active`): the client listens on a port of its own and sends `PORT
 * h1,h2,h3,h4,p1,p2` naming its address; the server answers `200`, and on `RETR` connects from its port 20 to
 * that address and port and sends the bytes there. Behind a NAT director that connection comes from the real
 * server's address unless the director's FTP helper (`modprobe ip_vs_ftp`) saw the `PORT` and made an entry
 * that rewrites it to the VIP's.
 */

/** Splits a control connection's byte stream into lines (CRLF-terminated). */
export class LineReader {
  private text = '';

  push(p: Payload): string[] {
    this.text += payloadText(p);
    const lines: string[] = [];
    for (let end = this.text.indexOf('\r\n'); end >= 0; end = this.text.indexOf('\r\n')) {
      lines.push(this.text.slice(0, end));
      this.text = this.text.slice(end + 2);
    }
    return lines;
  }
}

export function pasvReply(address: number, port: number): string {
  return `227 Entering Passive Mode (${hostPort(address, port)})`;
}

/** An address and port as RFC 959 writes them in `227` and `PORT`: `h1,h2,h3,h4,p1,p2`. */
function hostPort(address: number, port: number): string {
  return `${address >>> 24},${(address >>> 16) & 255},${(address >>> 8) & 255},${address & 255},${port >>> 8},${port & 255}`;
}

/** The data port of a `227` reply. */
export function pasvPort(line: string): number | undefined {
  const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(line);
  return m ? Number(m[5]) * 256 + Number(m[6]) : undefined;
}

/** The client's `PORT h1,h2,h3,h4,p1,p2` (RFC 959 active mode): the address and port it listens at. */
export function portCommand(address: number, port: number): string {
  return `PORT ${hostPort(address, port)}`;
}

/** The address and port of a `PORT` argument, or of an `EPRT |1|a.b.c.d|port|` one (RFC 2428); undefined if malformed. */
export function activeTarget(verb: string, arg: string): { addr: number; port: number } | undefined {
  if (verb === 'PORT') {
    const n = arg.split(',').map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : NaN));
    if (n.length !== 6 || n.some((x) => !(x <= 255))) return undefined;
    const port = n[4] * 256 + n[5];
    return port === 0 ? undefined : { addr: ((n[0] << 24) | (n[1] << 16) | (n[2] << 8) | n[3]) >>> 0, port };
  }
  const d = arg.charAt(0);
  const parts = arg.split(d);
  if (d === '' || parts.length !== 5 || parts[1] !== '1' || parts[4] !== '') return undefined;
  const o = parts[2].split('.').map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : NaN));
  const port = /^\d{1,5}$/.test(parts[3]) ? Number(parts[3]) : NaN;
  if (o.length !== 4 || o.some((x) => !(x <= 255)) || !(port >= 1 && port <= 65535)) return undefined;
  return { addr: ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0, port };
}

/** The server's own data port in active mode (RFC 959: L-1 of the control port 21). */
export const FTP_DATA_PORT = 20;

/** `220 rs1 FTP ready` → `rs1`. */
export function greetingServer(line: string): string {
  const m = /^220 (\S+)/.exec(line);
  return m ? m[1] : '';
}
