import { payloadText, type Payload } from '../wire/index.ts';

/**
 * The lab's FTP-like protocol (RFC 959's passive mode, reduced to what shows the two-connection problem): the
 * client opens the control connection (port 21), reads the `220` greeting naming the server, sends `PASV`,
 * gets `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)` — the data port is p1·256 + p2 — opens a second TCP
 * connection to that port, sends `RETR /bytes/N` and receives N bytes on the data connection, then `226` on the
 * control connection; `QUIT` ends the session (`221`). Like curl by default (--ftp-skip-pasv-ip), the client
 * connects the data connection to the address it reached the control connection at, not to h1..h4, so the
 * server's own address (the RIP behind a NAT director) does not matter — but the data connection goes to the
 * VIP on a new port, which is why an LVS FTP service needs persistence on port 0 or a firewall mark.
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
  const a = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
  return `227 Entering Passive Mode (${a.join(',')},${port >>> 8},${port & 255})`;
}

/** The data port of a `227` reply. */
export function pasvPort(line: string): number | undefined {
  const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(line);
  return m ? Number(m[5]) * 256 + Number(m[6]) : undefined;
}

/** `220 rs1 FTP ready` → `rs1`. */
export function greetingServer(line: string): string {
  const m = /^220 (\S+)/.exec(line);
  return m ? m[1] : '';
}
