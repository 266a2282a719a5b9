import { connect, createServer, type Server, type Socket } from 'node:net';

const OPENING_BYTES = 1024;

/** One client connection through the proxy, and what its client said first. */
interface ProxiedConnection {
  client: Socket;
  server: Socket;
  /** The client's first bytes: PostgreSQL's startup packet, after an SSLRequest if one was sent. */
  opening: Buffer;
}

/**
 * A TCP proxy in front of a server, for fault tests: every connection made to `port` is relayed
 * to the server, and `drop` cuts chosen connections at once (a reset on both sides), as a
 * failing network or a load balancer does. The server sees a client vanish; the client sees its
 * socket close mid-conversation.
 */
export class FaultProxy {
  readonly host = '127.0.0.1';
  readonly #listener: Server;
  readonly #connections = new Set<ProxiedConnection>();
  #port = 0;

  private constructor(listener: Server) {
    this.#listener = listener;
  }

  static async start(to: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(createServer());
    proxy.#listener.on('connection', (client) => proxy.#relay(client, to));
    await new Promise<void>((resolve, reject) => {
      proxy.#listener.once('error', reject);
      proxy.#listener.listen(0, '127.0.0.1', () => resolve());
    });
    proxy.#port = (proxy.#listener.address() as { port: number }).port;
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  #relay(client: Socket, to: { host: string; port: number }): void {
    const server = connect(to.port, to.host);
    const connection: ProxiedConnection = { client, server, opening: Buffer.alloc(0) };
    this.#connections.add(connection);
    // The first kilobyte: with TLS negotiation the startup packet follows an SSLRequest.
    const watchOpening = (chunk: Buffer) => {
      connection.opening = Buffer.concat([connection.opening, chunk]).subarray(0, OPENING_BYTES);
      if (connection.opening.length >= OPENING_BYTES) client.off('data', watchOpening);
    };
    client.on('data', watchOpening);
    client.pipe(server);
    server.pipe(client);
    const end = () => {
      this.#connections.delete(connection);
      client.destroy();
      server.destroy();
    };
    client.on('error', end);
    server.on('error', end);
    client.on('close', end);
    server.on('close', end);
  }

  /** Connections open now, optionally only those whose opening bytes contain `marker`. */
  count(marker?: string): number {
    return [...this.#connections].filter((c) => marker === undefined || c.opening.includes(marker)).length;
  }

  /**
   * Cuts every open connection, or only those whose opening bytes contain `marker` ("replication"
   * picks walsender connections, whose startup packet carries that parameter). Returns how many.
   */
  drop(marker?: string): number {
    let dropped = 0;
    for (const connection of [...this.#connections]) {
      if (marker !== undefined && !connection.opening.includes(marker)) continue;
      this.#connections.delete(connection);
      connection.client.resetAndDestroy();
      connection.server.resetAndDestroy();
      dropped++;
    }
    return dropped;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.#listener.close(() => resolve()));
  }
}
