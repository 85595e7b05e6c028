import type { Host, TcpConnection } from '../../net/index.ts';
import { textPayload } from '../../wire/index.ts';

/**
 * A TCP server that writes one line (its greeting, e.g. the real server's name) as soon as a connection is
 * accepted, then holds the connection open until the client closes it — the server the IPVS oracle experiments
 * ran on every real server, so a client learns which server the director chose from the first bytes it reads.
 */
export class GreetingServer {
  private stopListening: (() => void) | undefined;
  accepted = 0;

  constructor(
    private readonly host: Host,
    readonly port: number,
    readonly greeting: string,
  ) {}

  start(): void {
    this.stopListening = this.host.sockets.listen({
      addr: 0,
      port: this.port,
      accept: (conn: TcpConnection) => {
        return {
          // accept(2) returns once the handshake completes; the server writes its line then.
          onEstablished: () => {
            this.accepted++;
            conn.endpoint.send(textPayload(`${this.greeting}\n`));
          },
          onRemoteClose: () => conn.endpoint.close(),
        };
      },
    });
  }

  stop(): void {
    this.stopListening?.();
  }
}
