import type { Host, TcpConnection, TcpListener } from '../../net/index.ts';
import { formatIpv4, payloadOfLength, textPayload } from '../../wire/index.ts';
import { requestedBytes } from '../httpProtocol.ts';
import { activeTarget, FTP_DATA_PORT, LineReader, pasvReply } from '../ftpLikeProtocol.ts';
import { slowdownOf } from '../slowdown.ts';
import { CapacityModel, UNLIMITED, type CapacitySpec } from './CapacityModel.ts';

type ConnectionCallbacks = ReturnType<TcpListener['accept']>;

/** vsftpd's pasv_min_port/pasv_max_port idea: the passive data ports this server hands out. */
export interface PassivePorts {
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_PASSIVE_PORTS: PassivePorts = { min: 50000, max: 50999 };

/**
 * An FTP-like server (see ftpLikeProtocol.ts): a control port, and for every `PASV` a data listener on the next
 * free passive port that takes one connection, from the control connection's client address only (vsftpd's
 * pasv_promiscuous=NO). Each `RETR` waits for a worker of the capacity model; a refused one gets `421`.
 */
export class FtpLikeServer {
  private stopListening: (() => void) | undefined;
  readonly capacity: CapacityModel;
  private nextPort: number;
  private readonly dataPortsInUse = new Set<number>();

  constructor(
    private readonly host: Host,
    readonly port: number,
    capacity: CapacitySpec = UNLIMITED,
    private readonly passive: PassivePorts = DEFAULT_PASSIVE_PORTS,
  ) {
    this.capacity = new CapacityModel(host.ctx.sim, capacity, host.stream(`ftp:${port}/service-time`), () => slowdownOf(host));
    this.nextPort = passive.min;
  }

  get served(): number {
    return this.capacity.served;
  }

  start(): void {
    this.stopListening = this.host.sockets.listen({ addr: 0, port: this.port, accept: (c) => this.control(c) });
  }

  stop(): void {
    this.stopListening?.();
  }

  private control(conn: TcpConnection): ConnectionCallbacks {
    const ep = conn.endpoint;
    const reader = new LineReader();
    const say = (line: string) => ep.send(textPayload(`${line}\r\n`));
    let data: TcpConnection | undefined;
    let unlistenData: (() => void) | undefined;
    let dataPort = 0;
    /** Where the client listens after `PORT`/`EPRT` (active mode, until the next `PASV`). */
    let active: { addr: number; port: number } | undefined;
    let pendingRetr: number | undefined;
    let closed = false;
    const releaseData = () => {
      unlistenData?.();
      unlistenData = undefined;
      if (dataPort !== 0) this.dataPortsInUse.delete(dataPort);
      dataPort = 0;
    };
    const close = () => {
      if (closed) return;
      closed = true;
      releaseData();
      ep.close();
    };
    const transfer = () => {
      if (pendingRetr === undefined || data === undefined || data.endpoint.state !== 'ESTABLISHED') return;
      const bytes = pendingRetr;
      const d = data;
      pendingRetr = undefined;
      data = undefined;
      const admitted = this.capacity.submit(() => {
        if (closed) return;
        say('150 Opening BINARY mode data connection');
        if (bytes > 0) d.endpoint.send(payloadOfLength(bytes));
        d.endpoint.close();
        say('226 Transfer complete');
      });
      if (admitted === 'refused') {
        this.event('refused', `${formatIpv4(conn.remoteAddr)}: every worker busy and ${this.capacity.spec.queue} waiting`);
        d.endpoint.close();
        say('421 Service not available, closing control connection');
        close();
      }
    };
    // Active mode: the data connection goes out from port 20 of the address the client reached (vsftpd's
    // connect_from_port_20), to where the client listens; a refusal or a timeout is `425`.
    const connectActive = (to: { addr: number; port: number }) => {
      let up = false;
      const r = this.host.sockets.connect(
        to.addr,
        to.port,
        {
          onEstablished: () => {
            up = true;
            // The client left while the server was connecting: nothing to send on it.
            if (closed) return dc.endpoint.abort();
            data = dc;
            transfer();
          },
          onRemoteClose: () => dc.endpoint.close(),
          onClosed: (reason) => {
            if (up || closed) return;
            pendingRetr = undefined;
            this.event('data-failed', `${formatIpv4(to.addr)}:${to.port} ${reason}`);
            say('425 Failed to establish connection.');
          },
        },
        { src: conn.localAddr, sport: FTP_DATA_PORT },
      );
      if ('errno' in r) {
        pendingRetr = undefined;
        return say('425 Failed to establish connection.');
      }
      const dc: TcpConnection = r;
    };
    const command = (line: string) => {
      const [verb, arg] = line.split(' ', 2);
      switch (verb.toUpperCase()) {
        case 'PORT':
        case 'EPRT': {
          releaseData();
          active = activeTarget(verb.toUpperCase(), arg ?? '');
          if (active === undefined) return say('500 Illegal PORT command.');
          return say('200 PORT command successful. Consider using PASV.');
        }
        case 'PASV': {
          releaseData();
          active = undefined;
          const port = this.freeDataPort();
          if (port === undefined) return say('425 Can\'t open data connection');
          dataPort = port;
          this.dataPortsInUse.add(port);
          unlistenData = this.host.sockets.listen({
            addr: 0,
            port,
            accept: (dc) => {
              releaseData(); // one data connection per PASV
              const fromClient = dc.remoteAddr === conn.remoteAddr;
              return {
                onEstablished: () => {
                  if (!fromClient) return dc.endpoint.abort();
                  data = dc;
                  transfer();
                },
                onRemoteClose: () => dc.endpoint.close(),
              };
            },
          });
          return say(pasvReply(conn.localAddr, port));
        }
        case 'RETR': {
          pendingRetr = requestedBytes(arg ?? '') ?? 0;
          if (active !== undefined) return connectActive(active);
          return transfer();
        }
        case 'QUIT':
          say('221 Goodbye');
          return close();
        default:
          return say('502 Command not implemented');
      }
    };
    return {
      onEstablished: () => say(`220 ${this.host.name} FTP ready`),
      onData: (d) => {
        if (closed) return;
        for (const line of reader.push(d)) command(line);
      },
      onRemoteClose: () => close(),
      onClosed: () => releaseData(),
    };
  }

  private freeDataPort(): number | undefined {
    const span = this.passive.max - this.passive.min + 1;
    for (let i = 0; i < span; i++) {
      const port = this.passive.min + ((this.nextPort - this.passive.min + i) % span);
      if (!this.dataPortsInUse.has(port)) {
        this.nextPort = port + 1 > this.passive.max ? this.passive.min : port + 1;
        return port;
      }
    }
    return undefined;
  }

  private event(event: string, detail: string): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'app', host: this.host.name, app: `ftp:${this.port}`, event, detail });
  }
}
