import type { Host, TcpConnection } from '../../net/index.ts';
import { payloadOfLength } from '../../wire/index.ts';
import { RequestReader, responseHeader } from '../httpMessages.ts';

/**
 * A TCP server on a host's port that answers each request with a fixed-size response naming the host, then
 * closes (HTTP/1.0 without keep-alive). Issue-5 capacity models build on this.
 */
export class RequestResponseServer {
  private stopListening: (() => void) | undefined;
  served = 0;

  constructor(
    private readonly host: Host,
    readonly port: number,
    readonly responseBytes: number,
  ) {}

  start(): void {
    this.stopListening = this.host.sockets.listen({
      addr: 0,
      port: this.port,
      accept: (conn: TcpConnection) => {
        const reader = new RequestReader();
        let answered = false;
        return {
          onData: (d) => {
            if (answered || !reader.push(d)) return;
            answered = true;
            this.served++;
            conn.endpoint.send(responseHeader(this.host.name, this.responseBytes));
            if (this.responseBytes > 0) conn.endpoint.send(payloadOfLength(this.responseBytes));
            conn.endpoint.close();
          },
          onRemoteClose: () => {
            if (!answered) conn.endpoint.close();
          },
        };
      },
    });
  }

  stop(): void {
    this.stopListening?.();
  }
}
